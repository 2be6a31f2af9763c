//! The French pages: home, the interview « Puis-je le dire ? » and its
//! decision page, « Les textes », static files and error pages.
//!
//! The interview keeps its state in its URL (the answers as catalogue
//! values, never patient data): each answer is posted, then redirected to
//! the new URL (post/redirect/get), so that Back, reload and bookmarks work.
//! Never in the server's memory or its logs (the request log leaves out
//! the query).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use minijinja::context;
use sceau_app::situation::RegisterError;
use sceau_engine::{Decision, FactKind, Law, Situation, Verdict};
use serde::Serialize;

use crate::answers::{Answers, DONT_KNOW};
use crate::session::{check_csrf, MaybeUser, User};

use crate::dates::today;
use crate::render::{
    code_label, code_rank, error_page, fold, outcome_fr, page, term, term_on, typo, Chrome,
    TermView,
};
use crate::AppState;

pub async fn home(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let needs_setup = state.store().needs_setup().await.unwrap_or(false);
    let chrome = Chrome::new("Accueil", "home", user.as_ref());
    let law = state.law();
    let duties = match &user {
        Some(s) => crate::signalement::pending_duties(&state, s).await,
        None => vec![],
    };
    let duty_done = q.contains_key("obligation");
    page(
        &state,
        StatusCode::OK,
        "home.html",
        &chrome,
        context! { duties => duties, duty_done => duty_done, today => today().format("%Y-%m-%d").to_string(), needs_setup => needs_setup, articles => law.articles.len(), rules => law.rules.len(), cases => law.case_law.len() },
    )
}

// ---------------------------------------------------------------- interview

#[derive(Debug, Serialize)]
struct ChoiceView {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Debug, Serialize)]
struct ChoiceGroupView {
    label: &'static str,
    choices: Vec<ChoiceView>,
}

#[derive(Debug, Serialize)]
struct QuestionView {
    fact: String,
    question: String,
    help: String,
    choices: Vec<ChoiceView>,
    /// The same choices in groups, for a long list (empty otherwise).
    groups: Vec<ChoiceGroupView>,
    /// The person answered « Je ne sais pas » before.
    dont_know: bool,
}

#[derive(Debug, Serialize)]
struct AnswerView {
    fact: String,
    value: String,
    question: String,
    label: String,
}

/// The answers given so far, as the page lists them.
fn answer_views(answers: &Answers, law: &Law) -> Vec<AnswerView> {
    answers
        .0
        .iter()
        .filter_map(|(f, v)| {
            let def = law.fact(f)?;
            let label = if v == DONT_KNOW {
                "Je ne sais pas".to_string()
            } else {
                def.choices.iter().find(|c| &c.value == v)?.label.clone()
            };
            Some(AnswerView {
                fact: f.clone(),
                value: v.clone(),
                question: typo(&def.question),
                label: typo(&label),
            })
        })
        .collect()
}

fn question_view(law: &Law, fact: &str, preselect: Option<&str>) -> Option<QuestionView> {
    let f = law.fact(fact)?;
    let mut choices: Vec<ChoiceView> = f
        .choices
        .iter()
        .map(|c| ChoiceView {
            value: c.value.clone(),
            label: typo(&c.label),
            checked: preselect == Some(c.value.as_str()),
        })
        .collect();
    if f.kind == FactKind::Bool {
        // « Oui » before « Non ».
        choices.reverse();
    }
    let groups = crate::choice_groups::groups(&f.id)
        .map(|gs| {
            gs.iter()
                .map(|(label, values)| ChoiceGroupView {
                    label,
                    choices: values
                        .iter()
                        .filter_map(|v| choices.iter().find(|c| c.value == *v))
                        .map(|c| ChoiceView {
                            value: c.value.clone(),
                            label: c.label.clone(),
                            checked: c.checked,
                        })
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(QuestionView {
        fact: f.id.clone(),
        question: typo(&f.question),
        help: typo(&f.help),
        choices,
        groups,
        dont_know: preselect == Some(DONT_KNOW),
    })
}

/// The register context of an interview about a registered patient.
#[derive(Debug, Clone)]
pub(crate) struct RegCtx {
    pub record: crate::facts::Record,
    /// A care-team member or a consent's professional chosen as recipient.
    pub recipient_ref: Option<String>,
}

/// Loads the patient named by a form or a query (`patient`, `destinataire`):
/// `Ok(None)` without one; an error page for another practice's or an unknown one,
/// and the routing table's 403 for a role without the register (the student):
/// the interview is open to every role, its register context is not.
pub(crate) async fn reg_ctx(
    state: &AppState,
    session: &sceau_store::Session,
    patient: Option<&String>,
    recipient_ref: Option<&String>,
) -> Result<Option<RegCtx>, Response> {
    let Some(id) = patient.map(|p| p.trim()).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    if !keeps_register(session) {
        return Err(crate::middleware::forbidden_page(state, session));
    }
    match crate::facts::Record::load(state.store(), session.practice.id, id).await {
        Ok(record) => Ok(Some(RegCtx {
            record,
            recipient_ref: recipient_ref
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty()),
        })),
        Err(sceau_store::StoreError::NotFound) => Err(error_page(
            state,
            StatusCode::NOT_FOUND,
            Some(session),
            "Patient introuvable",
            "Ce patient n’existe pas dans le registre de votre cabinet.",
        )),
        Err(e) => {
            tracing::error!(error = %e, "registre");
            Err(error_page(
                state,
                StatusCode::SERVICE_UNAVAILABLE,
                Some(session),
                "Service indisponible",
                "La base de données ne répond pas. Réessayez dans un instant.",
            ))
        }
    }
}

/// Whether the account's role opens the register (the routing table's
/// [`crate::access::Access::Register`]): not the student.
fn keeps_register(session: &sceau_store::Session) -> bool {
    crate::access::Access::Register.allows(session.account.role) == Some(true)
}

/// Where an interview stands, as its URL carries it: the answers in order,
/// the date of the disclosure, the register's patient and recipient (random
/// identifiers, never a name), and the question to ask again with its
/// previous answer. Only catalogue values: no patient data ever reaches the
/// URL, a bookmark or a browser history.
#[derive(Debug, Default, Clone)]
pub(crate) struct InterviewAt {
    pub answers: Answers,
    pub as_of: Option<NaiveDate>,
    pub patient: Option<String>,
    pub recipient_ref: Option<String>,
    pub ask: Option<(String, Option<String>)>,
    /// The duties and conditions of the decision ticked as done (`fait`).
    pub done: Vec<String>,
}

impl InterviewAt {
    /// The interview's URL: `/puis-je-le-dire?a=fact%3Dvalue&…`.
    pub(crate) fn url(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (f, v) in &self.answers.0 {
            q.append_pair("a", &format!("{f}={v}"));
        }
        if let Some(d) = self.as_of {
            q.append_pair("date", &d.format("%Y-%m-%d").to_string());
        }
        if let Some(p) = &self.patient {
            q.append_pair("patient", p);
        }
        if let Some(r) = &self.recipient_ref {
            q.append_pair("destinataire", r);
        }
        if let Some((f, v)) = &self.ask {
            q.append_pair("question", f);
            if let Some(v) = v {
                q.append_pair("choix", v);
            }
        }
        for d in &self.done {
            q.append_pair("fait", d);
        }
        let q = q.finish();
        if q.is_empty() {
            "/puis-je-le-dire".into()
        } else {
            format!("/puis-je-le-dire?{q}")
        }
    }

    /// The interview a query or a form describes; `None` when an answer is
    /// not one of Sceau's questions and values. A date that does not parse,
    /// a question or a patient that is not well formed are left out.
    pub(crate) fn parse(law: &Law, fields: &[(String, String)], date_field: &str) -> Option<Self> {
        let field = |k: &str| {
            fields
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let answers = Answers::from_form(law, fields)?;
        let ask = field("question")
            .filter(|f| law.fact(f).is_some())
            .map(|f| {
                let v = field("choix").filter(|v| {
                    v == DONT_KNOW || law.fact(&f).is_some_and(|d| d.value_index(v).is_some())
                });
                (f, v)
            });
        Some(InterviewAt {
            answers,
            as_of: field(date_field).and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            patient: field("patient").filter(|p| sceau_store::register::valid_id("pat", p)),
            recipient_ref: field("destinataire").filter(|r| {
                r.len() <= 64
                    && r.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            }),
            ask,
            done: fields
                .iter()
                .filter(|(n, v)| n == "fait" && law.term(v).is_some())
                .map(|(_, v)| v.clone())
                .collect(),
        })
    }
}

/// The answers with the account's profession first (`sceau_app::actor_of`):
/// never asked, and never taken from the URL — a link made by a colleague of
/// another profession must not decide a student's question as theirs.
fn with_actor(mut answers: Answers, session: &sceau_store::Session) -> Answers {
    answers.0.retain(|(f, _)| f != "actor");
    answers.0.insert(
        0,
        (
            "actor".into(),
            sceau_app::actor_of(session.account.role).into(),
        ),
    );
    answers
}

/// `GET /puis-je-le-dire`: the interview where its URL says it stands (a
/// question, or the decision once the answers suffice). Back, reload and a
/// bookmark show the same page again, no form resubmitted.
pub async fn interview_start(
    State(state): State<AppState>,
    User(session, _): User,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let law = state.law();
    let Some(at) = InterviewAt::parse(law, &q, "date") else {
        return error_page(
            &state,
            StatusCode::BAD_REQUEST,
            Some(&session),
            "Réponses non reconnues",
            "L’adresse de cet entretien ne correspond pas aux questions de Sceau. Recommencez depuis « Puis-je le dire ? ».",
        );
    };
    let reg = match reg_ctx(
        &state,
        &session,
        at.patient.as_ref(),
        at.recipient_ref.as_ref(),
    )
    .await
    {
        Ok(r) => r,
        Err(r) => return r,
    };
    step(
        &state,
        &session,
        with_actor(at.answers, &session),
        at.as_of,
        at.ask,
        None,
        StatusCode::OK,
        reg,
        &at.done,
    )
    .await
}

/// The answers an interview form carries (`a=fact=value`), after its CSRF
/// token is checked; an error page when either is not Sceau's.
fn posted_answers(
    state: &AppState,
    session: &sceau_store::Session,
    law: &Law,
    form: &Vec<(String, String)>,
) -> Result<Answers, Box<Response>> {
    check_csrf(state, session, form).map_err(|e| Box::new(e.into_response()))?;
    Answers::from_form(law, form).ok_or_else(|| {
        Box::new(error_page(
            state,
            StatusCode::BAD_REQUEST,
            Some(session),
            "Réponses non reconnues",
            "Les réponses transmises ne correspondent pas aux questions de Sceau. Recommencez depuis « Puis-je le dire ? ».",
        ))
    })
}

/// One step of the interview: the posted answers, then the button pressed
/// (`suivant`, `retour`, `modifier:<fact>`, `date`, `recommencer`). The
/// result is a redirection to the interview's new URL (post/redirect/get);
/// only a refused answer is shown at once, with what was chosen before. A
/// session that expired meanwhile sends to the login page, which brings the
/// person back to the same interview.
pub async fn interview_step(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let law = state.law();
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let Some(session) = user else {
        // No CSRF token to check without a session; nothing is written: the
        // posted answers (Sceau's own values only) become the URL to come back to.
        let mut at = InterviewAt::parse(law, &form, "as_of").unwrap_or_default();
        // The answer just chosen is kept too.
        if field("action").as_deref().unwrap_or("suivant") == "suivant" {
            if let (Some(q), Some(r)) = (field("question"), field("reponse")) {
                if law
                    .fact(&q)
                    .is_some_and(|d| r == DONT_KNOW || d.value_index(&r).is_some())
                {
                    at.answers.set(&q, &r);
                }
            }
        }
        return Redirect::to(&format!(
            "/connexion?ok=session&suite={}",
            crate::session::urlencode(&at.url())
        ))
        .into_response();
    };
    let answers = match posted_answers(&state, &session, law, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let mut at = InterviewAt::parse(law, &form, "as_of").unwrap_or_default();
    // Refused here as on the page it would lead to: no redirection that
    // carries a register identifier for a role without the register.
    if at.patient.is_some() && !keeps_register(&session) {
        return crate::middleware::forbidden_page(&state, &session);
    }
    at.answers = with_actor(answers, &session);
    at.ask = None;
    let mut error = None;
    if let Some(d) = field("as_of")
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        if NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
            error = Some(
                "Date non reconnue : indiquez une date au format jour/mois/année.".to_string(),
            );
        }
    }
    let action = field("action").unwrap_or_else(|| "suivant".into());
    if action == "recommencer" {
        if let Some(p) = at.patient {
            return Redirect::to(&format!("/patients/{p}")).into_response();
        }
        return Redirect::to("/puis-je-le-dire").into_response();
    } else if action == "retour" {
        // The account's profession is not a question to go back to.
        if at.answers.0.last().is_some_and(|(f, _)| f != "actor") {
            if let Some((f, v)) = at.answers.0.pop() {
                at.ask = Some((f, Some(v)));
            }
        }
    } else if let Some(f) = action.strip_prefix("modifier:") {
        if let Some(v) = at.answers.remove(f) {
            at.ask = Some((f.to_string(), Some(v)));
        }
    } else if action == "suivant" {
        let q = field("question").unwrap_or_default();
        match (law.fact(&q), field("reponse")) {
            (Some(def), Some(r)) if r == DONT_KNOW || def.value_index(&r).is_some() => {
                at.answers.set(&q, &r)
            }
            (Some(_), _) => {
                error = Some("Choisissez une réponse avant de continuer.".into());
                at.ask = Some((q, None));
            }
            (None, _) => {}
        }
    }
    if error.is_none() {
        return Redirect::to(&at.url()).into_response();
    }
    let reg = match reg_ctx(
        &state,
        &session,
        at.patient.as_ref(),
        at.recipient_ref.as_ref(),
    )
    .await
    {
        Ok(r) => r,
        Err(r) => return r,
    };
    step(
        &state,
        &session,
        at.answers,
        at.as_of,
        at.ask,
        error,
        StatusCode::UNPROCESSABLE_ENTITY,
        reg,
        &[],
    )
    .await
}

async fn decide(law: &'static Law, s: Situation) -> Decision {
    match tokio::task::spawn_blocking(move || law.decide(&s)).await {
        Ok(d) => {
            crate::metrics::decision(d.verdict);
            d
        }
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

#[derive(Debug, Serialize)]
struct RegFactView {
    fact: String,
    question: String,
    label: String,
    source: String,
}

/// The situation of the answers completed by the register's facts, under
/// the one policy of `sceau_app::situation` (an answer that contradicts the
/// register is refused, as the API refuses it).
pub(crate) fn situation_with_register(
    law: &Law,
    answers: &[(String, String)],
    as_of: Option<NaiveDate>,
    reg: Option<&RegCtx>,
) -> Result<(Situation, Vec<crate::facts::RegisterFact>), RegisterError> {
    let known: Vec<(String, String)> = answers
        .iter()
        .filter(|(_, v)| v != DONT_KNOW)
        .cloned()
        .collect();
    let mut s = Answers(known.clone()).situation(law, as_of, crate::dates::today());
    let supplied = match reg {
        Some(r) => sceau_app::complete_with_register(
            law,
            &mut s,
            &r.record,
            r.recipient_ref.as_deref(),
            &known,
        )?,
        None => vec![],
    };
    Ok((s, supplied))
}

/// What the page says when an answer contradicts the register: the question,
/// the register's answer and its record; the answer is not kept.
fn conflict_message(law: &Law, c: &sceau_app::RegisterConflict) -> String {
    let question = law
        .fact(&c.fact)
        .map(|f| f.question.clone())
        .unwrap_or_else(|| c.fact.clone());
    let held = crate::facts::value_label(law, &c.fact, &c.register);
    typo(&format!(
        "Votre réponse à « {question} » contredit le registre, qui indique « {held} » ({}) : elle n’est pas retenue. Si le registre se trompe, corrigez-le depuis la fiche du patient.",
        c.source
    ))
}

#[allow(clippy::too_many_arguments)]
async fn step(
    state: &AppState,
    session: &sceau_store::Session,
    mut answers: Answers,
    as_of: Option<NaiveDate>,
    ask: Option<(String, Option<String>)>,
    error: Option<String>,
    status: StatusCode,
    reg: Option<RegCtx>,
    done: &[String],
) -> Response {
    let law = state.law();
    let (mut error, mut status) = (error, status);
    // The register's facts are never asked: an answer that contradicts one
    // is refused (said on the page, not kept), the others it repeats dropped.
    let (s, supplied) = loop {
        match situation_with_register(law, &answers.0, as_of, reg.as_ref()) {
            Ok(x) => break x,
            Err(RegisterError::UnknownRecipient) => {
                return error_page(
                    state,
                    StatusCode::NOT_FOUND,
                    Some(session),
                    "Destinataire introuvable",
                    "Ce destinataire n’est pas enregistré pour ce patient.",
                )
            }
            Err(RegisterError::Conflict(c)) => {
                answers.0.retain(|(f, _)| *f != c.fact);
                error = Some(conflict_message(law, &c));
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
        }
    };
    answers
        .0
        .retain(|(f, _)| !supplied.iter().any(|r| &r.fact == f));
    let d = decide(law, s.clone()).await;
    let reg_view = reg.as_ref().map(|r| {
        context! {
            patient => r.record.patient.id.clone(),
            name => r.record.patient.display_name.clone(),
            recipient_ref => r.recipient_ref.clone().unwrap_or_default(),
            facts => supplied.iter().filter_map(|f| {
                let def = law.fact(&f.fact)?;
                let c = def.choices.iter().find(|c| c.value == f.value)?;
                Some(RegFactView { fact: f.fact.clone(), question: typo(&def.question), label: typo(&c.label), source: typo(&f.source) })
            }).collect::<Vec<_>>(),
        }
    });
    let (fact, preselect) = match ask {
        Some((f, v)) => (Some(f), v),
        None if d.verdict == Verdict::Undetermined => {
            let unknown = answers.unknown();
            (
                d.missing.iter().find(|m| !unknown.contains(m)).cloned(),
                None,
            )
        }
        None => (None, None),
    };
    let base = context! {
        reg => reg_view,
        answers => answer_views(&answers, law),
        as_of => as_of.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        as_of_fr => sceau_engine::model::date_fr(s.as_of),
        as_of_given => as_of.is_some(),
        error => error,
    };
    match fact.and_then(|f| question_view(law, &f, preselect.as_deref())) {
        Some(q) => {
            // The account's profession was not asked.
            let answered = answers.0.iter().filter(|(f, _)| f != "actor").count();
            let unknown = answers.unknown();
            let remaining = d
                .missing
                .iter()
                .filter(|m| **m != q.fact && !unknown.contains(m))
                .count();
            let chrome = Chrome::new(
                format!("Question {} — Puis-je le dire ?", answered + 1),
                "interview",
                Some(session),
            );
            page(
                state,
                status,
                "question.html",
                &chrome,
                context! { q => q, number => answered + 1, remaining => remaining, total => answered + 1 + remaining, ..base },
            )
        }
        None => {
            let view = decision_view(law, &d, s.as_of);
            let chrome = Chrome::new(
                format!("{} — Puis-je le dire ?", d.verdict.label_fr()),
                "interview",
                Some(session),
            );
            // A verdict resting on CP 226-14 can become a report: the
            // signalement form reuses the answers.
            let signalement = d.basis.iter().any(|b| b.starts_with("cp:226-14"));
            page(
                state,
                status,
                "decision.html",
                &chrome,
                context! { d => view, signalement => signalement, done => done, ..base },
            )
        }
    }
}

/// « Enregistrer dans le journal » from the decision page: the decision is
/// computed again from the posted answers (and the register), never taken
/// from the form, then recorded with the recipient, purpose, verdict and
/// basis, the action (`disclosed` / `declined`) and the category of
/// information.
pub async fn record_journal(
    State(state): State<AppState>,
    User(session, _): User,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let law = state.law();
    let field = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let answers = match posted_answers(&state, &session, law, &form) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let as_of = field("as_of").and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok());
    let reg = match reg_ctx(
        &state,
        &session,
        field("patient").as_ref(),
        field("destinataire").as_ref(),
    )
    .await
    {
        Ok(r) => r,
        Err(r) => return r,
    };
    let Ok((s, _)) = situation_with_register(law, &answers.0, as_of, reg.as_ref()) else {
        return error_page(
            &state,
            StatusCode::NOT_FOUND,
            Some(&session),
            "Destinataire introuvable",
            "Ce destinataire n’est pas enregistré pour ce patient.",
        );
    };
    let known = s.known(law);
    let value = |f: &str| {
        known
            .iter()
            .find(|(k, _)| k == f)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| sceau_app::journal_entry::NOT_GIVEN.into())
    };
    let d = decide(law, s.clone()).await;
    let action = match field("geste").as_deref() {
        Some("disclosed") => "disclosed",
        Some("declined") => "declined",
        _ => {
            return error_page(
                &state,
                StatusCode::BAD_REQUEST,
                Some(&session),
                "Choix manquant",
                "Indiquez si vous avez communiqué l’information ou non.",
            )
        }
    };
    let entry = sceau_store::journal::NewEntry {
        patient: reg.as_ref().map(|r| r.record.patient.id.clone()),
        recipient: value("recipient"),
        purpose: value("purpose"),
        action: action.into(),
        verdict: d.verdict.as_str().into(),
        basis: d.basis.clone(),
        information: field("information").unwrap_or_default(),
    };
    if let Err(m) = sceau_app::journal_entry::check_entry(law, &entry) {
        return error_page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&session),
            "Entrée refusée",
            &m,
        );
    }
    match state
        .store()
        .journal_append(session.practice.id, &session.account.username, &[entry])
        .await
    {
        Ok(seqs) => Redirect::to(&format!(
            "/journal?enregistre={}",
            seqs.first().copied().unwrap_or(0)
        ))
        .into_response(),
        Err(sceau_store::StoreError::Invalid(m)) => error_page(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&session),
            "Enregistrement impossible",
            &m,
        ),
        Err(e) => crate::error::outage_page(&state, Some(&session), "journal", &e),
    }
}

// ---------------------------------------------------------------- decision

#[derive(Debug, Serialize)]
struct BasisView {
    id: String,
    article: String,
    heading: String,
    title: String,
    code: &'static str,
    paragraph: Option<String>,
    text: String,
    period: String,
    status: String,
    missing: Option<String>,
    href: String,
}

#[derive(Debug, Serialize)]
struct CaseView {
    id: String,
    jurisdiction: String,
    date: String,
    number: Option<String>,
    holding: String,
    quote: String,
    source: String,
}

/// A rule as a reader knows it: the first sentence of its explanation
/// (its identifier is for the law's files, not for the page).
fn rule_label(law: &Law, id: &str) -> String {
    let Some(r) = law.rules.iter().find(|r| r.id == id) else {
        return String::from("règle du corpus");
    };
    let e = r.explanation.trim();
    let first = match e.find(". ") {
        Some(i) => &e[..=i],
        None => e,
    };
    typo(first.trim())
}

#[derive(Debug, Serialize)]
struct TraceView {
    /// What the rule says, in words.
    label: String,
    rule: String,
    outcome: &'static str,
    outcome_id: &'static str,
    by: Option<String>,
    cites: String,
    note: Option<String>,
}

#[derive(Debug, Serialize)]
struct MissingView {
    fact: String,
    question: String,
}

#[derive(Debug, Serialize)]
struct DecisionView {
    verdict: &'static str,
    label: String,
    explanation: Vec<String>,
    /// The lawful ways forward, shown first (label, source as detail).
    next_steps: Vec<TermView>,
    /// What the answer presumed because it was not said.
    presumed: Vec<String>,
    todo: Vec<TermView>,
    warnings: Vec<TermView>,
    basis: Vec<BasisView>,
    case_law: Vec<CaseView>,
    versions: Vec<String>,
    trace: Vec<TraceView>,
    missing: Vec<MissingView>,
    possible: Vec<String>,
    as_of: String,
}

fn article_heading(number: &str, paragraph: Option<&str>) -> String {
    match paragraph {
        Some(p) if p.chars().all(|c| c.is_ascii_digit()) => format!("article {number}, {p}°"),
        Some(p) => format!("article {number}, {p}"),
        None => format!("article {number}"),
    }
}

fn basis_view(law: &Law, id: &str, as_of: NaiveDate) -> Option<BasisView> {
    let art = law.article(id)?;
    let para_key = sceau_engine::model::paragraph_part(id);
    let date = as_of.format("%Y-%m-%d");
    let anchor = para_key
        .map(|k| format!("#p-{}", k.replace(' ', "-")))
        .unwrap_or_default();
    let href = format!("/textes/{}?date={date}{anchor}", art.id);
    let heading = article_heading(&art.number, para_key);
    let code = code_label(art.code());
    match law.source_text(id, as_of) {
        Some((_, v, p)) => Some(BasisView {
            id: id.to_string(),
            article: art.id.clone(),
            heading,
            title: art.title.clone(),
            code,
            paragraph: para_key.map(str::to_string),
            text: match p {
                Some(p) => p.text.trim().to_string(),
                None => v.full_text(),
            },
            period: v.period_fr(),
            status: v.status.clone(),
            missing: v.missing.as_deref().map(typo),
            href,
        }),
        None => Some(BasisView {
            id: id.to_string(),
            article: art.id.clone(),
            heading,
            title: art.title.clone(),
            code,
            paragraph: para_key.map(str::to_string),
            text: String::new(),
            period: String::new(),
            status: "unavailable".into(),
            missing: Some(
                "Aucune version de ce texte en vigueur à cette date n’est dans le corpus.".into(),
            ),
            href,
        }),
    }
}

/// The explanation's own sentences: the engine's text without its first
/// line (the verdict) and without the lists we show apart.
fn explanation_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut skipping = false;
    for line in text.lines().skip(1) {
        let l = line.trim();
        // The next steps and the presumptions are laid out apart.
        // The engine's own headings (plain spaces: its text is not typeset).
        if l == "Ce que vous pouvez faire :" || l == "Présumé, faute d’indication contraire :" {
            skipping = true;
            continue;
        }
        if skipping && l.starts_with('–') {
            continue;
        }
        skipping = false;
        if l.ends_with(':') && !l.contains('.') {
            break;
        }
        if !l.is_empty() {
            out.push(typo(l));
        }
    }
    out
}

fn decision_view(law: &Law, d: &Decision, as_of: NaiveDate) -> DecisionView {
    let mut explanation = explanation_lines(&d.explanation);
    if d.verdict == Verdict::Undetermined {
        explanation.retain(|l| !l.starts_with("Question la plus décisive"));
    }
    DecisionView {
        verdict: d.verdict.as_str(),
        label: d.verdict.label_fr().to_string(),
        explanation,
        next_steps: d
            .next_steps
            .iter()
            .map(|id| {
                let mut t = term(law, id);
                t.detail = law.term(id).map(|x| typo(&x.source)).unwrap_or_default();
                t
            })
            .collect(),
        presumed: d.presumed.iter().map(|p| typo(&p.explanation)).collect(),
        todo: d
            .conditions
            .iter()
            .chain(&d.duties)
            .map(|id| term_on(law, id, as_of))
            .collect(),
        warnings: d
            .warnings
            .iter()
            .map(|id| term_on(law, id, as_of))
            .collect(),
        basis: d
            .basis
            .iter()
            .filter_map(|id| basis_view(law, id, as_of))
            .collect(),
        case_law: d
            .case_law
            .iter()
            .filter_map(|id| law.case(id))
            .map(|c| CaseView {
                id: c.id.clone(),
                jurisdiction: typo(&c.jurisdiction),
                date: sceau_engine::model::date_fr(c.date),
                number: c.number.clone(),
                holding: typo(&c.holding),
                quote: typo(c.quote.trim()),
                source: typo(&c.source),
            })
            .collect(),
        versions: d
            .law_versions
            .iter()
            .map(|v| format!("{} : {}", v.number, v.period))
            .map(|s| typo(&s))
            .collect(),
        trace: d
            .trace
            .iter()
            .map(|t| TraceView {
                label: rule_label(law, &t.rule),
                rule: t.rule.clone(),
                outcome: outcome_fr(t.outcome),
                outcome_id: t.outcome,
                by: t.by.as_deref().map(|b| rule_label(law, b)),
                cites: t.cites.join(", "),
                note: t.note.as_deref().map(typo),
            })
            .collect(),
        missing: d
            .missing
            .iter()
            .filter_map(|m| law.fact(m))
            .map(|f| MissingView {
                fact: f.id.clone(),
                question: typo(&f.question),
            })
            .collect(),
        possible: d
            .possible_verdicts
            .iter()
            .map(|v| v.label_fr().to_string())
            .collect(),
        as_of: sceau_engine::model::date_fr(as_of),
    }
}

// ---------------------------------------------------------------- texts

#[derive(Debug, Serialize)]
struct ArticleRow {
    id: String,
    number: String,
    title: String,
    rules: usize,
    versions: usize,
    in_force: bool,
    excerpt: String,
}

#[derive(Debug, Serialize)]
struct CodeGroup {
    code: String,
    label: &'static str,
    articles: Vec<ArticleRow>,
}

pub async fn texts(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let law = state.law();
    let query = q
        .get("q")
        .map(|s| s.trim().chars().take(100).collect::<String>())
        .unwrap_or_default();
    let (date, date_error) = match crate::dates::parse_day(q.get("date")) {
        Ok(d) => (d, false),
        Err(()) => (None, true),
    };
    let on = date.unwrap_or_else(today);
    let needle = fold(&query);
    let mut groups: Vec<CodeGroup> = Vec::new();
    let mut count = 0;
    let mut arts: Vec<_> = law.articles.iter().collect();
    arts.sort_by_key(|a| code_rank(a.code()));
    for a in arts {
        let version = a.version_on(on);
        let text = version.map(|v| v.full_text()).unwrap_or_default();
        if !needle.is_empty() {
            let hay = fold(&format!("{} {} {} {}", a.id, a.number, a.title, text));
            if !needle.split(' ').all(|w| hay.contains(w)) {
                continue;
            }
        }
        let excerpt: String = text.chars().take(220).collect();
        let row = ArticleRow {
            id: a.id.clone(),
            number: a.number.clone(),
            title: a.title.clone(),
            rules: law.rules_citing(&a.id).len(),
            versions: a.versions.len(),
            in_force: version.is_some(),
            excerpt: if text.chars().count() > 220 {
                format!("{}…", excerpt.trim_end())
            } else {
                excerpt
            },
        };
        count += 1;
        match groups.iter_mut().find(|g| g.code == a.code()) {
            Some(g) => g.articles.push(row),
            None => groups.push(CodeGroup {
                code: a.code().to_string(),
                label: code_label(a.code()),
                articles: vec![row],
            }),
        }
    }
    let chrome = Chrome::new("Les textes", "texts", user.as_ref());
    page(
        &state,
        if date_error {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        "texts.html",
        &chrome,
        context! {
            groups => groups, count => count, query => query,
            date => date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            date_fr => sceau_engine::model::date_fr(on), date_error => date_error,
        },
    )
}

#[derive(Debug, Serialize)]
struct VersionLink {
    index: usize,
    period: String,
    status: String,
    current: bool,
}

#[derive(Debug, Serialize)]
struct ParagraphView {
    key: String,
    anchor: String,
    heading: String,
    text: String,
}

#[derive(Debug, Serialize)]
struct RuleView {
    id: String,
    verdict: Option<String>,
    explanation: String,
    when: String,
    cites: String,
    file: String,
    period: Option<String>,
}

pub async fn text(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let law = state.law();
    if law.article(&id).is_none() {
        // An identifier written as a reader writes it (« L.1111-5 ») leads to
        // the article's own address. The date is the only parameter kept,
        // and only when it is a date.
        if let Some(canonical) = law.resolve_article_id(&id) {
            let date = match crate::dates::parse_day(q.get("date")) {
                Ok(Some(d)) => format!("?date={d}"),
                _ => String::new(),
            };
            return Redirect::to(&format!("/textes/{canonical}{date}")).into_response();
        }
    }
    let Some(art) = law.article(&id) else {
        return error_page(
            &state,
            StatusCode::NOT_FOUND,
            user.as_ref(),
            "Texte introuvable",
            "Cet article n’est pas dans le corpus de Sceau. Consultez la liste des textes.",
        );
    };
    let (date, date_error) = match crate::dates::parse_day(q.get("date")) {
        Ok(d) => (d, false),
        Err(()) => (None, true),
    };
    let on = date.unwrap_or_else(today);
    let by_index = q
        .get("version")
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&i| i < art.versions.len());
    let index = by_index.or_else(|| art.versions.iter().position(|v| v.in_force_on(on)));
    let version = index.map(|i| &art.versions[i]);
    let versions: Vec<VersionLink> = art
        .versions
        .iter()
        .enumerate()
        .map(|(i, v)| VersionLink {
            index: i,
            period: typo(&v.period_fr()),
            status: v.status.clone(),
            current: Some(i) == index,
        })
        .collect();
    let paragraphs: Vec<ParagraphView> = version
        .map(|v| {
            v.paragraphs
                .iter()
                .map(|p| ParagraphView {
                    key: p.key.clone(),
                    anchor: format!("p-{}", p.key.replace(' ', "-")),
                    heading: if p.key.chars().all(|c| c.is_ascii_digit()) {
                        format!("{}°", p.key)
                    } else {
                        format!("{}.", p.key)
                    },
                    text: p.text.trim().to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let rules: Vec<RuleView> = law
        .rules_citing(&art.id)
        .into_iter()
        .map(|r| RuleView {
            id: r.id.clone(),
            verdict: r.verdict.map(|v| v.label_fr().to_string()),
            explanation: typo(r.explanation.trim()),
            when: r.when_src.trim().to_string(),
            cites: r.cites.join(", "),
            file: r.file.clone(),
            period: match (r.valid_from, r.valid_until) {
                (None, None) => None,
                (Some(f), None) => Some(format!("à partir du {}", sceau_engine::model::date_fr(f))),
                (None, Some(u)) => Some(format!("jusqu’au {}", sceau_engine::model::date_fr(u))),
                (Some(f), Some(u)) => Some(format!(
                    "du {} au {}",
                    sceau_engine::model::date_fr(f),
                    sceau_engine::model::date_fr(u)
                )),
            },
        })
        .collect();
    let chrome = Chrome::new(
        format!("{} — Les textes", art.number),
        "texts",
        user.as_ref(),
    );
    let res = page(
        &state,
        if date_error {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        "text.html",
        &chrome,
        context! {
            art => context! { id => art.id.clone(), number => art.number.clone(), title => art.title.clone(), code => code_label(art.code()) },
            version => version.map(|v| context! {
                period => typo(&v.period_fr()), status => v.status.clone(), missing => v.missing.as_deref().map(typo),
                source => typo(&v.source), amended_by => v.amended_by.as_deref().map(typo), text => v.text.trim().to_string(),
            }),
            paragraphs => paragraphs, versions => versions, rules => rules,
            date => date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            date_fr => sceau_engine::model::date_fr(on), date_error => date_error, by_index => by_index.is_some(),
        },
    );
    crate::conditional::with_etag(&headers, res).await
}

// ---------------------------------------------------------------- static and errors

const CSS: &str = include_str!("../static/sceau.css");
const JS: &str = include_str!("../static/sceau.js");

pub async fn static_file(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "sceau.css" => (CSS, "text/css; charset=utf-8"),
        "sceau.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return (StatusCode::NOT_FOUND, "introuvable").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub async fn not_found(
    State(state): State<AppState>,
    uri: Uri,
    MaybeUser(user): MaybeUser,
) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::api_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "Cette adresse de l’API n’existe pas.",
            "No such API endpoint.",
        );
    }
    error_page(
        &state,
        StatusCode::NOT_FOUND,
        user.as_ref(),
        "Page introuvable",
        "Cette page n’existe pas. Revenez à l’accueil.",
    )
}

pub async fn method_not_allowed(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::api_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "Méthode HTTP non acceptée à cette adresse.",
            "HTTP method not allowed here.",
        );
    }
    (StatusCode::METHOD_NOT_ALLOWED, "Méthode non acceptée.").into_response()
}
