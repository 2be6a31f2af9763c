//! Partial dates in the forms people write them (issue 18, twenty-third
//! round): a day alone before « ni », a colon or a bar, a day and month
//! that could be a score when the note says it is a date, week numbers in
//! capitals and « S47 », timestamps of a calendar export, dates typed with
//! the letter O, lists of days after a plural weekday, days and years in
//! words. Phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn dates(text: &str) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    let of_kind = spans.iter().filter(|s| s.kind == Kind::Date);
    of_kind.map(|s| text[s.start..s.end].to_owned()).collect()
}

/// Each `(text, part)`: every byte of the first `part` in `text` lies in a
/// span found.
fn all_covered(cases: &[(&str, &str)]) {
    for (text, part) in cases {
        let at = text.find(part).expect("part of the text");
        let spans = Anonymiser::new().detect(text);
        let covered =
            (at..at + part.len()).all(|i| spans.iter().any(|s| s.start <= i && i < s.end));
        assert!(covered, "{part} in {text}: {:?}", dates(text));
    }
}

/// No date is found in any of `texts`, or none equal to one of `not`.
fn no_dates(texts: &[&str], not: &[&str]) {
    for text in texts {
        let found = dates(text);
        let bad = if not.is_empty() {
            !found.is_empty()
        } else {
            found.iter().any(|d| not.contains(&d.as_str()))
        };
        assert!(!bad, "{text}: {found:?}");
    }
}

#[test]
fn a_day_alone_before_ni_a_colon_a_bar_or_an_arrow() {
    all_covered(&[
        ("Cabinet fermé le 14 ni le 15, reprise le 16.", "14"),
        ("le 21 : Mme Aubry vue, marche 10 m.\nle 22 : RAS.", "21"),
        ("le 21 : Mme Aubry vue, marche 10 m.\nle 22 : RAS.", "22"),
        ("| M. Perrin | le 4, le 11 et le 18 | 3 séances |", "18"),
        ("Mme Le Du, centenaire : anniversaire le 9 → fleurs.", "9"),
        ("accord de la caisse reçu le 07, 15 séances prévues", "07"),
    ]);
    // a time, a count stay
    no_dates(&["RDV le 12:30 au cabinet"], &["12"]);
    no_dates(&["Lasègue positif, le 3 : 4 répétitions"], &[]);
}

#[test]
fn a_day_and_month_that_could_be_a_score_when_the_note_says_date() {
    all_covered(&[
        // beside the other dates of a list or a table of the same month
        ("Séances : 03/10, 06/10, 11/10 — lombalgie", "11/10"),
        (
            "| Lit | Patient | Entrée |\n|---|---|---|\n| 12 | Mme Roy | 18/12 |\n| 14 | M. Caby | 11/12 |\n| 16 | M. Lenoir | 02/12 |\n",
            "11/12",
        ),
        (
            "LIT   NOM          ENTRÉE   MOTIF\n31    ROY Anne     14/10    chute\n32    CABY Paul    12/10    AEG\n33    LENOIR Jo    09/10    confusion\n",
            "12/10",
        ),
        // after a stay's word, after a weekday
        ("UHR;box 4;ROUX;Paule;sortie 10/11;domicile", "10/11"),
        ("Le tournoi de ce samedi (11/10) : 3 entorses.", "11/10"),
        ("RELÈVE NUIT → JOUR 11/12\nRAS.", "11/12"),
    ]);
    // scores, measures and counts stay
    no_dates(
        &[
            "Schober 12/10, EVA 3/10, le 04/11 vu.",
            "Acuité 10/10 aux deux yeux, revu le 05/10.",
            "séance 11/12 faite le 03/12.",
            "Tinetti 12/28, force 11/12 le 04/12.",
        ],
        &["12/10", "10/10", "11/12", "12/28"],
    );
}

#[test]
fn a_month_inside_a_word_is_no_month() {
    let t = "RDC-2   ROY, Paul   79   15/12    décompensation cardiaque";
    no_dates(&[t], &["12    déc", "12 déc"]);
}

#[test]
fn week_numbers_in_capitals_and_after_s() {
    all_covered(&[
        (
            "TRANSMISSIONS – EHPAD LES GLYCINES – SEMAINE 14\nM. Roux : marche.",
            "SEMAINE 14",
        ),
        ("Planning du cabinet – S38\nLun 15/09 Mme Gall", "S38"),
        ("Agenda – semaine S38, à valider", "S38"),
        (
            "EHPAD Les Iris — kiné, sem. 38\nMme Paul : marche.",
            "sem. 38",
        ),
    ]);
    // vertebrae and a programme's weeks stay
    no_dates(
        &[
            "Sem. 1 : marche 20 min.\nSem. 2 : vélo 30 min.",
            "Hernie L5-S1, radiculalgie S1 gauche.",
            "Sacrum S2 – S4 : douleur.",
            "Douleur irradiant – S1\nLasègue positif.",
        ],
        &[],
    );
}

#[test]
fn timestamps_of_an_export_whole() {
    all_covered(&[
        (
            "BEGIN:VEVENT\nDTSTART:20251014T091500\nSUMMARY:visite",
            "20251014T091500",
        ),
        ("DTEND;VALUE=DATE:20251015\nSUMMARY:visite", "20251015"),
    ]);
    // a number of eight figures without a time nor a calendar's field is no date
    no_dates(&["lot 20251014 périmé"], &[]);
}

#[test]
fn a_day_and_month_typed_with_the_letter_o() {
    all_covered(&[
        ("Opérée le O5/11 d'une PTH.", "O5/11"),
        ("revue le O2/ll au cabinet", "O2/ll"),
    ]);
    // a score typed so stays
    no_dates(&["EVA : 7/l0 ce jour, le 3/l0 hier"], &[]);
}

#[test]
fn days_listed_after_a_weekday() {
    all_covered(&[
        ("Je viendrai les mardis 14 et 21 et le jeudi 23.", "14"),
        ("Je viendrai les mardis 14 et 21 et le jeudi 23.", "21"),
        ("Séances les vendredis 3, 10 et 17 à 18h.", "10"),
        ("Relève – Sam. 4 / dim. 5 octobre (garde : Yann)", "4"),
        ("Il vient mercredi 12 j'ai prévenu sa fille.", "mercredi 12"),
        ("Prochaine séance : ven 1er/03.", "1er/03"),
        (
            "Pour la garde du WE du 14-15, je te laisse le bip.",
            "14-15",
        ),
        ("| 9→23 nov. | 64,80 € |", "9→23 nov."),
    ]);
    // an age or a count after a weekday's name stays
    no_dates(
        &[
            "Sam 14 ans, collégien",
            "les mardis 2 et 3 séances de groupe",
        ],
        &[],
    );
}

#[test]
fn days_and_years_in_words_in_a_dictation() {
    all_covered(&[
        (
            "bilan ce jour revoir le chirurgien le vingt-deux",
            "vingt-deux",
        ),
        ("il faudra le renouvellement avant le seize point", "seize"),
        (
            "rendez-vous avec le docteur le dix-sept bilan de marche",
            "dix-sept",
        ),
        (
            "patient né le trois mai soixante-deux domicilié à Brest",
            "soixante-deux",
        ),
    ]);
    // a count, a team or the emergency number stays
    no_dates(
        &[
            "faire le quinze si malaise",
            "on fait le vingt-deux minutes de marche",
            "il joue avec le quinze de France",
            "le trois mai deux séances de balnéo",
        ],
        &["quinze", "vingt-deux", "deux"],
    );
}

#[test]
fn what_is_left_of_a_date_masked_or_shortened() {
    all_covered(&[
        (
            "Salarié : M. Paul Roy – né le **/09/1972 – poste de nuit",
            "**/09/1972",
        ),
        ("Certificats pour la saison 24/25 du club", "24/25"),
        ("douleur au genou depuis le 1er/12. Écho normale.", "1er/12"),
        (
            "nuit du cinq au six mars chute en chambre",
            "cinq au six mars",
        ),
        ("elle veut reprendre avant noël le tennis", "noël"),
    ]);
    // a score after « saison » is no season
    no_dates(&["meilleur score de la saison 12/20 au test"], &[]);
}

#[test]
fn a_room_head_at_a_line_end_does_not_take_the_next_line_date() {
    let t = "date,heure,patient,salle\n2026-01-12,09:30,ROY Paul,salle B\n";
    assert!(dates(t).iter().any(|d| d == "2026-01-12"), "{:?}", dates(t));
}
