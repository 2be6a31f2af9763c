//! « Faire un signalement »: the report under CP 226-14 from the web. The
//! form gives the facts the engine needs, the author, the victim and the
//! three lists (observations, statements, context, one item per line); the
//! minimisation check flags needless parts, each to remove or confirm; the
//! engine decides. When a derogation applies the letter is shown and offered
//! as PDF and text for a short while (kept in memory only, under a random
//! id, never logged) and saved as a draft (`crate::reports`: brouillon →
//! relu → envoyé); otherwise the refusal says what remains possible. Only
//! a report marked as sent is journaled; one under 3° without consent then
//! leaves the pending duty « victime informée », shown on the home page.

pub mod lettres;
pub mod reports;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use minijinja::context;
use rand::RngCore;
use sceau_documents::{check, draft, Directory, Field, ItemRef, Lines, Refusal, ReportForm};
use sceau_store::Session;
use sceau_store::StoreError;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::dates::today;
use crate::render::{error_page, page, typo, Chrome};
use crate::session::{CsrfForm, User};
use crate::AppState;

/// The duty left by a report under 3° made without the victim's consent.
pub use sceau_store::reports::INFORM_VICTIM;

/// How long a drafted report can be downloaded, in minutes (the pages say it).
pub use crate::render::KEEP_MINUTES;
const KEEP: Duration = Duration::from_secs(KEEP_MINUTES * 60);

struct Kept {
    at: Instant,
    practice: i64,
    /// The file name without extension (`signalement`, `reponse-requisition`…).
    name: &'static str,
    text: String,
    pdf: Vec<u8>,
}

fn kept() -> &'static Mutex<HashMap<String, Kept>> {
    static K: OnceLock<Mutex<HashMap<String, Kept>>> = OnceLock::new();
    K.get_or_init(|| Mutex::new(HashMap::new()))
}

/// A new report id (`rep_` and 128 random bits).
fn new_report_id() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("rep_{hex}")
}

pub(crate) fn keep(practice: i64, name: &'static str, text: String, pdf: Vec<u8>) -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    let id: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let mut m = kept().lock().unwrap_or_else(|p| p.into_inner());
    m.retain(|_, k| k.at.elapsed() < KEEP);
    m.insert(
        id.clone(),
        Kept {
            at: Instant::now(),
            practice,
            name,
            text,
            pdf,
        },
    );
    id
}

type Pairs = Vec<(String, String)>;

fn get<'a>(form: &'a Pairs, k: &str) -> &'a str {
    form.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.trim())
        .unwrap_or("")
}

pub(crate) fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[derive(Serialize)]
struct Opt {
    value: String,
    label: String,
}

fn choices(state: &AppState, fact: &str, only: &[&str]) -> Vec<Opt> {
    state
        .law()
        .fact(fact)
        .map(|f| {
            f.choices
                .iter()
                .filter(|c| only.is_empty() || only.contains(&c.value.as_str()))
                .map(|c| Opt {
                    value: c.value.clone(),
                    label: typo(&c.label),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Yes/no questions of the form: (form name, fact, question).
const YES_NO: &[(&str, &str, &str)] = &[
    ("mineur", "patient_minor", "La victime est-elle mineure ?"),
    (
        "se_proteger",
        "patient_can_protect_self",
        "La victime est-elle en mesure de se protéger (âge, état physique ou psychique) ?",
    ),
    (
        "violences",
        "violence_observed",
        "Avez-vous constaté des sévices, privations ou violences dans votre exercice ?",
    ),
    (
        "couple",
        "violence_within_couple",
        "Les violences sont-elles commises au sein du couple ?",
    ),
    (
        "danger",
        "life_in_immediate_danger",
        "Estimez-vous en conscience que la vie de la victime est en danger immédiat ?",
    ),
    (
        "emprise",
        "victim_under_emprise",
        "Estimez-vous que la victime n’est pas en mesure de se protéger en raison de l’emprise ?",
    ),
    (
        "dangereux",
        "person_dangerous",
        "La personne qui vous consulte présente-t-elle un danger pour elle-même ou pour autrui ?",
    ),
    (
        "arme",
        "holds_or_seeks_weapon",
        "Détient-elle une arme ou a-t-elle manifesté l’intention d’en acquérir une ?",
    ),
];

#[derive(Serialize)]
struct FlagView {
    name: String,
    field: &'static str,
    field_label: &'static str,
    index: usize,
    text: String,
    reason: String,
}

fn field_label(f: Field) -> &'static str {
    match f {
        Field::Observations => "Constatations",
        Field::Statements => "Propos de la personne",
        Field::Context => "Contexte",
    }
}

fn form_name(f: Field) -> &'static str {
    match f {
        Field::Observations => "constatations",
        Field::Statements => "propos",
        Field::Context => "contexte",
    }
}

/// The submitted form after the « retirer » / « confirmer » choices.
struct Submitted {
    values: HashMap<String, String>,
    lists: HashMap<Field, Vec<String>>,
    /// Confirmed items, as `field|text`.
    confirmed: Vec<String>,
    /// Why each confirmed item is necessary: `field|text` and the reason.
    reasons: Vec<(String, String)>,
    /// Items the person chose to keep without a reason or without ticking
    /// the confirmation: still flagged.
    unconfirmed: Vec<String>,
}

impl Submitted {
    /// The reasons as hidden fields carry them (`field|text` newline reason).
    fn reason_fields(&self) -> Vec<String> {
        self.reasons
            .iter()
            .map(|(k, r)| format!("{k}\n{r}"))
            .collect()
    }
}

fn read(form: &Pairs) -> Submitted {
    let mut values: HashMap<String, String> = HashMap::new();
    for (k, v) in form {
        if k != "confirme"
            && k != "raison"
            && !k.starts_with("choix_")
            && !k.starts_with("raison_")
            && !k.starts_with("certifie_")
        {
            values.insert(k.clone(), v.clone());
        }
    }
    let mut lists: HashMap<Field, Vec<String>> = HashMap::new();
    let mut reasons: Vec<(String, String)> = form
        .iter()
        .filter(|(k, _)| k == "raison")
        .filter_map(|(_, v)| v.split_once('\n'))
        // A form posts its line breaks as CRLF.
        .map(|(k, r)| (k.trim_end_matches('\r').to_string(), r.trim().to_string()))
        .filter(|(_, r)| !r.is_empty())
        .collect();
    // A confirmation carried from an earlier step counts only with its reason.
    let mut confirmed: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "confirme")
        .map(|(_, v)| v.clone())
        .filter(|c| reasons.iter().any(|(k, _)| k == c))
        .collect();
    let mut unconfirmed = Vec::new();
    for f in [Field::Observations, Field::Statements, Field::Context] {
        let mut items = lines(get(form, form_name(f)));
        let mut remove = Vec::new();
        for (i, t) in items.iter().enumerate() {
            match get(form, &format!("choix_{}_{i}", f.as_str())) {
                "retirer" => remove.push(i),
                "confirmer" => {
                    // Keeping a flagged passage is a separate, explicit act:
                    // a reason and the confirmation ticked.
                    let key = format!("{}|{t}", f.as_str());
                    let reason = get(form, &format!("raison_{}_{i}", f.as_str()));
                    let ticked = get(form, &format!("certifie_{}_{i}", f.as_str())) == "oui";
                    if reason.is_empty() || !ticked || reason.chars().count() > 300 {
                        unconfirmed.push(format!("{} «\u{a0}{t}\u{a0}»", field_label(f)));
                    } else {
                        reasons.retain(|(k, _)| k != &key);
                        reasons.push((key.clone(), reason.to_string()));
                        confirmed.push(key);
                    }
                }
                _ => {}
            }
        }
        for i in remove.into_iter().rev() {
            items.remove(i);
        }
        values.insert(form_name(f).into(), items.join("\n"));
        lists.insert(f, items);
    }
    confirmed.sort();
    confirmed.dedup();
    reasons.retain(|(k, _)| confirmed.contains(k));
    Submitted {
        values,
        lists,
        confirmed,
        reasons,
        unconfirmed,
    }
}

/// The report's situation: the facts of the account (`sceau_app::reports`:
/// who writes, what a report presupposes) and the form's answers.
fn situation(form: &HashMap<String, String>, day: NaiveDate, role: sceau_store::Role) -> Value {
    let v = |k: &str| form.get(k).map(|s| s.trim()).unwrap_or("");
    let mut s = Map::new();
    s.insert("as_of".into(), json!(day.format("%Y-%m-%d").to_string()));
    s.extend(sceau_app::reports::signalement_facts(role));
    if !v("destinataire").is_empty() {
        s.insert("recipient".into(), json!(v("destinataire")));
    }
    for (name, fact, _) in YES_NO {
        match v(name) {
            "oui" => {
                s.insert((*fact).into(), json!(true));
            }
            "non" => {
                s.insert((*fact).into(), json!(false));
            }
            _ => {}
        }
    }
    for (name, fact) in [
        ("consentement", "patient_consent"),
        ("nature", "violence_kind"),
    ] {
        if !v(name).is_empty() {
            s.insert(fact.into(), json!(v(name)));
        }
    }
    Value::Object(s)
}

fn report_form(
    sub: &Submitted,
    day: NaiveDate,
    role: sceau_store::Role,
) -> Result<ReportForm, String> {
    let v = |k: &str| sub.values.get(k).map(|s| s.trim()).unwrap_or("");
    let opt = |k: &str| Some(v(k).to_string()).filter(|s| !s.is_empty());
    let birth = match opt("victime_naissance") {
        None => None,
        Some(d) => Some(
            NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map_err(|_| "Date de naissance de la victime : date non reconnue.".to_string())?,
        ),
    };
    let list = |f: Field| sub.lists.get(&f).cloned().unwrap_or_default();
    let mut form = ReportForm {
        situation: situation(&sub.values, day, role),
        author: sceau_documents::Author {
            name: v("auteur_nom").into(),
            profession: None,
            rpps: v("auteur_rpps").into(),
            address: Lines(lines(v("auteur_adresse"))),
            phone: opt("auteur_telephone"),
            email: None,
            gender: opt("auteur_genre"),
        },
        victim: sceau_documents::Person {
            name: v("victime_nom").into(),
            birth_date: birth,
            civility: opt("victime_civilite"),
            address: None,
        },
        recipient_address: None,
        jurisdiction: opt("departement"),
        recipient_name: None,
        place: None,
        date: Some(day),
        examination_date: None,
        observations: list(Field::Observations),
        statements: list(Field::Statements)
            .into_iter()
            .map(|text| sceau_documents::Statement {
                text,
                role: Default::default(),
                speaker: None,
                date: None,
            })
            .collect(),
        context: list(Field::Context),
        confirmed: vec![],
    };
    for f in [Field::Observations, Field::Statements, Field::Context] {
        let found: Vec<ItemRef> = form
            .items(f)
            .iter()
            .enumerate()
            .filter(|(_, t)| sub.confirmed.contains(&format!("{}|{t}", f.as_str())))
            .map(|(index, _)| ItemRef { field: f, index })
            .collect();
        form.confirmed.extend(found);
    }
    form.validate_own().map_err(|e| e.message)?;
    Ok(form)
}

/// An entry of the practice's directory, as offered in the form; an entry
/// deleted without Sceau is listed, not offered (`deleted`).
#[derive(Serialize)]
struct EntryOpt {
    id: String,
    label: String,
    deleted: bool,
}

async fn directory_options(state: &AppState, s: &Session) -> Vec<EntryOpt> {
    match state.store().directory(s.practice.id).await {
        Ok(listing) => listing
            .entries
            .into_iter()
            .map(|r| EntryOpt {
                label: format!(
                    "{} — {} — {}{}",
                    r.department,
                    sceau_store::directory::kind_label(&r.kind),
                    r.name,
                    if r.altered {
                        " (altérée\u{a0}: ne sert d’adresse à aucun signalement)"
                    } else if r.example {
                        " (exemple à vérifier)"
                    } else {
                        ""
                    }
                ),
                id: r.id,
                deleted: false,
            })
            .chain(listing.deleted.into_iter().map(|id| EntryOpt {
                label: format!("Entrée supprimée hors de Sceau ({id})\u{a0}: l’annuaire signé du cabinet la nomme, elle n’est plus dans la base"),
                id,
                deleted: true,
            }))
            .collect(),
        Err(e) => {
            tracing::error!(error = %e, "annuaire");
            vec![]
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    values: &HashMap<String, String>,
    confirmed: &[String],
    reasons: &[String],
    flags: Vec<FlagView>,
    error: Option<String>,
) -> Response {
    let entries = directory_options(state, s).await;
    let patients = patient_options(state, s).await;
    // The report's id, chosen when the form is first shown: drafting again
    // from this form (a typo fixed) updates the same draft.
    let mut values = values.clone();
    let profile = crate::profile::load(state, s).await;
    crate::profile::fill_author(&mut values, s, &profile);
    if !values
        .get("rapport")
        .is_some_and(|r| sceau_store::register::valid_id("rep", r))
    {
        values.insert("rapport".into(), new_report_id());
    }
    let values = &values;
    let questions: Vec<Value> = YES_NO
        .iter()
        .map(|(name, _, q)| json!({ "name": name, "question": typo(q), "value": values.get(*name).cloned().unwrap_or_default() }))
        .collect();
    let chrome = Chrome::new("Faire un signalement", "signalement", Some(s));
    page(
        state,
        status,
        "signalement.html",
        &chrome,
        context! {
            form => values,
            questions => questions,
            recipients => choices(state, "recipient", &["procureur", "crip", "prefet"]),
            consents => choices(state, "patient_consent", &[]),
            kinds => choices(state, "violence_kind", &[]),
            flags => flags,
            confirmed => confirmed,
            reasons => reasons,
            error => error,
            entries => entries,
            patients => patients,
            profile => crate::profile::view(&profile),
            aids => crate::aides::view(),
        },
    )
}

/// The register's patients (not archived), offered as the patient the
/// report is about: sending it then names that patient in the journal and
/// on the duty that follows.
async fn patient_options(state: &AppState, s: &Session) -> Vec<EntryOpt> {
    match state.store().list_patients(s.practice.id).await {
        Ok(list) => list
            .into_iter()
            .map(|p| EntryOpt {
                label: match p.birth_date {
                    Some(d) => format!(
                        "{} (né(e) le {})",
                        p.display_name,
                        sceau_engine::model::date_fr(d)
                    ),
                    None => p.display_name,
                },
                id: p.id,
                deleted: false,
            })
            .collect(),
        Err(e) => {
            tracing::error!(error = %e, "registre");
            vec![]
        }
    }
}

/// `GET /signalement`, or `?patient=pat_…` from a patient's page: the
/// report about that patient of the register, the victim's name and birth
/// date taken from it.
pub async fn form(
    State(state): State<AppState>,
    User(s, _): User,
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    let mut values = HashMap::new();
    values.insert("destinataire".to_string(), "procureur".to_string());
    if let Some(id) = q
        .get("patient")
        .filter(|p| sceau_store::register::valid_id("pat", p))
    {
        match state.store().patient(s.practice.id, id).await {
            Ok(p) => {
                values.insert("patient".into(), p.id.clone());
                values.insert("victime_nom".into(), p.display_name.clone());
                if let Some(b) = p.birth_date {
                    values.insert("victime_naissance".into(), b.format("%Y-%m-%d").to_string());
                }
            }
            Err(StoreError::NotFound) => {}
            Err(e) => return unavailable(&state, &s, e),
        }
    }
    form_page(&state, &s, StatusCode::OK, &values, &[], &[], vec![], None).await
}

/// « Faire un signalement avec ces réponses », from a decision page: the
/// interview's answers prefill the situation part of the form (the
/// engine decides again on submission).
pub async fn from_interview(
    State(state): State<AppState>,
    User(s, _): User,
    CsrfForm(raw): CsrfForm<Pairs>,
) -> Response {
    let law = state.law();
    let mut values = HashMap::new();
    values.insert("destinataire".to_string(), "procureur".to_string());
    for (_, pair) in raw.iter().filter(|(k, _)| k == "a") {
        let Some((fact, value)) = crate::answers::valid_answer(law, pair) else {
            continue;
        };
        if let Some((name, _, _)) = YES_NO.iter().find(|(_, f, _)| *f == fact) {
            match value {
                "true" => values.insert((*name).into(), "oui".into()),
                "false" => values.insert((*name).into(), "non".into()),
                _ => None,
            };
        }
        match (fact, value) {
            ("recipient", "procureur" | "crip" | "prefet") => {
                values.insert("destinataire".into(), value.into());
            }
            ("patient_consent", v) if v != "?" => {
                values.insert("consentement".into(), v.into());
            }
            ("violence_kind", v) if v != "?" => {
                values.insert("nature".into(), v.into());
            }
            _ => {}
        }
    }
    form_page(&state, &s, StatusCode::OK, &values, &[], &[], vec![], None).await
}

pub(crate) fn unavailable(state: &AppState, s: &Session, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "signalement");
    error_page(
        state,
        StatusCode::SERVICE_UNAVAILABLE,
        Some(s),
        "Service indisponible",
        "La base de données ne répond pas. Réessayez dans un instant.",
    )
}

pub async fn submit(
    State(state): State<AppState>,
    User(s, _): User,
    CsrfForm(raw): CsrfForm<Pairs>,
) -> Response {
    let day = today();
    let mut sub = read(&raw);
    // The author's RPPS and address come from the account when the form
    // does not carry them (it shows them as known).
    let profile = crate::profile::load(&state, &s).await;
    crate::profile::fill_author(&mut sub.values, &s, &profile);
    let sub = sub;
    // « Corriger le brouillon »: the form again, filled with what was
    // submitted; drafting it again replaces the same draft.
    if get(&raw, "action") == "corriger" {
        return form_page(
            &state,
            &s,
            StatusCode::OK,
            &sub.values,
            &sub.confirmed,
            &sub.reason_fields(),
            vec![],
            None,
        )
        .await;
    }
    // A refused form keeps what its author typed, in its own fields (the
    // templates escape it; the page is not cached), with the passages kept
    // and their reasons; the message names the field, never the value.
    let reasons = sub.reason_fields();
    let invalid = |m: String| {
        form_page(
            &state,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            &sub.values,
            &sub.confirmed,
            &reasons,
            vec![],
            Some(m),
        )
    };
    if !matches!(
        sub.values.get("destinataire").map(String::as_str),
        Some("procureur" | "crip" | "prefet")
    ) {
        return invalid("Champ « Destinataire » : choisissez le procureur de la République, la CRIP ou le préfet.".into()).await;
    }
    let form = match report_form(&sub, day, s.account.role) {
        Ok(f) => f,
        Err(m) => return invalid(m).await,
    };
    if let Err(e) = state.law().parse_situation(&form.situation, day) {
        return invalid(sceau_documents::FormError::from_situation(e).message).await;
    }
    let confirmed: Vec<ItemRef> = form.confirmed.clone();
    let pending: Vec<FlagView> = check(&form)
        .into_iter()
        .filter(|f| !confirmed.contains(&f.item()))
        .map(|f| FlagView {
            name: format!("choix_{}_{}", f.field.as_str(), f.index),
            field: f.field.as_str(),
            field_label: field_label(f.field),
            index: f.index,
            text: form.items(f.field)[f.index].to_string(),
            reason: typo(&f.reason),
        })
        .collect();
    if !pending.is_empty() {
        return form_page(
            &state,
            &s,
            StatusCode::OK,
            &sub.values,
            &sub.confirmed,
            &sub.reason_fields(),
            pending,
            (!sub.unconfirmed.is_empty()).then(|| {
                format!(
                    "Pour garder un passage signalé, indiquez pourquoi il est nécessaire et cochez la confirmation\u{a0}: {}.",
                    sub.unconfirmed.join(", ")
                )
            }),
        )
        .await;
    }
    let (form, directory, left_out) = match recipient_source(&state, &s, &sub.values, form).await {
        Ok(x) => x,
        Err(Choice::Invalid(m)) => return invalid(m).await,
        Err(Choice::Unavailable(e)) => return unavailable(&state, &s, e),
    };
    let chrome = Chrome::new("Signalement", "signalement", Some(&s));
    match draft(state.law(), &form, &directory, day) {
        Ok(mut d) => {
            // The letter carries the journal's signed head as it stands.
            crate::journal_receipt::stamp(&state, s.practice.id, &mut d.letter).await;
            let pdf = match d.pdf() {
                Ok(p) => p,
                Err(e) => return unavailable(&state, &s, e),
            };
            let text = d.text();
            // A draft only: the journal entry and the duty « informer la
            // victime » are written when the report is marked as sent.
            let duty_subject = d
                .pending_duties
                .iter()
                .any(|p| p == INFORM_VICTIM)
                .then(|| format!("Informer {} du signalement", form.victim.full()));
            let id = match sub.values.get("rapport") {
                Some(r) if sceau_store::register::valid_id("rep", r) => r.clone(),
                _ => new_report_id(),
            };
            let saved = state
                .store()
                .save_report_draft(
                    s.practice.id,
                    &s.account.username,
                    &id,
                    &sceau_store::reports::ReportDraft {
                        recipient: d.recipient.kind.clone(),
                        verdict: d.decision.verdict.as_str().into(),
                        basis: d.derogation.basis.clone(),
                        letter: text.clone(),
                        duty_subject,
                        kept: sub.reasons.iter().map(|(k, r)| {
                            let passage = k.split_once('|').map(|(_, t)| t).unwrap_or(k);
                            (passage.to_string(), r.clone())
                        }).collect(),
                        patient: sub
                            .values
                            .get("patient")
                            .filter(|p| !p.is_empty())
                            .cloned(),
                    },
                )
                .await;
            let report = match saved {
                Ok(r) => r,
                Err(StoreError::Invalid(m)) => return invalid(m).await,
                Err(StoreError::NotFound) => return invalid("Référence du signalement\u{a0}: valeur non reconnue.".into()).await,
                Err(e) => return crate::error::outage_page(&state, Some(&s), "signalement", &e),
            };
            let duty = report.duty_subject.is_some();
            let paragraphs: Vec<String> = d
                .derogation
                .paragraphs
                .iter()
                .map(|p| format!("{p}°"))
                .collect();
            let kept_id = keep(s.practice.id, "signalement", text.clone(), pdf);
            page(
                &state,
                StatusCode::OK,
                "signalement_result.html",
                &chrome,
                context! {
                    produced => true,
                    id => kept_id,
                    report => crate::signalement::reports::view(&report),
                    values => sub.values.iter().filter(|(k, _)| *k != "csrf" && *k != "action").collect::<std::collections::BTreeMap<_, _>>(),
                    confirmed => &sub.confirmed,
                    reasons => sub.reason_fields(),
                    text => text,
                    paragraphs => paragraphs.join(", "),
                    follow_up => d.follow_up.iter().map(|l| typo(l)).collect::<Vec<_>>(),
                    example => d.recipient.example,
                    duty => duty,
                },
            )
        }
        Err(Refusal::Invalid(e)) if e.error == "no_recipient" => {
            invalid(no_entry(&form, left_out)).await
        }
        Err(Refusal::Invalid(e)) if e.error == "ambiguous_recipient" => {
            invalid("Champ « Destinataire dans l’annuaire » : l’annuaire du cabinet contient plusieurs destinataires de ce type pour ce département ; choisissez celui du lieu des faits.".into()).await
        }
        Err(Refusal::Invalid(e)) => invalid(e.message).await,
        Err(r) => page(
            &state,
            StatusCode::OK,
            "signalement_result.html",
            &chrome,
            context! {
                produced => false,
                refusal => r.message_fr().lines().map(typo).collect::<Vec<_>>(),
            },
        ),
    }
}

enum Choice {
    Invalid(String),
    Unavailable(StoreError),
}

/// Where the recipient's address comes from: an address typed in the form,
/// the directory entry chosen, or the practice's directory (by the
/// recipient the engine allows and the département of the facts). Only
/// signed entries serve (audit of 2026-11-30, finding 7); with the
/// directory, what was left out that could have served: how many altered
/// entries of the facts' département, and how many entries deleted
/// without Sceau (of a département no longer known).
async fn recipient_source(
    state: &AppState,
    s: &Session,
    values: &HashMap<String, String>,
    mut form: ReportForm,
) -> Result<(ReportForm, Directory, LeftOut), Choice> {
    let v = |k: &str| values.get(k).map(|x| x.trim()).unwrap_or("");
    let typed = lines(v("adresse_destinataire"));
    match v("annuaire") {
        "saisie" => {
            if typed.is_empty() {
                return Err(Choice::Invalid("Champ « Adresse du destinataire » : saisissez l’adresse (une ligne par élément), ou choisissez un destinataire dans l’annuaire.".into()));
            }
            form.recipient_address = Some(Lines(typed));
            Ok((form, Directory::default(), LeftOut::default()))
        }
        "" if !typed.is_empty() => {
            form.recipient_address = Some(Lines(typed));
            Ok((form, Directory::default(), LeftOut::default()))
        }
        "" => {
            let listing = state
                .store()
                .directory(s.practice.id)
                .await
                .map_err(Choice::Unavailable)?;
            let deleted = listing.deleted.len();
            let (d, altered) = crate::annuaire::signed_directory(listing.entries);
            let here = form
                .jurisdiction
                .as_deref()
                .and_then(sceau_store::directory::normalise_department);
            let n = altered
                .iter()
                .filter(|r| Some(&r.department) == here.as_ref())
                .count();
            Ok((
                form,
                d,
                LeftOut {
                    altered_here: n,
                    deleted,
                },
            ))
        }
        id => {
            let r = match state.store().recipient(s.practice.id, id).await {
                Ok(r) => r,
                Err(StoreError::NotFound) => {
                    return Err(Choice::Invalid("Champ « Destinataire dans l’annuaire » : cette entrée n’existe plus ; choisissez-en une autre.".into()))
                }
                Err(e) => return Err(Choice::Unavailable(e)),
            };
            if r.altered {
                return Err(Choice::Invalid("Champ « Destinataire dans l’annuaire » : cette entrée est altérée (modifiée hors de Sceau, ou pas encore attestée) ; son adresse ne peut pas être celle du signalement. Saisissez l’adresse, vérifiée auprès du destinataire, ou demandez à l’administrateur de vérifier puis d’enregistrer l’entrée.".into()));
            }
            let wanted = v("destinataire");
            if !sceau_documents::directory::serves(&r.kind, wanted) {
                return Err(Choice::Invalid("Champ « Destinataire dans l’annuaire » : l’entrée choisie n’est pas du type du destinataire choisi plus haut ; choisissez une entrée de ce type, ou « selon le département ».".into()));
            }
            form.jurisdiction = Some(r.department.clone());
            form.recipient_name = None;
            let d = crate::annuaire::practice_directory(state.store(), s.practice.id)
                .await
                .map_err(Choice::Unavailable)?;
            // Only the chosen entry: two entries may share a name.
            let only = Directory {
                recipient: d
                    .recipient
                    .into_iter()
                    .filter(|e| {
                        e.name == r.name && e.kind == r.kind && e.department == r.department
                    })
                    .take(1)
                    .collect(),
            };
            Ok((form, only, LeftOut::default()))
        }
    }
}

/// The message when the practice's directory has no entry for the
/// recipient and the département.
/// What the practice's directory held that could have served and was left
/// out (see `recipient_source`).
#[derive(Debug, Default, Clone, Copy)]
struct LeftOut {
    altered_here: usize,
    deleted: usize,
}

fn no_entry(form: &ReportForm, left_out: LeftOut) -> String {
    let LeftOut {
        altered_here,
        deleted,
    } = left_out;
    if deleted > 0 {
        return format!("Champ « Adresse du destinataire » : l’annuaire du cabinet a {deleted} entrée(s) supprimée(s) hors de Sceau (l’annuaire signé du cabinet les nomme, elles ne sont plus dans la base ; leur département n’est plus connu), et aucune autre entrée ne sert pour ce département. Saisissez l’adresse du destinataire ci-dessous, vérifiée auprès de lui, et signalez-le à l’administrateur (Administration › Annuaire des destinataires).");
    }
    if altered_here > 0 {
        return format!("Champ « Adresse du destinataire » : l’annuaire du cabinet a {altered_here} entrée(s) altérée(s) pour ce département (modifiées hors de Sceau, ou pas encore attestées) ; leur adresse ne peut pas être celle du signalement. Saisissez l’adresse du destinataire ci-dessous, vérifiée auprès de lui, ou demandez à l’administrateur de vérifier puis d’enregistrer ces entrées (Administration › Annuaire des destinataires).");
    }
    let kind = form
        .situation
        .get("recipient")
        .and_then(|r| r.as_str())
        .unwrap_or("procureur");
    let who = sceau_store::directory::kind_label(kind);
    match form.jurisdiction.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(_) => format!("Champ « Adresse du destinataire » : l’annuaire du cabinet ne contient aucune entrée « {who} » pour ce département. Saisissez l’adresse du destinataire ci-dessous, ou demandez à l’administrateur de compléter l’annuaire (Administration › Annuaire des destinataires)."),
        None => "Champ « Département du lieu des faits » : indiquez-le pour choisir le destinataire dans l’annuaire du cabinet, ou saisissez l’adresse du destinataire ci-dessous.".into(),
    }
}

fn expired(state: &AppState, s: &Session) -> Response {
    error_page(
        state,
        StatusCode::NOT_FOUND,
        Some(s),
        "Document expiré",
        &format!("Ce document n’est plus disponible : il n’est conservé que {KEEP_MINUTES}\u{a0}minutes. Rédigez-le à nouveau."),
    )
}

pub async fn download(
    State(state): State<AppState>,
    User(s, _): User,
    Path((id, file)): Path<(String, String)>,
) -> Response {
    let m = kept().lock().unwrap_or_else(|p| p.into_inner());
    let Some(k) = m
        .get(&id)
        .filter(|k| k.practice == s.practice.id && k.at.elapsed() < KEEP)
    else {
        drop(m);
        return expired(&state, &s);
    };
    let (kind, body): (&str, Vec<u8>) = match file.strip_prefix(k.name) {
        Some(".pdf") => ("application/pdf", k.pdf.clone()),
        Some(".txt") => ("text/plain; charset=utf-8", k.text.clone().into_bytes()),
        _ => {
            drop(m);
            return expired(&state, &s);
        }
    };
    drop(m);
    crate::render::attachment(&file, kind, body)
}

/// Marks a pending duty done (date and how) and journals it.
pub async fn complete_duty(
    State(state): State<AppState>,
    User(s, _): User,
    Path(id): Path<String>,
    CsrfForm(raw): CsrfForm<Pairs>,
) -> Response {
    let on = match NaiveDate::parse_from_str(get(&raw, "le"), "%Y-%m-%d") {
        Ok(d) => d,
        Err(_) => {
            return error_page(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&s),
                "Date manquante",
                "Indiquez la date à laquelle la victime a été informée.",
            )
        }
    };
    let how = get(&raw, "comment");
    let store = state.store();
    let patient = match store
        .complete_duty(s.practice.id, &s.account.username, &id, on, how)
        .await
    {
        Ok(p) => p,
        Err(sceau_store::StoreError::Invalid(m)) => {
            return error_page(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&s),
                "Enregistrement impossible",
                &m,
            )
        }
        Err(sceau_store::StoreError::NotFound) => {
            return error_page(
                &state,
                StatusCode::NOT_FOUND,
                Some(&s),
                "Introuvable",
                "Cette obligation n’existe pas ou est déjà faite.",
            )
        }
        Err(e) => return unavailable(&state, &s, e),
    };
    let entry = sceau_store::journal::NewEntry {
        patient: patient.clone(),
        recipient: "patient".into(),
        purpose: sceau_app::journal_entry::VICTIM_INFORMED.into(),
        action: "disclosed".into(),
        verdict: "allowed".into(),
        basis: vec!["cp:226-14:3".into()],
        information: format!(
            "Victime informée du signalement le {} : {how}",
            sceau_engine::model::date_fr(on)
        )
        .chars()
        .take(500)
        .collect(),
    };
    match store
        .journal_append(s.practice.id, &s.account.username, &[entry])
        .await
    {
        // Back where it was done: the patient's page, or the home page.
        Ok(_) => match patient.filter(|_| get(&raw, "depuis") == "patient") {
            Some(p) => Redirect::to(&format!("/patients/{p}?ok=obligation")).into_response(),
            None => Redirect::to("/?obligation=faite").into_response(),
        },
        Err(e) => crate::error::outage_page(&state, Some(&s), "signalement", &e),
    }
}

/// A duty as the home page (pending ones) and the patient's page show it.
#[derive(Serialize)]
pub(crate) struct DutyView {
    id: String,
    label: &'static str,
    subject: String,
    /// The register's patient it is about, if any.
    patient: Option<String>,
    /// When and how it was done, if it was.
    done_on: Option<String>,
    done_how: Option<String>,
    /// Not as Sceau signed it: pending whatever it says, not completed here.
    altered: bool,
    /// A column does not read: shown as such, the others still shown.
    unreadable: bool,
    /// Named by its record and not found: deleted without Sceau.
    deleted: bool,
}

impl DutyView {
    pub(crate) fn pending(&self) -> bool {
        self.done_on.is_none() || self.altered
    }

    pub(crate) fn is_deleted(&self) -> bool {
        self.deleted
    }
}

pub(crate) fn duty_view(d: sceau_store::register::Duty) -> DutyView {
    DutyView {
        label: if d.kind == INFORM_VICTIM {
            "Victime informée"
        } else {
            "Obligation"
        },
        id: d.id,
        subject: typo(&d.subject),
        patient: d.patient,
        done_on: d.done_on.map(sceau_engine::model::date_fr),
        done_how: d.done_how,
        altered: d.altered,
        unreadable: d.unreadable,
        deleted: d.deleted,
    }
}

/// The practice's pending duties, for the roles that read reports and the
/// journal ([`crate::access::Access::Clinical`]): a duty names the person a
/// report was about and says that it was sent. Empty for the others.
pub(crate) async fn pending_duties(state: &AppState, s: &Session) -> Vec<DutyView> {
    if crate::access::Access::Clinical.allows(s.account.role) != Some(true) {
        return vec![];
    }
    match state.store().duties(s.practice.id, true).await {
        Ok(list) => list.into_iter().map(duty_view).collect(),
        Err(e) => {
            tracing::error!(error = %e, "obligations");
            vec![]
        }
    }
}
