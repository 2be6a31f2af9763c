#!/usr/bin/env python3
"""Builds a set's notes.jsonl from its notes.txt (the marked-up source) and
checks it: the converter shared by dev7/, dev22/ (once heldout4/), heldout5/,
heldout6/ and later sets, each of which calls `main` from its own build.py
with its directory.

Source format
-------------
Each note starts with a header line « ### <id> | <genre> »; its text is every
following line up to the next header (blank lines at both ends dropped).

Inside the text:
  ⟦surface|type⟧        an identifier of that type
  ⟦surface|nom:p1⟧      a person; the same id for every mention of one person
                        in the note, a different id for every other person
  ⟪terme⟫               a clinical term to keep

Checks: known types, person ids on names only, every entity's and term's text
equal to the source surface at its offsets (checked on Python str indices,
written as UTF-8 byte offsets, the evaluator's unit), no overlap
between any two spans (entities and terms), no stray markup, 40 to 250 words
a note, unique ids. With --check, also fails when notes.jsonl is stale.
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

TYPES = {
    "nom", "etablissement", "ville", "adresse", "date", "age", "chambre",
    "telephone", "email", "url", "pseudo", "numero_dossier", "nir", "rpps",
    "adeli", "iban", "immatriculation", "code_postal",
}
HEADER = re.compile(r"^### (\S+) \| (\S+)\s*$")
MARKS = "⟦⟧⟪⟫"


def fail(msg):
    sys.exit(f"build.py: {msg}")


def parse_note(nid, raw):
    text, entities, keep = [], [], []
    pos, i = 0, 0  # pos: offset in the output text
    while i < len(raw):
        c = raw[i]
        if c == "⟦":
            j = raw.find("⟧", i)
            if j < 0:
                fail(f"{nid}: unclosed ⟦")
            inner = raw[i + 1:j]
            if any(m in inner for m in MARKS):
                fail(f"{nid}: nested markup in {inner!r}")
            if "|" not in inner:
                fail(f"{nid}: no type in {inner!r}")
            surface, label = inner.rsplit("|", 1)
            if label.startswith("nom:"):
                etype, person = "nom", label[4:]
                if not re.fullmatch(r"p\d+", person):
                    fail(f"{nid}: bad person id {label!r}")
            else:
                etype, person = label, None
                if etype == "nom":
                    fail(f"{nid}: name without person id: {surface!r}")
            if etype not in TYPES:
                fail(f"{nid}: unknown type {etype!r} for {surface!r}")
            if not surface or surface != surface.strip():
                fail(f"{nid}: empty or padded entity {surface!r}")
            ent = {"start": pos, "end": pos + len(surface), "type": etype}
            if person:
                ent["person"] = person
            entities.append((ent, surface))
            text.append(surface)
            pos += len(surface)
            i = j + 1
        elif c == "⟪":
            j = raw.find("⟫", i)
            if j < 0:
                fail(f"{nid}: unclosed ⟪")
            term = raw[i + 1:j]
            if any(m in term for m in MARKS) or not term or term != term.strip():
                fail(f"{nid}: bad term {term!r}")
            keep.append({"start": pos, "end": pos + len(term), "term": term})
            text.append(term)
            pos += len(term)
            i = j + 1
        elif c in MARKS:
            fail(f"{nid}: stray {c!r} near {raw[max(0, i - 30):i + 30]!r}")
        else:
            text.append(c)
            pos += 1
            i += 1
    text = "".join(text)
    # every offset against the built text
    for ent, surface in entities:
        if text[ent["start"]:ent["end"]] != surface:
            fail(f"{nid}: offset mismatch for {surface!r}")
    for k in keep:
        if text[k["start"]:k["end"]] != k["term"]:
            fail(f"{nid}: offset mismatch for term {k['term']!r}")
    spans = sorted([(e["start"], e["end"], s) for e, s in entities]
                   + [(k["start"], k["end"], k["term"]) for k in keep])
    for a, b in zip(spans, spans[1:]):
        if b[0] < a[1]:
            fail(f"{nid}: overlap {a[2]!r} / {b[2]!r}")
    # a name and its person: the same surface under two ids is suspicious
    # only across different people, which the author decides; nothing checked.
    return text, [e for e, _ in entities], keep


def main(here):
    here = Path(here)
    check = "--check" in sys.argv
    src = (here / "notes.txt").read_text(encoding="utf-8")
    notes, cur = [], None
    for line in src.split("\n"):
        m = HEADER.match(line)
        if m:
            cur = {"id": m.group(1), "genre": m.group(2), "lines": []}
            notes.append(cur)
        elif cur is not None:
            cur["lines"].append(line)
        elif line.strip():
            fail(f"text before the first header: {line!r}")
    out, seen = [], set()
    stats, terms, genres, words = Counter(), 0, Counter(), []
    for n in notes:
        if n["id"] in seen:
            fail(f"duplicate id {n['id']}")
        seen.add(n["id"])
        raw = "\n".join(n["lines"]).strip("\n")
        text, ents, keep = parse_note(n["id"], raw)
        wc = len(text.split())
        if not 40 <= wc <= 250:
            fail(f"{n['id']}: {wc} words (40 to 250)")
        words.append(wc)
        stats.update(e["type"] for e in ents)
        terms += len(keep)
        genres[n["genre"]] += 1
        # The evaluator reads UTF-8 byte offsets, like every other set:
        # checked above on str indices, written as bytes.
        def to_bytes(i, text=text):
            return len(text[:i].encode("utf-8"))
        for span in ents + keep:
            span["start"], span["end"] = to_bytes(span["start"]), to_bytes(span["end"])
        out.append(json.dumps({"id": n["id"], "genre": n["genre"], "text": text,
                               "entities": ents, "keep": keep}, ensure_ascii=False))
    data = "\n".join(out) + "\n"
    dst = here / "notes.jsonl"
    if check:
        if not dst.exists() or dst.read_text(encoding="utf-8") != data:
            fail("notes.jsonl is stale: run build.py")
    else:
        dst.write_text(data, encoding="utf-8")
    print(f"{len(out)} notes, {len(data.encode()) / 1000:.1f} kB, "
          f"{sum(words)} words ({min(words)}-{max(words)} a note)")
    print("entities:", sum(stats.values()), dict(sorted(stats.items())))
    print("terms to keep:", terms)
    print("genres:", len(genres), dict(sorted(genres.items())))

