//! OpenAPI schemas of types that live in other crates (the engine's
//! situation, decision and errors): the mirrors the API documents, in one
//! place. A type of this crate carries `ToSchema` itself.

use sceau_engine::FactKind;
use serde_json::Value;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

/// The error body for an invalid situation (HTTP 422), as `sceau decide` prints it.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct SituationErrorDoc {
    /// `malformed_json`, `not_an_object`, `unknown_field`, `wrong_type`, `unknown_value`, `invalid_date`.
    pub error: String,
    /// The offending field.
    pub field: Option<String>,
    /// What the field accepts.
    pub accepted: Vec<String>,
    pub message: String,
    pub message_en: String,
}

/// Other API errors.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ApiErrorDoc {
    pub error: String,
    pub message: String,
    pub message_en: String,
}

#[derive(Debug, ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum VerdictDoc {
    Allowed,
    Forbidden,
    NotRequired,
    Refer,
    NotCovered,
    Undetermined,
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct TraceEntryDoc {
    pub rule: String,
    /// `applied`, `defeated`, `not_applicable` or `unknown`.
    pub outcome: String,
    /// The rule that defeated this one.
    pub by: Option<String>,
    pub cites: Vec<String>,
    #[schema(required = false)]
    pub note: Option<String>,
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct VersionUsedDoc {
    pub article: String,
    pub number: String,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub status: String,
    pub period: String,
}

/// The decision (see the contract).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct DecisionDoc {
    pub verdict: VerdictDoc,
    /// Identifiers of the legal sources grounding the verdict.
    pub basis: Vec<String>,
    pub conditions: Vec<String>,
    pub duties: Vec<String>,
    pub warnings: Vec<String>,
    pub case_law: Vec<String>,
    pub explanation: String,
    pub as_of: String,
    /// For `undetermined`: the facts still needed, most decisive first.
    pub missing: Vec<String>,
    pub trace: Vec<TraceEntryDoc>,
    /// When undetermined: the verdicts still possible.
    pub possible_verdicts: Vec<VerdictDoc>,
    /// The French sentences of the rules applied, most specific first.
    pub reasons: Vec<String>,
    pub law_versions: Vec<VersionUsedDoc>,
    /// The lawful ways forward (vocabulary ids of kind `next_step`), most useful first.
    pub next_steps: Vec<String>,
    /// Facts the decision presumed because they were not given (a fact given always wins).
    pub presumed: Vec<PresumedDoc>,
}

/// A fact filled by a presumption of `law/qualities.toml`.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct PresumedDoc {
    pub fact: String,
    pub value: String,
    /// Why, in French.
    pub explanation: String,
}

/// The situation: its schema is built from the law's facts (`law/facts.toml`).
#[derive(Debug)]
pub struct SituationDoc;

impl PartialSchema for SituationDoc {
    fn schema() -> RefOr<Schema> {
        let law = sceau_law::law();
        let mut obj = ObjectBuilder::new()
            .description(Some("Un objet de faits ; tout fait est facultatif (absent ou null : inconnu). Un champ inconnu est une erreur."))
            .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)))
            .property(
                "as_of",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Date)))
                    .description(Some("Date de la révélation (droit applicable ce jour-là) ; par défaut aujourd’hui.")),
            )
            .property(
                "patient",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .description(Some("(POST /api/v1/decisions, jeton requis) Référence du registre `pat_…` : le registre fournit les faits qu’il connaît (consentement, opposition, équipe de soins, en vie, mineur), listés dans `register_facts` de la réponse.")),
            )
            .property(
                "recipient_ref",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .description(Some("(avec `patient`) Destinataire enregistré : membre de l’équipe de soins `eqp_…` ou professionnel d’un consentement `cst_…`.")),
            );
        for f in &law.facts {
            let prop = match f.kind {
                FactKind::Bool => ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::Boolean, Type::Null])),
                FactKind::Enum => {
                    let mut values: Vec<Value> = f
                        .choices
                        .iter()
                        .map(|c| Value::String(c.value.clone()))
                        .collect();
                    values.push(Value::Null);
                    ObjectBuilder::new()
                        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                        .enum_values(Some(values))
                }
            }
            .description(Some(f.question.clone()));
            obj = obj.property(&f.id, prop);
        }
        RefOr::T(Schema::Object(obj.build()))
    }
}

impl ToSchema for SituationDoc {
    fn name() -> std::borrow::Cow<'static, str> {
        "Situation".into()
    }
}
