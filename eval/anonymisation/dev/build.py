#!/usr/bin/env python3
"""Convert notes.txt (inline markup) into notes.jsonl with UTF-8 byte offsets.

Markup:
  ⟦type#pN:text⟧  identifier belonging to person pN (type 'nom')
  ⟦type:text⟧     other identifier
  ⟪text⟫          clinical term to keep
"""
import json, re, sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "notes.txt"
OUT = HERE / "notes.jsonl"

TYPES = {"nom", "date", "age", "adresse", "code_postal", "ville", "etablissement",
         "chambre", "telephone", "email", "url", "pseudo", "nir", "rpps", "adeli",
         "iban", "numero_dossier", "immatriculation"}

HEADER = re.compile(r"^=== (dev-\d{3}) \| (.+?)\s*$")
TOKEN = re.compile(r"⟦([a-z_]+)(?:#(p\d+))?:([^⟦⟧⟪⟫]+)⟧|⟪([^⟦⟧⟪⟫]+)⟫")


def parse_note(nid, genre, raw):
    out = []          # list of str pieces
    pos = 0           # current byte length of cleaned text
    entities, keep = [], []
    last = 0
    for m in TOKEN.finditer(raw):
        plain = raw[last:m.start()]
        out.append(plain)
        pos += len(plain.encode("utf-8"))
        if m.group(4) is not None:
            t = m.group(4)
            b = len(t.encode("utf-8"))
            keep.append({"start": pos, "end": pos + b, "term": t})
        else:
            typ, person, t = m.group(1), m.group(2), m.group(3)
            if typ not in TYPES:
                sys.exit(f"{nid}: unknown type {typ!r} in {m.group(0)!r}")
            if typ == "nom" and not person:
                sys.exit(f"{nid}: name without person id: {m.group(0)!r}")
            if typ != "nom" and person:
                sys.exit(f"{nid}: person id on non-name: {m.group(0)!r}")
            b = len(t.encode("utf-8"))
            e = {"start": pos, "end": pos + b, "type": typ}
            if person:
                e["person"] = person
            e["_text"] = t
            entities.append(e)
        out.append(m.group(4) if m.group(4) is not None else m.group(3))
        pos += b
        last = m.end()
    out.append(raw[last:])
    text = "".join(out)
    for ch in "⟦⟧⟪⟫":
        if ch in text:
            i = text.index(ch)
            sys.exit(f"{nid}: leftover markup {ch!r} near {text[max(0,i-40):i+40]!r}")
    for e in entities:
        if e["type"] == "nom" and re.match(r"(M\.|Mme|Mlle|Mr|Dr|Pr|Me)\s", e["_text"]):
            print(f"warning {nid}: title inside name span: {e['_text']!r}", file=sys.stderr)
    bt = text.encode("utf-8")
    for e in entities:
        got = bt[e["start"]:e["end"]].decode("utf-8")
        assert got == e.pop("_text"), (nid, got)
    for k in keep:
        assert bt[k["start"]:k["end"]].decode("utf-8") == k["term"], (nid, k)
    return {"id": nid, "genre": genre, "text": text, "entities": entities, "keep": keep}


def main():
    lines = SRC.read_text(encoding="utf-8").split("\n")
    notes, cur = [], None
    for line in lines:
        h = HEADER.match(line)
        if h:
            if cur:
                notes.append(cur)
            cur = [h.group(1), h.group(2), []]
        elif line.startswith("==="):
            sys.exit(f"malformed header: {line!r}")
        elif cur is not None:
            cur[2].append(line)
    if cur:
        notes.append(cur)

    ids = [n[0] for n in notes]
    assert len(ids) == len(set(ids)), "duplicate ids"
    recs = [parse_note(nid, g, "\n".join(body).strip("\n")) for nid, g, body in notes]

    with OUT.open("w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    tc, gc = Counter(), Counter()
    nkeep = 0
    for r in recs:
        gc[r["genre"]] += 1
        nkeep += len(r["keep"])
        for e in r["entities"]:
            tc[e["type"]] += 1
    print(f"notes: {len(recs)}  identifiers: {sum(tc.values())}  kept terms: {nkeep}")
    print("\nidentifiers per type:")
    for t in sorted(TYPES, key=lambda t: -tc[t]):
        flag = "" if tc[t] >= 15 else "   <-- below 15"
        print(f"  {t:16s} {tc[t]:5d}{flag}")
    print("\nnotes per genre:")
    for g, n in gc.most_common():
        print(f"  {g:40s} {n:3d}")


if __name__ == "__main__":
    main()
