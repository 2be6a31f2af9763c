#!/usr/bin/env python3
"""Generate the annotated evaluation set of sceau-anonymise (issue 8).

Synthetic French kinésithérapie notes (bilans, comptes rendus, courriers au
médecin, transmissions, fiches) written for the purpose from templates and
varied content; every identifier is invented and annotated as it is inserted,
so the gold spans are exact. Seeded: the same seed gives the same set.

Output: notes.jsonl, one note per line:
  {"id", "genre", "text", "entities": [{"start","end","type"}], "keep": [{"start","end","term"}]}
with UTF-8 *byte* offsets. Types: nom, date, age, adresse, code_postal, ville,
telephone, email, nir, rpps, adeli, iban, numero_dossier, immatriculation, url,
pseudo. `keep` marks clinical terms that must survive (eponyms, drugs,
measurements).

The names, places and phrasing below were written for this set; they are not
taken from the dictionaries the anonymiser embeds.

Usage: python3 eval/anonymisation/generate.py [--seed 8] [--n 320]
"""
import argparse, json, os, random

FIRST_F = """Claire Sophie Nathalie Isabelle Camille Léa Manon Chloé Emma Inès Jeanne Louise Margaux Pauline Julie
Aurélie Céline Sandrine Véronique Monique Josiane Odette Yvonne Huguette Ginette Simone Colette Bernadette
Anne-Marie Marie-Claude Marie-Hélène Marie Rose Lucie Agathe Océane Maëlys Nolwenn Gwenaëlle Soizic Maïwenn
Fatima Khadija Amina Yasmine Leïla Samira Aïcha Mélissa Laetitia Stéphanie Émilie Hélène Brigitte Chantal
Danielle Geneviève Françoise Thérèse Maryvonne Anaïs Zoé Jade Lina Clémence Capucine Ophélie Solène""".split()
FIRST_M = """Jean Pierre Michel Philippe Alain Bernard Patrick Christian Daniel Gérard Jacques René Marcel Roger
Thomas Nicolas Julien Maxime Lucas Hugo Théo Nathan Enzo Louis Gabriel Raphaël Arthur Mathis Noah Yanis
Jean-Pierre Jean-Luc Jean-Marc Pierre-Yves Paul-Henri Loïc Yann Erwan Gwenaël Ronan Tanguy Corentin Killian
Mohamed Karim Rachid Mehdi Youssef Sofiane Bilal Amadou Moussa Ibrahima Kevin Dylan Anthony Jérôme Sébastien
Cédric Frédéric Stéphane Olivier François Hervé Didier Thierry Bruno Serge Guy Lucien Émile Fernand""".split()
SURNAMES = """Martin Bernard Dubois Durand Lefebvre Moreau Laurent Simon Michel Garcia Leroy Roux David Bertrand Morel
Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Lefèvre Faure André Mercier Blanc Guérin
Boyer Garnier Chevalier François Legrand Gauthier Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu
Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud Joly
Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy Leroux Colin Vidal Caron
Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc
Le Goff Le Bihan Le Gall Le Floch Le Roux Kerjean Kerhervé Quéméner Guéguen Tanguy Le Meur Riou Cariou Prigent
Morvan Jézéquel Le Corre Le Berre Abgrall Pennec Kervella Le Du Nédélec Salaün Le Saux Hamon Guillou Corre
Da Silva Dos Santos Pereira Ferreira Rodrigues Gonçalves Nguyen Tran Benali Benmoussa Haddad Bensaïd Mansouri
Diallo Traoré Coulibaly N'Diaye Diop Camara Konaté Van Damme Van der Berg De Smet Schneider Weber Fischer
Martin-Lefèvre Dubois-Lambert Pic Ba Ly Sy Bras Lebrun Petit Lefort Boulanger Charpentier Vasseur Leblanc
Delacroix Desmoulins Beaumont Villeneuve Chauvin Poulain Tessier Perrot Collet Lemaître Baron Besson""".split("\n")
SURNAMES = [s for line in SURNAMES for s in
            [x.strip() for x in line.replace("Le ", "Le_").replace("Da ", "Da_").replace("Dos ", "Dos_")
             .replace("Van der ", "Van_der_").replace("Van ", "Van_").replace("De ", "De_").split()]]
SURNAMES = [s.replace("_", " ") for s in SURNAMES]

# (commune, postcode) written for this set: cities, towns, small villages
PLACES = [
    ("Rennes", "35000"), ("Brest", "29200"), ("Quimper", "29000"), ("Lorient", "56100"), ("Vannes", "56000"),
    ("Saint-Brieuc", "22000"), ("Lannion", "22300"), ("Morlaix", "29600"), ("Nantes", "44000"), ("Angers", "49000"),
    ("Le Mans", "72000"), ("Laval", "53000"), ("Caen", "14000"), ("Rouen", "76000"), ("Lille", "59000"),
    ("Amiens", "80000"), ("Reims", "51100"), ("Metz", "57000"), ("Nancy", "54000"), ("Strasbourg", "67000"),
    ("Colmar", "68000"), ("Dijon", "21000"), ("Besançon", "25000"), ("Lyon", "69003"), ("Grenoble", "38000"),
    ("Chambéry", "73000"), ("Annecy", "74000"), ("Clermont-Ferrand", "63000"), ("Limoges", "87000"),
    ("Poitiers", "86000"), ("La Rochelle", "17000"), ("Bordeaux", "33000"), ("Pau", "64000"), ("Bayonne", "64100"),
    ("Toulouse", "31000"), ("Montpellier", "34000"), ("Nîmes", "30000"), ("Marseille", "13008"),
    ("Aix-en-Provence", "13100"), ("Toulon", "83000"), ("Nice", "06000"), ("Ajaccio", "20000"), ("Bastia", "20200"),
    ("Perpignan", "66000"), ("Tours", "37000"), ("Orléans", "45000"), ("Bourges", "18000"), ("Paris", "75011"),
    ("Paris", "75015"), ("Versailles", "78000"), ("Saint-Denis", "93200"), ("Créteil", "94000"),
    ("Saint-Malo", "35400"), ("Dinan", "22100"), ("Fougères", "35300"), ("Vitré", "35500"), ("Redon", "35600"),
    ("Pontivy", "56300"), ("Carhaix-Plouguer", "29270"), ("Douarnenez", "29100"), ("Concarneau", "29900"),
    ("Landerneau", "29800"), ("Plougastel-Daoulas", "29470"), ("Châteauneuf-du-Faou", "29520"),
    ("Saint-Jean-de-Luz", "64500"), ("La Roche-sur-Yon", "85000"), ("Le Puy-en-Velay", "43000"),
    ("Bagnères-de-Bigorre", "65200"), ("Saint-Pol-de-Léon", "29250"), ("Guingamp", "22200"), ("Paimpol", "22500"),
    ("Ploërmel", "56800"), ("Josselin", "56120"), ("Locronan", "29180"), ("Huelgoat", "29690"), ("Bécherel", "35190"),
    ("Plouézec", "22470"), ("Trégastel", "22730"), ("Combourg", "35270"), ("Sarzeau", "56370"), ("Auray", "56400"),
    ("Quimperlé", "29300"), ("Crozon", "29160"), ("Pleyben", "29190"), ("Rostrenen", "22110"), ("Loudéac", "22600"),
    ("Montfort-sur-Meu", "35160"), ("Janzé", "35150"), ("Cancale", "35260"), ("Dol-de-Bretagne", "35120"),
    ("Malestroit", "56140"), ("Guérande", "44350"), ("Pornic", "44210"), ("Ancenis", "44150"), ("Cholet", "49300"),
    ("Saumur", "49400"), ("Alençon", "61000"), ("Lisieux", "14100"), ("Bayeux", "14400"), ("Granville", "50400"),
    ("Valognes", "50700"), ("Figeac", "46100"), ("Millau", "12100"), ("Mende", "48000"), ("Aurillac", "15000"),
    ("Gap", "05000"), ("Digne-les-Bains", "04000"), ("Briançon", "05100"), ("Oloron-Sainte-Marie", "64400"),
]
STREETS = ["rue des Lilas", "rue Jean Jaurès", "avenue de la République", "boulevard Gambetta", "rue du Général de Gaulle",
           "place de l'Église", "chemin des Vignes", "allée des Tilleuls", "impasse des Mimosas", "route de Brest",
           "rue Victor Hugo", "rue de la Gare", "quai Duguay-Trouin", "rue Pasteur", "avenue Foch", "rue des Écoles",
           "boulevard de la Liberté", "rue Saint-Michel", "chemin du Moulin", "rue de Paris", "avenue des Sports",
           "rue Anatole France", "rue des Frères Lumière", "place du Marché", "rue du Stade", "allée Marie Curie",
           "rue de Kerbernard", "route de Quimper", "rue Émile Zola", "cours Saint-Pierre", "rue du Port",
           "avenue du Maréchal Leclerc", "rue des Peupliers", "impasse du Verger", "rue de la Fontaine", "lieu-dit Kerlann",
           "lieu-dit Le Haut Bois", "résidence Les Mouettes", "lotissement Les Genêts", "hameau de Kerguen"]
EMAIL_DOMAINS = ["orange.fr", "gmail.com", "free.fr", "wanadoo.fr", "laposte.net", "sfr.fr", "hotmail.fr", "yahoo.fr",
                 "outlook.fr", "chu-rennes.fr", "ch-brest.fr", "kine-ouest.fr", "mssante.fr", "medecin.mssante.fr"]
HOSPITALS = ["CHU", "CH", "clinique", "centre de rééducation", "EHPAD", "SSR"]

EPONYM_PHRASES = [
    ("test de {}", "Lachman"), ("signe de {}", "Babinski"), ("lésion de {}", "Bankart"),
    ("maladie d'{}", "Osgood-Schlatter"), ("test d'{}", "Ober"), ("test de {}", "Thomas"),
    ("signe de {}", "Trendelenburg"), ("maladie de {}", "Parkinson"), ("maladie d'{}", "Alzheimer"),
    ("test de {}", "Jobe"), ("manœuvre de {}", "Hawkins"), ("test de {}", "Neer"), ("score de {}", "Constant"),
    ("échelle de {}", "Borg"), ("test de {}", "Tinetti"), ("échelle de {}", "Berg"), ("signe de {}", "Lasègue"),
    ("test de {}", "Patrick"), ("manœuvre de {}", "Dix-Hallpike"), ("manœuvre d'{}", "Epley"),
    ("signe de {}", "Tinel"), ("test de {}", "Phalen"), ("maladie de {}", "Dupuytren"), ("syndrome de {}", "Guillain-Barré"),
    ("fracture de {}", "Pouteau-Colles"), ("syndrome de {}", "Sudeck"), ("méthode {}", "Mézières"),
    ("concept {}", "Bobath"), ("méthode {}", "McKenzie"), ("technique de {}", "Kabat"), ("indice de {}", "Schober"),
    ("échelle d'{}", "Ashworth"), ("test de {}", "Romberg"), ("test de {}", "Fukuda"), ("score de {}", "Lysholm"),
    ("kyste de {}", "Baker"), ("maladie de {}", "Scheuermann"), ("ligament de {}", "Hoffa"),
    ("test de {}", "McMurray"), ("test d'{}", "Apley"), ("classification de {}", "Garden"),
    ("maladie de {}", "Charcot-Marie-Tooth"), ("test de {}", "Spurling"), ("tendon d'{}", "Achille"),
]
DRUGS = ["Doliprane", "Lovenox", "Kardégic", "Lyrica", "Voltarène", "Tramadol", "Lamaline", "Inexium", "Levothyrox",
         "Xarelto", "Eliquis", "Modopar", "Baclofène", "Ibuprofène", "Paracétamol", "Prednisolone", "Skenan",
         "Coltramyl", "Laroxyl", "Kétoprofène"]
MEASURES = ["EVA 6/10", "EVA 3/10", "EN 7/10", "flexion 110°", "extension -5°", "flexion 90°", "abduction 120°",
            "rotation externe 30°", "périmètre 38 cm", "force 4/5", "force 3/5", "TUG 14 s", "6MWT 320 m",
            "IMC 27,4", "SpO2 94 %", "FC 88 bpm", "Borg 13/20", "Lequesne 12/24", "score de Constant 62/100",
            "distance doigts-sol 25 cm", "MIF 98/126", "MRC 4/5", "périmètre de marche 500 m"]

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
MONTHS_ABBR = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


class Note:
    def __init__(self, nid, genre):
        self.id, self.genre = nid, genre
        self.parts, self.ents, self.keep = [], [], []
        self.blen = 0

    def add(self, s):
        self.parts.append(s)
        self.blen += len(s.encode("utf-8"))
        return self

    def ent(self, s, typ):
        b = len(s.encode("utf-8"))
        self.ents.append({"start": self.blen, "end": self.blen + b, "type": typ})
        return self.add(s)

    def kp(self, s, term=None):
        b = len(s.encode("utf-8"))
        self.keep.append({"start": self.blen, "end": self.blen + b, "term": term or s})
        return self.add(s)

    def json(self):
        return {"id": self.id, "genre": self.genre, "text": "".join(self.parts), "entities": self.ents,
                "keep": self.keep}


class Gen:
    def __init__(self, rng):
        self.r = rng

    # ---------- identifiers ----------
    def person(self, sex=None):
        sex = sex or self.r.choice("FM")
        first = self.r.choice(FIRST_F if sex == "F" else FIRST_M)
        return {"sex": sex, "first": first, "last": self.r.choice(SURNAMES)}

    def name(self, n, p, style=None, title=True):
        """Write a name with its title; the gold span excludes the title."""
        r = self.r
        style = style or r.choice(["civ_full", "civ_last", "civ_LAST", "full", "LAST_first", "first_LAST", "civ_full_up",
                                   "madame_last", "civ_initial"])
        civ = ("Mme" if p["sex"] == "F" else "M.") if r.random() < 0.8 else (
            r.choice(["Madame", "Mlle"]) if p["sex"] == "F" else r.choice(["Monsieur", "Mr"]))
        up = p["last"].upper()
        if style == "civ_full" and title:
            n.add(civ + " ").ent(f"{p['first']} {p['last']}", "nom")
        elif style == "civ_last" and title:
            n.add(civ + " ").ent(p["last"], "nom")
        elif style == "civ_LAST" and title:
            n.add(civ + " ").ent(up, "nom")
        elif style == "civ_full_up" and title:
            n.add(civ + " ").ent(f"{up} {p['first']}", "nom")
        elif style == "madame_last" and title:
            n.add(("Madame " if p["sex"] == "F" else "Monsieur ")).ent(p["last"], "nom")
        elif style == "civ_initial" and title:
            n.add(civ + " ").ent(f"{p['first'][0]}. {p['last']}", "nom")
        elif style == "LAST_first":
            n.ent(f"{up} {p['first']}", "nom")
        elif style == "first_LAST":
            n.ent(f"{p['first']} {up}", "nom")
        else:
            n.ent(f"{p['first']} {p['last']}", "nom")

    def doctor(self, n, d, style=None):
        r = self.r
        style = style or r.choice(["dr_last", "dr_full", "docteur_full", "pr_last", "dr_LAST", "dr_dot"])
        if style == "dr_last":
            n.add("Dr ").ent(d["last"], "nom")
        elif style == "dr_full":
            n.add("Dr ").ent(f"{d['first']} {d['last']}", "nom")
        elif style == "docteur_full":
            n.add("Docteur ").ent(f"{d['first']} {d['last']}", "nom")
        elif style == "pr_last":
            n.add("Pr ").ent(d["last"], "nom")
        elif style == "dr_LAST":
            n.add("Dr ").ent(d["last"].upper(), "nom")
        else:
            n.add("Dr. ").ent(f"{d['first'][0]}. {d['last']}", "nom")

    def date(self, n, y=None, m=None, d=None, fmt=None, weekday=True):
        r = self.r
        y = y or r.randint(2019, 2025)
        m = m or r.randint(1, 12)
        d = d or r.randint(1, 28)
        fmt = fmt or r.choice(["num", "num", "text", "text", "iso", "num2", "dot", "dash", "textwd", "abbr", "1er"])
        if fmt == "num":
            s = f"{d:02d}/{m:02d}/{y}"
        elif fmt == "num2":
            s = f"{d}/{m}/{str(y)[2:]}"
        elif fmt == "dot":
            s = f"{d:02d}.{m:02d}.{y}"
        elif fmt == "dash":
            s = f"{d:02d}-{m:02d}-{y}"
        elif fmt == "iso":
            s = f"{y}-{m:02d}-{d:02d}"
        elif fmt == "textwd" and weekday:
            s = f"{r.choice(WEEKDAYS)} {d} {MONTHS[m - 1]} {y}"
        elif fmt == "abbr":
            s = f"{d} {MONTHS_ABBR[m - 1]} {y}"
        elif fmt == "1er":
            s = f"1er {MONTHS[m - 1]} {y}"
        elif fmt == "noyear":
            s = f"{d} {MONTHS[m - 1]}"
        elif fmt == "month":
            s = f"{MONTHS[m - 1]} {y}"
        elif fmt == "monthnum":
            s = f"{m:02d}/{y}"
        elif fmt == "short":
            s = f"{d:02d}/{m:02d}"
        else:
            s = f"{d} {MONTHS[m - 1]} {y}"
        n.ent(s, "date")

    def birth(self, n):
        y = self.r.randint(1930, 2012)
        self.date(n, y=y, fmt=self.r.choice(["num", "num", "text", "iso", "dot"]))
        return y

    def phone(self):
        r = self.r
        digits = [r.choice("0") + r.choice("1234567679")] + [f"{r.randint(0, 99):02d}" for _ in range(4)]
        first = digits[0]
        fmt = r.choice(["sp", "sp", "sp", "none", "dot", "dash", "intl_sp", "intl", "intl0", "00"])
        if fmt == "sp":
            return " ".join(digits)
        if fmt == "none":
            return "".join(digits)
        if fmt == "dot":
            return ".".join(digits)
        if fmt == "dash":
            return "-".join(digits)
        rest = " ".join(digits[1:])
        if fmt == "intl_sp":
            return f"+33 {first[1]} {rest}"
        if fmt == "intl":
            return f"+33{first[1]}{''.join(digits[1:])}"
        if fmt == "intl0":
            return f"+33 (0){first[1]} {rest}"
        return f"0033 {first[1]} {rest}"

    def email(self, p):
        r = self.r
        strip = lambda s: (s.lower().replace(" ", "").replace("'", "").replace("é", "e").replace("è", "e")
                           .replace("ë", "e").replace("ï", "i").replace("ç", "c").replace("ô", "o").replace("ü", "u")
                           .replace("â", "a").replace("ê", "e").replace("î", "i").replace("ö", "o").replace("ä", "a"))
        f, l = strip(p["first"]), strip(p["last"])
        local = r.choice([f"{f}.{l}", f"{f[0]}{l}", f"{l}.{f}", f"{f}{r.randint(1, 99)}", f"{f}_{l}", f"{l}{r.randint(50, 99)}"])
        return f"{local}@{r.choice(EMAIL_DOMAINS)}"

    def nir(self, sex, y):
        r = self.r
        dept = r.choice(["35", "29", "22", "56", "75", "69", "13", "2A", "2B", "44", "99", "59"])
        body = f"{1 if sex == 'M' else 2}{y % 100:02d}{r.randint(1, 12):02d}{dept}{r.randint(1, 990):03d}{r.randint(1, 999):03d}"
        num = int(body.replace("2A", "19").replace("2B", "18"))
        key = 97 - num % 97
        full = f"{body}{key:02d}"
        if r.random() < 0.6:
            return f"{full[0]} {full[1:3]} {full[3:5]} {full[5:7]} {full[7:10]} {full[10:13]} {full[13:]}"
        if r.random() < 0.5:
            return f"{full[:13]} {full[13:]}"
        return full

    def rpps(self):
        r = self.r
        while True:
            base = "10" + "".join(str(r.randint(0, 9)) for _ in range(8))
            for c in range(10):
                s = base + str(c)
                tot = 0
                for i, ch in enumerate(reversed(s)):
                    v = int(ch)
                    if i % 2 == 1:
                        v *= 2
                        if v > 9:
                            v -= 9
                    tot += v
                if tot % 10 == 0:
                    return s

    def adeli(self):
        return f"{self.r.choice(['35', '29', '22', '56'])}7{self.r.randint(0, 999999):06d}"

    def iban(self):
        r = self.r
        bban = f"{r.randint(10000, 39999)}{r.randint(10000, 99999)}{r.randint(0, 10**11 - 1):011d}{r.randint(0, 99):02d}"
        num = int(bban + "152700")  # F=15 R=27 00
        key = 98 - num % 97
        s = f"FR{key:02d}{bban}"
        if r.random() < 0.7:
            return " ".join(s[i:i + 4] for i in range(0, len(s), 4))
        return s

    def plate(self):
        r = self.r
        L = "ABCDEFGHJKLMNPQRSTVWXYZ"
        if r.random() < 0.75:
            sep = r.choice(["-", "-", " "])
            return f"{r.choice(L)}{r.choice(L)}{sep}{r.randint(100, 999)}{sep}{r.choice(L)}{r.choice(L)}"
        return f"{r.randint(10, 9999)} {r.choice(L)}{r.choice(L)} {r.choice(['35', '29', '22', '56', '75'])}"

    def dossier(self, n):
        r = self.r
        k = r.choice(["ipp", "nda", "dossier", "dossier2", "sejour", "nip"])
        if k == "ipp":
            n.add(r.choice(["IPP : ", "IPP ", "N° IPP : "])).ent(f"{r.randint(10**7, 10**10)}", "numero_dossier")
        elif k == "nda":
            n.add(r.choice(["NDA : ", "NDA "])).ent(f"{r.randint(2019, 2025)}{r.randint(10000, 999999)}", "numero_dossier")
        elif k == "dossier":
            n.add(r.choice(["Dossier n° ", "dossier n°", "N° de dossier : "])).ent(
                f"{r.randint(2019, 2025)}-{r.randint(100, 99999):05d}", "numero_dossier")
        elif k == "dossier2":
            n.add("Réf. dossier : ").ent(f"KIN{r.randint(1000, 99999)}", "numero_dossier")
        elif k == "sejour":
            n.add(r.choice(["N° de séjour : ", "Séjour n° "])).ent(f"S{r.randint(19, 25)}-{r.randint(100000, 999999)}",
                                                                     "numero_dossier")
        else:
            n.add("NIP : ").ent(f"{r.randint(10**8, 10**9)}", "numero_dossier")

    def place(self):
        return self.r.choice(PLACES)

    def address(self, n, with_town=True, sep=", "):
        r = self.r
        street = r.choice(STREETS)
        if street.startswith(("lieu-dit", "résidence", "lotissement", "hameau")):
            s = street[0].upper() + street[1:] if r.random() < 0.3 else street
        else:
            s = f"{r.randint(1, 140)}{r.choice(['', '', '', ' bis', ' ter'])}{r.choice([' ', ', '])}{street}"
        n.ent(s, "adresse")
        if with_town:
            town, cp = self.place()
            n.add(sep).ent(cp, "code_postal").add(" ").ent(town.upper() if r.random() < 0.25 else town, "ville")

    def town(self, n, prefix=None):
        town, _ = self.place()
        n.add(prefix if prefix is not None else self.r.choice(["à ", "de ", "sur "])).ent(town, "ville")

    # ---------- clinical content ----------
    def eponym(self, n):
        pat, name = self.r.choice(EPONYM_PHRASES)
        pre, post = pat.split("{}")
        n.add(pre).kp(name).add(post)
        n.add(self.r.choice([" positif", " négatif", "", " à droite", " douteux"]))

    def drug(self, n):
        n.kp(self.r.choice(DRUGS))
        n.add(self.r.choice([" 1 g", " 4000 UI", " 75 mg", " 75 mg/j", "", " 50 mg x 2/j", " si douleur"]))

    def measure(self, n):
        n.kp(self.r.choice(MEASURES))


CLIN_REASONS = ["rééducation après ligamentoplastie du LCA", "lombalgie chronique", "capsulite rétractile de l'épaule",
                "PTG droite", "PTH gauche", "entorse de cheville grave", "rééducation post-AVC", "tendinopathie de la coiffe",
                "cervicalgie", "syndrome fémoro-patellaire", "fracture du poignet", "prévention des chutes",
                "BPCO, réentraînement à l'effort", "rééducation vestibulaire", "rééducation périnéale",
                "scoliose idiopathique", "drainage lymphatique après curage axillaire", "sciatalgie L5"]
CLIN_SENTENCES = [
    "Douleur à la mise en charge, {m}.", "Amplitudes : {m}, {m}.", "Œdème modéré, {m}.", "Marche avec deux cannes, {m}.",
    "Bonne progression, {m}.", "Travail proprioceptif sur plateau instable.", "Renforcement excentrique des ischio-jambiers.",
    "Massage décontracturant paravertébral.", "Exercices de Mc Kenzie en extension.", "Éducation thérapeutique, auto-exercices.",
    "Cryothérapie en fin de séance.", "Reprise du vélo autorisée.", "Pas de signe de phlébite.", "Sommeil perturbé par la douleur.",
]


def clinical_paragraph(g, n, k=3):
    r = g.r
    for _ in range(k):
        c = r.random()
        if c < 0.35:
            n.add(r.choice(["Au bilan, ", "On note un ", "Le ", "Présence d'un ", "Examen : "]))
            g.eponym(n)
            n.add(". ")
        elif c < 0.55:
            n.add(r.choice(["Traitement en cours : ", "Sous ", "Prend du ", "Antalgiques : "]))
            g.drug(n)
            n.add(". ")
        elif c < 0.8:
            n.add(r.choice(["Mesures : ", "On retrouve ", "Bilan articulaire : ", "Évaluation : "]))
            g.measure(n)
            n.add(". ")
        else:
            s = r.choice(CLIN_SENTENCES)
            while "{m}" in s:
                pre, post = s.split("{m}", 1)
                n.add(pre)
                g.measure(n)
                s = post
            n.add(s + " ")


RISK_SENTENCES = ["Ancienne danseuse étoile, elle souhaite reprendre la scène.", "Porte un tatouage étendu sur l'avant-bras.",
                  "Cicatrice chéloïde de la hanche.", "Footballeur professionnel en Ligue 1.", "Maire de sa commune.",
                  "Vit dans un petit village.", "Mère de cinq enfants dont des jumeaux.",
                  "Atteinte d'une maladie rare (syndrome de Marfan).", "Ancien pilote de ligne.", "Champion de France de judo."]


def note_bilan(g, nid):
    r = g.r
    n = Note(nid, "bilan")
    md = r.random() < 0.5
    p, d = g.person(), g.person()
    n.add("# Bilan diagnostic kinésithérapique\n\n" if md else "BILAN DIAGNOSTIC KINÉSITHÉRAPIQUE\n\n")
    n.add("**Patient(e)** : " if md else "Patient(e) : ")
    g.name(n, p)
    n.add("\n" + ("- " if md else "") + r.choice(["Né(e) le ", "Date de naissance : ", "DDN : "]))
    y = g.birth(n)
    n.add("\n" + ("- " if md else "") + "Adresse : ")
    g.address(n)
    n.add("\n" + ("- " if md else "") + r.choice(["Tél. : ", "Téléphone : ", "Portable : ", "Tel "])).ent(g.phone(), "telephone")
    if r.random() < 0.7:
        n.add("\n" + ("- " if md else "") + r.choice(["Courriel : ", "E-mail : ", "Mail : "])).ent(g.email(p), "email")
    n.add("\n" + ("- " if md else "") + r.choice(["N° de sécurité sociale : ", "NIR : ", "N° SS : ", "Sécu : "]))
    n.ent(g.nir(p["sex"], y), "nir")
    if r.random() < 0.5:
        n.add("\n" + ("- " if md else ""))
        g.dossier(n)
    n.add("\n" + ("- " if md else "") + "Prescripteur : ")
    g.doctor(n, d)
    if r.random() < 0.5:
        n.add(r.choice([", RPPS ", " (RPPS : ", " - n° RPPS "])).ent(g.rpps(), "rpps")
        if n.parts[-2].startswith(" ("):
            n.add(")")
    n.add("\n" + ("- " if md else "") + "Date de la prescription : ")
    g.date(n, y=r.randint(2022, 2025))
    n.add("\n\n" + ("## Motif\n\n" if md else "Motif : ") + r.choice(CLIN_REASONS).capitalize() + ".")
    n.add(" Intervention le ")
    g.date(n, fmt=r.choice(["num", "text", "noyear", "num2"]))
    n.add(r.choice([" au ", " à la clinique de ", " au CHU de "]))
    if n.parts[-1] == " au ":
        n.add(r.choice(HOSPITALS) + " de ")
    n.ent(g.place()[0], "ville")
    n.add(".\n\n" + ("## Examen\n\n" if md else "Examen clinique :\n"))
    clinical_paragraph(g, n, r.randint(3, 6))
    if r.random() < 0.3:
        n.add(r.choice(RISK_SENTENCES) + " ")
    n.add("\n\n" + ("## Objectifs\n\n" if md else "Objectifs : "))
    n.add(r.choice(["Récupérer les amplitudes, ", "Autonomie à la marche, ", "Diminuer la douleur, "]))
    n.add("réévaluation prévue le ")
    g.date(n, fmt=r.choice(["short", "num", "text", "noyear"]))
    n.add(".\n\n")
    me = g.person()
    n.add(r.choice(["Fait à ", "Établi à "])).ent(g.place()[0], "ville").add(", le ")
    g.date(n)
    n.add("\n")
    g.name(n, me, style=r.choice(["full", "first_LAST"]))
    n.add(", masseur-kinésithérapeute")
    if r.random() < 0.5:
        n.add(" — ADELI ").ent(g.adeli(), "adeli")
    n.add("\n")
    return n


def note_courrier(g, nid):
    r = g.r
    n = Note(nid, "courrier")
    p, d, me = g.person(), g.person(), g.person()
    g.name(n, me, style="full")
    n.add("\nMasseur-kinésithérapeute DE\n")
    g.address(n, sep="\n")
    n.add("\n" + r.choice(["Tél. ", "Tél : ", "☎ "])).ent(g.phone(), "telephone")
    n.add(" — ").ent(g.email(me), "email")
    n.add("\nRPPS : ").ent(g.rpps(), "rpps")
    if r.random() < 0.4:
        n.add(" — ADELI : ").ent(g.adeli(), "adeli")
    if r.random() < 0.3:
        n.add("\nSite : ").ent(r.choice([f"www.kine-{r.choice(['ouest', 'des-lilas', 'du-port', 'centre'])}.fr",
                                         f"https://www.cabinet-kine-{r.randint(1, 99)}.fr/rdv"]), "url")
    n.add("\n\n")
    n.ent(g.place()[0], "ville").add(", le ")
    g.date(n, fmt=r.choice(["text", "num", "textwd"]))
    n.add("\n\n" + r.choice(["Cher confrère,", "Chère consœur,", "Docteur,", "Cher ami,"]) + "\n\n")
    n.add("Je vous remercie de m'avoir adressé ")
    g.name(n, p, style=r.choice(["civ_full", "civ_last", "civ_LAST", "civ_initial"]))
    n.add(r.choice([", âgé(e) de ", ", "]))
    age = r.choice([45, 67, 72, 81, 88, 91, 93, 95, 97, 102]) if r.random() < 0.5 else r.randint(18, 89)
    if age >= 90:
        n.ent(f"{age} ans", "age")
    else:
        n.add(f"{age} ans")
    n.add(", pour " + r.choice(CLIN_REASONS) + ". ")
    n.add("Nous avons débuté la prise en charge le ")
    g.date(n, fmt=r.choice(["num", "text", "noyear", "iso"]))
    n.add(r.choice([" à raison de trois séances par semaine. ", ". "]))
    clinical_paragraph(g, n, r.randint(2, 5))
    if r.random() < 0.4:
        n.add("Sa fille ")
        q = g.person("F")
        q["last"] = p["last"]
        n.ent(q["first"], "nom")
        n.add(r.choice([" l'accompagne aux séances", " (joignable au "]))
        if n.parts[-1].startswith(" (j"):
            n.ent(g.phone(), "telephone").add(")")
        n.add(". ")
    if r.random() < 0.3:
        n.add(r.choice(RISK_SENTENCES) + " ")
    n.add("\n\n")
    n.add(r.choice(["Je reste à votre disposition", "Je vous tiendrai informé de l'évolution"]))
    n.add(r.choice([". ", " et vous prie d'agréer mes salutations confraternelles. "]))
    n.add("Copie au ")
    g.doctor(n, d)
    n.add(r.choice([", chirurgien orthopédiste", ", médecin traitant", ""]) + ".\n\n")
    g.name(n, me, style=r.choice(["full", "first_LAST"]))
    n.add("\n")
    return n


def note_transmission(g, nid):
    r = g.r
    n = Note(nid, "transmission")
    p = g.person()
    for k in range(r.randint(2, 4)):
        g.date(n, fmt=r.choice(["num", "short", "iso", "num2", "dot"]))
        n.add(r.choice([" — ", " : ", " | ", " - "]))
        if k == 0:
            g.name(n, p, style=r.choice(["LAST_first", "civ_LAST", "first_LAST", "civ_last"]))
            n.add(r.choice([" (ch. 12)", ", ch. 204", "", " — "]))
            if r.random() < 0.5:
                n.add(" ")
                g.dossier(n)
            n.add(". ")
        else:
            n.add(r.choice(["Pt ", "Patient ", ""]))
            n.ent(r.choice([p["first"], p["last"], p["last"].upper()]), "nom")
            n.add(" ")
        clinical_paragraph(g, n, r.randint(1, 3))
        if r.random() < 0.3:
            n.add("Appel de ")
            q = g.person()
            g.name(n, q, style=r.choice(["civ_last", "civ_full", "full"]))
            n.add(r.choice([" (fille)", " (époux)", " (aidant)", ""]) + " au ").ent(g.phone(), "telephone").add(". ")
        if r.random() < 0.2:
            n.add("Transfert prévu vers l'EHPAD de ").ent(g.place()[0], "ville").add(". ")
        n.add(r.choice(["— ", "Signé : ", "/ "]))
        me = g.person()
        n.ent(r.choice([me["first"] + " " + me["last"][0] + ".", me["last"].upper(), me["first"]]), "nom")
        n.add(r.choice([", MK\n", " (MK)\n", "\n"]))
    return n


def note_cr(g, nid):
    r = g.r
    n = Note(nid, "compte_rendu")
    md = r.random() < 0.5
    p, d = g.person(), g.person()
    n.add("## Compte rendu de fin de traitement\n\n" if md else "COMPTE RENDU DE FIN DE PRISE EN CHARGE\n")
    n.add("Concerne : ")
    g.name(n, p)
    n.add(" (" + r.choice(["née le ", "né le ", "DDN "]))
    y = g.birth(n)
    n.add(")\n")
    if r.random() < 0.6:
        n.add(r.choice(["Domicile : ", "Adresse : ", "Domiciliée au "]))
        g.address(n)
        n.add("\n")
    if r.random() < 0.4:
        n.add("NIR ").ent(g.nir(p["sex"], y), "nir").add("\n")
    n.add("Médecin prescripteur : ")
    g.doctor(n, d)
    n.add(" — ").ent(g.phone(), "telephone").add("\n")
    if r.random() < 0.5:
        g.dossier(n)
        n.add("\n")
    n.add("\n" + ("### Déroulement\n\n" if md else "Déroulement : "))
    n.add(f"{r.randint(10, 40)} séances du ")
    g.date(n, fmt=r.choice(["num", "text", "noyear", "short"]))
    n.add(" au ")
    g.date(n, fmt=r.choice(["num", "text", "noyear", "short"]))
    n.add(". ")
    clinical_paragraph(g, n, r.randint(3, 6))
    if r.random() < 0.3:
        n.add("Reprise du travail prévue en ")
        g.date(n, fmt=r.choice(["month", "monthnum"]))
        n.add(". ")
    if r.random() < 0.25:
        n.add("Vient en voiture (immatriculée ").ent(g.plate(), "immatriculation").add(") et se gare devant le cabinet. ")
    if r.random() < 0.2:
        h = "@" + r.choice(["julie", "coureur", "kinefan", "trail", "rando"]) + r.choice(["_", "", "."]) + \
            r.choice(["breizh", "35", "du29", "runner", "ouest"])
        n.add("Partage ses progrès sur Instagram (").ent(h, "pseudo").add("). ")
    if r.random() < 0.25:
        n.add(r.choice(RISK_SENTENCES) + " ")
    if r.random() < 0.2:
        n.add("Règlement des dépassements par virement (IBAN ").ent(g.iban(), "iban").add("). ")
    n.add("\n\n" + ("### Conclusion\n\n" if md else "Conclusion : "))
    n.add(r.choice(["Objectifs atteints. ", "Amélioration partielle. ", "Poursuite en autonomie. "]))
    clinical_paragraph(g, n, 1)
    n.add("\n")
    return n


def note_fiche(g, nid):
    r = g.r
    n = Note(nid, "fiche")
    p = g.person()
    n.add("FICHE PATIENT\n")
    n.add("Nom : ").ent(p["last"].upper(), "nom")
    n.add("\nPrénom : ").ent(p["first"], "nom")
    n.add("\nDate de naissance : ")
    y = g.birth(n)
    n.add("\nAdresse : ")
    g.address(n, sep=" – ")
    n.add("\nTéléphone fixe : ").ent(g.phone(), "telephone")
    n.add("\nPortable : ").ent(g.phone(), "telephone")
    n.add("\nE-mail : ").ent(g.email(p), "email")
    n.add("\nN° sécurité sociale : ").ent(g.nir(p["sex"], y), "nir")
    n.add("\nMutuelle : " + r.choice(["MGEN", "Harmonie", "MAIF", "aucune"]))
    if r.random() < 0.5:
        n.add("\nIBAN : ").ent(g.iban(), "iban")
    if r.random() < 0.5:
        n.add("\nPersonne à prévenir : ")
        q = g.person()
        g.name(n, q, style=r.choice(["civ_full", "full", "LAST_first"]))
        n.add(" – ").ent(g.phone(), "telephone")
    if r.random() < 0.4:
        n.add("\nVéhicule : ").ent(g.plate(), "immatriculation")
    if r.random() < 0.3:
        n.add("\nProfil Facebook / Instagram : ").ent("@" + p["first"].lower().replace("é", "e").replace("ï", "i")
                                                     .replace("ë", "e").replace("è", "e").replace("-", "")
                                                     .replace("ç", "c").replace("ô", "o").replace("â", "a") +
                                                     r.choice(["_", "."]) + str(r.randint(10, 99)), "pseudo")
    n.add("\nMédecin traitant : ")
    d = g.person()
    g.doctor(n, d)
    n.add(", ").ent(r.choice(["Rennes", "Brest", "Vannes", "Saint-Malo", "Lorient"]), "ville")
    n.add("\nPremière séance : ")
    g.date(n)
    n.add("\nAntécédents : ")
    clinical_paragraph(g, n, 2)
    n.add("\n")
    return n


def note_mail(g, nid):
    r = g.r
    n = Note(nid, "message")
    p, me = g.person(), g.person()
    n.add("Objet : suivi de ")
    g.name(n, p, style=r.choice(["civ_last", "civ_full", "full"]))
    n.add("\n\nBonjour,\n\n")
    n.add(r.choice(["Je vous transmets le bilan de ", "Suite à notre échange, voici le point sur "]))
    g.name(n, p, style=r.choice(["civ_last", "full", "civ_LAST"]))
    n.add(r.choice([", que j'ai vu(e) le ", ", revu(e) le "]))
    g.date(n, fmt=r.choice(["noyear", "text", "num", "textwd"]))
    n.add(". ")
    clinical_paragraph(g, n, r.randint(2, 4))
    n.add("Vous pouvez consulter le dossier partagé : ").ent(
        r.choice([f"https://partage.kine-{r.randint(1, 50)}.fr/d/{r.randint(1000, 9999)}",
                  f"https://drive.cabinet-{r.choice(['ouest', 'mer', 'port'])}.com/s/{r.randint(10**5, 10**6)}",
                  f"www.kine{r.randint(1, 99)}.fr/{p['last'].lower().replace(' ', '-')}"]), "url")
    n.add(".\nPrenez rendez-vous au ").ent(g.phone(), "telephone")
    n.add(" ou par mail à ").ent(g.email(me), "email").add(".\n\nBien cordialement,\n")
    g.name(n, me, style="full")
    n.add("\n")
    g.address(n)
    n.add("\n")
    return n


GENRES = [note_bilan, note_courrier, note_transmission, note_cr, note_fiche, note_mail]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--n", type=int, default=320)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.jsonl"))
    a = ap.parse_args()
    rng = random.Random(a.seed)
    g = Gen(rng)
    with open(a.out, "w", encoding="utf-8") as f:
        for i in range(a.n):
            fn = GENRES[i % len(GENRES)] if i < len(GENRES) * 2 else rng.choice(GENRES)
            note = fn(g, f"note-{i + 1:03d}")
            j = note.json()
            for e in j["entities"]:  # self-check of the offsets
                b = j["text"].encode("utf-8")[e["start"]:e["end"]].decode("utf-8")
                assert b.strip() == b and b, (j["id"], b)
            f.write(json.dumps(j, ensure_ascii=False) + "\n")
    print(f"wrote {a.n} notes to {a.out}")


if __name__ == "__main__":
    main()
