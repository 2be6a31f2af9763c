//! Establishments that the other passes found only in part, grown to the
//! whole name (twenty-sixth round): the head of a body before its place,
//! a name of a trade's words before its region, a home's head and the
//! article of its name, an adjective of the name, a commune after a name
//! that ends open, a brand's commune and its side, a word cut at its
//! apostrophe. Phrases written for these
//! tests; a unit of a hospital stays as it was (a court takes its head
//! since the twenty-seventh round, see `public_bodies_round27.rs`).
mod common;

use common::{assert_etab as has, etabs};

#[test]
fn a_bodys_head_before_its_place_is_the_body() {
    has(
        "Scanner fait au Centre d'IRM de Vannes Est – parking visiteurs.",
        "Centre d'IRM de Vannes Est",
    );
    has(
        "Elle est comptable à la Communauté de communes de Ploërmel.",
        "Communauté de communes de Ploërmel",
    );
    has(
        "Elle est comptable à la Communauté de communes du Pays de Gex.",
        "Communauté de communes du Pays de Gex",
    );
}

#[test]
fn a_trades_words_before_a_region_found_alone_are_the_firm() {
    has(
        "Structure d'accueil : Charcuteries de l'Argoat, site de Lamballe (300 salariés).",
        "Charcuteries de l'Argoat",
    );
}

#[test]
fn a_homes_head_and_its_article_are_the_home() {
    let t = "Orientation SMR (SMR Le Clos Joli à Mâcon en premier choix).";
    assert!(
        etabs(t).iter().any(|o| o.starts_with("SMR Le Clos Joli")),
        "{:?}",
        etabs(t)
    );
    has(
        "Elle habite la maisonnée Les Bleuets – transmissions.",
        "maisonnée Les Bleuets",
    );
}

#[test]
fn an_adjective_and_an_open_end_belong_to_the_name() {
    has(
        "Copie au Dr X, Nouvel Hôpital Saint-Luc, pour avis.",
        "Nouvel Hôpital Saint-Luc",
    );
    has(
        "Agent de la Communauté d'agglomération du Grand Poitiers.",
        "Communauté d'agglomération du Grand Poitiers",
    );
}

#[test]
fn a_brands_commune_and_its_side_are_the_shop() {
    has(
        "chauffeur intérimaire (Proxinterim Toulouse Nord) non formé.",
        "Proxinterim Toulouse Nord",
    );
}

#[test]
fn a_word_cut_at_its_apostrophe_is_whole() {
    has(
        "Suivi au cabinet Kiné Presqu'île, Crozon.",
        "cabinet Kiné Presqu'île",
    );
}

#[test]
fn a_court_keeps_its_head_and_a_hospitals_unit_keeps_it_out() {
    // since the twenty-seventh round a court is one establishment with its
    // commune (`public_bodies`), as the newer sets mark it
    has(
        "Expert près la cour d'appel de Poitiers.",
        "cour d'appel de Poitiers",
    );
    let t = "Adressé par le service de MPR du CHU Pontchaillou.";
    assert!(
        !etabs(t).iter().any(|o| o.contains("MPR")),
        "{:?}",
        etabs(t)
    );
    let t = "Revu en HDJ de la clinique Les Tilleuls.";
    assert!(
        !etabs(t).iter().any(|o| o.contains("HDJ")),
        "{:?}",
        etabs(t)
    );
}
