//! The race against Cedar is fair only if both say the same thing: on
//! every reference case and every generated situation, Cedar allows
//! exactly when Sceau's verdict is `allowed`. On partial situations Cedar
//! cannot reason about unknown facts (a policy reading an absent attribute
//! is skipped), so Sceau may prove `allowed` by splitting where Cedar
//! denies; those are counted, and every other difference fails.

#[path = "../common/cedar.rs"]
#[allow(dead_code)] // the benches use all of it
mod cedar;

use cedar_policy::Authorizer;
use sceau_bench::{generated_mix, reference_situations};
use sceau_engine::{Situation, Verdict};

#[test]
fn cedar_and_sceau_agree_on_allow_and_deny() {
    let law = sceau_law::law();
    let set = cedar::policies(law);
    assert!(
        set.policies().count() > 10,
        "the rules become Cedar policies"
    );
    let auth = Authorizer::new();
    let parties = cedar::Parties::default();
    let mut situations: Vec<Situation> = reference_situations(law);
    let reference = situations.len();
    situations.extend(generated_mix(law, 20_000));
    let (mut allowed, mut split_only) = (0, 0);
    for (k, s) in situations.iter().enumerate() {
        let complete = (0..law.facts.len()).all(|f| s.is_known(f));
        let sceau = law.decide(s).verdict == Verdict::Allowed;
        let by_request = cedar::allows(&auth, &set, &parties.request(law, s));
        let json = cedar::context_json(law, s).to_string();
        let by_json = cedar::allows(&auth, &set, &parties.request_from_json(&json));
        assert_eq!(
            by_request, by_json,
            "situation {k}: both Cedar requests agree"
        );
        allowed += sceau as usize;
        if sceau == by_request {
            continue;
        }
        assert!(
            sceau && !complete,
            "situation {k} ({}): Sceau {sceau}, Cedar {by_request}, facts {:?}",
            if k < reference {
                "reference"
            } else {
                "generated"
            },
            s.known(law)
        );
        split_only += 1;
    }
    eprintln!(
        "{} situations, {allowed} allowed by Sceau, {split_only} partial ones proved allowed by Sceau only",
        situations.len()
    );
    assert!(allowed > 0, "the mix exercises permits");
}
