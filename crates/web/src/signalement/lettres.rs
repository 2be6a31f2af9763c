//! The other letters of the secret in the web application, beside « Faire
//! un signalement »: the reply declining a judicial requisition (CPP 60-1,
//! 77-1-1, 99-3; the engine must answer `not_required`) and the expert's
//! checklist (CSP R.4321-141: only what answers the questions of the
//! mission). The documents are `sceau-documents`'; the PDF and the text are
//! kept in memory for a short while under a random id, like the report.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use minijinja::context;
use sceau_documents::expertise::{self, Element, ExpertiseForm, Mission};
use sceau_documents::requisition::{self, Procedure, Requester, RequisitionForm, RequisitionRef};
use sceau_documents::{Author, Lines, Refusal};
use sceau_store::profiles::Profile;
use sceau_store::Session;

use crate::dates::today;
use crate::render::{page, typo, Chrome};
use crate::session::{CsrfForm, User};
use crate::signalement::{keep, lines, unavailable};
use crate::AppState;

type FormMap = HashMap<String, String>;

/// How many element rows the expert's form offers.
const ELEMENTS: usize = 8;

fn val<'a>(f: &'a FormMap, k: &str) -> &'a str {
    f.get(k).map(|s| s.trim()).unwrap_or("")
}

fn opt(f: &FormMap, k: &str) -> Option<String> {
    Some(val(f, k).to_string()).filter(|s| !s.is_empty())
}

/// A date field: empty is `None`; a wrong one names the field.
fn date(f: &FormMap, k: &str, label: &str) -> Result<Option<NaiveDate>, String> {
    match val(f, k) {
        "" => Ok(None),
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| format!("Champ « {label} » : une date JJ/MM/AAAA est attendue.")),
    }
}

fn author(f: &FormMap) -> Author {
    Author {
        name: val(f, "auteur_nom").into(),
        profession: None,
        rpps: val(f, "auteur_rpps").into(),
        address: Lines(lines(val(f, "auteur_adresse"))),
        phone: opt(f, "auteur_telephone"),
        email: None,
        gender: opt(f, "auteur_genre"),
    }
}

/// The author part of the form speaks the form's language.
fn author_error(field: &str) -> Option<&'static str> {
    match field {
        "author.name" => Some("Nom"),
        "author.rpps" => Some("Numéro RPPS"),
        "author.address" => Some("Adresse professionnelle"),
        _ => None,
    }
}

fn refusal_message(r: &Refusal) -> String {
    match r {
        Refusal::Invalid(e) => match author_error(&e.field) {
            Some(label) if e.error == "invalid_rpps" => {
                format!("Champ « {label} » : le numéro RPPS compte 11 chiffres.")
            }
            Some(label) => format!("Champ « {label} » : il ne peut pas être vide."),
            None => e.message.clone(),
        },
        other => other.message_fr(),
    }
}

/// The form as first shown: the author from the account and its profile.
fn initial(s: &Session, p: &Profile) -> FormMap {
    let mut f = FormMap::new();
    crate::profile::fill_author(&mut f, s, p);
    f
}

// ---------------------------------------------------------------- requisition

fn requisition_page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    form: &FormMap,
    profile: &Profile,
    error: Option<String>,
) -> Response {
    let chrome = Chrome::new(
        "Répondre à une réquisition judiciaire",
        "signalement",
        Some(s),
    );
    page(
        state,
        status,
        "requisition.html",
        &chrome,
        context! { form => form, error => error, profile => crate::profile::view(profile) },
    )
}

pub async fn requisition_form(State(state): State<AppState>, User(s, _): User) -> Response {
    let p = crate::profile::load(&state, &s).await;
    requisition_page(&state, &s, StatusCode::OK, &initial(&s, &p), &p, None)
}

fn requisition_of(f: &FormMap) -> Result<RequisitionForm, String> {
    let kind = val(f, "demandeur");
    if !["police_gendarmerie", "procureur", "juge"].contains(&kind) {
        return Err("Champ « Auteur de la réquisition » : choisissez un officier de police judiciaire, le procureur de la République ou un juge.".into());
    }
    let procedure = match val(f, "procedure") {
        "" => None,
        "flagrance" => Some(Procedure::Flagrance),
        "preliminaire" => Some(Procedure::Preliminaire),
        "instruction" => Some(Procedure::Instruction),
        _ => {
            return Err("Champ « Cadre de l’enquête » : choisissez une valeur de la liste.".into())
        }
    };
    let Some(req_date) = date(f, "date_requisition", "Date de la réquisition")? else {
        return Err("Champ « Date de la réquisition » : il ne peut pas être vide.".into());
    };
    let address = lines(val(f, "demandeur_adresse"));
    if address.is_empty() {
        return Err("Champ « Adresse du service requérant » : il ne peut pas être vide.".into());
    }
    Ok(RequisitionForm {
        author: author(f),
        requester: Requester {
            kind: kind.into(),
            title: opt(f, "demandeur_qualite"),
            service: opt(f, "demandeur_service"),
            address: Lines(address),
        },
        requisition: RequisitionRef {
            date: req_date,
            reference: opt(f, "reference"),
            procedure,
            received: date(f, "recue_le", "Reçue le")?,
        },
        place: None,
        date: Some(today()),
        situation: None,
    })
}

pub async fn requisition_submit(
    State(state): State<AppState>,
    User(s, _): User,
    CsrfForm(mut raw): CsrfForm<FormMap>,
) -> Response {
    // The author's RPPS and address come from the account when the form
    // does not carry them (it shows them as known).
    let p = crate::profile::load(&state, &s).await;
    crate::profile::fill_author(&mut raw, &s, &p);
    // A refused form keeps what its author typed, in its own fields (the
    // templates escape it; the page is not cached); the message names the
    // field, never the value.
    let invalid = |m: String| {
        requisition_page(
            &state,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            &raw,
            &p,
            Some(m),
        )
    };
    let mut form = match requisition_of(&raw) {
        Ok(f) => f,
        Err(m) => return invalid(m),
    };
    // Decided for the account's profession (`sceau_app::reports`), not as a
    // masseur-kinésithérapeute whoever writes.
    form.situation = Some(serde_json::Value::Object(
        sceau_app::reports::requisition_facts(s.account.role),
    ));
    if let Err(e) = sceau_documents::form::validate_author(&form.author, "author") {
        return invalid(refusal_message(&Refusal::Invalid(e)));
    }
    match requisition::draft(state.law(), &form, today()) {
        Ok(mut reply) => {
            // The reply leaves the practice: it carries the journal's signed head.
            crate::journal_receipt::stamp(&state, s.practice.id, &mut reply.letter).await;
            result(
                &state,
                &s,
                "Réponse à la réquisition rédigée",
                "reponse-requisition",
                &reply.letter,
                reply.follow_up,
                vec![],
            )
        }
        Err(r @ Refusal::Invalid(_)) => invalid(refusal_message(&r)),
        Err(r) => invalid(r.message_fr()),
    }
}

// ---------------------------------------------------------------- expertise

fn expertise_page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    form: &FormMap,
    profile: &Profile,
    error: Option<String>,
) -> Response {
    let chrome = Chrome::new("Liste de contrôle de l’expert", "signalement", Some(s));
    let rows: Vec<usize> = (1..=ELEMENTS).collect();
    page(
        state,
        status,
        "expertise.html",
        &chrome,
        context! { form => form, error => error, rows => rows, profile => crate::profile::view(profile) },
    )
}

pub async fn expertise_form(State(state): State<AppState>, User(s, _): User) -> Response {
    let p = crate::profile::load(&state, &s).await;
    expertise_page(&state, &s, StatusCode::OK, &initial(&s, &p), &p, None)
}

fn expertise_of(f: &FormMap) -> Result<ExpertiseForm, String> {
    let court = val(f, "juridiction");
    if court.is_empty() {
        return Err("Champ « Juridiction ou autorité qui a ordonné l’expertise » : il ne peut pas être vide.".into());
    }
    let questions = lines(val(f, "questions"));
    if questions.is_empty() {
        return Err(
            "Champ « Questions de la mission » : indiquez au moins une question, une par ligne."
                .into(),
        );
    }
    let mut elements = Vec::new();
    for i in 1..=ELEMENTS {
        let text = val(f, &format!("element_{i}"));
        let numbers = val(f, &format!("reponses_{i}"));
        if text.is_empty() {
            if !numbers.is_empty() {
                return Err(format!("Champ « Élément {i} » : il est vide alors que des questions lui sont associées."));
            }
            continue;
        }
        let mut answers = Vec::new();
        for n in numbers.split([',', ' ', ';']).filter(|n| !n.is_empty()) {
            match n.parse::<usize>() {
                Ok(q) if (1..=questions.len()).contains(&q) => answers.push(q),
                _ => {
                    return Err(format!(
                        "Champ « Questions auxquelles répond l’élément {i} » : des numéros de question de 1 à {}, séparés par des virgules (ou vide si l’élément ne répond à aucune).",
                        questions.len()
                    ))
                }
            }
        }
        elements.push(Element {
            text: text.into(),
            answers,
        });
    }
    if elements.is_empty() {
        return Err(
            "Champ « Élément 1 » : indiquez au moins un élément prévu pour le rapport.".into(),
        );
    }
    Ok(ExpertiseForm {
        author: author(f),
        mission: Mission {
            court: court.into(),
            reference: opt(f, "reference"),
            order_date: date(f, "date_ordonnance", "Date de la décision")?,
            questions,
        },
        elements,
        date: Some(today()),
    })
}

pub async fn expertise_submit(
    State(state): State<AppState>,
    User(s, _): User,
    CsrfForm(mut raw): CsrfForm<FormMap>,
) -> Response {
    // The author's RPPS and address come from the account when the form
    // does not carry them (it shows them as known).
    let p = crate::profile::load(&state, &s).await;
    crate::profile::fill_author(&mut raw, &s, &p);
    // A refused form keeps what its author typed, in its own fields (the
    // templates escape it; the page is not cached); the message names the
    // field, never the value.
    let invalid = |m: String| {
        expertise_page(
            &state,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            &raw,
            &p,
            Some(m),
        )
    };
    let form = match expertise_of(&raw) {
        Ok(f) => f,
        Err(m) => return invalid(m),
    };
    if let Err(e) = sceau_documents::form::validate_author(&form.author, "author") {
        return invalid(refusal_message(&Refusal::Invalid(e)));
    }
    match expertise::checklist_as(
        state.law(),
        &form,
        sceau_app::actor_of(s.account.role),
        today(),
    ) {
        Ok(c) => {
            let outside: Vec<String> = c
                .outside_mission
                .iter()
                .map(|&i| form.elements[i].text.clone())
                .collect();
            result(
                &state,
                &s,
                "Liste de contrôle de l’expertise",
                "controle-expertise",
                &c.document,
                vec![],
                outside,
            )
        }
        Err(r @ Refusal::Invalid(_)) => invalid(refusal_message(&r)),
        Err(r) => invalid(r.message_fr()),
    }
}

/// Renders the document to PDF and text, keeps both for download, and
/// shows the text with what to do next.
fn result(
    state: &AppState,
    s: &Session,
    title: &str,
    file: &'static str,
    doc: &sceau_documents::Document,
    follow_up: Vec<String>,
    outside: Vec<String>,
) -> Response {
    let pdf = match sceau_documents::pdf::render(doc) {
        Ok(p) => p,
        Err(e) => return unavailable(state, s, e),
    };
    let text = doc.to_text();
    let id = keep(s.practice.id, file, text.clone(), pdf);
    let chrome = Chrome::new(title, "signalement", Some(s));
    page(
        state,
        StatusCode::OK,
        "lettre_result.html",
        &chrome,
        context! {
            title => title,
            id => id,
            file => file,
            text => text,
            follow_up => follow_up.iter().map(|l| typo(l)).collect::<Vec<_>>(),
            outside => outside,
        },
    )
}
