//! Courts, police and gendarmerie units, public and social services and
//! religious buildings named by their head and their place (twenty-seventh
//! round): the whole is one establishment, not a head left in clear beside
//! its commune's placeholder. Phrases written for these tests.
mod common;

use common::{assert_etab as whole, etabs};

#[test]
fn a_court_and_its_commune_are_one_establishment() {
    whole(
        "Le juge des tutelles du tribunal judiciaire de Périgueux a statué.",
        "tribunal judiciaire de Périgueux",
    );
    whole(
        "Convocation au tribunal de proximité de Lunel le 3 mars.",
        "tribunal de proximité de Lunel",
    );
    whole(
        "Il a comparu devant le tribunal correctionnel d'Évreux.",
        "tribunal correctionnel d'Évreux",
    );
    whole(
        "Arrêt de la cour d'appel d'Agen, chambre sociale.",
        "cour d'appel d'Agen",
    );
    whole(
        "Tribunal judiciaire de Vesoul – RG n° 25/00412",
        "Tribunal judiciaire de Vesoul",
    );
    whole(
        "Saisine du conseil de prud'hommes de Niort par son avocat.",
        "conseil de prud'hommes de Niort",
    );
}

#[test]
fn a_police_or_gendarmerie_unit_and_its_commune_are_one_establishment() {
    whole(
        "Deux agents du commissariat de Vierzon sont passés.",
        "commissariat de Vierzon",
    );
    whole(
        "La brigade territoriale autonome de Pornic a pris la plainte.",
        "brigade territoriale autonome de Pornic",
    );
    whole(
        "Audition par la brigade de recherches de Dole.",
        "brigade de recherches de Dole",
    );
}

#[test]
fn a_public_service_and_its_place_are_one_establishment() {
    whole(
        "Avis du CRP de Limoges sur le reclassement.",
        "CRP de Limoges",
    );
    whole(
        "Référente ASE (MDS Cholet) présente à la réunion.",
        "MDS Cholet",
    );
    whole(
        "Visite demandée par le SPST Pays de Morlaix en juin.",
        "SPST Pays de Morlaix",
    );
    whole(
        "Relais prévu avec la plateforme de répit de Vitré.",
        "plateforme de répit de Vitré",
    );
}

#[test]
fn a_religious_or_historic_building_and_its_commune_are_one_establishment() {
    whole(
        "Il va à la messe à la cathédrale de Bayeux dimanche.",
        "cathédrale de Bayeux",
    );
    whole(
        "Randonnée jusqu'à l'abbaye de Cluny dimanche.",
        "abbaye de Cluny",
    );
}

#[test]
fn a_commune_after_a_word_that_heads_nothing_stays_a_commune() {
    for t in [
        "Elle fait le marché de Quimper le samedi.",
        "Accident sur la route de Vitré en janvier.",
        "Le tribunal a renvoyé l'affaire, il habite près de Rennes.",
    ] {
        let found = etabs(t);
        assert!(found.is_empty(), "{t}: {found:?}");
    }
}
