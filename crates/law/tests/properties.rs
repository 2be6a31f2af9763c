//! Properties of the law over the whole space of situations, not examples:
//! label invariance (the same recipient described by another valid label
//! gets the same verdict), monotonicity of grounds (stating one more
//! circumstance that opens a ground never turns « allowed » into
//! « forbidden »), and that each ground is tried whatever the purpose.
//!
//! Situations are drawn at random, complete (every fact known) and on
//! every period of the law, with a fixed seed so that a failure repeats.

mod common;

use sceau_engine::{Law, Situation, Verdict};

/// A small deterministic generator (xorshift): no dependency, repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn fact(law: &Law, id: &str) -> usize {
    law.fact_idx(id).unwrap_or_else(|| panic!("fact {id}"))
}

fn value(law: &Law, f: usize, v: &str) -> usize {
    law.facts[f].value_index(v).unwrap()
}

/// A complete situation drawn at random on one of the law's periods, with
/// qualities consistent with the recipient label (others are redrawn).
fn complete(law: &Law, rng: &mut Rng) -> Situation {
    let epochs = law.epochs();
    loop {
        let date = epochs[rng.below(epochs.len())];
        let mut s = Situation::unknown(law, date);
        s.as_of_given = true;
        for (i, f) in law.facts.iter().enumerate() {
            s.set(i, rng.below(f.domain_size()));
        }
        fit_qualities(law, &mut s);
        let mut m = s.masks;
        if law.qualities.restrict(&mut m).is_ok() && m == s.masks {
            return s;
        }
    }
}

/// Sets the qualities a label fixes to their value (open ones keep theirs).
fn fit_qualities(law: &Law, s: &mut Situation) {
    for q in &law.qualities.qualities {
        let bit = 1u32 << s.value(q.of).unwrap();
        if q.yes & bit != 0 {
            s.set(q.fact, 1);
        } else if q.ask & bit == 0 && q.same_as.is_none_or(|(_, v)| v & bit == 0) {
            s.set(q.fact, 0);
        }
    }
    for q in &law.qualities.qualities {
        if let Some((other, values)) = q.same_as {
            if values & (1u32 << s.value(q.of).unwrap()) != 0 {
                let v = s.value(other).unwrap();
                s.set(q.fact, v);
            }
        }
    }
}

fn verdict(law: &Law, s: &Situation) -> Verdict {
    law.assess(s).verdict
}

/// The care professionals a user may describe a physician who cares for
/// the patient with: the three descriptions carry the same qualities.
fn physician_descriptions(law: &Law, s: &Situation) -> Vec<Situation> {
    let r = fact(law, "recipient");
    let team = fact(law, "recipient_in_care_team");
    let phys = fact(law, "recipient_physician");
    let hp = fact(law, "recipient_health_professional");
    let in_team = s.value(team) == Some(1);
    let mut out = Vec::new();
    let mut a = s.clone();
    a.set(r, value(law, r, "autorite_medicale"));
    out.push(a);
    let mut b = s.clone();
    let label = if in_team {
        "equipe_de_soins"
    } else {
        "professionnel_hors_equipe"
    };
    b.set(r, value(law, r, label));
    b.set(phys, 1);
    b.set(hp, 1);
    out.push(b);
    out
}

#[test]
fn a_physician_caring_for_the_patient_gets_the_same_verdict_whatever_the_label() {
    let law = sceau_law::law();
    let mut rng = Rng(0x5ce4_u64 << 20 | 13);
    let mut compared = 0;
    for _ in 0..20_000 {
        let s = complete(law, &mut rng);
        let ds = physician_descriptions(law, &s);
        let v: Vec<Verdict> = ds.iter().map(|d| verdict(law, d)).collect();
        assert!(
            v.windows(2).all(|w| w[0] == w[1]),
            "same physician, different verdicts {v:?} for {:?}",
            ds[0].known(law)
        );
        compared += 1;
    }
    assert_eq!(compared, 20_000);
}

#[test]
fn labels_no_rule_names_are_decided_by_their_qualities_alone() {
    // Rules may name a recipient the law names (procureur, CRIP, préfet,
    // ayant droit…); every other label is only a bundle of qualities. Two
    // such labels with the same qualities must get the same verdict.
    let law = sceau_law::law();
    let r = fact(law, "recipient");
    let named: Vec<usize> = (0..law.facts[r].domain_size())
        .filter(|&v| {
            let name = &law.facts[r].choices[v].value;
            law.rules.iter().any(|rule| {
                rule.when_src.contains("recipient") && rule.when_src.contains(name.as_str())
            })
        })
        .collect();
    let unnamed: Vec<usize> = (0..law.facts[r].domain_size())
        .filter(|v| !named.contains(v))
        .collect();
    assert!(unnamed.len() >= 3, "unnamed labels: {unnamed:?}");
    let qualities: Vec<usize> = law.qualities.qualities.iter().map(|q| q.fact).collect();
    let mut rng = Rng(977);
    let mut pairs = 0;
    for _ in 0..20_000 {
        let s = complete(law, &mut rng);
        let Some(l1) = s.value(r).filter(|v| unnamed.contains(v)) else {
            continue;
        };
        let mut p1 = s.clone();
        law.qualities.restrict(&mut p1.masks).unwrap();
        for &l2 in unnamed.iter().filter(|&&l| l != l1) {
            let mut t = s.clone();
            t.set(r, l2);
            if law.qualities.restrict(&mut t.masks).is_err() {
                continue;
            }
            // Same qualities as the labels read them: evaluate each quality's
            // rewritten condition through a rule-free probe, i.e. compare the
            // verdicts only when every quality fact keeps its value.
            let same = qualities.iter().all(|&q| {
                let probe = |x: &Situation| quality_holds(law, x, q);
                probe(&s) == probe(&t)
            });
            if same {
                pairs += 1;
                assert_eq!(
                    verdict(law, &s),
                    verdict(law, &t),
                    "labels {} and {} carry the same qualities but differ on {:?}",
                    law.facts[r].choices[l1].value,
                    law.facts[r].choices[l2].value,
                    s.known(law)
                );
            }
        }
    }
    assert!(pairs > 100, "only {pairs} pairs compared");
}

/// Whether quality `q` holds for situation `s` as the rules read it.
fn quality_holds(law: &Law, s: &Situation, q: usize) -> bool {
    let qual = law
        .qualities
        .qualities
        .iter()
        .find(|x| x.fact == q)
        .unwrap();
    let label = s.value(qual.of).unwrap();
    let bit = 1u32 << label;
    if qual.yes & bit != 0 {
        return true;
    }
    if qual.ask & bit != 0 {
        return s.value(q) == Some(1);
    }
    if let Some((other, values)) = qual.same_as {
        if values & bit != 0 {
            return quality_holds(law, s, other);
        }
    }
    false
}

#[test]
fn stating_a_circumstance_never_turns_allowed_into_forbidden() {
    // Monotonicity of grounds: a disclosure allowed stays allowed (or
    // becomes another non-forbidding answer) when one more circumstance
    // that opens a ground is stated.
    let law = sceau_law::law();
    let opening = [
        "violence_observed",
        "violence_confided",
        "violence_within_couple",
        "life_in_immediate_danger",
        "victim_under_emprise",
        "grave_imminent_risk",
        "alternatives_exhausted",
        "person_dangerous",
        "holds_or_seeks_weapon",
        "proceedings_about_own_practice",
        "professional_victim_of_patient",
    ];
    let mut rng = Rng(31337);
    let mut checked = 0;
    for _ in 0..20_000 {
        let s = complete(law, &mut rng);
        if verdict(law, &s) != Verdict::Allowed {
            continue;
        }
        for id in opening {
            let f = fact(law, id);
            if s.value(f) != Some(0) {
                continue;
            }
            let mut t = s.clone();
            t.set(f, 1);
            checked += 1;
            assert_ne!(
                verdict(law, &t),
                Verdict::Forbidden,
                "stating {id} turned allowed into forbidden on {:?}",
                s.known(law)
            );
        }
    }
    assert!(checked > 1_000, "only {checked} checks");
}

#[test]
fn each_ground_is_tried_whatever_the_purpose_declared() {
    // When the facts of a 226-14 1° report hold (sévices on a minor, a
    // medical, judicial or administrative authority), the verdict is
    // « allowed » whichever purpose label was picked.
    let law = sceau_law::law();
    let p = fact(law, "purpose");
    let mut rng = Rng(4242);
    let mut checked = 0;
    for _ in 0..5_000 {
        let mut s = complete(law, &mut rng);
        let r = fact(law, "recipient");
        let label = [
            "procureur",
            "juge",
            "autorite_medicale",
            "prefet",
            "autorite_administrative",
        ][rng.below(5)];
        s.set(r, value(law, r, label));
        for (id, v) in [
            ("info_obtained_in_practice", 1),
            ("violence_observed", 1),
            ("patient_minor", 1),
            ("info_strictly_necessary", 1),
            ("patient_alive", 1),
        ] {
            s.set(fact(law, id), v);
        }
        fit_qualities(law, &mut s);
        for purpose in 0..law.facts[p].domain_size() {
            let mut t = s.clone();
            t.set(p, purpose);
            checked += 1;
            assert_eq!(
                verdict(law, &t),
                Verdict::Allowed,
                "purpose {} blocks 226-14 1° on {:?}",
                law.facts[p].choices[purpose].value,
                t.known(law)
            );
        }
    }
    assert!(checked > 10_000);
}

#[test]
fn a_quality_contradicting_its_label_is_refused_naming_the_field() {
    let law = sceau_law::law();
    let today = common::today();
    let e = law
        .parse_situation(
            &serde_json::json!({"recipient": "procureur", "recipient_physician": true}),
            today,
        )
        .unwrap_err();
    assert_eq!(e.error, "contradiction");
    assert_eq!(e.field.as_deref(), Some("recipient_physician"));
    // Consistent: accepted, and a quality given without a label narrows it.
    assert!(law
        .parse_situation(
            &serde_json::json!({"recipient": "professionnel_hors_equipe", "recipient_physician": true}),
            today
        )
        .is_ok());
    let s = law
        .parse_situation(
            &serde_json::json!({"recipient_judicial_authority": true}),
            today,
        )
        .unwrap();
    let (p, _) = law.prepare(&s);
    let r = law.fact_idx("recipient").unwrap();
    let labels: Vec<&str> = law.facts[r]
        .choices
        .iter()
        .enumerate()
        .filter(|(i, _)| p.masks[r] & (1 << i) != 0)
        .map(|(_, c)| c.value.as_str())
        .collect();
    assert_eq!(labels, ["procureur", "police_gendarmerie", "juge"]);
}
