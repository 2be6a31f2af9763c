//! `eval`: the status of every rule in Kleene logic, with defeaters,
//! limits and annotations.

use super::{date, law, situation};
use crate::expr::Tri;
use crate::law::{Law, Verdict};

fn idx(law: &Law, id: &str) -> usize {
    law.rules.iter().position(|r| r.id == id).expect("rule")
}

#[test]
fn a_ground_that_holds_defeats_the_secret() {
    let law = law();
    let s = situation(
        &law,
        date(2022, 1, 1),
        &[("actor", "kine"), ("consent", "true")],
    );
    let st = law.evaluate(&s.masks, s.as_of);
    let (secret, consent) = (idx(&law, "secret"), idx(&law, "consent"));
    assert_eq!(st.when[secret], Tri::T);
    assert_eq!(st.active[secret], Tri::F);
    assert_eq!(st.defeated_by[secret], Some(consent as u16));
    assert_eq!(st.active[consent], Tri::T);
    assert_eq!(st.certain(), Some(Verdict::Allowed));
    // The annotation attached to `consent` applies with it.
    assert_eq!(st.active[idx(&law, "consent-note")], Tri::T);
}

#[test]
fn an_unknown_defeater_leaves_the_rule_unknown() {
    let law = law();
    let s = situation(&law, date(2022, 1, 1), &[("actor", "kine")]);
    let st = law.evaluate(&s.masks, s.as_of);
    assert_eq!(st.active[idx(&law, "consent")], Tri::U);
    assert_eq!(st.active[idx(&law, "secret")], Tri::U);
    assert_eq!(st.defeated_by[idx(&law, "secret")], None);
    assert_eq!(st.certain(), None);
    assert_eq!(
        st.possible(),
        Verdict::Allowed.bit() | Verdict::Forbidden.bit()
    );
    // The annotation follows its host: unknown.
    assert_eq!(st.active[idx(&law, "consent-note")], Tri::U);
}

#[test]
fn a_limit_gives_way_to_any_ground_that_applies() {
    let law = law();
    let facts = [
        ("actor", "kine"),
        ("recipient", "judge"),
        ("danger", "true"),
        ("tried", "false"),
    ];
    let limit = idx(&law, "try-first");
    // No ground: the limit applies.
    let mut s = situation(&law, date(2022, 1, 1), &facts);
    s.set_named(&law, "consent", "false").unwrap();
    let st = law.evaluate(&s.masks, s.as_of);
    assert_eq!(st.active[limit], Tri::T);
    assert_eq!(st.certain(), Some(Verdict::Forbidden));
    // Consent is a ground: the limit is blocked by it.
    s.set_named(&law, "consent", "true").unwrap();
    let st = law.evaluate(&s.masks, s.as_of);
    assert_eq!(st.active[limit], Tri::F);
    assert_eq!(st.defeated_by[limit], Some(idx(&law, "consent") as u16));
    assert_eq!(st.certain(), Some(Verdict::Allowed));
}

#[test]
fn a_rule_out_of_its_period_is_not_evaluated() {
    let law = law();
    let facts = [
        ("actor", "kine"),
        ("recipient", "judge"),
        ("danger", "true"),
        ("tried", "true"),
        ("consent", "false"),
    ];
    let danger = idx(&law, "danger");
    let before = situation(&law, date(2020, 6, 1), &facts);
    let st = law.evaluate(&before.masks, before.as_of);
    assert_eq!((st.when[danger], st.active[danger]), (Tri::F, Tri::F));
    assert_eq!(st.certain(), Some(Verdict::Forbidden));
    let after = situation(&law, date(2021, 1, 1), &facts);
    let st = law.evaluate(&after.masks, after.as_of);
    assert_eq!(st.active[danger], Tri::T);
    assert_eq!(st.certain(), Some(Verdict::Allowed));
}

#[test]
fn a_profession_rule_applies_to_its_actors_only() {
    let law = law();
    let refers = idx(&law, "student-refers");
    let student = situation(
        &law,
        date(2022, 1, 1),
        &[("actor", "student"), ("consent", "false")],
    );
    let st = law.evaluate(&student.masks, student.as_of);
    assert_eq!(st.active[refers], Tri::T);
    assert_eq!(st.certain(), Some(Verdict::Refer));
    let kine = situation(
        &law,
        date(2022, 1, 1),
        &[("actor", "kine"), ("consent", "false")],
    );
    let st = law.evaluate(&kine.masks, kine.as_of);
    assert_eq!(st.when[refers], Tri::F);
}

#[test]
fn the_two_valued_reference_agrees_on_a_complete_situation() {
    let law = law();
    // actor=student, recipient=judge, recipient_judicial=true, purpose=care,
    // consent=false, danger=true, tried=true, secret_asked=false.
    let values = [1u8, 0, 1, 0, 0, 1, 1, 0];
    assert_eq!(
        law.reference_verdicts(&values, date(2022, 1, 1)),
        vec![Verdict::Refer]
    );
    let kine = [0u8, 0, 1, 0, 0, 1, 1, 0];
    assert_eq!(
        law.reference_verdicts(&kine, date(2022, 1, 1)),
        vec![Verdict::Allowed]
    );
}
