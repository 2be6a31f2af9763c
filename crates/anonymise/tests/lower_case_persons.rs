//! A first name and a surname written in lower case, as dictation and
//! messages write them, where a person is expected: after a word of
//! kinship, « je suis », or a letter's closing formula. The first name may
//! be a word of the language too (« marc », « maxime », « jade ») when the
//! surname after it is one no dictionary of words holds.
use sceau_anonymise::Anonymiser;

/// Each text, anonymised, shows (`shown`) or no longer shows the words.
fn check(cases: &[(&str, &str)], shown: bool) {
    for (text, words) in cases {
        let o = Anonymiser::new().anonymise(text).text;
        assert_eq!(o.contains(words), shown, "{words}: {o}");
    }
}

#[test]
fn a_first_name_that_is_a_word_before_a_plain_surname() {
    check(
        &[
            ("bonjour je suis marc lesueur, le père de Tom", "lesueur"),
            (
                "elle attend son petit-fils maxime dubreuil samedi",
                "dubreuil",
            ),
            (
                "elle attend son petit-fils maxime dubreuil samedi",
                "maxime",
            ),
            ("sa fille jade poirot passera demain", "poirot"),
        ],
        false,
    );
}

#[test]
fn a_signature_after_a_closing_formula() {
    check(
        &[
            ("à revoir dans un mois amitiés bertrand lecomte", "lecomte"),
            ("bien confraternellement anne-sophie kergoat fin", "kergoat"),
            (
                "merci de votre retour cordialement gisèle marchetti",
                "marchetti",
            ),
        ],
        false,
    );
}

#[test]
fn words_after_these_cues_stay_when_they_are_no_name() {
    check(
        &[
            ("je suis marc de café ce matin", "marc de café"),
            (
                "cordialement le service de rééducation",
                "le service de rééducation",
            ),
            ("son fils rose toujours la peau", "rose toujours"),
        ],
        true,
    );
}
