//! What the register knows about a question on a registered patient: the
//! facts it supplies to the engine (consent to this recipient, opposition,
//! membership of the care team, alive, minor), each with the record it
//! comes from, in French for the person who asks and the jurist who audits.
//! No legal reasoning here: only reading the register; what to do when an
//! answer contradicts it is `situation`'s.

use chrono::NaiveDate;
use sceau_engine::Law;
use sceau_store::register::{CareTeamMember, Consent, Opposition, Patient, OPPOSITION_ALL};
use sceau_store::{Store, StoreError};
use serde::Serialize;

use sceau_documents::typo::label as typo;

/// One fact supplied by the register.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RegisterFact {
    pub fact: String,
    pub value: String,
    /// Where it comes from, in French (never the patient's name).
    pub source: String,
}

/// A patient with everything the register holds about them.
#[derive(Debug, Clone)]
pub struct Record {
    pub patient: Patient,
    pub team: Vec<CareTeamMember>,
    pub consents: Vec<Consent>,
    pub oppositions: Vec<Opposition>,
}

impl Record {
    pub async fn load(store: &Store, practice: i64, id: &str) -> Result<Record, StoreError> {
        Ok(Record {
            patient: store.patient(practice, id).await?,
            team: store.care_team(practice, id).await?,
            consents: store.consents(practice, id).await?,
            oppositions: store.oppositions(practice, id).await?,
        })
    }

    /// The people the register can name as recipients: (reference, label).
    pub fn recipients(&self, law: &Law, day: NaiveDate) -> Vec<(String, String)> {
        let mut out = vec![];
        for m in self
            .team
            .iter()
            .filter(|m| !m.unreadable && !m.altered && m.active_on(day))
        {
            out.push((
                m.id.clone(),
                format!("{}, {} (équipe de soins)", m.name, m.profession),
            ));
        }
        for c in self
            .consents
            .iter()
            .filter(|c| c.professional.is_some() && !c.altered)
        {
            out.push((
                c.id.clone(),
                format!(
                    "{} ({}, consentement du {})",
                    c.professional.clone().unwrap_or_default(),
                    value_label(law, "recipient", &c.recipient),
                    sceau_engine::model::date_fr(c.given_on)
                ),
            ));
        }
        out
    }
}

pub fn value_label(law: &Law, fact: &str, value: &str) -> String {
    law.fact(fact)
        .and_then(|f| f.choices.iter().find(|c| c.value == value))
        .map(|c| typo(&c.label))
        .unwrap_or_else(|| value.replace('_', " "))
}

pub fn method_fr(m: &str) -> &'static str {
    sceau_store::register::CONSENT_METHODS
        .iter()
        .find(|(k, _)| *k == m)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

fn d(day: NaiveDate) -> String {
    sceau_engine::model::date_fr(day)
}

/// Why a register reference given with a question is not usable.
#[derive(Debug, Clone, PartialEq)]
pub struct RefError;

/// The facts the register supplies, given the answers so far (`known`:
/// fact → value) and the date of the disclosure. `recipient_ref` names a
/// care-team member (`eqp_…`) or the professional of a consent (`cst_…`).
pub fn register_facts(
    law: &Law,
    rec: &Record,
    recipient_ref: Option<&str>,
    known: &[(String, String)],
    day: NaiveDate,
) -> Result<Vec<RegisterFact>, RefError> {
    let get = |f: &str| known.iter().find(|(k, _)| k == f).map(|(_, v)| v.clone());
    let mut out: Vec<RegisterFact> = vec![];
    let mut push = |fact: &str, value: &str, source: String| {
        if law.fact(fact).and_then(|f| f.value_index(value)).is_some() {
            out.push(RegisterFact {
                fact: fact.into(),
                value: value.into(),
                source,
            });
        }
    };
    let p = &rec.patient;
    // A patient whose row does not read: neither alive nor dead, of no
    // known age; the interview asks.
    if p.unreadable {
        return Ok(out);
    }
    // A patient whose signed record of rows is missing, does not verify or
    // went backwards: no row is believed and what was deleted cannot be
    // known (an opposition deleted must never read as « no opposition »);
    // the interview asks everything.
    if p.record_altered {
        return Ok(out);
    }
    // Alive, minor: unknown when the dates are altered (a death erased or
    // a date of birth changed without the key); the interview asks.
    match p.deceased_on {
        _ if p.dates_altered => {}
        Some(dd) if dd <= day => push(
            "patient_alive",
            "false",
            format!("décès enregistré le {}", d(dd)),
        ),
        _ => push(
            "patient_alive",
            "true",
            "aucun décès enregistré à cette date".into(),
        ),
    }
    if let (Some(b), Some(minor)) = (p.birth_date, p.minor_on(day)) {
        push(
            "patient_minor",
            if minor { "true" } else { "false" },
            format!(
                "né(e) le {} : {} à la date de la révélation",
                d(b),
                if minor { "mineur(e)" } else { "majeur(e)" }
            ),
        );
    }
    // The recipient named from the register.
    let mut recipient = get("recipient");
    let mut only_consent: Option<&Consent> = None;
    match recipient_ref.map(str::trim).filter(|r| !r.is_empty()) {
        None => {}
        Some(r) if r.starts_with("eqp_") => {
            let m = rec
                .team
                .iter()
                .find(|m| m.id == r && !m.unreadable)
                .ok_or(RefError)?;
            // A member written or changed without the key is not taken as
            // one: the register says nothing of the recipient, and the
            // interview asks.
            if m.altered {
            } else if m.active_on(day) {
                push(
                    "recipient",
                    "equipe_de_soins",
                    format!(
                        "{}, {}, membre de l’équipe de soins{}",
                        m.name,
                        m.profession,
                        m.since
                            .map(|s| format!(" depuis le {}", d(s)))
                            .unwrap_or_default()
                    ),
                );
                push(
                    "recipient_participates_in_care",
                    "true",
                    format!(
                        "{} participe à la prise en charge (équipe de soins enregistrée)",
                        m.name
                    ),
                );
                recipient = Some("equipe_de_soins".into());
            } else {
                push(
                    "recipient_participates_in_care",
                    "false",
                    format!(
                        "{} ne fait plus partie de l’équipe de soins à cette date",
                        m.name
                    ),
                );
            }
        }
        Some(r) if r.starts_with("cst_") => {
            // An altered consent names no one (its recipient may be the
            // intruder's).
            let c = rec
                .consents
                .iter()
                .find(|c| c.id == r && !c.altered)
                .ok_or(RefError)?;
            push(
                "recipient",
                &c.recipient,
                format!(
                    "destinataire désigné dans le consentement du {} : {}",
                    d(c.given_on),
                    c.professional.clone().unwrap_or_default()
                ),
            );
            recipient = Some(c.recipient.clone());
            only_consent = Some(c);
        }
        Some(_) => return Err(RefError),
    }
    let purpose = get("purpose");
    // Consent to this recipient (and purpose). An altered consent could be
    // any recipient's, or any patient's: while one is there the register
    // knows nothing of consent, and the interview asks.
    let consents_known = !rec.consents.iter().any(|c| c.altered);
    if let Some(r) = recipient.as_deref().filter(|_| consents_known) {
        let matching: Vec<&Consent> = rec
            .consents
            .iter()
            .filter(|c| only_consent.is_none_or_eq(c))
            .filter(|c| c.recipient == r)
            .filter(|c| match (&c.purpose, &purpose) {
                (None, _) => true,
                (Some(cp), Some(q)) => cp == q,
                (Some(_), None) => false,
            })
            .collect();
        if let Some(c) = matching.iter().find(|c| c.active_on(day)) {
            push(
                "patient_consent",
                "obtenu",
                format!(
                    "consentement recueilli {} le {} : {}",
                    method_fr(&c.method),
                    d(c.given_on),
                    c.what
                ),
            );
            push(
                "patient_consent_written",
                if c.method == "oral" { "false" } else { "true" },
                format!("consentement recueilli {}", method_fr(&c.method)),
            );
        } else if let Some(c) = matching
            .iter()
            .find(|c| c.withdrawn_on.is_some_and(|w| w <= day))
        {
            push(
                "patient_consent",
                "refuse",
                format!(
                    "consentement du {} retiré le {}",
                    d(c.given_on),
                    d(c.withdrawn_on.unwrap_or(day))
                ),
            );
        }
    }
    // Opposition (CSP L.1110-4 IV). An altered opposition may have been
    // lifted, moved or re-scoped by someone without the key: never taken
    // as lifted, nor as in force; the register says nothing and the
    // interview asks.
    if rec.oppositions.iter().any(|o| o.altered) {
        return Ok(out);
    }
    let active: Vec<&Opposition> = rec
        .oppositions
        .iter()
        .filter(|o| o.active_on(day))
        .collect();
    let covers =
        |o: &Opposition, r: Option<&str>| o.scope == OPPOSITION_ALL || Some(o.scope.as_str()) == r;
    if let Some(o) = active.iter().find(|o| covers(o, recipient.as_deref())) {
        push(
            "patient_opposition",
            "true",
            format!(
                "opposition enregistrée depuis le {} ({}) : {}",
                d(o.since),
                scope_label(law, &o.scope),
                o.what
            ),
        );
    } else if active.is_empty() || recipient.is_some() {
        push(
            "patient_opposition",
            "false",
            if active.is_empty() {
                "aucune opposition en cours dans le registre".into()
            } else {
                "les oppositions enregistrées ne visent pas ce destinataire".into()
            },
        );
    }
    if let Some(dd) = p.deceased_on.filter(|dd| !p.dates_altered && *dd <= day) {
        let before: Vec<&Opposition> = rec.oppositions.iter().filter(|o| o.active_on(dd)).collect();
        match before.iter().find(|o| covers(o, recipient.as_deref())) {
            Some(o) => push(
                "patient_opposed_before_death",
                "true",
                format!("opposition exprimée le {} : {}", d(o.since), o.what),
            ),
            None if before.is_empty() || recipient.is_some() => push(
                "patient_opposed_before_death",
                "false",
                "aucune opposition en cours au décès".into(),
            ),
            None => {}
        }
    }
    Ok(out)
}

trait OptEq {
    fn is_none_or_eq(&self, c: &Consent) -> bool;
}

impl OptEq for Option<&Consent> {
    fn is_none_or_eq(&self, c: &Consent) -> bool {
        self.is_none_or(|o| o.id == c.id)
    }
}

pub fn scope_label(law: &Law, scope: &str) -> String {
    if scope == OPPOSITION_ALL {
        "tout échange et partage".into()
    } else {
        format!("envers : {}", value_label(law, "recipient", scope))
    }
}
