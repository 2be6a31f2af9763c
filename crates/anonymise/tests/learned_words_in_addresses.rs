//! A word of an address's named building that the learned detector reads
//! alone (« Pins » as a commune, an establishment or a surname) is part of
//! the address: the structure (a street, then « bâtiment », « résidence » or
//! « immeuble » and its name) says more than one word's weights. Phrases
//! written for these tests; the model stands in for any weights that would
//! take that word (the detector trained on every development set took
//! « Pins » in « bâtiment Les Pins »).
use std::sync::Arc;

use sceau_anonymise::{Anonymiser, DetectorModel, Kind};

/// A word detector that takes every capitalised word it scores as `class`.
fn every_word(class: &str) -> DetectorModel {
    let classes = ["O", "nom", "etablissement", "ville", "chambre"];
    let w: Vec<&str> = classes
        .iter()
        .map(|c| if *c == class { "5" } else { "0" })
        .collect();
    DetectorModel::parse(&format!(
        "threshold\t1\nclasses\t{}\nsh=Xx\t{}\n",
        classes.join("\t"),
        w.join("\t")
    ))
    .expect("a model")
}

#[test]
fn a_word_of_a_named_building_read_alone_stays_in_the_address() {
    for class in ["ville", "etablissement", "nom"] {
        let a = Anonymiser::new()
            .with_detector(Some(Arc::new(every_word(class))))
            .with_sequence(None);
        for (text, address) in [
            (
                "Domicile : 12 impasse des Saules, bâtiment Les Cèdres, 2e étage.",
                "12 impasse des Saules, bâtiment Les Cèdres, 2e étage",
            ),
            (
                "Vit au 5 rue Jean Jaurès, immeuble Horizon, porte 8.",
                "5 rue Jean Jaurès, immeuble Horizon, porte 8",
            ),
        ] {
            let got: Vec<&str> = a
                .detect(text)
                .iter()
                .filter(|s| s.kind == Kind::Adresse)
                .map(|s| &text[s.start..s.end])
                .collect();
            assert_eq!(got, [address], "{class}: {text}");
        }
    }
}
