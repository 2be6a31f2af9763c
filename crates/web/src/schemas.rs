//! OpenAPI schemas of types that live in other crates — the engine's
//! situation, decision and errors, the store's register and journal
//! records, the anonymiser's output — which the API serialises as they are:
//! the mirrors it documents, in one place. A type of this crate carries
//! `ToSchema` itself. Keep a mirror in step with its type (the API tests
//! compare the documented fields with what the API answers).

use std::collections::HashMap;

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
    /// The value presumed; absent when the presumption rules values out.
    pub value: Option<String>,
    /// The values ruled out (« not a court expert unless the purpose is an
    /// expertise »); absent when a value is presumed.
    pub excluded: Option<Vec<String>>,
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

// ---------------------------------------------------------------- the register and the journal (sceau-store)

/// A journal entry to record (the same object as a line of `sceau journal
/// append`, `sceau_store::journal::NewEntry`): the fields with a default
/// may be left out, none may be null but `patient`.
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct JournalEntryInputDoc {
    /// Register reference of the patient (`pat_…`); absent, null or empty: none.
    pub patient: Option<String>,
    #[schema(schema_with = crate::vocabulary_schemas::journal_recipient)]
    pub recipient: String,
    #[schema(schema_with = crate::vocabulary_schemas::journal_purpose)]
    pub purpose: String,
    /// `disclosed` (communiqué, the default) or `declined` (refusé).
    #[schema(required = false, schema_with = journal_action)]
    pub action: String,
    #[schema(schema_with = crate::vocabulary_schemas::verdict)]
    pub verdict: String,
    #[schema(required = false, schema_with = crate::vocabulary_schemas::basis)]
    pub basis: Vec<String>,
    /// The category of information (stored encrypted): at most 500
    /// characters as submitted, blanks included, on one line; absent or
    /// blank: « non précisée ».
    #[schema(
        required = false,
        max_length = 500,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub information: String,
}

fn journal_action() -> utoipa::openapi::schema::Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["disclosed", "declined"]))
        .description(Some(
            "`disclosed` (communiqué, par défaut) ou `declined` (refusé).",
        ))
        .build()
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct PatientDoc {
    pub id: String,
    pub display_name: String,
    pub birth_date: Option<String>,
    pub reference: Option<String>,
    pub deceased_on: Option<String>,
    pub created_at: i64,
    /// The dates of birth and death are not as Sceau signed them (changed
    /// without the key, or not yet attested since schema 17): the
    /// interview does not take the patient as alive, dead, minor or adult.
    pub dates_altered: bool,
    /// The patient's signed record of its register rows is missing, does
    /// not verify or went backwards (written without the key, or not yet
    /// attested since schema 21): no row of the patient is used by the
    /// interview.
    pub record_altered: bool,
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct MemberDoc {
    pub id: String,
    pub patient: String,
    pub name: String,
    pub profession: String,
    pub rpps: Option<String>,
    pub ground: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub created_at: i64,
    /// The row is not as Sceau signed it: never taken as a member of the
    /// care team by the interview.
    pub altered: bool,
    /// Named by the patient's signed record and not found: deleted without
    /// Sceau (the other fields are empty).
    pub deleted: bool,
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ConsentDoc {
    pub id: String,
    pub patient: String,
    pub recipient: String,
    pub professional: Option<String>,
    pub rpps: Option<String>,
    pub what: String,
    pub purpose: Option<String>,
    pub method: String,
    pub given_on: String,
    pub until: Option<String>,
    pub withdrawn_on: Option<String>,
    pub created_at: i64,
    /// The row is not as Sceau signed it (changed without the key, or not
    /// yet attested since schema 16): never used by the interview.
    pub altered: bool,
    /// A column does not read: the other fields are empty.
    pub unreadable: bool,
    /// Named by the patient's signed record and not found: deleted without
    /// Sceau (the other fields are empty).
    pub deleted: bool,
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct OppositionDoc {
    pub id: String,
    pub patient: String,
    pub scope: String,
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x09\x0b-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x09\x0b-\x1f\x7f-\x9f]*$"
    )]
    pub what: String,
    pub since: String,
    pub informed_on: Option<String>,
    pub lifted_on: Option<String>,
    pub created_at: i64,
    /// As for a consent: never used by the interview.
    pub altered: bool,
    /// A column does not read: the other fields are empty.
    pub unreadable: bool,
    /// Named by the patient's signed record and not found: deleted without
    /// Sceau (the other fields are empty).
    pub deleted: bool,
}

/// A patient with the register's records.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct PatientRecordDoc {
    pub patient: PatientDoc,
    pub care_team: Vec<MemberDoc>,
    pub consents: Vec<ConsentDoc>,
    pub oppositions: Vec<OppositionDoc>,
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct JournalEntryDoc {
    pub seq: u64,
    /// Unix time, seconds.
    pub at: i64,
    pub author: String,
    pub patient: Option<String>,
    pub recipient: String,
    pub purpose: String,
    pub action: String,
    pub verdict: String,
    pub basis: Vec<String>,
    pub information: Option<String>,
    /// The entry's SHA-256 hash in the chain.
    pub hash: String,
}

#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct VerificationDoc {
    pub intact: bool,
    pub entries: Option<u64>,
    pub head: Option<String>,
    /// The first bad entry, when not intact.
    pub first_bad_entry: Option<u64>,
    /// `altered`, `removed`, `inserted`, `reordered`, `truncated`, `anchor_forged`.
    pub kind: Option<String>,
    pub message: Option<String>,
}

// ---------------------------------------------------------------- the anonymiser (sceau-anonymise)

/// One replacement: where it was in the input, what kind, by what.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ReplacementDoc {
    /// `nom`, `date`, `age`, `adresse`, `code_postal`, `ville`, `telephone`, `email`, `nir`,
    /// `rpps`, `adeli`, `iban`, `numero_dossier`, `immatriculation`, `url`, `pseudo`,
    /// `etablissement` (« [Établissement A] »), `chambre`.
    pub kind: String,
    /// Byte offsets in the input.
    pub start: usize,
    pub end: usize,
    /// Length of the original, in characters.
    pub original_len: usize,
    pub pseudonym: String,
}

/// An indirect detail left in the text, to review.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct RiskDoc {
    /// `profession_rare`, `signe_distinctif`, `maladie_rare`, `petite_commune`…,
    /// `mot_inconnu`: a capitalised word neither replaced nor known, to check, and
    /// `nom_ambigu`: a name several people of the text bear, given a pseudonym of its own.
    pub kind: String,
    /// Byte offsets in the input.
    pub span: (usize, usize),
    /// The lexicon entry that matched (never text taken around it).
    pub excerpt_hint: String,
    pub advice_fr: String,
}

/// The pseudonym table (`sceau_anonymise::BatchMap`): keys are HMAC
/// digests, never names. Every field may be left out (empty or zero), no
/// other is accepted, none is null.
#[derive(Debug, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct BatchMapDoc {
    /// Person → number of its pseudonym.
    #[schema(required = false, schema_with = numbers)]
    pub persons: HashMap<String, usize>,
    /// Persons seen with a medical title (« Dr », « Pr »).
    #[schema(required = false)]
    pub doctors: HashMap<String, bool>,
    /// Persons seen in a patient's field (« Patient : »).
    #[schema(required = false)]
    pub patients: HashMap<String, bool>,
    #[schema(required = false, schema_with = numbers)]
    pub places: HashMap<String, usize>,
    #[schema(required = false, schema_with = numbers)]
    pub establishments: HashMap<String, usize>,
    /// A partial name → the full name it stands for, or "" when several.
    #[schema(required = false)]
    pub aliases: HashMap<String, String>,
    #[schema(required = false, schema_with = count)]
    pub next_person: usize,
    #[schema(required = false, schema_with = count)]
    pub next_place: usize,
    #[schema(required = false, schema_with = count)]
    pub next_establishment: usize,
}

/// A counter of the table: a JSON integer that fits the server's `usize`
/// (64 bits).
fn count() -> utoipa::openapi::schema::Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(0))
        .maximum(Some(u64::MAX))
        .build()
}

/// Digest → counter.
fn numbers() -> utoipa::openapi::schema::Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(Schema::Object(count())))
        .build()
}

/// The anonymised text, its replacements and the residual risks.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct AnonymiseResponseDoc {
    pub text: String,
    pub replacements: Vec<ReplacementDoc>,
    pub risks: Vec<RiskDoc>,
    /// Pass it back as `batch_map` to keep the same pseudonyms in the next text.
    pub batch_map: BatchMapDoc,
}
