//! Handles without « @ » in forum posts and chat exports (issue 18,
//! twenty-third round): the author of a post heads its line before « a
//! écrit », « a répondu », « répond » or a colon, perhaps in bold, and
//! follows « Envoyé par », « Posté par », « Réponse : », « Auteur : » or
//! « … par » at the end of a line. Phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn found(text: &str, kind: Kind) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    let of_kind = spans.iter().filter(|s| s.kind == kind);
    of_kind.map(|s| text[s.start..s.end].to_owned()).collect()
}

fn has(text: &str, want: &str) -> bool {
    found(text, Kind::Pseudo).iter().any(|s| s == want)
}

#[test]
fn authors_heading_their_post() {
    assert!(has(
        "Sujet : genou\n\nMarcheuse71 a écrit :\nBonjour",
        "Marcheuse71"
    ));
    assert!(has(
        "—\n** lili.des.landes ** a écrit le 2/3 :\nSalut",
        "lili.des.landes"
    ));
    assert!(has(
        "—\n**lili.des.landes** a écrit le 2/3 :\nSalut",
        "lili.des.landes"
    ));
    assert!(has("* kinedelaloire * répond :\nOui", "kinedelaloire"));
    assert!(has("**ValouKine** : moi aussi\n", "ValouKine"));
    assert!(has("bob.34 : non la prof a dit\n", "bob.34"));
    assert!(has("↳ SportifDu29\nEssayez", "SportifDu29"));
    assert!(has("> u/paulo.kine : pas d'accord\n", "paulo.kine"));
}

#[test]
fn authors_after_their_cue() {
    assert!(has(
        "Envoyé par randonneuse64 le lun. 3 mars",
        "randonneuse64"
    ));
    assert!(has("Posté par Nageur77 · 2 juin", "Nageur77"));
    assert!(has("Réponse : PhysioDuSud\nAs-tu testé", "PhysioDuSud"));
    assert!(has(
        "liste générée le 03/11 par j.lemoine – interne",
        "j.lemoine"
    ));
}

#[test]
fn clinical_codes_heading_a_line_are_no_handles() {
    let t = "TM6 : 420 m\nSpO2 : 95 %\nC5-C6 : discopathie\nL4L5 : hernie\nT12 : tassement\nHbA1c : 7,2 %\nFEV1 : 80 %\nBilan : stable\n";
    assert!(
        found(t, Kind::Pseudo).is_empty(),
        "{:?}",
        found(t, Kind::Pseudo)
    );
}

#[test]
fn a_file_name_with_underscores_is_no_handle() {
    let t = "suivi_poids_unite_B_2025.csv – EHPAD\nPosté par lulu_du_56 · hier";
    assert!(!found(t, Kind::Pseudo)
        .iter()
        .any(|s| s.starts_with("suivi")));
    assert!(has(t, "lulu_du_56"));
}
