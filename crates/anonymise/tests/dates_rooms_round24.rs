//! Dates and rooms in forms outside authors write (issue 18, twenty-fourth
//! round): a date after a street's head word (« voie », « résidence ») that
//! the address must not swallow, a day and month in a list or in bold, a
//! date of eight figures in a file's name, rooms and flats abbreviated
//! (« logt 14 »), listed with « bis », written in words after « appartement »,
//! a room and its bed in brackets after a titled name. Scores and levels
//! stay. Phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn found(text: &str, kind: Kind) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    let of_kind = spans.iter().filter(|s| s.kind == kind);
    of_kind.map(|s| text[s.start..s.end].to_owned()).collect()
}

/// Each `(text, part)`: every byte of `part` in `text` lies in a span of
/// `kind`.
fn all_covered(cases: &[(&str, &str)], kind: Kind) {
    for (text, part) in cases {
        let at = text.find(part).expect("part of the text");
        let spans = Anonymiser::new().detect(text);
        let ok = (at..at + part.len()).all(|i| {
            spans
                .iter()
                .any(|s| s.kind == kind && s.start <= i && i < s.end)
        });
        assert!(ok, "{part} in {text}: {:?}", found(text, kind));
    }
}

/// No span of `kind` in any of `texts`.
fn none_found(texts: &[&str], kind: Kind) {
    for text in texts {
        assert!(
            found(text, kind).is_empty(),
            "{text}: {:?}",
            found(text, kind)
        );
    }
}

#[test]
fn a_date_after_a_street_word_stays_whole() {
    all_covered(
        &[
            (
                "Sortie : retour à la Résidence Les Mimosas le 21/10/2026, aide au lever.",
                "21/10/2026",
            ),
            (
                "OPEREE PAR VOIE ANTERIEURE LE 08/09, PAS DE RESTRICTION.",
                "08/09",
            ),
            (
                "Hospitalisé jusqu'au 3 juin puis retour à la résidence Les Pins le 14/06/2025.",
                "14/06/2025",
            ),
        ],
        Kind::Date,
    );
}

#[test]
fn days_and_months_in_a_list_or_in_bold() {
    all_covered(
        &[
            (
                "Séances : 15/10, 22/10, 29/10 et 05/11/2025 — 4 x 40 €",
                "15/10",
            ),
            (
                "Séances : 15/10, 22/10, 29/10 et 05/11/2025 — 4 x 40 €",
                "22/10",
            ),
            ("- **03/12** — DUPRAT Gisèle, ch. 4, PTG D", "03/12"),
            ("- __17/02__ : entrée de M. Vasseur", "17/02"),
        ],
        Kind::Date,
    );
    // scores out of ten, in a list too
    none_found(
        &[
            "EVA 6/10, 4/10 après la séance.",
            "Douleur 7/10, fatigue 8/10, sommeil 5/10.",
            "Force 4/5, Tinetti 18/28, Berg 41/56, L5-S1, flexion 30°.",
        ],
        Kind::Date,
    );
}

#[test]
fn a_date_of_eight_figures_in_a_file_name() {
    all_covered(
        &[
            ("PJ : Bilan_Lemoine_20251014.pdf", "20251014"),
            (
                "Fichier joint : export_planning_20260302_v2.xlsx",
                "20260302",
            ),
        ],
        Kind::Date,
    );
    // a batch's number of eight figures that is no date
    none_found(&["Lot_45871236 réceptionné."], Kind::Date);
}

#[test]
fn flats_abbreviated_listed_or_in_words() {
    all_covered(
        &[
            ("10:20 M. Armand Lefort (logt 8) demande une ampoule.", "8"),
            ("Passage infirmier logt. 17 à 9h.", "17"),
            (
                "Distribution des piluliers logements 4, 9, 16 et 2bis.",
                "2bis",
            ),
            (
                "Distribution des piluliers logements 4, 9, 16 et 2bis.",
                "16",
            ),
            (
                "vue à domicile appartement quinze troisième étage",
                "quinze",
            ),
            ("Détenu en cellule 118, bâtiment C.", "118"),
        ],
        Kind::Chambre,
    );
    // a cell of the body, a count of flats
    none_found(
        &[
            "Cellule 3 du tableau : réponse lente.",
            "Ils ont visité 3 logements en 2 jours.",
        ],
        Kind::Chambre,
    );
}

#[test]
fn a_room_and_its_bed_in_brackets_after_a_titled_name() {
    all_covered(
        &[(
            "| 11h00 | M. Perrin — marche | Mme Hoarau (118-1) — Kabat | lit libre |",
            "118-1",
        )],
        Kind::Chambre,
    );
}

#[test]
fn a_room_by_its_number_after_an_article_or_en() {
    let text = "Transmissions EHPAD, équipe de jour.\n\
        M. Léger en 17 : pansement talon, bourgeonne.\n\
        Josiane en 23 ; MNA 18, pesée jeudi.\n\
        En 12 : Mme Roussel, 100 ans demain.\n\
        CH 9 M. VALLET : ÉPOUX DE LA 104, CALME.\n\
        La dame de la 19bis demande le kiné, celle de la n°21 aussi.\n\
        Vu le monsieur de la K12 (pas celui de la 12).";
    all_covered(
        &[
            (text, "17"),
            (text, "23"),
            (text, "12 :"),
            (text, "104"),
            (text, "19bis"),
            (text, "n°21"),
            (text, "K12"),
        ]
        .map(|(t, p)| (t, p.trim_end_matches(" :"))),
        Kind::Chambre,
    );
    // counts, stages and levels in a text about rooms
    none_found(
        &[
            "Chambre seule. Marche en 12 temps, divisée en 3 : montée, palier, descente.",
            "Service de SSR. Hernie de la L5, lésion de la C6, atteinte de la S1.",
            "Unité de soins. Reprise en 2 ; puis en 4, selon la douleur.",
        ],
        Kind::Chambre,
    );
}

#[test]
fn a_score_on_the_numeric_scale_is_no_room() {
    none_found(
        &["Transmissions de nuit. Douleur genou G EN 6, genou D en 3 ; calme."],
        Kind::Chambre,
    );
}

#[test]
fn feasts_after_de_roman_months_without_year_and_beds_in_a_column() {
    all_covered(
        &[
            (
                "Douleur apparue pendant les vacances de Pâques à Lorient.",
                "Pâques",
            ),
            ("CHUTE LE JOUR DE NOËL, RELEVÉE PAR SON FILS.", "NOËL"),
            ("Je l'ai revue ce 17/XI en consultation.", "17/XI"),
        ],
        Kind::Date,
    );
    none_found(
        &["Classée 2/IV selon la classification, 12/IVa."],
        Kind::Date,
    );
    let text = "nom;service;chambre;lit;sortie\nPERRET Lucie;SSR;R112;A;2025-04-02\nROCHE Henri;SSR;R112;porte;2025-04-03\n";
    all_covered(
        &[(text, ";A;"), (text, "porte")].map(|(t, p)| (t, p.trim_matches(';'))),
        Kind::Chambre,
    );
}

#[test]
fn a_christmas_market_is_no_date() {
    none_found(
        &["Sortie au marché de Noël de la ville, goûter de Noël ensuite."],
        Kind::Date,
    );
}

#[test]
fn a_numbered_room_in_brackets_after_a_titled_name_in_any_text() {
    let text = "Cahier de liaison : Mme Perrot (n°27) a bien marché, M. Ribes (n° 9) fatigué.";
    all_covered(&[(text, "n°27"), (text, "n° 9")], Kind::Chambre);
}

// Dates typed or scanned with spaces between their figures, or letters for
// figures (« 2 7/ 03/2 025 », « O7.O2.l95l », « févr ier 2O26 »); scores and
// measures with spaces stay.
#[test]
fn dates_with_spaces_between_figures() {
    all_covered(
        &[
            (
                "Consultation du 2 7/ 03/2 025\nMotif : lombalgie",
                "2 7/ 03/2 025",
            ),
            ("Né le : 1 5/0 4/19 4 8", "1 5/0 4/19 4 8"),
            (
                "Date de l'examen : 0 6 / 1 2 / 2 O 2 5 — contrôle",
                "0 6 / 1 2 / 2 O 2 5",
            ),
            ("Entrée le 3 /11/ 2026 aux urgences", "3 /11/ 2026"),
        ],
        Kind::Date,
    );
}

#[test]
fn scanned_dates_with_dots_and_months_cut() {
    all_covered(
        &[
            ("Mme LEROUX Annick, DDN l2.O7.l95l (74 a)", "l2.O7.l95l"),
            (
                "Reprise du travail envisagée févr ier 2O26 si évolution favorable",
                "févr ier 2O26",
            ),
            ("Bilan prévu en déc embre 2025.", "déc embre 2025"),
        ],
        Kind::Date,
    );
}

#[test]
fn scores_and_measures_with_spaces_stay() {
    for text in [
        "Tinetti 1 8/28 puis 2 0/28",
        "EVA 6 / 10 ce jour, 4 / 10 au repos",
        "TA 13 / 8, FC 72",
        "Flexion 1 20 / 0 / 0 , extension 0 / 0 / 5",
        "MIF 1 10/126",
        "Dose 1 / 2 / 1 cp par jour",
        "Il mange en marche avril 2025",
    ] {
        let dates = found(text, Kind::Date);
        assert!(dates.iter().all(|d| d == "avril 2025"), "{text}: {dates:?}");
    }
}

// A day after a verb of seeing again, in dictated text without stops
// (« je la revois le 14 merci »): the verb says it is a day.
#[test]
fn a_day_after_a_verb_of_seeing_again() {
    all_covered(
        &[
            (
                "bonne évolution je le revois le 14 merci de votre confiance",
                "14",
            ),
            ("à revoir le 9 avec les résultats du bilan", "9"),
            ("sera revue le 27 en consultation", "27"),
        ],
        Kind::Date,
    );
    none_found(
        &["je le revois le 3e jour", "revu le 12h après la chute"],
        Kind::Date,
    );
}
