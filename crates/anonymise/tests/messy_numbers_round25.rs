//! Identifiers in messy writing (issue 18, twenty-fifth round): figures read
//! by a scanner with the letters it confuses with them (« O » for 0, « l »
//! and « I » for 1: « né le O4/l1/1952 », « tél. 04 7l 22 4O 93 », « ch.
//! 2O4 »), a calendar's week written « S49 » or « sem 48 », rooms at the
//! head of a line or after the resident's name in transmissions, and a room
//! and bed in an HL7 « PV1 » segment. Phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

/// The spans of `kind` found in `text`.
fn spans_of(text: &str, kind: Kind) -> Vec<(usize, usize)> {
    let all = Anonymiser::new().detect(text);
    all.into_iter()
        .filter(|s| s.kind == kind)
        .map(|s| (s.start, s.end))
        .collect()
}

/// Each `(text, part)`: the part lies whole inside spans of `kind`.
fn all_covered(cases: &[(&str, &str)], kind: Kind) {
    for &(text, part) in cases {
        let from = text.find(part).expect("part of the text");
        let spans = spans_of(text, kind);
        let inside = |i: usize| spans.iter().any(|&(s, e)| s <= i && i < e);
        assert!(
            (from..from + part.len()).all(inside),
            "{part} in {text}: {spans:?}"
        );
    }
}

/// Nothing of `kind` in these texts.
fn none_found(texts: &[&str], kind: Kind) {
    for &text in texts {
        let spans = spans_of(text, kind);
        assert!(spans.is_empty(), "{text}: {spans:?}");
    }
}

#[test]
fn scanned_figures_with_letters_are_read_as_figures() {
    all_covered(
        &[
            ("Née le : O4/l1/l95O     Entrée le 2l.lO.2O25", "O4/l1/l95O"),
            ("Née le : O4/l1/l95O     Entrée le 2l.lO.2O25", "2l.lO.2O25"),
            ("Bilan du O8.ll.25, reprise prévue", "O8.ll.25"),
            (
                "RDV de contrôle en mars 2O27 avec le chirurgien.",
                "mars 2O27",
            ),
            ("Le 1S/O3 nuit : agitation, mise au fauteuil.", "1S/O3"),
        ],
        Kind::Date,
    );
    all_covered(
        &[
            (
                "Fille joignable au O5 6l 23 4O 17 le soir.",
                "O5 6l 23 4O 17",
            ),
            ("Secrétariat : 03 2l 44 5I 00 (illisible)", "03 2l 44 5I 00"),
        ],
        Kind::Telephone,
    );
    all_covered(
        &[("N° SS : 2 58 O6 3l 555 l23 4O", "2 58 O6 3l 555 l23 4O")],
        Kind::Nir,
    );
    all_covered(&[("Mme X, 9l ans, chute la nuit.", "9l ans")], Kind::Age);
}

#[test]
fn words_and_clinical_codes_are_not_read_as_figures() {
    none_found(
        &[
            "SpO2 94 % sous O2 2 l/min, Il marche 10 m.",
            "Il a 2 l d'O2 au repos, lO minutes de marche.",
        ],
        Kind::Telephone,
    );
    none_found(&["Sous O2 2 l/min, SpO2 94 %."], Kind::Date);
}

#[test]
fn a_calendar_week_is_a_date() {
    all_covered(
        &[
            ("Planning kiné – semaine 47 (S47 2025)", "S47 2025"),
            ("Période : S44 à S48 2025", "S44"),
            ("Réévaluation S46. Reprise ensuite.", "S46"),
            ("transmissions du SSIAD sem 47\nlundi : RAS", "sem 47"),
            ("| | S47 | S48 | S49 |\n|---|---|---|---|", "S48"),
            ("Contrôle prévu semaine S03 2026.", "S03 2026"),
        ],
        Kind::Date,
    );
    // weeks after surgery are durations; the sacrum's vertebrae are anatomy
    none_found(
        &[
            "Pas d'actif avant S6, reprise de la course à S12.",
            "Hernie discale L5-S1 opérée, Tinetti S1 puis S6.",
            "Phase 2 (S6–S12) : actif-aidé.",
        ],
        Kind::Date,
    );
}

#[test]
fn rooms_heading_or_closing_a_resident_line() {
    all_covered(
        &[
            (
                "Transmissions de nuit\n- 305b M. Perrin : a bien dormi.",
                "305b",
            ),
            (
                "Relève EHPAD\n12bis Mme LACOSTE Odette : refus du repas.",
                "12bis",
            ),
            (
                "Relève de nuit\nMARTIN Lucienne 215 : agitée vers 2h.",
                "215",
            ),
            ("Relève de nuit\nM. GARNIER 117b : chute à 4h.", "117b"),
            ("Chambre : 3l4 lit B\nEntrée le 2/11", "3l4"),
        ],
        Kind::Chambre,
    );
}

#[test]
fn rooms_and_beds_of_an_hl7_visit_segment() {
    all_covered(
        &[
            ("PV1|1|I|CARDIO^318^K||||123^DUPONT^JEAN", "318"),
            ("PV1|1|I|CARDIO^318^K||||123^DUPONT^JEAN", "K"),
        ],
        Kind::Chambre,
    );
}

#[test]
fn a_day_and_month_after_a_word_of_time_or_before_an_hour() {
    all_covered(
        &[
            ("Transmissions nuit 3/11 – AS seule", "3/11"),
            ("Appel tél. 4/11 10h – la fille rappellera.", "4/11"),
            ("Séances à partir du 9/11, deux par semaine.", "9/11"),
        ],
        Kind::Date,
    );
    none_found(
        &["Force du quadriceps à 4/5, EVA 3/10, Berg 12/12 items."],
        Kind::Date,
    );
}

#[test]
fn a_room_in_a_form_field() {
    all_covered(
        &[
            ("Patient : X\nChambre : 312 lit B\nEntrée le 02/11", "312"),
            (
                "N° séjour : 2611O4587       Ch : 3O8-2\nMédecin : Dr Y",
                "3O8-2",
            ),
        ],
        Kind::Chambre,
    );
}
