//! Numbers, dates and table columns in the forms people write them (issue
//! 18, thirteenth round; masked telephones, dates in an export's cells,
//! abbreviated months and a visit's day in the seventeenth): phrases
//! written for these tests.
use sceau_anonymise::{Anonymiser, Kind};

fn found(text: &str, kind: Kind) -> Vec<String> {
    let spans = Anonymiser::new().detect(text);
    let of_kind = spans.iter().filter(|s| s.kind == kind);
    of_kind.map(|s| text[s.start..s.end].to_owned()).collect()
}

fn has(text: &str, kind: Kind, want: &str) -> bool {
    found(text, kind).iter().any(|s| s == want)
}

#[test]
fn telephone_numbers_masked_anywhere() {
    assert!(has(
        "rappeler sa fille au 06 12 55 ** 47 demain",
        Kind::Telephone,
        "06 12 55 ** 47"
    ));
    assert!(has(
        "joignable au 02 98 41 ** **.",
        Kind::Telephone,
        "02 98 41 ** **"
    ));
    assert!(has(
        "fixe : 05.61.22.37.** (répondeur)",
        Kind::Telephone,
        "05.61.22.37.**"
    ));
    assert!(has(
        "voisin au 07 33 ** ** 90 si besoin",
        Kind::Telephone,
        "07 33 ** ** 90"
    ));
}

#[test]
fn dates_after_a_word_before_a_comma_or_a_name() {
    assert!(has(
        "relève du vend. 14/03/25 : RAS",
        Kind::Date,
        "vend. 14/03/25"
    ));
    assert!(has(
        "son fils arrive de Rennes demain 21/03, on verra",
        Kind::Date,
        "21/03"
    ));
    // « 12/03 Résidence … »: the day ends the date, it is no street number
    let line = "12/03 Résidence Les Pins, 2e étage\nMme Durand tombée.";
    assert!(
        has(line, Kind::Date, "12/03"),
        "{:?}",
        found(line, Kind::Date)
    );
    assert!(!found(line, Kind::Adresse)
        .iter()
        .any(|a| a.starts_with("03")));
    assert!(has(
        "Transmissions du week-end 8-9/03 : calme",
        Kind::Date,
        "week-end 8-9/03"
    ));
    assert!(has(
        "Sent: Friday, March 14, 2025 9:12 AM\nTo: cabinet",
        Kind::Date,
        // with its time (timestamps.rs)
        "Friday, March 14, 2025 9:12 AM"
    ));
    // « vend » without its full stop is the verb
    assert!(found("son fils vend 12 bouteilles au marché", Kind::Date).is_empty());
    assert!(has("le vend. 14 : RAS", Kind::Date, "vend. 14"));
    // a score out of ten before a comma stays
    assert!(found("Schober 13/10, Lasègue négatif.", Kind::Date).is_empty());
}

#[test]
fn table_columns_of_postcodes_towns_and_numbers() {
    let csv = "Nom;Prénom;CP;Ville;N° facture\nMARTIN;Lise;29200;brest;FA 24 03 117\n";
    assert!(has(csv, Kind::CodePostal, "29200"));
    assert!(has(csv, Kind::Ville, "brest"));
    assert!(has(csv, Kind::NumeroDossier, "FA 24 03 117"));
    let quoted = "\"jour\";\"patient\";\"ref\"\n\"lun.\";\"Mme Roux\";\"DOS-1234\"\n";
    assert!(has(quoted, Kind::NumeroDossier, "DOS-1234"));
    let soft = "date_soin|kine|num_presc\n2025-03-02|Paul|4471\n";
    assert!(has(soft, Kind::NumeroDossier, "4471"));
    // the patient's identifier of a software's export (« ID_PATIENT »)
    let ids = "ID_PATIENT,NOM,PRENOM,CP\nQ-001207,LEFEVRE,Anne,35000\n";
    assert!(has(ids, Kind::NumeroDossier, "Q-001207"));
    let ids = "Identifiant patient;Nom;Ville\n88-31;Tanguy;Morlaix\n";
    assert!(has(ids, Kind::NumeroDossier, "88-31"));
    // a place in lower case that no list has is no town
    let md = "| Lieu | Acte |\n|---|---|\n| couloir | marche |\n";
    assert!(found(md, Kind::Ville).is_empty());
}

/// A quoted cell that holds the separator (« "chute; à revoir" ») no
/// longer leaves its row unread: the row's rooms and numbers are found.
#[test]
fn table_rows_whose_quoted_cells_hold_the_separator() {
    let semi = "\"Résident\";\"Chambre\";\"IPP\";\"Remarques\"\n\
                \"Mme Perrot\";\"208\";\"55012\";\"chute; à revoir\"\n";
    assert!(
        has(semi, Kind::Chambre, "208"),
        "{:?}",
        found(semi, Kind::Chambre)
    );
    assert!(has(semi, Kind::NumeroDossier, "55012"));
    let comma = "ipp,chambre,âge,commentaire\nQ-7781,B12,93,\"lever, fauteuil\"\n";
    assert!(has(comma, Kind::NumeroDossier, "Q-7781"));
    assert!(has(comma, Kind::Chambre, "B12"));
    assert!(has(comma, Kind::Age, "93"));
}

#[test]
fn file_numbers_in_groups_and_listed() {
    assert!(has(
        "accident du travail (n° 31 24 B 000 4417), reprise",
        Kind::NumeroDossier,
        "31 24 B 000 4417"
    ));
    let two = "factures n° 2024-03-118 à 2024-04-002 impayées";
    assert!(has(two, Kind::NumeroDossier, "2024-03-118"));
    assert!(has(two, Kind::NumeroDossier, "2024-04-002"));
    // a count after the number is not one of its groups
    assert!(has(
        "dossier 2024-118 15 séances prévues",
        Kind::NumeroDossier,
        "2024-118"
    ));
    assert!(has(
        "RPPS 10 10 4567 891 – cabinet",
        Kind::Rpps,
        "10 10 4567 891"
    ));
    assert!(has("ADELI 29 7 01234 8\n", Kind::Adeli, "29 7 01234 8"));
}

#[test]
fn file_numbers_with_letters_slashes_fields_and_repeats() {
    let two = "relance (n° 2024/KB/11, 2024/KB/12) impayées";
    assert!(has(two, Kind::NumeroDossier, "2024/KB/11"));
    assert!(has(two, Kind::NumeroDossier, "2024/KB/12"));
    assert!(has(
        "ordonnance n° ABC 24 B 19922\n",
        Kind::NumeroDossier,
        "ABC 24 B 19922"
    ));
    assert!(has(
        "dossier MDPH 29/24/PCH/0871 déposé hier",
        Kind::NumeroDossier,
        "MDPH 29/24/PCH/0871"
    ));
    let fields = "| Champ | Valeur |\n|---|---|\n| N° de sinistre | SN 44 240312 0098 |\n";
    assert!(has(fields, Kind::NumeroDossier, "SN 44 240312 0098"));
    // the number found after its cue is the same number further on
    let again =
        "Objet : dossier AT 2024-29-01234\nLa caisse veut le 2024-29-01234 sur chaque feuille.";
    assert_eq!(
        found(again, Kind::NumeroDossier),
        ["AT 2024-29-01234", "2024-29-01234"]
    );
    assert!(has(
        "prescription du 2024.11.05 – 10 séances",
        Kind::Date,
        "2024.11.05"
    ));
}

#[test]
fn dictated_addresses_days_and_years_and_postcodes_after_the_street() {
    assert!(has(
        "il habite quarante-deux ter rue Anatole-France, troisième étage",
        Kind::Adresse,
        // the floor written in words leads to the door too
        "quarante-deux ter rue Anatole-France, troisième étage"
    ));
    // an article before « place » is no number
    assert!(!found("attend une place au Bois Joly.", Kind::Adresse)
        .iter()
        .any(|a| a.starts_with("une")));
    assert!(has(
        "vue ce jour vendredi vingt-huit pour sa gonarthrose",
        Kind::Date,
        "vendredi vingt-huit"
    ));
    assert!(found("le lundi trois fois par semaine", Kind::Date).is_empty());
    assert!(has(
        "né à Oran en mille neuf cent trente-trois donc",
        Kind::Date,
        "mille neuf cent trente-trois"
    ));
    assert!(has(
        "ne sort plus depuis le printemps deux mille vingt-quatre son mari",
        Kind::Date,
        "printemps deux mille vingt-quatre"
    ));
    assert!(found("il a payé deux mille euros", Kind::Date).is_empty());
    assert!(has(
        "c'est maintenant 3 rue Jean-Moulin 42100, l'interphone",
        Kind::CodePostal,
        "42100"
    ));
    assert!(has(
        "le code postal c'est 27620\nmerci",
        Kind::CodePostal,
        "27620"
    ));
    assert!(has(
        "Internat : bâtiment Allier, ch. 2.14",
        Kind::Adresse,
        "bâtiment Allier"
    ));
    assert!(has(
        "Mme K.\n17, rés. du Bois-l'Abbé, esc. 4\n94500 Champigny",
        Kind::Adresse,
        "17, rés. du Bois-l'Abbé, esc. 4"
    ));
}

#[test]
fn a_lieu_dit_with_its_article_before_the_postcode() {
    let text = "Mme Tessier, domiciliée Le Grand Chesnay, 61250 Damigny, est suivie";
    assert!(has(text, Kind::Adresse, "Le Grand Chesnay"));
    assert!(has(
        "adresse inconnue (Les Granges d'en Haut, 74470 Bellevaux).",
        Kind::Adresse,
        "Les Granges d'en Haut"
    ));
    // a letter's address block: the lieu-dit on the line above the postcode
    assert!(has(
        "Madame Odile Ferrand\nLa Haute Borderie\n49300 Cholet\n\nMadame,",
        Kind::Adresse,
        "La Haute Borderie"
    ));
    // a home found by its head stays the home
    assert!(has(
        "EHPAD Les Cèdres\n75011 Paris",
        Kind::Etablissement,
        "EHPAD Les Cèdres"
    ));
    assert!(has(
        "EHPAD Les Cèdres, 75011 Paris",
        Kind::Etablissement,
        "EHPAD Les Cèdres"
    ));
}

#[test]
fn telephone_numbers_masked_with_any_character() {
    for (text, phone) in [
        ("son portable : 06 41 2x xx 75, le soir", "06 41 2x xx 75"),
        ("fixe 02 31 58 0X XX (répondeur)", "02 31 58 0X XX"),
        ("rappeler le 05 56 7? ?? 19 demain", "05 56 7? ?? 19"),
        ("voisine au 07 62 ## ## 38.", "07 62 ## ## 38"),
        ("tél. 03 89 4. .. .. 21 (mère)", "03 89 4. .. .. 21"),
        ("joindre le 01 44 ·· ·· 63 après 18 h", "01 44 ·· ·· 63"),
        // one mark for a pair, or a run of them, between the pairs left
        (
            "fixe du fils : 03 21 54 . . 67 (à vérifier)",
            "03 21 54 . . 67",
        ),
        ("tél. 05 61 -- 33 -- (mère)", "05 61 -- 33 --"),
        (
            "appeler au 04 93 . . 28 40 19 le matin",
            "04 93 . . 28 40 19",
        ),
        ("voisin 06.27.‑‑.‑‑.52, clé chez lui", "06.27.‑‑.‑‑.52"),
        (
            "répondeur 02 35 71 ... 08, rappel demain",
            "02 35 71 ... 08",
        ),
    ] {
        assert!(has(text, Kind::Telephone, phone), "{text}");
    }
}

#[test]
fn a_number_cue_before_a_masked_telephone_leaves_it_whole() {
    let text = "Père absent (numéro donné : 04 76 ** ** 52), rappeler.";
    assert!(has(text, Kind::Telephone, "04 76 ** ** 52"));
    assert!(found(text, Kind::NumeroDossier).is_empty());
}

#[test]
fn a_shape_of_pairs_without_a_mask_is_not_a_masked_number() {
    // dots between figures are separators, not masks
    assert!(!has("lot 04.75.3 puis 12", Kind::Telephone, "04.75.3"));
    assert!(found("ils étaient 04 puis 75 au total", Kind::Telephone).is_empty());
}

#[test]
fn a_day_and_month_alone_in_an_export_cell() {
    let csv = "\"Nom\",\"Date\",\"Lieu\"\n\"M. RIVAUD Hugues\",\"07/10\",\"domicile\"";
    assert!(has(csv, Kind::Date, "07/10"));
    let semi = "B-0212;RIVAUD Hugues;manutention;19/02;dos;14";
    assert!(has(semi, Kind::Date, "19/02"));
    // a score in a cell stays a score
    assert!(found("\"EVA\";\"3/5\"", Kind::Date).is_empty());
}

#[test]
fn a_month_abbreviated_with_its_full_stop() {
    for (text, month) in [
        ("Elle a chuté en sept., sans fracture.", "sept."),
        ("| T-14 | VIGNAL Odile | fév. | cervicalgie |", "fév."),
        ("reprise prévue courant oct. si tout va bien", "oct."),
    ] {
        assert!(has(text, Kind::Date, month), "{text}");
    }
    // seven at a sentence's end, a death abbreviated: no month
    assert!(found("Ils étaient sept. Le lendemain, rien.", Kind::Date).is_empty());
    assert!(found("Père déc. à 60 ans, mère vivante.", Kind::Date).is_empty());
}

#[test]
fn a_visit_on_a_day_is_no_street() {
    let text = "Passage le 14/03 à 9h : pansement refait.";
    assert!(found(text, Kind::Adresse).is_empty());
    assert!(has(text, Kind::Date, "14/03"));
    // a street named « passage » still is one
    assert!(!found("Il habite 3 passage des Tanneurs à Lille.", Kind::Adresse).is_empty());
}

#[test]
fn telephone_numbers_with_extensions_spaced_separators_ocr_and_words() {
    // (text, the telephone it holds)
    let cases = [
        // the extension goes with its number
        (
            "Cadre de santé : 03 84 57 21 00 poste 3362",
            "03 84 57 21 00 poste 3362",
        ),
        // a pager's number alone
        ("interne joignable au bip 417.", "417"),
        // spaced or doubled separators
        (
            "portable 07 . 61 . 33 . 28 . 04 le soir",
            "07 . 61 . 33 . 28 . 04",
        ),
        // OCR's O for a zero
        ("Tél. O3 84 2O 17 55 (scan)", "O3 84 2O 17 55"),
        // dictated in words
        (
            "son fils au zéro six vingt-huit quarante et un zéro sept soixante-dix-neuf merci",
            "zéro six vingt-huit quarante et un zéro sept soixante-dix-neuf",
        ),
    ];
    for (text, want) in cases {
        assert!(has(text, Kind::Telephone, want), "{text}");
    }
    // a dose, a score and a date are none
    let none = "Lovenox 0,4 ml, score 06/10, vu le 04/03/2024 12 séances";
    assert!(found(none, Kind::Telephone).is_empty());
}

#[test]
fn rooms_after_ch_in_capitals_and_listed_dwellings() {
    let text = "CH 5 – Mme Roux : RAS.\nCH12 LE GOFF Paul : marche.\nCH 24 M. Petit : toux.";
    let rooms = found(text, Kind::Chambre);
    for want in ["5", "CH12", "CH 24"] {
        assert!(rooms.iter().any(|r| r == want), "{want}: {rooms:?}");
    }
    // a tube's gauge in Charrière is no room
    let tube = "sonde Foley CH18 changée, sonde d'aspiration CH 12";
    assert!(found(tube, Kind::Chambre).is_empty());
    // the dwellings of a résidence, listed after one head
    let listed = found(
        "atelier mémoire : logements 12, 14, 21 et 27",
        Kind::Chambre,
    );
    for want in ["14", "21", "27"] {
        assert!(listed.iter().any(|r| r == want), "{want}: {listed:?}");
    }
}

#[test]
fn an_address_split_over_columns_and_telephones_in_their_column() {
    let csv = "Nom;Prénom;N°;Rue;Complément;CP;Ville;Poste\n\
               RIOU;Anne;9 bis;rue des Écoles;bât. C, 3e ét.;22300;Lannion;4417\n\
               GUYADER;Paul;14;Kerhuel;idem;22300;Lannion;DECT 3012\n";
    let addresses = found(csv, Kind::Adresse);
    for want in ["9 bis", "bât. C, 3e ét.", "14", "Kerhuel"] {
        assert!(addresses.iter().any(|a| a == want), "{want}: {addresses:?}");
    }
    // « idem » is no place
    assert!(!addresses.iter().any(|a| a == "idem"), "{addresses:?}");
    let phones = found(csv, Kind::Telephone);
    for want in ["4417", "3012"] {
        assert!(phones.iter().any(|p| p == want), "{want}: {phones:?}");
    }
    // without a street's column, « N° » is a file's number
    let files = "| N° | Patient | Âge |\n|---|---|---|\n| 20455 | Mme Roux | 91 |\n";
    assert!(found(files, Kind::Adresse).is_empty());
}

#[test]
fn rooms_heading_a_line_after_a_titled_name_and_in_words() {
    let text = "Transmissions de nuit\n\
                • 214 B – LE ROUX Anne : a dormi.\n\
                118-2 : lit vide.\n\
                vu Mme Carré (17) et M. Jaouen (82), la 21B puis la 306-1.\n\
                la quatorze a sonné, la deux cent six aussi, la quinze jours de repos.";
    let rooms = found(text, Kind::Chambre);
    for want in [
        "214 B",
        "118-2",
        "17",
        "21B",
        "306-1",
        "quatorze",
        "deux cent six",
    ] {
        assert!(rooms.iter().any(|r| r == want), "{want}: {rooms:?}");
    }
    // an age after a name, a count of days
    for not in ["82", "quinze"] {
        assert!(!rooms.iter().any(|r| r == not), "{not}: {rooms:?}");
    }
}

#[test]
fn file_numbers_grouped_by_dots_dashes_underscores_and_spaced_dashes() {
    assert!(has(
        "Dossier : KP-41-07.318\n",
        Kind::NumeroDossier,
        "KP-41-07.318"
    ));
    assert!(has(
        "Objet : dossier AT 25-1187-AT/42 – Mme Roux",
        Kind::NumeroDossier,
        "AT 25-1187-AT/42"
    ));
    assert!(has(
        "dossier n° 2024-0831 – 0552 transmis",
        Kind::NumeroDossier,
        "2024-0831 – 0552"
    ));
    // a count, another field or a date after a spaced dash is not a group
    assert!(has(
        "dossier n° 2025-118 – 12 séances",
        Kind::NumeroDossier,
        "2025-118"
    ));
    assert!(has(
        "dossier CHU-PNEU-25-4418 – VEMS 41 %",
        Kind::NumeroDossier,
        "CHU-PNEU-25-4418"
    ));
}

#[test]
fn file_numbers_dictated_in_words_after_their_cue() {
    assert!(has(
        "chute au domicile dossier sinistre numéro trois un zéro sept sept deux chez son assureur",
        Kind::NumeroDossier,
        "trois un zéro sept sept deux"
    ));
    assert!(has(
        "numéro de prescription K tiret quatre un tiret zéro six deux fin de dictée",
        Kind::NumeroDossier,
        "K tiret quatre un tiret zéro six deux"
    ));
    assert!(has(
        "numéro de séjour trente-deux zéro huit cinq un intervention prévue",
        Kind::NumeroDossier,
        "trente-deux zéro huit cinq un"
    ));
    // a room, or a file cue before one number word, is no dictated number
    let t = "chambre numéro deux cent douze, dossier numéro deux à revoir";
    assert!(found(t, Kind::NumeroDossier).is_empty());
}

#[test]
fn a_postcode_read_from_a_scan_before_its_town_in_capitals() {
    // « O » for « 0 », « l » for « 1 », a space inside the figures
    for (text, postcode) in [
        ("Adresse : 4 rue Haute\n35OOO RENNES", "35OOO"),
        ("Cabinet – 2 rue Neuve – 6OOOO BEAUVAIS", "6OOOO"),
        ("2 place du Marché – 2l2OO HAUTE-GOULAINE", "2l2OO"),
        ("Domicile : 8 allée Verte, 4 4000 NANTES", "4 4000"),
        ("Résidence du Parc\n6 9 0 0 1 LYON", "6 9 0 0 1"),
    ] {
        assert_eq!(found(text, Kind::CodePostal), [postcode], "{text}");
    }
    // a dose, a flow or a count before a word in capitals stays
    for text in [
        "O2 1 l/min au repos, SpO2 94 %",
        "Vitamine D 1OO OOO UI",
        "Score 3 1 0 4 5 MOIS",
        "Pression 12 000 PAS",
    ] {
        assert!(found(text, Kind::CodePostal).is_empty(), "{text}");
    }
}
