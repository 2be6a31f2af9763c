//! `validate`: the corpus as a whole, and the check the build runs.

use super::{edited, files};
use crate::load::LoadError;
use crate::validate::check;

#[test]
fn a_conflict_a_dead_rule_and_a_missing_citation_are_reported() {
    let files = edited("rules/t.toml", |t| {
        format!(
            "{t}
[[rule]]
id = \"family\"
cites = [\"t:9\"]
when = \"recipient = family and purpose = report\"
verdict = \"allowed\"
defeats = [\"base\"]
explanation = \"x\"

[[rule]]
id = \"never\"
cites = [\"t:1\"]
when = \"danger and not danger\"
verdict = \"forbidden\"
explanation = \"x\"
"
        )
    });
    let p = check(&files).expect_err("invalid");
    let messages: Vec<String> = p
        .iter()
        .map(|e| format!("{}:{}: {}", e.file, e.line, e.message))
        .collect();
    assert_eq!(
        messages[0],
        "rules/t.toml:59: rule `family`: cites `t:9`, which is not in the corpus"
    );
    assert!(
        messages[1].starts_with("rules/t.toml:")
            && messages[1].contains("conflict: rules ")
            && messages[1].contains("family"),
        "{messages:?}"
    );
    assert_eq!(
        messages.last().unwrap(),
        "rules/t.toml:67: rule `never` can never apply"
    );
}

#[test]
fn the_build_check_accepts_the_small_law_and_rejects_one_that_does_not_load() {
    assert!(check(&files()).is_ok());
    let files = edited("rules/t.toml", |t| {
        t.replace("when = \"consent\"", "when = \"consnet\"")
    });
    assert_eq!(
        check(&files).err(),
        Some(vec![LoadError {
            file: "rules/t.toml".into(),
            line: 14,
            message: "rule `consent`: unknown fact `consnet`".into(),
        }])
    );
}
