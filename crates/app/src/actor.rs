//! Who discloses, as the law sees them: the profession of the signed-in
//! account, never asked and never assumed.
//!
//! The rules of CP 226-14 and of the code of ethics bind some actors and not
//! others (a student or an assistant is not a health professional under
//! CP 226-14 2°–3°): deciding a student's report as a masseur-kinésithérapeute's
//! would rest it on an exception that does not cover her.

use sceau_store::Role;

/// The engine's `actor` value for an account's role. A practice's
/// administrator keeps the clinical journal and writes the reports: a
/// masseur-kinésithérapeute.
pub fn actor_of(role: Role) -> &'static str {
    match role {
        Role::Etudiant => "etudiant_mk",
        Role::Assistant => "assistant",
        Role::Kinesitherapeute | Role::Administrateur => "masseur_kinesitherapeute",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every role maps to a value of the law's `actor` fact.
    #[test]
    fn every_role_is_an_actor_of_the_law() {
        let law = sceau_law::law();
        let actor = law.fact("actor").expect("the law has the fact actor");
        for role in Role::ALL {
            let v = actor_of(role);
            assert!(
                actor.value_index(v).is_some(),
                "{v} is not a value of actor"
            );
        }
        assert_eq!(actor_of(Role::Etudiant), "etudiant_mk");
        assert_eq!(actor_of(Role::Assistant), "assistant");
    }
}
