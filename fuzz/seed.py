#!/usr/bin/env python3
"""Writes the seeds of the situation, interview_answers and law_load fuzz
targets from the reference cases (tests/cases/*.yaml) and the law folder.
Run from the repository's root: python3 fuzz/seed.py (needs PyYAML)."""
import glob
import hashlib
import json
import os
import urllib.parse

import yaml


def put(target, data):
    os.makedirs(f"fuzz/corpus/{target}", exist_ok=True)
    with open(f"fuzz/corpus/{target}/{hashlib.sha1(data).hexdigest()}", "wb") as f:
        f.write(data)


def value(v):
    return str(v).lower() if isinstance(v, bool) else str(v)


cases = []
for path in sorted(glob.glob("tests/cases/*.yaml")):
    with open(path) as f:
        cases += yaml.safe_load(f)
for c in cases:
    s = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in c["situation"].items()}
    put("situation", json.dumps(s, ensure_ascii=False).encode())
    # The same facts as the interview form posts them.
    pairs = [("csrf", "x")] + [("a", f"{k}={value(v)}") for k, v in s.items() if k != "as_of"]
    if "as_of" in s:
        pairs.append(("as_of", s["as_of"]))
    pairs.append(("action", "suivant"))
    put("interview_answers", urllib.parse.urlencode(pairs).encode())
# The law files in the target's order (paths relative to law/, sorted); the
# first byte selects the file the rest replaces.
files = sorted(os.path.relpath(p, "law") for p in glob.glob("law/**/*.toml", recursive=True))
for i, p in enumerate(files):
    with open(os.path.join("law", p), "rb") as f:
        put("law_load", bytes([i]) + f.read())
