//! The recall targets of issue 8, on the committed evaluation set
//! (eval/anonymisation/notes.jsonl): ≥ 0.99 on names, NIR, telephone numbers,
//! e-mails and dates; ≥ 0.95 overall; every clinical term of the keep-list kept.
use sceau_anonymise::eval::{load_notes, STRICT_TYPES};
use sceau_anonymise::Anonymiser;

#[test]
fn recall_targets_on_the_evaluation_set() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../eval/anonymisation/notes.jsonl"
    );
    let notes = load_notes(&std::fs::read_to_string(path).expect("evaluation set")).unwrap();
    assert!(notes.len() >= 300);
    let a = Anonymiser::new();
    let score = a.evaluate(&notes);
    for t in STRICT_TYPES {
        let r = score.per_type[t].recall().unwrap();
        assert!(
            r >= 0.99,
            "recall on {t}: {r:.3}; misses: {:?}",
            score.misses.iter().filter(|m| m.1 == t).collect::<Vec<_>>()
        );
    }
    let overall = score.overall.recall().unwrap();
    assert!(overall >= 0.95, "overall recall {overall:.3}");
    assert!(
        score.overall.precision().unwrap() >= 0.95,
        "overall precision"
    );
    assert_eq!(
        score.keep_kept, score.keep_total,
        "clinical terms removed: {:?}",
        score.keep_lost
    );
}
