#!/usr/bin/env python3
"""Build `etablissements.txt`: the proper names of French health
establishments, as people write them without a head (« sortie de Purpan »,
« transférée à Rangueil », « suivie à la Pitié-Salpêtrière »).

Source: DREES, Statistique annuelle des établissements de santé (SAE) 2022,
bases administratives `ID_2022r.csv` (establishments, 3 995 rows) and
`IDB_2022r.csv` (their secondary sites, 5 663 rows), Licence Ouverte; the
column `rs` (raison sociale) of each. The two files are read from a public
repository that keeps them as published (see the data README for the commit).

From each name: the heads, kinds and legal words (CH, CLINIQUE, SITE, SSR…),
the common French words (`mots.txt`), the communes (`communes.tsv`) and the
articles are removed; each run of the words left is a name (« purpan »,
« pitie salpetriere », « sainte anne »). Kept only when it could not be an
ordinary word or a person: a single word that is not a common word, a first
name, an eponym of the allow-list or a commune; several words that are not a
first name and a surname. Flag `c`: a surname among the 20 000 most frequent,
taken as an establishment only after a place cue (« à », « de »…) in a
sentence about care.

Output (UTF-8, sorted): name<TAB>flags (names folded: lower case, no accents).

Run: python3 crates/anonymise/data/build_etablissements.py ID_2022r.csv IDB_2022r.csv
"""
import os, re, sys, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))


def fold(s):
    s = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in s if unicodedata.category(c) != "Mn").replace("’", "'")


def lines_of(path):
    # the files mix UTF-8 and Windows-1252 rows
    with open(path, "rb") as f:
        for raw in f:
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                yield raw.decode("cp1252", errors="replace")


def column(path, name):
    rows = lines_of(path)
    header = [h.strip().lower() for h in next(rows).rstrip("\r\n").split(";")]
    k = header.index(name)
    for row in rows:
        cells = row.rstrip("\r\n").split(";")
        if len(cells) > k:
            yield cells[k]


# Words of the kind of establishment, its status or its service: never a name.
GENERIC = set("""
ch chu chr chru chi chic chs chsi chg chd hu hia ap hp hm aphp aphm hcl ghu gh ghi ght ghr
hopital hopitaux hosp hospitalier hospitaliere hospitaliers prive privee public publique
clinique cliniques cl clin polyclinique poly centre ctre cte centres medical medicale medicaux
medico site sites dialyse autodialyse hemodialyse dial unite unites udm uad usld ssr smr had hj
hdj cmp cattp cmpp camsp ime esat mas fam ehpad crf cmpr mpr readapt readaptation reeducation
psychiatrie psychiatrique psychotherapique psychotherapie sante mentale epsm eps epsmr
adultes adulte enfants enfant ado adolescents infanto juvenile geriatrique gerontologique
soins suite suites convalescence nephro nephrologie cancerologie oncologie radiotherapie
institut inst fondation association asso groupe groupement pole antenne service services
maternite maison residence ets etablissement etablissements sas sarl sa scm sci selarl gcs
gie sem spa spl umr ufr ifsi urg urgences smur samu chir chirurgie chirurgical chirurgicale
ambulatoire jour nuit regional regionale departemental departementale intercommunal
intercommunale universitaire universitaires nord sud est ouest centre ville val pays
saint sainte st ste le la les l de du des d et en sur sous aux au a""".split())

# Short names of specialties and units, written in notes as such (« Neuro »,
# « USIP »): never taken for an establishment's name.
SPECIALTIES = set("""
neuro endo cardio pneumo gastro ortho onco hemato nephro rhumato uro gyneco obst pedo pedia
psy psycho geria geronto derma dermato ophtalmo orl reanim rea usip usic uhcd usi usc upatou
""".split())

# Départements and regions: a place, not an establishment (« l'Oise »).
GEOGRAPHY = set("""
ain aisne allier alpes ardeche ardennes ariege aube aude aveyron calvados cantal charente
cher correze corse creuse dordogne doubs drome eure loir finistere gard garonne gers gironde
herault ille vilaine indre isere jura landes loire loiret lot lozere manche marne mayenne
meurthe moselle meuse morbihan nievre oise orne calais puy dome pyrenees rhin rhone saone
sarthe savoie seine sevres somme tarn vaucluse vendee vienne vosges yonne essonne yvelines
guadeloupe martinique guyane reunion mayotte atlantique maritime maritimes armor bretagne
normandie occitanie aquitaine provence alsace lorraine picardie bourgogne champagne ardenne
limousin auvergne franche comte berry touraine anjou poitou bearn bigorre gascogne quercy
perigord artois flandre flandres hainaut cotentin vexin beauce brie sologne vendomois
hauts france ile azur corse mediterranee ocean""".split())

ARTICLES = {"le", "la", "les", "l", "de", "du", "des", "d", "et", "en", "sur", "sous", "aux", "au", "a"}


def load(name, col=0):
    out = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for line in f:
            v = line.rstrip("\n").split("\t")[col].strip()
            if v and not v.startswith("#"):
                out.append(fold(v))
    return out


def main(paths):
    common = set(load("mots.txt"))
    first = set(load("prenoms.txt"))
    surnames = load("noms.txt")
    frequent = set(surnames[:20000])
    communes = set(c.replace("-", " ") for c in load("communes.tsv"))
    allow = set(a.lstrip("!") for a in load("allow.txt"))

    def blocked(w):
        return (w in GENERIC or w in SPECIALTIES or w in GEOGRAPHY or w in common
                or w in communes or w in allow or len(w) < 4 or any(c.isdigit() for c in w))

    names = {}
    for path in paths:
        for rs in column(path, "rs"):
            words = [w for w in re.split(r"[^a-z0-9]+", fold(rs)) if w]
            run = []
            for w in words + [""]:
                # « saint », « sainte » stay as the start of a name (Sainte-Anne)
                if w and (not blocked(w) or w in ("saint", "sainte", "st", "ste") or
                          run and w in ARTICLES and w not in ("et",)):
                    run.append(w)
                    continue
                while run and (run[-1] in ARTICLES or run[-1] in ("saint", "sainte", "st", "ste")):
                    run.pop()
                while run and run[0] in ARTICLES:
                    run.pop(0)
                run = ["saint" if x == "st" else "sainte" if x == "ste" else x for x in run]
                core = [x for x in run if x not in ARTICLES and x not in ("saint", "sainte")]
                if core:
                    name = " ".join(run)
                    single = len(run) == 1
                    person = len(core) >= 2 and core[0] in first and run[0] not in ("saint", "sainte")
                    # a short single word is an abbreviation more often than a name
                    if single and (name in first or name in common or len(name) < 5):
                        pass
                    elif not person and name not in communes:
                        names[name] = "c" if single and name in frequent else ""
                run = []
    with open(os.path.join(HERE, "etablissements.txt"), "w", encoding="utf-8") as f:
        for n in sorted(names):
            f.write(f"{n}\t{names[n]}\n")
    print(f"{len(names)} names", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
