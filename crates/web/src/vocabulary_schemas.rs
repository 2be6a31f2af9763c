//! JSON schemas of the values the API takes from fixed lists: the
//! categories of recipient and the purposes of `law/facts.toml`, the
//! verdicts of the contract, the identifiers of the corpus' texts and the
//! register's ways of collecting a consent. The handlers refuse any other
//! value with a 422 (`check_value` of the register,
//! `sceau_app::journal_entry::check_entry` of the journal); stating them as
//! enums in the OpenAPI document lets a client, and a property-based test,
//! send what the API accepts instead of any string.

use sceau_app::journal_entry::{NOT_GIVEN, OWN_PURPOSES};
use sceau_engine::Verdict;
use sceau_store::register::{CONSENT_METHODS, OPPOSITION_ALL};
use serde_json::Value;
use utoipa::openapi::schema::{ArrayBuilder, Object, ObjectBuilder, SchemaType, Type};

/// At most this many texts in a journal entry's `basis` (the store's bound).
pub const BASIS_MAX: usize = 20;

/// The values of one of the law's facts, in the law's order.
fn fact_values(fact: &str) -> Vec<String> {
    sceau_law::law()
        .fact(fact)
        .map(|f| f.choices.iter().map(|c| c.value.clone()).collect())
        .unwrap_or_default()
}

fn one_of(values: impl IntoIterator<Item = String>, nullable: bool, description: &str) -> Object {
    let mut values: Vec<Value> = values.into_iter().map(Value::String).collect();
    let ty = if nullable {
        values.push(Value::Null);
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(ty)
        .enum_values(Some(values))
        .description(Some(description))
        .build()
}

/// A category of recipient: a value of the fact `recipient`.
pub fn recipient() -> Object {
    one_of(
        fact_values("recipient"),
        false,
        "Catégorie de destinataire : une valeur du fait « recipient ».",
    )
}

/// A purpose, or none (null: any purpose).
pub fn purpose_or_any() -> Object {
    one_of(
        fact_values("purpose"),
        true,
        "Une valeur du fait « purpose » ; absent ou null : toute finalité.",
    )
}

/// What an opposition covers: everything, or one category of recipient.
pub fn opposition_scope() -> Object {
    one_of(
        std::iter::once(OPPOSITION_ALL.to_string()).chain(fact_values("recipient")),
        false,
        "« tout », ou une catégorie de destinataire (valeur du fait « recipient »).",
    )
}

/// A journal entry's recipient: the law's, or « not given » when the
/// interview settled the decision before asking.
pub fn journal_recipient() -> Object {
    one_of(
        fact_values("recipient")
            .into_iter()
            .chain([NOT_GIVEN.to_string()]),
        false,
        "Une valeur du fait « recipient », ou « non_precise ».",
    )
}

/// A journal entry's purpose: the law's, Sceau's own, or « not given ».
pub fn journal_purpose() -> Object {
    one_of(
        fact_values("purpose")
            .into_iter()
            .chain(OWN_PURPOSES.iter().map(|p| p.to_string()))
            .chain([NOT_GIVEN.to_string()]),
        false,
        "Une valeur du fait « purpose », « victime_informee » ou « non_precise ».",
    )
}

/// How a consent was collected.
pub fn consent_method() -> Object {
    one_of(
        CONSENT_METHODS.iter().map(|(k, _)| k.to_string()),
        false,
        "Mode de recueil : oral, ecrit ou electronique.",
    )
}

/// A verdict of the contract.
pub fn verdict() -> Object {
    one_of(
        Verdict::RULE_VERDICTS
            .into_iter()
            .chain([Verdict::Undetermined])
            .map(|v| v.as_str().to_string()),
        false,
        "Le verdict que Sceau a rendu.",
    )
}

/// The identifiers of the corpus' texts a journal entry may cite: every
/// article, and every paragraph any of its versions has
/// (`Law::source_exists`), as long as the journal can store it in clear
/// (at most 64 of `A-Z a-z 0-9 _ - : .`).
pub fn source_ids() -> Vec<String> {
    let storable = |id: &String| {
        id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-:.".contains(c))
    };
    let mut ids = Vec::new();
    for a in &sceau_law::law().articles {
        ids.push(a.id.clone());
        for v in &a.versions {
            for p in &v.paragraphs {
                ids.push(format!("{}:{}", a.id, p.key));
            }
        }
    }
    ids.retain(storable);
    ids.sort();
    ids.dedup();
    ids
}

/// A journal entry's legal basis: up to [`BASIS_MAX`] texts of the corpus.
pub fn basis() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(one_of(
            source_ids(),
            false,
            "Un identifiant de texte du corpus (voir /api/v1/articles), par exemple cp:226-14:3.",
        ))
        .max_items(Some(BASIS_MAX))
        .description(Some(
            "Le fondement juridique : au plus 20 textes du corpus.",
        ))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every identifier the schema offers is one the journal's check accepts.
    #[test]
    fn every_source_id_exists_in_the_corpus() {
        let law = sceau_law::law();
        let ids = source_ids();
        assert!(ids.len() > law.articles.len(), "paragraphs listed too");
        for id in &ids {
            assert!(law.source_exists(id), "{id}");
        }
        assert!(ids.iter().any(|i| i == "cp:226-14:3"));
    }
}
