//! Dates in their less common forms, places, addresses, rooms and ages
//! (issue 18): phrases written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn found(text: &str, kind: Kind) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    let of_kind = spans.iter().filter(|s| s.kind == kind);
    of_kind.map(|s| text[s.start..s.end].to_owned()).collect()
}

#[test]
fn a_day_alone_at_the_end_of_a_line_is_a_date() {
    assert_eq!(
        found(
            "Mme Roche rentre chez elle le 14.\nSuite demain.",
            Kind::Date
        ),
        ["14"]
    );
    assert_eq!(
        found("Visite de contrôle prévue le 9 après la radio.", Kind::Date),
        ["9"]
    );
    // the first floor is no date
    assert!(found("Elle loge au 1er.\nRien à signaler.", Kind::Date).is_empty());
    // a decimal is no date either
    assert!(found("Score passé le 3.5 ce matin", Kind::Date).is_empty());
}

#[test]
fn a_period_is_one_date_to_its_last_day() {
    assert_eq!(
        found("Remplacement la semaine du 7 au 11 octobre.", Kind::Date),
        ["semaine du 7 au 11 octobre"]
    );
    assert_eq!(
        found("Contrôle la semaine du 4 mars.", Kind::Date),
        ["semaine du 4 mars"]
    );
    assert_eq!(
        found(
            "Il part chez son fils du 12 au 19, puis reprise.",
            Kind::Date
        ),
        ["12 au 19"]
    );
    assert_eq!(
        found("Séances du 2 mai au 14 juin si possible.", Kind::Date),
        ["2 mai au 14 juin"]
    );
}

#[test]
fn months_in_roman_numerals_and_dotted_days_before_a_title() {
    assert_eq!(found("Lyon, le 9/XI/2023", Kind::Date), ["9/XI/2023"]);
    assert_eq!(found("Vu le 3/IV/24 en urgence", Kind::Date), ["3/IV/24"]);
    assert_eq!(
        found("12.02 M. Faure : marche 30 m.", Kind::Date),
        ["12.02"]
    );
    // a measure keeps its unit
    assert!(found("Distance 12.02 m au test", Kind::Date).is_empty());
}

#[test]
fn a_season_over_two_years() {
    assert_eq!(
        found("Entorse pendant l'hiver 2021-2022.", Kind::Date),
        ["2021-2022"]
    );
}

#[test]
fn dates_ages_and_rooms_in_words() {
    assert_eq!(
        found("séance prévue le dix-sept octobre au cabinet", Kind::Date),
        ["dix-sept octobre"]
    );
    assert_eq!(
        found("née le trois juin mil neuf cent trente et un", Kind::Date),
        ["trois juin mil neuf cent trente et un"]
    );
    assert_eq!(
        found(
            "patiente de quatre-vingt-dix-sept ans vue ce jour",
            Kind::Age
        ),
        ["quatre-vingt-dix-sept ans"]
    );
    assert_eq!(found("IL A 94 ANS ET VIT SEUL", Kind::Age), ["94 ANS"]);
    // below 90 an age is clinical content
    assert!(found("un homme de soixante-dix-huit ans", Kind::Age).is_empty());
    assert_eq!(
        found("installé ch. trente-quatre depuis hier", Kind::Chambre),
        ["ch. trente-quatre"]
    );
    assert_eq!(
        found("transféré en chambre cent quatorze", Kind::Chambre),
        ["chambre cent quatorze"]
    );
}

#[test]
fn a_departement_after_its_commune_and_arrondissements() {
    assert_eq!(
        found("Accident à Cavaillon (84) le matin.", Kind::Ville),
        ["Cavaillon", "84"]
    );
    assert_eq!(
        found("Elle vit à Lamballe (22) depuis peu.", Kind::Ville),
        ["Lamballe", "22"]
    );
    // a number that is not the commune's département stays
    assert_eq!(
        found("Vu à Cavaillon (12) ce jour.", Kind::Ville),
        ["Cavaillon"]
    );
    assert_eq!(
        found("Un kiné qui vient à domicile Paris 11e ?", Kind::Ville),
        ["Paris 11e"]
    );
    assert_eq!(
        found("CABINET DES ALPES – LYON 3E", Kind::Ville),
        ["LYON 3E"]
    );
    assert_eq!(
        found("Nous vivons à Paris, dans le 12e.", Kind::Ville),
        ["Paris", "12e"]
    );
    // a floor or a finger is no arrondissement
    assert!(
        found("Paris : douleur du 3e doigt, au 4e étage.", Kind::Ville)
            .iter()
            .all(|s| s == "Paris")
    );
}

#[test]
fn rooms_and_ages_in_exports_with_bars_or_commas() {
    let t = "ch,résident,âge,motif\n312,Mme Hervé Solange,93,chute\n314,M. Caradec Yann,81,BPCO\n";
    assert_eq!(found(t, Kind::Chambre), ["312", "314"]);
    assert_eq!(found(t, Kind::Age), ["93"]);
    let t = "LIT | Patient | Remarque\n2B | ROUSSEL Odile | dort, calme\n4 | MAHE Yves | RAS\n";
    assert_eq!(found(t, Kind::Chambre), ["2B", "4"]);
    let t = "| Jour | Résident | Logt |\n|---|---|---|\n| lundi | Mme Tanguy | C-14 |\n";
    assert_eq!(found(t, Kind::Chambre), ["C-14"]);
}

#[test]
fn rooms_at_the_head_of_a_line_without_a_colon() {
    let t = "Nuit calme.\n318 Mme Quéré : a dormi.\n320-1 M. Jaouen : toux.\n";
    assert_eq!(found(t, Kind::Chambre), ["318", "320-1"]);
    let t = "• E-205 B Mme Morin – fièvre\n• E-207 LE DU Alain – RAS\n";
    assert_eq!(found(t, Kind::Chambre), ["E-205 B", "E-207"]);
    // a year or a count before a name is no room
    let t = "2023 Mme Roux a chuté deux fois.\n12 Mme Roux : à revoir.\n";
    assert!(found(t, Kind::Chambre).is_empty());
}

#[test]
fn an_address_with_its_building_floor_door_and_code() {
    assert_eq!(
        found(
            "Domicile : 5 rue des Tanneurs, bât. C, 3e ét., code 4512A, 29000 Quimper.",
            Kind::Adresse
        ),
        ["5 rue des Tanneurs, bât. C, 3e ét., code 4512A"]
    );
    assert_eq!(
        found(
            "Elle vit 8 avenue Jean-Jaurès, 1er étage gauche.",
            Kind::Adresse
        ),
        ["8 avenue Jean-Jaurès, 1er étage gauche"]
    );
    assert_eq!(
        found(
            "passer à la résidence bât D esc 1 2e ét appt 14 demain",
            Kind::Adresse
        ),
        ["bât D esc 1 2e ét appt 14"]
    );
    // a floor alone, without a street, is no address
    assert!(found("Chute au 2e étage de l'hôpital.", Kind::Adresse).is_empty());
}

#[test]
fn communes_in_lower_case_after_a_preposition() {
    assert_eq!(
        found("on descend à st-malo ce week-end", Kind::Ville),
        ["st-malo"]
    );
    assert_eq!(
        found("la voiture est restée a saint-pée", Kind::Ville),
        ["saint-pée"]
    );
    assert_eq!(
        found("rééducation prévue à héricourt puis retour", Kind::Ville),
        ["héricourt"]
    );
    // a first name after « à » is no place
    assert!(found("j'ai écrit à laurence hier", Kind::Ville).is_empty());
}

#[test]
fn communes_in_lower_case_after_a_postcode_in_brackets_or_hyphenated() {
    assert_eq!(
        found("domicile : 3 rue du port 80000 amiens, au 1er", Kind::Ville),
        ["amiens"]
    );
    assert_eq!(
        found(
            "suivi au cabinet des tilleuls (digoin) depuis mars",
            Kind::Ville
        ),
        ["digoin"]
    );
    assert_eq!(
        found(
            "elle rentre à saint-jean-de-monts chez sa fille",
            Kind::Ville
        ),
        ["saint-jean-de-monts"]
    );
    assert_eq!(
        found(
            "un accident à villeneuve sur lot le mois dernier",
            Kind::Ville
        ),
        ["villeneuve sur lot"]
    );
    // a common word in brackets stays
    assert!(found("reprise de la marche (lente) à domicile", Kind::Ville).is_empty());
}

#[test]
fn communes_in_capitals_without_accents_or_read_from_a_scan() {
    assert_eq!(found("12 rue Haute\n30000 NIMES\n", Kind::Ville), ["NIMES"]);
    assert_eq!(
        found("Pointe du Conguel, 56170 QUIBER0N", Kind::Ville),
        ["QUIBER0N"]
    );
    assert_eq!(found("4 5OOO 0RLEANS", Kind::Ville), ["0RLEANS"]);
    // a common word in capitals is no commune without its accent
    assert!(found("PRISE EN CHARGE : rééducation", Kind::Ville).is_empty());
    // a code of letters and figures is no town
    assert!(found("Lot 12 B0X40 remis", Kind::Ville).is_empty());
}

#[test]
fn dates_read_from_a_scan() {
    assert_eq!(
        found("Courrier reçu, daté du l4/O3/2O25.", Kind::Date),
        ["l4/O3/2O25"]
    );
    assert_eq!(
        found("Brest, le O2 juin 2O24", Kind::Date),
        ["O2 juin 2O24"]
    );
    // letters alone are no date
    assert!(found("code lO/Il/OOlI", Kind::Date).is_empty());
}

#[test]
fn a_commune_and_its_cedex_are_one_place() {
    for (t, town) in [
        (
            "CPAM – BP 1234 – 29200 Morlaix Cedex 9\nObjet : AT",
            "Morlaix Cedex 9",
        ),
        (
            "Service sinistres, 35000 RENNES CEDEX\nDossier suivi",
            "RENNES CEDEX",
        ),
    ] {
        let spans = Anonymiser::new().detect(t);
        assert!(
            spans.iter().any(|s| &t[s.start..s.end] == town),
            "{t}: {:?}",
            spans.iter().map(|s| &t[s.start..s.end]).collect::<Vec<_>>()
        );
    }
}

#[test]
fn abbreviated_and_lower_case_streets_and_short_post_boxes() {
    let addresses = |t: &str| found(t, Kind::Adresse);
    // (text, the address it holds)
    let cases = [
        (
            "Domicile : 5 imp. des Mésanges, 3e étage",
            "5 imp. des Mésanges, 3e étage",
        ),
        (
            "RDV au 19 chem. de la Garenne demain",
            "19 chem. de la Garenne",
        ),
        ("passer par la rte de Locminé", "rte de Locminé"),
        ("elle vit 2 ruelle du Four", "2 ruelle du Four"),
        ("il habite 9 rue pasteur depuis mai", "9 rue pasteur"),
        ("au onze rue des glycines on sonne", "onze rue des glycines"),
        ("Correspondance : BP 31, 29000", "BP 31"),
    ];
    for (text, want) in cases {
        let found = addresses(text);
        assert!(found.iter().any(|s| s == want), "{text}: {found:?}");
    }
    // a commune holding a street's word, a batch and a lesson are none
    for text in [
        "né à Saint-Jean-de-la-Ruelle en 1950",
        "3 cours de gym, 1 place de parking",
    ] {
        assert!(addresses(text).is_empty(), "{text}: {:?}", addresses(text));
    }
}

#[test]
fn a_number_after_the_street_as_neighbours_write_it() {
    let text = "Fille : Mme Claes\nRue des Tanneurs 41, boîte 2\n1000 Bruxelles\n\
                Fils : Molenstraat 23, 8500 Kortrijk";
    let addresses = found(text, Kind::Adresse);
    for want in ["Rue des Tanneurs 41, boîte 2", "Molenstraat 23"] {
        assert!(addresses.iter().any(|a| a == want), "{want}: {addresses:?}");
    }
}

#[test]
fn rooms_by_wing_floor_dotted_number_or_in_brackets() {
    // a floor and its room number with a dot, before « M. » (not metres)
    let t = "Relève kiné\nCh. 2.14 M. Quillec : marche 30 m.\n";
    assert_eq!(found(t, Kind::Chambre), ["Ch. 2.14"]);
    // after « CH » in capitals, a wing's letter and a number
    let t = "RELÈVE DU SOIR\nM. LE GALL PIERRE CH C-12 : RAS.\nMME RIOU CH D-07 : FIÈVRE.\n";
    assert_eq!(found(t, Kind::Chambre), ["CH C-12", "CH D-07"]);
    // the floor written before the room goes with it
    let t = "Visite de l'équipe au 2e étage, ch. 214 demain.";
    assert_eq!(found(t, Kind::Chambre), ["2e étage, ch. 214"]);
    // in brackets after a titled name, with « n° » or a wing's letter
    let t = "Transmissions : Mme Le Roux (n°27) a bien mangé ; M. Cadiou (K12, son voisin) tousse.";
    assert_eq!(found(t, Kind::Chambre), ["n°27", "K12"]);
    // a day after surgery in brackets is no room
    let t = "Transmissions : M. Cadiou (J12, PTH) marche.";
    assert!(found(t, Kind::Chambre).is_empty());
    // a unit of rehabilitation names its residents by room, after « en » or « la »
    let t = "SMR Les Ajoncs : qui voit M. Nédélec en 412 ? après la 415-2.";
    assert_eq!(found(t, Kind::Chambre), ["412", "415-2"]);
}

#[test]
fn a_residence_or_an_estate_with_its_building_or_house_number() {
    // the head, its article and a name in lower case (a home's name to
    // the establishments, which may read it), then the building
    let t = "Passage chez Mme Le Goff, rés les tilleuls bat c, 2e étage.";
    let a = found(t, Kind::Adresse);
    assert!(a.iter().any(|s| s.starts_with("bat c")), "{a:?}");
    let spans = Anonymiser::new().detect(t);
    // every letter of « rés les tilleuls bat c » is in a span
    let whole = t.find("rés").unwrap()..t.find(", 2e").unwrap();
    let covered = |i: usize| spans.iter().any(|s| s.start <= i && i < s.end);
    assert!(
        whole
            .filter(|&i| t.is_char_boundary(i) && t[i..].starts_with(char::is_alphanumeric))
            .all(covered),
        "{spans:?}"
    );
    // in capitals, as a label prints it
    let t = "LIVRAISON : RES LES GOÉLANDS BAT A\nAPPT 12";
    assert_eq!(found(t, Kind::Adresse), ["RES LES GOÉLANDS BAT A"]);
    // an estate and the house's number after a comma
    let t = "M. Prigent, lot. Les Ajoncs, n° 9, Plouay : RAS.";
    assert_eq!(found(t, Kind::Adresse), ["lot. Les Ajoncs, n° 9"]);
    // a building by its number
    let t = "Mme Benali, Les Mimosas, bâtiment 3, sans ascenseur.";
    assert_eq!(found(t, Kind::Adresse), ["bâtiment 3"]);
    // a drug's batch is no estate
    assert!(found("Insuline, lot. 4471B, périme en mars.", Kind::Adresse).is_empty());
}

#[test]
fn a_floor_without_the_word_floor_and_a_number_after_the_street() {
    for (text, address) in [
        (
            "Domicile : 7 rue des Forges, 3e droite, code 4B12.",
            "7 rue des Forges, 3e droite, code 4B12",
        ),
        (
            "Visite au 40 avenue Carnot, esc. A, 6e, porte 12 demain.",
            "40 avenue Carnot, esc. A, 6e, porte 12",
        ),
        (
            "Elle vit rue des Tilleuls au numéro 22, troisième étage sans ascenseur.",
            "rue des Tilleuls au numéro 22, troisième étage",
        ),
        (
            "Adresse : 3 allée des Ormes, bâtiment Les Pins, 1er étage.",
            "3 allée des Ormes, bâtiment Les Pins, 1er étage",
        ),
        (
            "Domicile : 9 rue Basse, 2e sans ascenseur.",
            "9 rue Basse, 2e",
        ),
        // the street's side of a limb is no floor
        (
            "Vit 12 rue Pasteur, 2e orteil droit douloureux.",
            "12 rue Pasteur",
        ),
    ] {
        assert_eq!(found(text, Kind::Adresse), [address], "{text}");
    }
    // a floor in a sentence of its own stays
    assert!(found("Chute au 3e droite du couloir.", Kind::Adresse).is_empty());
}

#[test]
fn a_house_named_by_its_head_is_an_address() {
    for (text, address) in [
        (
            "Séjour au chalet Les Myrtilles, 1er étage.",
            "chalet Les Myrtilles, 1er étage",
        ),
        ("Vit au Mas des Cigales depuis un an.", "Mas des Cigales"),
    ] {
        assert_eq!(found(text, Kind::Adresse), [address], "{text}");
    }
    // « MAS » in capitals is a home for disabled adults
    assert!(found("Admis à la MAS Les Tilleuls.", Kind::Adresse).is_empty());
}

/// Twenty-fifth round: a natural landmark named after a place (« lac de
/// … », « col de la … », « pointe du … », « plan d'eau de … ») is an
/// address with its head, whether the rules found the name or not; a lab
/// value's peak and a bone's neck stay.
#[test]
fn a_landmark_is_an_address_with_its_head() {
    for (text, place) in [
        (
            "Chute à vélo dans la descente du col de la Madeleine, fracture du poignet.",
            "col de la Madeleine",
        ),
        (
            "Il marche tous les matins autour du lac de Serre-Ponçon.",
            "lac de Serre-Ponçon",
        ),
        (
            "Entorse sur les rochers de la pointe du Grouin en août.",
            "pointe du Grouin",
        ),
        (
            "Baignade au plan d'eau de Champ-Gelin, sans incident.",
            "plan d'eau de Champ-Gelin",
        ),
    ] {
        assert_eq!(found(text, Kind::Adresse), [place], "{text}");
    }
    assert!(found("Pic de CRP à 180 au troisième jour.", Kind::Adresse).is_empty());
    assert!(found("Col du fémur opéré, appui autorisé.", Kind::Adresse).is_empty());
}
