//! The facts a report, a reply to a requisition or an expert's checklist is
//! decided on when an account drafts it: who writes (the account's
//! profession) and what every such document presupposes.
//!
//! Before, the web always decided these documents as a
//! masseur-kinésithérapeute, so a student's or an assistant's report was
//! decided under exceptions reserved to health professionals (CP 226-14 2°
//! and 3°).

use sceau_store::Role;
use serde_json::{json, Map, Value};

use crate::actor::actor_of;

/// The facts of a report under CP 226-14 drafted by an account with `role`:
/// the actor, the purpose (`signalement`), and what a report presupposes —
/// the information was obtained in practice, about a living person.
pub fn signalement_facts(role: Role) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert("actor".into(), json!(actor_of(role)));
    s.insert("purpose".into(), json!("signalement"));
    s.insert("info_obtained_in_practice".into(), json!(true));
    s.insert("patient_alive".into(), json!(true));
    s
}

/// The facts of a reply to a judicial requisition drafted by an account
/// with `role` (the letter adds the purpose and the requester).
pub fn requisition_facts(role: Role) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert("actor".into(), json!(actor_of(role)));
    s.insert("info_obtained_in_practice".into(), json!(true));
    s
}
