//! What a journal entry may say in clear: the law's vocabulary only.
//!
//! The journal keeps its recipient, purpose, verdict and legal basis in
//! clear (a verification needs no key) and is never erased. A free word
//! there — a name typed into `recipient` — would stay readable for ever;
//! so every interface that appends (the API, the command line, the pages)
//! checks an entry here first: the recipient and the purpose are values of
//! the law's facts `recipient` and `purpose`, the basis names texts of the
//! corpus, the verdict is one of the contract's. A refusal names the field
//! and what it accepts, never the value submitted.

use sceau_engine::{Law, Verdict};
use sceau_store::journal::NewEntry;

/// Recorded when the interview settled the decision before asking the
/// recipient or the purpose: Sceau's own word, not a value of the law.
pub const NOT_GIVEN: &str = "non_precise";

/// The purpose of the entry the report page writes when the victim was
/// informed of a report (CP 226-14 3°, the duty it records).
pub const VICTIM_INFORMED: &str = "victime_informee";

/// Purposes of entries Sceau writes itself, beside the law's.
pub const OWN_PURPOSES: &[&str] = &[VICTIM_INFORMED];

/// Checks an entry against the law's vocabulary; the French message names
/// the field at fault.
pub fn check_entry(law: &Law, e: &NewEntry) -> Result<(), String> {
    let values = |fact: &str| -> Vec<String> {
        law.fact(fact)
            .map(|f| f.choices.iter().map(|c| c.value.clone()).collect())
            .unwrap_or_default()
    };
    let recipients = values("recipient");
    if e.recipient.trim() != NOT_GIVEN && !recipients.iter().any(|v| v == e.recipient.trim()) {
        return Err(format!(
            "Champ «\u{a0}recipient\u{a0}»\u{a0}: une catégorie de destinataire de la loi est attendue ({}, ou {NOT_GIVEN}).",
            recipients.join(", ")
        ));
    }
    let purposes = values("purpose");
    let purpose = e.purpose.trim();
    if purpose != NOT_GIVEN
        && !OWN_PURPOSES.contains(&purpose)
        && !purposes.iter().any(|v| v == purpose)
    {
        return Err(format!(
            "Champ «\u{a0}purpose\u{a0}»\u{a0}: une finalité de la loi est attendue ({}, ou {NOT_GIVEN}).",
            purposes.join(", ")
        ));
    }
    if Verdict::parse(e.verdict.trim()).is_none() {
        return Err("Champ «\u{a0}verdict\u{a0}»\u{a0}: un verdict du contrat est attendu.".into());
    }
    if let Some(i) = e.basis.iter().position(|b| !law.source_exists(b.trim())) {
        return Err(format!(
            "Champ «\u{a0}basis\u{a0}», texte n°\u{a0}{}\u{a0}: un identifiant d’article du corpus est attendu (par exemple csp:L1110-4 ou cp:226-14:3\u{a0}; voir /api/v1/articles).",
            i + 1
        ));
    }
    Ok(())
}
