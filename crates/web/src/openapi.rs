//! The top of the API: the OpenAPI document, assembled from the features'
//! handlers and types (each carries its own `#[utoipa::path]` and
//! `ToSchema`), with the security scheme and the answers every endpoint
//! shares. `scripts/schemathesis` checks the running API against it.

use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};

use crate::schemas::{
    AnonymiseResponseDoc, ApiErrorDoc, ConsentDoc, DecisionDoc, JournalEntryDoc,
    JournalEntryInputDoc, MemberDoc, OppositionDoc, PatientDoc, PatientRecordDoc, PresumedDoc,
    ReplacementDoc, RiskDoc, SituationDoc, SituationErrorDoc, TraceEntryDoc, VerdictDoc,
    VerificationDoc, VersionUsedDoc,
};
use crate::{anonymise, api, register};

/// This description.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "documentation", responses((status = 200, description = "La description OpenAPI 3 de l’API")))]
pub async fn openapi_json() -> Response {
    Json(openapi()).into_response()
}

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Jeton d’API créé par un administrateur (Administration → Jetons d’API)",
                    ))
                    .build(),
            ),
        );
    }
}

/// The operations of a path.
fn operations(
    item: &mut utoipa::openapi::path::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        item.get.as_mut(),
        item.post.as_mut(),
        item.put.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// utoipa 5.5 writes a link's `operationId` under its Rust name,
/// `operation_id`, which no OpenAPI client reads: the link would name no
/// operation, and a client following links (schemathesis' stateful phase)
/// would never get from a record created to the operations on it. The
/// name moves to the link's extension map, which serde writes as it is.
struct LinkOperationIds;

impl Modify for LinkOperationIds {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for op in operations(item) {
                for response in op.responses.responses.values_mut() {
                    let RefOr::T(response) = response else {
                        continue;
                    };
                    for link in response.links.values_mut() {
                        let RefOr::T(link) = link else { continue };
                        let id = std::mem::take(&mut link.operation_id);
                        if !id.is_empty() {
                            link.extensions
                                .get_or_insert_with(Default::default)
                                .insert("operationId".into(), id.into());
                        }
                    }
                }
            }
        }
    }
}

/// The answers every operation can give besides its own, documented once:
/// 400 (unreadable request), 401 (token missing, for the operations that
/// take one), 404 (unknown register reference), 413, 415 and 422 (bodies),
/// 429 (open endpoints).
struct CommonResponses;

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::Operation;
        use utoipa::openapi::ResponseBuilder;
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    utoipa::openapi::content::ContentBuilder::new()
                        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                            "ApiErrorDoc",
                        ))))
                        .build(),
                )
                .build()
        };
        let add = |op: &mut Operation, status: &str, description: &str| {
            if !op.responses.responses.contains_key(status) {
                op.responses
                    .responses
                    .insert(status.to_string(), RefOr::T(error(description)));
            }
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            for op in operations(item) {
                if path.ends_with("openapi.json") {
                    continue;
                }
                add(
                    op,
                    "400",
                    "Requête illisible (adresse, paramètres ou corps mal encodés)",
                );
                let open = op.security.as_ref().is_some_and(|s| {
                    s.iter().any(|r| {
                        serde_json::to_value(r)
                            .is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
                    })
                });
                add(op, "401", "Jeton d’API manquant, invalide ou révoqué");
                if !open && op.request_body.is_some() {
                    add(op, "403", "Jeton en lecture seule : cette opération écrit");
                }
                if open {
                    add(op, "429", "Trop de requêtes");
                }
                if path.contains('{')
                    || path.ends_with("/decisions")
                    || path.ends_with("/interview")
                    || path.ends_with("/journal")
                {
                    add(op, "404", "Introuvable dans le registre de ce cabinet");
                }
                if op.request_body.is_some() {
                    add(op, "413", "Corps de requête trop volumineux");
                    add(op, "415", "Le corps n’est pas du JSON");
                    add(
                        op,
                        "422",
                        "Corps de requête invalide : le champ fautif et ce qui est accepté",
                    );
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sceau",
        description = "Puis-je le dire, à qui, comment ? Le moteur de décision sur le secret professionnel des masseurs-kinésithérapeutes, en JSON.",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(api::decide, api::interview, api::articles, api::article, api::whoami, openapi_json,
        register::api::list_patients, register::api::create_patient, register::api::get_patient,
        register::api::add_member, register::api::end_member,
        register::api::add_consent, register::api::withdraw_consent,
        register::api::add_opposition, register::api::lift_opposition,
        register::api::patient_journal, register::api::patient_fhir,
        register::api::journal, register::api::append, register::api::verify,
        register::api::export, register::api::journal_fhir, anonymise::api),
    components(schemas(
        SituationDoc, DecisionDoc, VerdictDoc, TraceEntryDoc, VersionUsedDoc, PresumedDoc, SituationErrorDoc, ApiErrorDoc,
        api::InterviewRequestDoc, api::InterviewResponseDoc, api::QuestionDoc, api::ChoiceDoc,
        api::ArticleSummaryDoc, api::ArticleDoc, api::VersionSummaryDoc, api::VersionDoc, api::ParagraphDoc, api::RuleRefDoc, api::WhoamiDoc,
        register::api::PatientInput, register::api::MemberInput, register::api::ConsentInput,
        register::api::OppositionInput, register::api::DateInput, JournalEntryInputDoc,
        PatientDoc, MemberDoc, ConsentDoc,
        OppositionDoc, PatientRecordDoc, JournalEntryDoc,
        register::api::AppendedDoc, VerificationDoc,
        anonymise::AnonymiseRequestDoc, AnonymiseResponseDoc,
        ReplacementDoc, RiskDoc,
    )),
    modifiers(&Security, &CommonResponses, &LinkOperationIds),
    tags(
        (name = "décisions", description = "Le contrat de décision et l’entretien guidé"),
        (name = "textes", description = "Le corpus des textes"),
        (name = "comptes", description = "Points d’accès sur des données enregistrées (jeton requis)"),
        (name = "registre", description = "Le registre des patients : équipe de soins, consentements, oppositions (jeton requis)"),
        (name = "journal", description = "Le journal des révélations, chaîné et ancré (jeton requis)"),
        (name = "anonymisation", description = "Anonymiser un texte pour publier ou enseigner (CSP R. 4321-116) ; rien n’est conservé (jeton requis)"),
    )
)]
pub struct ApiDoc;

/// The OpenAPI description of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
