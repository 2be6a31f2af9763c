//! The report under CP 226-14: decided by the engine, drafted from the
//! form, refused (with what remains possible) when no derogation applies.

use chrono::NaiveDate;
use sceau_engine::{Decision, Law, Situation, Verdict};
use serde::Serialize;

use crate::check::{unconfirmed, Flag};
use crate::directory::{default_salutation, Directory};
use crate::doc::{Block, Document, Span};
use crate::form::{FormError, ReportForm, SpeakerRole};
use crate::typo::{date_fr, fr, quoted, sentence, NBSP};

/// The derogation of article 226-14 that grounds the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Derogation {
    /// 1 to 4 (« 226-14, 3° »): the most specific first.
    pub paragraphs: Vec<u8>,
    /// The decision's basis (`cp:226-14:3`, `cp:132-80`…).
    pub basis: Vec<String>,
}

/// The recipient, from the form or the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipient {
    /// The contract's recipient value (procureur, crip, prefet…).
    pub kind: String,
    pub lines: Vec<String>,
    pub salutation: String,
    /// Taken from an example entry of the directory: to be checked.
    pub example: bool,
}

/// A drafted report.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub derogation: Derogation,
    pub recipient: Recipient,
    /// The letter (to the procureur, the CRIP or the préfet).
    pub letter: Document,
    /// « Suites à donner »: for the professional only, never sent.
    pub follow_up: Vec<String>,
    /// Duties still to do after sending (ids of the vocabulary), e.g.
    /// `inform_victim_of_report` when 3° was used without consent.
    pub pending_duties: Vec<String>,
    /// Flagged items the professional confirmed as necessary.
    pub confirmed_flags: Vec<Flag>,
    pub decision: Decision,
}

impl Draft {
    /// The plain-text version of the letter.
    pub fn text(&self) -> String {
        self.letter.to_text()
    }

    /// The PDF of the letter.
    pub fn pdf(&self) -> Result<Vec<u8>, crate::pdf::PdfError> {
        crate::pdf::render(&self.letter)
    }

    /// The « Suites à donner » note, as text.
    pub fn follow_up_text(&self) -> String {
        let mut out = String::from(
            "Suites à donner — note pour vous seul(e), à ne pas joindre au signalement\n",
        );
        out.push_str(&"=".repeat(72));
        out.push('\n');
        for l in &self.follow_up {
            out.push_str(&crate::doc::wrap(l, 78, "  ", "– "));
            out.push('\n');
        }
        out
    }
}

/// Why no report is produced.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum Refusal {
    /// The form is not valid (exit status 2 on the command line).
    Invalid(FormError),
    /// Parts flagged by the minimisation check are neither removed nor
    /// confirmed (exit status 1).
    Flagged { flags: Vec<Flag> },
    /// The situation says some information is not strictly necessary.
    DeclaredUnnecessary { decision: Box<Decision> },
    /// No derogation of article 226-14 applies (exit status 3).
    NoDerogation {
        verdict: Verdict,
        /// The engine's explanation.
        explanation: String,
        /// Questions still to answer when the engine could not decide.
        questions: Vec<String>,
        /// What remains possible, in French.
        options: Vec<String>,
    },
}

impl Refusal {
    /// The French explanation for people.
    pub fn message_fr(&self) -> String {
        match self {
            Refusal::Invalid(e) => e.message.clone(),
            Refusal::Flagged { flags } => {
                let mut out = String::from(
                    "Le signalement n’est pas produit\u{a0}: des passages semblent inutiles. Retirez-les du formulaire, ou, s’ils sont nécessaires, confirmez-les dans «\u{a0}confirmed\u{a0}» (par exemple {\"field\": \"context\", \"index\": 0}).\n",
                );
                for f in flags {
                    out.push_str(&format!("– {}[{}] : {}\n", f.field.as_str(), f.index, f.reason));
                }
                out
            }
            Refusal::DeclaredUnnecessary { .. } => "Le signalement n’est pas produit : la situation indique que certaines informations ne sont pas strictement nécessaires (info_strictly_necessary = false). Retirez-les : leur révélation serait fautive même dans un signalement (CDN de l’ordre des masseurs-kinésithérapeutes, 4 juin 2021).\n".into(),
            Refusal::NoDerogation {
                verdict,
                explanation,
                questions,
                options,
            } => {
                let mut out = String::new();
                if *verdict == Verdict::Undetermined {
                    out.push_str("Aucun signalement n’est produit : les faits connus ne permettent pas encore de dire si une dérogation au secret de l’article 226-14 du code pénal s’applique.\n");
                } else {
                    out.push_str("Aucun signalement n’est produit : aucune dérogation au secret de l’article 226-14 du code pénal ne s’applique à cette situation.\n");
                }
                out.push_str(&format!("Réponse de Sceau : {}\n", explanation.trim()));
                if !questions.is_empty() {
                    out.push_str("\nQuestions à éclaircir d’abord :\n");
                    for q in questions {
                        out.push_str(&format!("– {q}\n"));
                    }
                }
                out.push_str("\nCe qui reste possible :\n");
                for o in options {
                    out.push_str(&format!("– {o}\n"));
                }
                out
            }
        }
    }
}

pub(crate) fn fact(law: &Law, s: &Situation, id: &str) -> Option<String> {
    let i = law.fact_idx(id)?;
    s.value(i).map(|v| law.facts[i].choices[v].value.clone())
}

pub(crate) fn is_true(law: &Law, s: &Situation, id: &str) -> bool {
    fact(law, s, id).as_deref() == Some("true")
}

/// What remains possible when no report can be made.
pub fn options_without_report(law: &Law, s: &Situation, d: &Decision) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in &d.duties {
        if let Some(t) = law.term(id) {
            out.push(sentence(&t.label));
        }
    }
    let minor = is_true(law, s, "patient_minor");
    out.push("En parler avec la personne : lui dire ce que vous avez constaté, qu’elle peut être aidée, et recueillir son accord pour un signalement (avec son accord, le 2° de l’article 226-14 permet de signaler au procureur de la République).".into());
    if minor {
        out.push("Pour un enfant en danger : le 119 (Allô enfance en danger, gratuit, 24 h/24) conseille aussi les professionnels.".into());
    } else {
        out.push("L’orienter vers le 3919 (Violences Femmes Info, gratuit et anonyme, 24 h/24), les associations d’aide aux victimes (116 006), et, en cas de danger, le 17, le 112 ou le 114 par SMS.".into());
    }
    out.push("Lui proposer une attestation de vos constatations, remise à elle seule, qu’elle pourra utiliser si elle porte plainte.".into());
    out.push("En parler avec son médecin traitant, dans la limite de ce qui est nécessaire à sa prise en charge s’il fait partie de l’équipe de soins, sinon avec l’accord de la personne.".into());
    out.push("Prendre conseil auprès du conseil départemental de l’ordre des masseurs-kinésithérapeutes, sans nommer la personne.".into());
    out.push("Noter vos constatations, datées, dans le dossier : elles serviront si un signalement devient possible.".into());
    out.dedup();
    out
}

fn derogation_of(d: &Decision) -> Option<Derogation> {
    if d.verdict != Verdict::Allowed {
        return None;
    }
    let paragraphs: Vec<u8> = d
        .basis
        .iter()
        .filter_map(|b| b.strip_prefix("cp:226-14:"))
        .filter_map(|k| k.parse::<u8>().ok())
        .filter(|n| (1..=4).contains(n))
        .collect();
    if paragraphs.is_empty() {
        return None;
    }
    Some(Derogation {
        paragraphs,
        basis: d.basis.clone(),
    })
}

fn place_of(form: &ReportForm) -> String {
    if let Some(p) = form
        .place
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        return p.to_string();
    }
    form.author.town()
}

/// « informée », « informé » or « informé(e) » after the civility.
fn agree(p: &crate::form::Person, word: &str) -> String {
    match p.civility.as_deref().map(str::trim) {
        Some("Mme") | Some("Madame") | Some("Mlle") => format!("{word}e"),
        Some("M.") | Some("Monsieur") => word.to_string(),
        _ => format!("{word}(e)"),
    }
}

fn born(p: &crate::form::Person) -> String {
    let Some(d) = p.birth_date else {
        return String::new();
    };
    let agree = match p.civility.as_deref().map(str::trim) {
        Some("Mme") | Some("Madame") | Some("Mlle") => "née",
        Some("M.") | Some("Monsieur") => "né",
        _ => "né(e)",
    };
    format!(", {agree} le {}", date_fr(d))
}

fn letterhead(a: &crate::form::Author) -> Vec<String> {
    let mut out = vec![
        a.name.trim().to_string(),
        a.profession(),
        format!("RPPS{NBSP}: {}", a.rpps.trim()),
    ];
    out.extend(a.address.0.iter().cloned());
    let mut contact = Vec::new();
    if let Some(p) = a.phone.as_deref().filter(|p| !p.trim().is_empty()) {
        contact.push(format!("Tél.{NBSP}: {}", p.trim()));
    }
    if let Some(e) = a.email.as_deref().filter(|e| !e.trim().is_empty()) {
        contact.push(e.trim().to_string());
    }
    if !contact.is_empty() {
        out.push(contact.join(" — "));
    }
    out
}

/// Decides and drafts the report, or explains why none is produced.
pub fn draft(
    law: &Law,
    form: &ReportForm,
    directory: &Directory,
    today: NaiveDate,
) -> Result<Draft, Refusal> {
    form.validate_own().map_err(Refusal::Invalid)?;
    let s = law
        .parse_situation(&form.situation, today)
        .map_err(|e| Refusal::Invalid(FormError::from_situation(e)))?;
    let d = law.decide(&s);
    // Said first: the surplus is what forbids the report (its verdict is
    // forbidden), and removing it is the way forward, not another ground.
    if d.warnings
        .iter()
        .any(|w| w == "unnecessary_information_in_report")
    {
        return Err(Refusal::DeclaredUnnecessary {
            decision: Box::new(d),
        });
    }
    let Some(derogation) = derogation_of(&d) else {
        let questions = d
            .missing
            .iter()
            .filter_map(|m| law.fact(m).map(|f| f.question.clone()))
            .take(4)
            .collect();
        return Err(Refusal::NoDerogation {
            verdict: d.verdict,
            explanation: d.explanation.lines().next().unwrap_or("").to_string()
                + &d.explanation
                    .lines()
                    .skip(1)
                    .take_while(|l| !l.ends_with(':'))
                    .map(|l| format!(" {l}"))
                    .collect::<String>(),
            questions,
            options: options_without_report(law, &s, &d),
        });
    };
    let flags = unconfirmed(form);
    if !flags.is_empty() {
        return Err(Refusal::Flagged { flags });
    }
    let confirmed_flags: Vec<Flag> = crate::check::check(form);
    let kind = fact(law, &s, "recipient").unwrap_or_else(|| "procureur".into());
    let recipient = resolve_recipient(form, directory, &kind).map_err(Refusal::Invalid)?;
    let date = form.date.unwrap_or(today);
    let consent = fact(law, &s, "patient_consent");
    let minor = is_true(law, &s, "patient_minor");
    let vulnerable = fact(law, &s, "patient_can_protect_self").as_deref() == Some("false");
    let mut derogation = derogation;
    derogation.paragraphs.sort_unstable();
    let main = *derogation
        .paragraphs
        .iter()
        .max_by_key(|p| match p {
            3 => 4,
            4 => 3,
            2 => 2,
            _ => 1,
        })
        .expect("non-empty");

    let v = &form.victim;
    let short = v.short();
    let person_intro = {
        let mut t = format!("{}{}", v.full(), born(v));
        if let Some(addr) = v.address.as_ref().filter(|a| !a.0.is_empty()) {
            t.push_str(&format!(", demeurant {}", addr.0.join(", ")));
        }
        t
    };
    let a = &form.author;
    let prof = a.profession().to_lowercase();
    let mut blocks: Vec<Block> = Vec::new();
    let (title, subject, intro) = match (main, kind.as_str()) {
        (4, _) => (
            "Information du préfet".to_string(),
            format!("Information au titre de l’article 226-14, 4°, du code pénal concernant {}", v.full()),
            format!(
                "Je {} {}, {prof} (RPPS {}), vous informe, en application de l’article 226-14, 4°, du code pénal, du caractère dangereux pour elle-même ou pour autrui d’une personne que je reçois en consultation{NBSP}: {person_intro}.",
                a.soussigne(), a.name.trim(), a.rpps.trim()
            ),
        ),
        (_, "crip") => (
            "Information préoccupante".to_string(),
            format!("Information préoccupante concernant {}{}", v.full(), born(v)),
            format!(
                "Je {} {}, {prof} (RPPS {}), porte à votre connaissance les éléments suivants concernant {person_intro}, que je reçois dans le cadre de mon exercice professionnel.",
                a.soussigne(), a.name.trim(), a.rpps.trim()
            ),
        ),
        _ => (
            "Signalement".to_string(),
            format!(
                "Signalement au titre de l’article 226-14, {}, du code pénal concernant {}{}",
                derogation.paragraphs.iter().map(|p| format!("{p}°")).collect::<Vec<_>>().join(" et "),
                v.full(),
                born(v)
            ),
            format!(
                "Je {} {}, {prof} (RPPS {}), porte à votre connaissance les éléments suivants concernant {person_intro}, que je reçois dans le cadre de mon exercice professionnel.",
                a.soussigne(), a.name.trim(), a.rpps.trim()
            ),
        ),
    };
    blocks.push(Block::para(intro));

    // Constatations.
    if !form.observations.is_empty() {
        blocks.push(Block::heading("Constatations"));
        let lead = match form.examination_date {
            Some(dt) => format!("Lors de la séance du {}, j’ai constaté{NBSP}:", date_fr(dt)),
            None => format!("J’ai constaté{NBSP}:"),
        };
        blocks.push(Block::para(lead));
        blocks.push(Block::Bullets {
            items: form
                .observations
                .iter()
                .map(|o| vec![Span::regular(sentence(o))])
                .collect(),
        });
    }
    // Propos.
    if !form.statements.is_empty() {
        blocks.push(Block::heading("Propos recueillis"));
        for st in &form.statements {
            let who = match st.role {
                SpeakerRole::Victime => short.clone(),
                SpeakerRole::Accompagnant => match st
                    .speaker
                    .as_deref()
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                {
                    Some(sp) => format!("La personne qui accompagne {short} ({})", fr(sp)),
                    None => format!("La personne qui accompagne {short}"),
                },
                SpeakerRole::Tiers => match st
                    .speaker
                    .as_deref()
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                {
                    Some(sp) => format!("Selon ses propos, {}", fr(sp)),
                    None => "Un tiers".into(),
                },
            };
            let lead = match st.date {
                Some(dt) => format!("Le {}, {who} m’a déclaré", date_fr(dt)),
                None => format!("{who} déclare"),
            };
            blocks.push(Block::Quote {
                lead,
                text: quoted(&st.text),
            });
        }
    }
    // Contexte.
    if !form.context.is_empty() {
        blocks.push(Block::heading("Contexte"));
        blocks.push(Block::Bullets {
            items: form
                .context
                .iter()
                .map(|c| vec![Span::regular(sentence(c))])
                .collect(),
        });
    }
    // Appréciation and consent, as the derogation requires.
    let mut assessment: Vec<String> = Vec::new();
    match main {
        3 => {
            assessment.push(format!("J’estime en conscience que ces violences, exercées au sein du couple, mettent la vie de {short} en danger immédiat et que {short} n’est pas en mesure de se protéger en raison de la contrainte morale résultant de l’emprise exercée par l’auteur des violences."));
            if consent.as_deref() == Some("obtenu") {
                assessment.push(format!("{short} a donné son accord à ce signalement."));
            } else {
                let efforce = match a.gender.as_deref() {
                    Some("f") | Some("F") => "efforcée",
                    Some("m") | Some("M") => "efforcé",
                    _ => "efforcé(e)",
                };
                assessment.push(format!("Je me suis {efforce} d’obtenir l’accord de {short}, sans y parvenir{NBSP}; {short} sera {} de ce signalement, comme le prévoit l’article 226-14, 3°, du code pénal.", agree(v, "informé")));
            }
        }
        4 => {
            assessment.push("Je sais que cette personne détient une arme ou a manifesté l’intention d’en acquérir une, et j’estime qu’elle présente un danger pour elle-même ou pour autrui.".into());
        }
        _ => {
            if consent.as_deref() == Some("obtenu") {
                assessment.push(format!("{short} a donné son accord à ce signalement."));
            } else if minor {
                assessment.push("S’agissant d’un mineur, son accord n’est pas nécessaire (article 226-14 du code pénal).".into());
            } else if vulnerable {
                assessment.push(format!("{short} n’est pas en mesure de se protéger en raison de son âge ou de son incapacité physique ou psychique{NBSP}; son accord n’est pas nécessaire (article 226-14 du code pénal)."));
            }
        }
    }
    if !assessment.is_empty() {
        blocks.push(Block::heading(if main == 4 {
            "Appréciation"
        } else {
            "Appréciation et accord de la personne"
        }));
        for p in assessment {
            blocks.push(Block::para(p));
        }
    }
    // Fondement.
    blocks.push(Block::heading("Fondement légal"));
    let as_of = s.as_of;
    let which = if derogation.paragraphs.len() == 1 {
        format!(
            "de l’article 226-14, {}°, du code pénal",
            derogation.paragraphs[0]
        )
    } else {
        let ps: Vec<String> = derogation
            .paragraphs
            .iter()
            .map(|p| format!("{p}°"))
            .collect();
        format!("des {} de l’article 226-14 du code pénal", ps.join(" et "))
    };
    blocks.push(Block::para(format!(
        "{} en application {which}{NBSP}:",
        if main == 4 || kind == "crip" {
            "Cette information est faite"
        } else {
            "Ce signalement est fait"
        },
    )));
    for p in &derogation.paragraphs {
        let id = format!("cp:226-14:{p}");
        if let Some((_, _, Some(par))) = law.source_text(&id, as_of) {
            blocks.push(Block::Small {
                spans: vec![
                    Span::bold(format!("Article 226-14, {p}°{NBSP}: ")),
                    Span::italic(quoted(par.text.trim().trim_end_matches(';').trim())),
                ],
            });
        }
    }
    blocks.push(Block::para(
        "Je reste à votre disposition pour tout renseignement complémentaire relevant de mes constatations.",
    ));
    blocks.push(Block::para(format!(
        "Je vous prie d’agréer, {}, l’expression de ma considération distinguée.",
        recipient.salutation
    )));

    let place = place_of(form);
    let letter = Document {
        title: format!("{title} — {}", v.full()),
        letterhead: letterhead(a),
        recipient: recipient.lines.clone(),
        place_date: Some(format!("{place}, le {}", date_fr(date))),
        subject: Some(subject),
        heading: None,
        salutation: Some(format!("{},", recipient.salutation)),
        blocks,
        signature: vec![
            format!("Fait à {place}, le {}", date_fr(date)),
            a.name.trim().to_string(),
            a.profession(),
            format!("RPPS {}", a.rpps.trim()),
            format!("Signature{NBSP}:"),
        ],
        footer: Some("Document confidentiel, adressé directement à son seul destinataire. Établi au titre de l’article 226-14 du code pénal : ne rapporte que les faits constatés et les propos recueillis, sans désigner d’auteur.".into()),
    };

    // Suites à donner (for the professional only).
    let mut follow_up = Vec::new();
    let mut pending = Vec::new();
    for id in &d.duties {
        if id == "inform_victim_of_report" && consent.as_deref() == Some("obtenu") {
            continue;
        }
        if id == "seek_victim_consent" && consent.as_deref() == Some("obtenu") {
            continue;
        }
        if let Some(t) = law.term(id) {
            follow_up.push(sentence(&t.label));
        }
        if id == "inform_victim_of_report" {
            pending.push(id.clone());
            follow_up.push(format!("Notez au registre la date et le moyen par lesquels {short} a été {} du signalement.", agree(v, "informé")));
        }
    }
    if main != 4 && !d.duties.iter().any(|x| x == "protect_victim") {
        if let Some(t) = law.term("protect_victim") {
            follow_up.push(sentence(&t.label));
        }
    }
    follow_up.push("Adressez ce document directement au destinataire, sans intermédiaire (ni la famille, ni l’école, ni l’employeur). En cas d’urgence, téléphonez d’abord (17, ou le parquet de permanence joignable 24 h/24), puis confirmez par ce document daté et signé.".into());
    if kind == "procureur" && minor {
        follow_up.push("Pour un mineur, une copie peut être adressée à la cellule de recueil des informations préoccupantes (CRIP) du département.".into());
    }
    follow_up.push("Conservez une copie du signalement et assurez-vous de sa réception.".into());
    if recipient.example {
        follow_up.push("L’adresse du destinataire provient de l’annuaire d’exemple livré avec Sceau : vérifiez-la auprès de la juridiction ou de l’administration avant l’envoi, et demandez à l’administrateur de compléter l’annuaire.".into());
    }
    for id in &d.conditions {
        if let Some(t) = law.term(id) {
            follow_up.push(format!("Rappel{NBSP}: {}", sentence(&t.label)));
        }
    }
    for id in &d.warnings {
        if let Some(t) = law.term(id) {
            follow_up.push(format!("Attention{NBSP}: {}", sentence(&t.label)));
        }
    }
    for f in &confirmed_flags {
        follow_up.push(format!(
            "Vous avez confirmé comme nécessaire {}[{}], signalé par la vérification{NBSP}: {}",
            f.field.as_str(),
            f.index,
            f.reason
        ));
    }
    let follow_up = follow_up.iter().map(|l| fr(l)).collect();
    let letter = letter.typeset();
    Ok(Draft {
        derogation,
        recipient,
        letter,
        follow_up,
        pending_duties: pending,
        confirmed_flags,
        decision: d,
    })
}

fn resolve_recipient(
    form: &ReportForm,
    directory: &Directory,
    kind: &str,
) -> Result<Recipient, FormError> {
    if let Some(lines) = form.recipient_address.as_ref().filter(|l| !l.0.is_empty()) {
        return Ok(Recipient {
            kind: kind.to_string(),
            lines: lines.0.clone(),
            salutation: default_salutation(kind).to_string(),
            example: false,
        });
    }
    let Some(dep) = form
        .jurisdiction
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    else {
        return Err(FormError {
            error: "no_recipient",
            field: "jurisdiction".into(),
            message: "Champ « jurisdiction » : indiquez le département du lieu des faits (par exemple « 69 ») pour choisir le destinataire dans l’annuaire, ou donnez « recipient_address ».".into(),
            message_en: "Field \"jurisdiction\": give the département of the place of the facts (for example \"69\") to choose the recipient from the directory, or give \"recipient_address\".".into(),
        });
    };
    let all = directory.matching(kind, dep);
    let wanted = form
        .recipient_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let found: Vec<_> = match wanted {
        Some(n) => all.iter().filter(|e| e.name.trim() == n).copied().collect(),
        None => all.clone(),
    };
    match found.as_slice() {
        [e] => Ok(Recipient {
            kind: kind.to_string(),
            lines: e.block(),
            salutation: e.salutation(),
            example: e.example,
        }),
        [] if wanted.is_some() && !all.is_empty() => Err(FormError {
            error: "no_recipient",
            field: "recipient_name".into(),
            message: format!("Champ « recipient_name » : aucun destinataire « {kind} » de ce nom dans l’annuaire pour ce département. Noms possibles : {}.", names(&all)),
            message_en: format!("Field \"recipient_name\": no \"{kind}\" recipient of that name in the directory for this département. Possible names: {}.", names(&all)),
        }),
        [] => Err(FormError {
            error: "no_recipient",
            field: "jurisdiction".into(),
            message: format!("Champ « jurisdiction » : l’annuaire ne contient aucun destinataire « {kind} » pour ce département. Donnez « recipient_address », ou complétez l’annuaire (Administration › Annuaire des destinataires, ou option --directory)."),
            message_en: format!("Field \"jurisdiction\": the directory has no \"{kind}\" recipient for this département. Give \"recipient_address\", or complete the directory (Administration › Annuaire des destinataires, or --directory)."),
        }),
        _ => Err(FormError {
            error: "ambiguous_recipient",
            field: "recipient_name".into(),
            message: format!("Champ « recipient_name » : l’annuaire contient plusieurs destinataires « {kind} » pour ce département ; choisissez-en un par son nom : {}.", names(&found)),
            message_en: format!("Field \"recipient_name\": the directory has several \"{kind}\" recipients for this département; choose one by name: {}.", names(&found)),
        }),
    }
}

fn names(entries: &[&crate::directory::Entry]) -> String {
    entries
        .iter()
        .map(|e| format!("« {} »", e.name.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}
