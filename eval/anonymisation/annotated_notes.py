#!/usr/bin/env python3
"""Convert a set's notes.txt (inline-annotated) into notes.jsonl with UTF-8
byte offsets: the converter shared by the annotated sets written apart
(independent/, heldout2/, dev2/), each of which calls `build` from its own
build.py with its id prefix and its per-type minima.

Markup:
  ⟦type#pN:text⟧  identifier with person id (type 'nom')
  ⟦type:text⟧     identifier
  ⟪text⟫          clinical term to keep
"""
import json, re, sys
from collections import Counter
from pathlib import Path


TYPES = {"nom", "date", "age", "adresse", "code_postal", "ville", "etablissement",
         "chambre", "telephone", "email", "url", "pseudo", "nir", "rpps", "adeli",
         "iban", "numero_dossier", "immatriculation"}
SMALL_TYPES = ("rpps", "adeli", "iban", "immatriculation", "pseudo", "url")


def parse(raw, nid):
    out = []          # list of str pieces
    nbytes = 0
    ents, keep = [], []
    i = 0
    n = len(raw)
    while i < n:
        c = raw[i]
        if c == "⟦":
            j = raw.find("⟧", i)
            if j < 0:
                raise ValueError(f"{nid}: unclosed ⟦ at {i}")
            inner = raw[i + 1:j]
            if "⟦" in inner or "⟪" in inner or "⟫" in inner:
                raise ValueError(f"{nid}: nested markup in {inner!r}")
            head, sep, text = inner.partition(":")
            if not sep or not text:
                raise ValueError(f"{nid}: bad entity {inner!r}")
            typ, _, person = head.partition("#")
            if typ not in TYPES:
                raise ValueError(f"{nid}: unknown type {typ!r} in {inner!r}")
            if typ == "nom" and not re.fullmatch(r"p\d+", person):
                raise ValueError(f"{nid}: nom without person id: {inner!r}")
            if typ != "nom" and person:
                raise ValueError(f"{nid}: person id on non-nom: {inner!r}")
            b = text.encode("utf-8")
            e = {"start": nbytes, "end": nbytes + len(b), "type": typ}
            if typ == "nom":
                e["person"] = person
            e["_text"] = text
            ents.append(e)
            out.append(text)
            nbytes += len(b)
            i = j + 1
        elif c == "⟪":
            j = raw.find("⟫", i)
            if j < 0:
                raise ValueError(f"{nid}: unclosed ⟪ at {i}")
            text = raw[i + 1:j]
            if any(x in text for x in "⟦⟧⟪") or not text:
                raise ValueError(f"{nid}: bad keep {text!r}")
            b = text.encode("utf-8")
            keep.append({"start": nbytes, "end": nbytes + len(b), "term": text})
            out.append(text)
            nbytes += len(b)
            i = j + 1
        elif c in "⟧⟫":
            raise ValueError(f"{nid}: stray {c} at {i}: {raw[max(0,i-40):i+5]!r}")
        else:
            # copy a run of plain text
            k = i
            while k < n and raw[k] not in "⟦⟧⟪⟫":
                k += 1
            seg = raw[i:k]
            out.append(seg)
            nbytes += len(seg.encode("utf-8"))
            i = k
    text = "".join(out)
    tb = text.encode("utf-8")
    assert len(tb) == nbytes
    for e in ents:
        got = tb[e["start"]:e["end"]].decode("utf-8")
        if got != e.pop("_text"):
            raise AssertionError(f"{nid}: span mismatch {got!r}")
    for k in keep:
        got = tb[k["start"]:k["end"]].decode("utf-8")
        if got != k["term"]:
            raise AssertionError(f"{nid}: keep mismatch {got!r}")
    return text, ents, keep


def build(here, prefix, min_all, min_small, dst=None):
    """Reads here/notes.txt, writes dst (default here/notes.jsonl), prints the counts."""
    here = Path(here)
    SRC = here / "notes.txt"
    DST = Path(dst) if dst else here / "notes.jsonl"
    HEADER = re.compile(r"^=== (" + prefix + r"-\d{3}) \| (\S+)\s*$")
    MIN_PER_TYPE = {t: (min_small if t in SMALL_TYPES else min_all) for t in TYPES}
    lines = SRC.read_text(encoding="utf-8").split("\n")
    notes = []
    cur = None
    for ln in lines:
        m = HEADER.match(ln)
        if m:
            cur = {"id": m.group(1), "genre": m.group(2), "lines": []}
            notes.append(cur)
        elif ln.startswith("==="):
            raise ValueError(f"malformed header: {ln!r}")
        elif cur is not None:
            cur["lines"].append(ln)
        elif ln.strip():
            raise ValueError(f"text before first header: {ln!r}")
    ids = [n["id"] for n in notes]
    if len(ids) != len(set(ids)):
        dup = [k for k, v in Counter(ids).items() if v > 1]
        raise ValueError(f"duplicate ids: {dup}")
    for k, nid in enumerate(ids, 1):
        if nid != f"{prefix}-{k:03d}":
            print(f"warning: id {nid} out of sequence (expected {prefix}-{k:03d})", file=sys.stderr)

    type_counts, genre_counts, keep_total = Counter(), Counter(), 0
    genre_ents = Counter()
    with DST.open("w", encoding="utf-8") as f:
        for n in notes:
            raw = "\n".join(n["lines"]).strip("\n")
            text, ents, keep = parse(raw, n["id"])
            for e in ents:
                type_counts[e["type"]] += 1
            genre_counts[n["genre"]] += 1
            genre_ents[n["genre"]] += len(ents)
            keep_total += len(keep)
            f.write(json.dumps({"id": n["id"], "genre": n["genre"], "text": text,
                                "entities": ents, "keep": keep}, ensure_ascii=False) + "\n")

    print(f"notes: {len(notes)}")
    print(f"identifiers: {sum(type_counts.values())}   kept terms: {keep_total}")
    print("\nper type:")
    for t in sorted(TYPES, key=lambda t: -type_counts[t]):
        flag = "" if type_counts[t] >= MIN_PER_TYPE[t] else f"   <-- below {MIN_PER_TYPE[t]}"
        print(f"  {t:16s} {type_counts[t]:5d}{flag}")
    print("\nper genre (notes / identifiers):")
    for g, c in sorted(genre_counts.items()):
        flag = "" if c >= 10 else "   <-- below 10"
        print(f"  {g:28s} {c:4d} {genre_ents[g]:6d}{flag}")

