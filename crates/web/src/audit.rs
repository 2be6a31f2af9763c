//! « Audit du cabinet »: the practice's self-audit of professional secrecy
//! (CSP R. 4321-114, R. 4321-115, R. 4321-116). The questionnaire comes
//! from `law/audit.toml`; each audit is kept in the register with its
//! author and date; its page and PDF give the actions to take, each citing
//! its articles, and what changed since the previous audit.
//!
//! Administrators and kinésithérapeutes run audits: the duties of these
//! articles are theirs. Students and assistants read them (the audit is
//! also how they learn what is expected of them under R. 4321-115).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use sceau_documents::audit::{compare, report, Answer, AuditRecord, Change, Checklist};
use sceau_store::audit::{Audit, AuditAnswer, COMMENT_MAX};
use sceau_store::{Role, Session, StoreError};
use serde::Serialize;

use crate::error::{store_failure, WebError};
use crate::render::attachment;
use crate::render::{page, typo, Chrome};
use crate::session::{CsrfForm, User};
use crate::AppState;

type Pairs = Vec<(String, String)>;

/// Who may run an audit (the others read them).
pub fn can_run(role: Role) -> bool {
    matches!(role, Role::Administrateur | Role::Kinesitherapeute)
}

fn get<'a>(form: &'a Pairs, k: &str) -> &'a str {
    form.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.trim())
        .unwrap_or("")
}

fn day_of(t: i64) -> chrono::NaiveDate {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.with_timezone(&chrono::Local).date_naive())
        .unwrap_or_default()
}

pub(crate) fn record(a: &Audit, practice: &str) -> AuditRecord {
    AuditRecord {
        number: a.number,
        date: day_of(a.created_at),
        author: a.author_name.clone(),
        practice: practice.to_string(),
        answers: a
            .answers
            .iter()
            .filter_map(|x| {
                Some((
                    x.point.clone(),
                    (Answer::parse(&x.answer)?, x.comment.clone()),
                ))
            })
            .collect(),
    }
}

/// What a handler of this module returns (`Answer` here is an audit's answer).
type Page = Result<Response, WebError>;

/// Not found (another practice's audit, a bad id) or the database failing.
fn unavailable(state: &AppState, s: &Session, e: StoreError) -> WebError {
    store_failure(state, s, e).into()
}

/// Only those who may run an audit start one (403 otherwise).
fn may_run(state: &AppState, s: &Session) -> Result<(), WebError> {
    if can_run(s.account.role) {
        Ok(())
    } else {
        Err(forbidden(state, s))
    }
}

fn forbidden(state: &AppState, s: &Session) -> WebError {
    WebError::page(
        state,
        StatusCode::FORBIDDEN,
        Some(s),
        "Accès refusé",
        "Seuls les administrateurs et les kinésithérapeutes du cabinet réalisent un audit ; vous pouvez consulter les audits passés.",
    )
}

#[derive(Serialize)]
struct Cite {
    id: String,
    label: String,
}

fn cites(state: &AppState, ids: &[String]) -> Vec<Cite> {
    ids.iter()
        .map(|id| Cite {
            id: id.clone(),
            label: state
                .law()
                .article(id)
                .map(|a| a.citation_fr())
                .unwrap_or_else(|| id.clone()),
        })
        .collect()
}

#[derive(Serialize)]
struct PointView {
    id: String,
    question: String,
    help: String,
    cites: Vec<Cite>,
    action: String,
    answer: String,
    answer_label: &'static str,
    comment: String,
}

#[derive(Serialize)]
struct SectionView {
    id: String,
    title: String,
    points: Vec<PointView>,
}

fn sections(state: &AppState, values: &HashMap<String, (String, String)>) -> Vec<SectionView> {
    let c = Checklist::builtin();
    c.section
        .iter()
        .map(|s| SectionView {
            id: s.id.clone(),
            title: typo(&s.title),
            points: c
                .points_of(&s.id)
                .map(|p| {
                    let (answer, comment) = values.get(&p.id).cloned().unwrap_or_default();
                    PointView {
                        id: p.id.clone(),
                        question: typo(&p.question),
                        help: typo(&p.help),
                        cites: cites(state, &p.cites),
                        action: typo(&p.action),
                        answer_label: Answer::parse(&answer).map(Answer::label_fr).unwrap_or(""),
                        answer,
                        comment,
                    }
                })
                .collect(),
        })
        .collect()
}

#[derive(Serialize)]
struct AuditRow {
    id: String,
    number: i64,
    at: String,
    author: String,
}

pub async fn list(State(state): State<AppState>, User(s, _): User) -> Page {
    let audits = state
        .store()
        .audits(s.practice.id)
        .await
        .map_err(|e| unavailable(&state, &s, e))?;
    let rows: Vec<AuditRow> = audits
        .iter()
        .map(|a| AuditRow {
            id: a.id.clone(),
            number: a.number,
            at: crate::dates::ts_fr(a.created_at),
            author: a.author_name.clone(),
        })
        .collect();
    let chrome = Chrome::new("Audit du cabinet", "audit", Some(&s));
    Ok(page(
        &state,
        StatusCode::OK,
        "audits.html",
        &chrome,
        context! { audits => rows, can_run => can_run(s.account.role), points => Checklist::builtin().point.len() },
    ))
}

fn form_page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    values: &HashMap<String, (String, String)>,
    error: Option<String>,
) -> Response {
    let chrome = Chrome::new("Nouvel audit du cabinet", "audit", Some(s));
    page(
        state,
        status,
        "audit_form.html",
        &chrome,
        context! { sections => sections(state, values), error => error, comment_max => COMMENT_MAX },
    )
}

pub async fn new_form(State(state): State<AppState>, User(s, _): User) -> Page {
    may_run(&state, &s)?;
    Ok(form_page(&state, &s, StatusCode::OK, &HashMap::new(), None))
}

pub async fn submit(
    State(state): State<AppState>,
    User(s, _): User,
    CsrfForm(raw): CsrfForm<Pairs>,
) -> Page {
    may_run(&state, &s)?;
    let c = Checklist::builtin();
    let mut values = HashMap::new();
    let mut missing = Vec::new();
    let mut answers = Vec::new();
    let mut too_long = None;
    for p in &c.point {
        let a = get(&raw, &format!("reponse_{}", p.id));
        let comment = get(&raw, &format!("commentaire_{}", p.id));
        values.insert(p.id.clone(), (a.to_string(), comment.to_string()));
        if comment.chars().count() > COMMENT_MAX {
            too_long.get_or_insert(p);
        }
        match Answer::parse(a) {
            Some(ans) => answers.push(AuditAnswer {
                point: p.id.clone(),
                answer: ans.as_str().into(),
                comment: Some(comment.to_string()).filter(|c| !c.is_empty()),
            }),
            None => missing.push(p),
        }
    }
    let error = if let Some(p) = missing.first() {
        Some(format!(
            "Répondez à chaque question par « oui », « non » ou « sans objet » : {} question(s) sans réponse, dont « {} ».",
            missing.len(),
            p.question
        ))
    } else {
        too_long.map(|p| {
            format!(
                "Commentaire de la question « {} » : {COMMENT_MAX} caractères au plus.",
                p.question
            )
        })
    };
    if let Some(m) = error {
        return Ok(form_page(
            &state,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            &values,
            Some(m),
        ));
    }
    match state
        .store()
        .record_audit(
            s.practice.id,
            &s.account.username,
            &s.account.display_name,
            &c.version,
            &answers,
        )
        .await
    {
        Ok(a) => Ok(Redirect::to(&format!("/audit/{}", a.id)).into_response()),
        Err(StoreError::Invalid(m)) => Ok(form_page(
            &state,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            &values,
            Some(m),
        )),
        Err(e) => Err(unavailable(&state, &s, e)),
    }
}

async fn load(
    state: &AppState,
    s: &Session,
    id: &str,
) -> Result<(AuditRecord, Option<AuditRecord>, String), WebError> {
    let store = state.store();
    let a = store
        .audit(s.practice.id, id)
        .await
        .map_err(|e| unavailable(state, s, e))?;
    let prev = store
        .previous_audit(s.practice.id, &a)
        .await
        .map_err(|e| unavailable(state, s, e))?;
    Ok((
        record(&a, &s.practice.name),
        prev.as_ref().map(|p| record(p, &s.practice.name)),
        a.id,
    ))
}

#[derive(Serialize)]
struct ChangeView {
    question: String,
    before: &'static str,
    now: &'static str,
}

pub async fn show(State(state): State<AppState>, User(s, _): User, Path(id): Path<String>) -> Page {
    let (cur, prev, id) = load(&state, &s, &id).await?;
    let c = Checklist::builtin();
    let values: HashMap<String, (String, String)> = cur
        .answers
        .iter()
        .map(|(k, (a, com))| {
            (
                k.clone(),
                (a.as_str().to_string(), com.clone().unwrap_or_default()),
            )
        })
        .collect();
    let secs = sections(&state, &values);
    let actions: Vec<&PointView> = secs
        .iter()
        .flat_map(|s| &s.points)
        .filter(|p| p.answer == "non")
        .collect();
    let comparison = prev.as_ref().map(|p| {
        let cmp = compare(c, &cur, p);
        let of = |ch: Change| -> Vec<ChangeView> {
            cmp.points
                .iter()
                .filter(|x| x.1 == ch)
                .filter_map(|(pid, _, before, now)| {
                    Some(ChangeView {
                        question: typo(&c.point(pid)?.question),
                        before: before.map(Answer::label_fr).unwrap_or("non posé"),
                        now: now.label_fr(),
                    })
                })
                .collect()
        };
        context! {
            number => cmp.previous_number,
            date => sceau_engine::model::date_fr(cmp.previous_date),
            improved => of(Change::Improved),
            regressed => of(Change::Regressed),
            other => of(Change::Other),
            unchanged => cmp.of(Change::Unchanged).len(),
        }
    });
    let (yes, no, na) = cur.counts();
    let chrome = Chrome::new(
        format!("Audit n° {} du cabinet", cur.number),
        "audit",
        Some(&s),
    );
    Ok(page(
        &state,
        StatusCode::OK,
        "audit.html",
        &chrome,
        context! {
            id => id,
            number => cur.number,
            date => sceau_engine::model::date_fr(cur.date),
            author => cur.author,
            yes => yes, no => no, na => na,
            actions => actions,
            sections => secs,
            comparison => comparison,
        },
    ))
}

pub async fn pdf(State(state): State<AppState>, User(s, _): User, Path(id): Path<String>) -> Page {
    let (cur, prev, _) = load(&state, &s, &id).await?;
    let doc = report(state.law(), Checklist::builtin(), &cur, prev.as_ref());
    let bytes = sceau_documents::pdf::render(&doc).map_err(|e| {
        tracing::error!(error = %e, "audit : PDF");
        WebError::page(
            &state,
            StatusCode::SERVICE_UNAVAILABLE,
            Some(&s),
            "PDF indisponible",
            "Le PDF n’a pas pu être produit. Réessayez dans un instant.",
        )
    })?;
    Ok(attachment(
        &format!("audit-cabinet-{}.pdf", cur.number),
        "application/pdf",
        bytes,
    ))
}
