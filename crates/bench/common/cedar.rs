//! The allow/forbid part of Sceau's rules as Cedar policies, and the
//! situations as Cedar requests: the peers of the decision benchmark. Two
//! policy sets: one generated from the loaded law (below), and one written
//! by hand (`cedar_hand.cedar`, see [`hand_policies`]).
//!
//! Translation, generated from the loaded law so that it is the same rules:
//! - a rule with verdict `allowed` becomes a `permit`, one with verdict
//!   `forbidden` a `forbid`; the other verdicts (`not_required`, `refer`,
//!   `not_covered`) have no Cedar counterpart and end in Cedar's default
//!   deny. Sceau's "allow" is the verdict `allowed`; everything else, and
//!   `undetermined`, is "deny".
//! - Cedar has no precedence between policies (a forbid always wins), so a
//!   rule's defeaters are expanded into its `unless` clause: rule *r* is
//!   active when its condition holds, it is in force on the date, and no
//!   defeater is active (recursively: defeaters of defeaters); a limit's
//!   `unless` also holds every ground, since a limit forbids only when no
//!   ground applies.
//! - Sceau's presumptions (law/qualities.toml) are applied to the situation
//!   before it becomes a Cedar context, so both decide the same facts.
//! - Facts are context attributes: booleans as Cedar booleans, choices as
//!   strings; the date as a long `yyyymmdd` (`as_of`).
//! - Unknown facts are absent from the context. A policy that reads an
//!   absent attribute errors and Cedar ignores it (fail-closed), so Cedar's
//!   Allow on a partial situation implies Sceau's `allowed` (Cedar's true
//!   implies Kleene true), but Sceau may also prove `allowed` by splitting on
//!   the unknowns where Cedar can only deny: the agreement test counts those
//!   and asserts every other situation agrees.

use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request, RestrictedExpression,
};
use chrono::{Datelike, NaiveDate};
use sceau_engine::expr::Expr;
use sceau_engine::{FactKind, Law, Situation, Verdict};

fn date_long(d: NaiveDate) -> i64 {
    (d.year() as i64) * 10_000 + (d.month() as i64) * 100 + d.day() as i64
}

fn expr(law: &Law, e: &Expr) -> String {
    match e {
        Expr::True => "true".into(),
        Expr::Atom { fact, mask } => {
            let f = &law.facts[*fact as usize];
            let attr = format!("context.{}", f.id);
            let values: Vec<usize> = (0..f.domain_size())
                .filter(|v| mask & (1 << v) != 0)
                .collect();
            if values.len() == f.domain_size() {
                return "true".into();
            }
            if values.is_empty() {
                return "false".into();
            }
            match f.kind {
                FactKind::Bool => {
                    if values == [1] {
                        attr
                    } else {
                        format!("!{attr}")
                    }
                }
                FactKind::Enum => {
                    let quoted: Vec<String> = values
                        .iter()
                        .map(|&v| format!("\"{}\"", f.choices[v].value))
                        .collect();
                    if quoted.len() == 1 {
                        format!("{attr} == {}", quoted[0])
                    } else {
                        format!("[{}].contains({attr})", quoted.join(", "))
                    }
                }
            }
        }
        Expr::Not(e) => format!("!({})", expr(law, e)),
        Expr::And(es) if es.is_empty() => "true".into(),
        Expr::Or(es) if es.is_empty() => "false".into(),
        Expr::And(es) => format!(
            "({})",
            es.iter()
                .map(|e| expr(law, e))
                .collect::<Vec<_>>()
                .join(" && ")
        ),
        Expr::Or(es) => format!(
            "({})",
            es.iter()
                .map(|e| expr(law, e))
                .collect::<Vec<_>>()
                .join(" || ")
        ),
    }
}

fn in_force(law: &Law, i: usize) -> String {
    let r = &law.rules[i];
    let mut parts = vec![];
    if let Some(f) = r.valid_from {
        parts.push(format!("context.as_of >= {}", date_long(f)));
    }
    if let Some(u) = r.valid_until {
        parts.push(format!("context.as_of <= {}", date_long(u)));
    }
    if parts.is_empty() {
        "true".into()
    } else {
        parts.join(" && ")
    }
}

/// Whether rule `i` is active, as a Cedar expression.
fn active(law: &Law, i: usize) -> String {
    let mut s = format!("({} && {}", in_force(law, i), expr(law, &law.rules[i].when));
    for &d in law.defeaters_of(i) {
        s.push_str(&format!(" && !{}", active(law, d)));
    }
    s.push(')');
    s
}

/// The policies, one per `allowed` or `forbidden` rule, named after it.
pub fn policies_text(law: &Law) -> String {
    let mut out = String::new();
    for (i, r) in law.rules.iter().enumerate() {
        let effect = match r.verdict {
            Some(Verdict::Allowed) => "permit",
            Some(Verdict::Forbidden) => "forbid",
            _ => continue,
        };
        let mut defeaters: Vec<String> = law
            .defeaters_of(i)
            .iter()
            .map(|&d| active(law, d))
            .collect();
        // A limit gives its verdict only when no ground applies at all.
        if law.is_limit(i) {
            defeaters.extend(law.grounds().iter().map(|&d| active(law, d)));
        }
        out.push_str(&format!(
            "@id(\"{}\")\n{effect}(principal, action == Action::\"disclose\", resource)\nwhen {{ {} && {} }}",
            r.id,
            in_force(law, i),
            expr(law, &r.when)
        ));
        if !defeaters.is_empty() {
            out.push_str(&format!("\nunless {{ {} }}", defeaters.join(" || ")));
        }
        out.push_str(";\n\n");
    }
    out
}

pub fn policies(law: &Law) -> PolicySet {
    PolicySet::from_str(&policies_text(law)).expect("generated Cedar policies parse")
}

/// The hand-written peer (`cedar_hand.cedar`): the same allow/deny rules as
/// a Cedar user would write them — default deny for the secret, a permit
/// per derogation, a forbid where a rule overrides one — written against
/// the rules of today, not generated.
pub const HAND_WRITTEN: &str = include_str!("cedar_hand.cedar");

pub fn hand_policies() -> PolicySet {
    PolicySet::from_str(HAND_WRITTEN).expect("cedar_hand.cedar parses")
}

/// The known facts and the date, as a Cedar context in JSON.
pub fn context_json(law: &Law, s: &Situation) -> serde_json::Value {
    let (s, _) = law.prepare(s);
    let s = &s;
    let mut m = serde_json::Map::new();
    m.insert("as_of".into(), date_long(s.as_of).into());
    for (i, f) in law.facts.iter().enumerate() {
        if let Some(v) = s.value(i) {
            let value = match f.kind {
                FactKind::Bool => serde_json::Value::Bool(v == 1),
                FactKind::Enum => serde_json::Value::String(f.choices[v].value.clone()),
            };
            m.insert(f.id.clone(), value);
        }
    }
    serde_json::Value::Object(m)
}

/// The principal, action and resource of every request.
pub struct Parties {
    principal: EntityUid,
    action: EntityUid,
    resource: EntityUid,
}

impl Default for Parties {
    fn default() -> Self {
        let uid = |s: &str| EntityUid::from_str(s).expect("valid entity uid");
        Parties {
            principal: uid("Professional::\"p\""),
            action: uid("Action::\"disclose\""),
            resource: uid("Information::\"i\""),
        }
    }
}

impl Parties {
    /// A request built directly from the situation (no JSON).
    pub fn request(&self, law: &Law, s: &Situation) -> Request {
        // The presumptions of the law apply to both peers (see the top).
        let (s, _) = law.prepare(s);
        let s = &s;
        let mut pairs = vec![(
            "as_of".to_string(),
            RestrictedExpression::new_long(date_long(s.as_of)),
        )];
        for (i, f) in law.facts.iter().enumerate() {
            if let Some(v) = s.value(i) {
                let e = match f.kind {
                    FactKind::Bool => RestrictedExpression::new_bool(v == 1),
                    FactKind::Enum => RestrictedExpression::new_string(f.choices[v].value.clone()),
                };
                pairs.push((f.id.clone(), e));
            }
        }
        let context = Context::from_pairs(pairs).expect("valid context");
        self.with_context(context)
    }

    /// A request from the context's JSON text (the JSON-to-decision path).
    pub fn request_from_json(&self, text: &str) -> Request {
        let context = Context::from_json_str(text, None).expect("valid context JSON");
        self.with_context(context)
    }

    fn with_context(&self, context: Context) -> Request {
        Request::new(
            self.principal.clone(),
            self.action.clone(),
            self.resource.clone(),
            context,
            None,
        )
        .expect("valid request")
    }
}

/// Cedar's answer: allow or deny.
pub fn allows(auth: &Authorizer, set: &PolicySet, req: &Request) -> bool {
    auth.is_authorized(req, set, &Entities::empty()).decision() == Decision::Allow
}

/// Cedar's answer as JSON text: the decision and the policies that
/// determined it (its counterpart of Sceau's basis).
pub fn response_json(auth: &Authorizer, set: &PolicySet, req: &Request) -> String {
    let r = auth.is_authorized(req, set, &Entities::empty());
    let reasons: Vec<String> = r.diagnostics().reason().map(|p| p.to_string()).collect();
    serde_json::json!({
        "decision": if r.decision() == Decision::Allow { "allow" } else { "deny" },
        "reasons": reasons,
    })
    .to_string()
}
