//! The access-control matrix: every route of `sceau_web::routes()` × every
//! role, with the expected status. A route without a row fails the test, so
//! a new route cannot be added without deciding who may use it. Also: CSRF
//! on every state-changing form, session fixation and expiry, the login rate
//! limit measured.

use crate::common;

use std::collections::{BTreeSet, HashMap};

use crate::common::{app, form_body, json_req, Browser, ADMIN_PASSWORD};
use axum::http::StatusCode;
use sceau_store::Role;
use sceau_web::{routes, Access};
use serde_json::json;

/// Who sends the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Assistant,
    Etudiant,
    Kine,
    Admin,
    /// The administrator of another practice of the same database.
    OtherAdmin,
    /// A bearer token of the practice.
    Token,
    /// A bearer token of the other practice.
    OtherToken,
}

const EVERYONE: [Who; 8] = [
    Who::Anonymous,
    Who::Assistant,
    Who::Etudiant,
    Who::Kine,
    Who::Admin,
    Who::OtherAdmin,
    Who::Token,
    Who::OtherToken,
];

/// Expected statuses, in the order of `EVERYONE`.
type Row = [u16; 8];

/// One row of the matrix: the request sent (path with ids filled in, form or
/// JSON body) and the status each caller must get. For forms the CSRF token
/// of the caller is added; the test also sends each form without it and with
/// a wrong one.
struct Expect {
    path: String,
    body: Body,
    row: Row,
}

enum Body {
    None,
    Form(Vec<(&'static str, &'static str)>),
    Json(serde_json::Value),
}

struct Fixture {
    patient: String,
    member: String,
    consent: String,
    opposition: String,
    audit: String,
}

/// The expected row of a route (method, path template); `None`: no row.
fn expected(method: &str, path: &str, f: &Fixture) -> Option<Expect> {
    use Body::*;
    let p = &f.patient;
    let e = |path: String, body: Body, row: Row| Some(Expect { path, body, row });
    // anonymous, assistant, étudiant, kiné, admin, other admin, token, other token
    const PAGE: Row = [200, 200, 200, 200, 200, 200, 200, 200];
    const SIGNED_IN: Row = [303, 200, 200, 200, 200, 200, 303, 303];
    const OWN_PATIENT: Row = [303, 200, 200, 200, 200, 404, 303, 303];
    const ADMIN_ONLY: Row = [303, 403, 403, 403, 200, 200, 303, 303];
    const API_OPEN: Row = [200, 200, 200, 200, 200, 200, 200, 200];
    const API_TOKEN: Row = [401, 401, 401, 401, 401, 401, 200, 200];
    const API_OWN_PATIENT: Row = [401, 401, 401, 401, 401, 401, 200, 404];
    // The least-privilege matrix (SECURITY.md, « Qui voit quoi »):
    // register (patients, care team, consents, oppositions): not the student;
    // clinical content (journal, reports, letters, exports): kinésithérapeute
    // and administrator only; the anonymiser: not the assistant.
    const REGISTER: Row = [303, 200, 403, 200, 200, 200, 303, 303];
    const OWN_REGISTER: Row = [303, 200, 403, 200, 200, 404, 303, 303];
    const CLINICAL: Row = [303, 403, 403, 200, 200, 200, 303, 303];
    const OWN_CLINICAL: Row = [303, 403, 403, 200, 200, 404, 303, 303];
    const NOTES: Row = [303, 403, 200, 200, 200, 200, 303, 303];
    match (method, path) {
        ("GET", "/") => e("/".into(), None, PAGE),
        ("GET", "/puis-je-le-dire") => e(path.into(), None, SIGNED_IN),
        // Post/redirect/get (issue 19): a signed-in answer is redirected to
        // the interview's URL; without a session, to the login page.
        ("POST", "/puis-je-le-dire") => e(path.into(), Form(vec![]), [303; 8]),
        ("GET", "/textes") => e(path.into(), None, PAGE),
        ("GET", "/textes/{id}") => e("/textes/csp:R4321-90".into(), None, PAGE),
        ("GET", "/patients") => e(path.into(), None, REGISTER),
        // An empty name: refused by the form, after the access checks.
        ("POST", "/patients") => e(
            path.into(),
            Form(vec![("nom", "")]),
            [303, 422, 403, 422, 422, 422, 303, 303],
        ),
        ("GET", "/patients/{id}") => e(format!("/patients/{p}"), None, OWN_REGISTER),
        ("POST", "/patients/{id}") => e(
            format!("/patients/{p}"),
            Form(vec![
                ("action", "equipe"),
                ("nom", "Dr Membre"),
                ("profession", "medecin"),
            ]),
            [303, 303, 403, 303, 303, 404, 303, 303],
        ),
        ("GET", "/patients/{id}/journal.jsonl") => {
            e(format!("/patients/{p}/journal.jsonl"), None, OWN_CLINICAL)
        }
        ("GET", "/patients/{id}/fhir.json") => {
            e(format!("/patients/{p}/fhir.json"), None, OWN_CLINICAL)
        }
        ("GET", "/journal") => e(path.into(), None, CLINICAL),
        // Nothing to record: refused after the access checks.
        ("POST", "/journal") => e(
            path.into(),
            Form(vec![]),
            [303, 403, 403, 400, 400, 400, 303, 303],
        ),
        ("GET", "/journal/export.jsonl") => e(path.into(), None, CLINICAL),
        ("GET", "/journal/fhir.json") => e(path.into(), None, CLINICAL),
        ("GET", "/signalement") => e(path.into(), None, CLINICAL),
        ("POST", "/signalement") => e(
            path.into(),
            Form(vec![]),
            [303, 403, 403, 422, 422, 422, 303, 303],
        ),
        ("GET", "/signalement/rapports") => e(path.into(), None, CLINICAL),
        // An unknown report (or another practice's) is not found.
        ("GET", "/signalement/rapports/{id}") => e(
            "/signalement/rapports/rep_00000000000000000000000000000000".into(),
            None,
            [303, 403, 403, 404, 404, 404, 303, 303],
        ),
        ("POST", "/signalement/rapports/{id}") => e(
            "/signalement/rapports/rep_00000000000000000000000000000000".into(),
            Form(vec![("action", "relu")]),
            [303, 403, 403, 404, 404, 404, 303, 303],
        ),
        // Drafts are kept in memory 30 minutes; an unknown one is not found.
        ("GET", "/signalement/{id}/{file}") => e(
            "/signalement/inconnu/signalement.pdf".into(),
            None,
            [303, 403, 403, 404, 404, 404, 303, 303],
        ),
        ("POST", "/obligations/{id}") => e(
            "/obligations/obl_0000000000000000".into(),
            Form(vec![("le", "2026-01-02")]),
            [303, 403, 403, 404, 404, 404, 303, 303],
        ),
        // Installed already: everyone is sent to the login page.
        ("GET", "/installation") => e(path.into(), None, [303; 8]),
        ("POST", "/installation") => e(path.into(), Form(vec![]), [303; 8]),
        // Signed in: straight to the page asked for.
        ("GET", "/connexion") => e(path.into(), None, [200, 303, 303, 303, 303, 303, 200, 200]),
        ("POST", "/connexion") => e(
            path.into(),
            // Two practices share the server here: the form names one.
            Form(vec![
                ("cabinet", "1"),
                ("identifiant", "personne"),
                ("mot_de_passe", "faux"),
            ]),
            [401; 8],
        ),
        ("POST", "/deconnexion") => e(path.into(), Form(vec![]), [303; 8]),
        ("GET", "/compte") => e(path.into(), None, SIGNED_IN),
        ("POST", "/compte") => e(
            path.into(),
            Form(vec![("nouveau", "a"), ("confirmation", "b")]),
            [303, 422, 422, 422, 422, 422, 303, 303],
        ),
        // A wrong RPPS key: refused by the form, after the access checks.
        ("POST", "/compte/profil") => e(
            path.into(),
            Form(vec![("rpps", "12345678904")]),
            [303, 422, 422, 422, 422, 422, 303, 303],
        ),
        ("GET", "/administration") => e(path.into(), None, ADMIN_ONLY),
        ("POST", "/administration") => e(
            path.into(),
            Form(vec![("action", "inconnue")]),
            [303, 403, 403, 403, 422, 422, 303, 303],
        ),
        ("GET", "/administration/cle") => e(path.into(), None, ADMIN_ONLY),
        ("POST", "/administration/cle") => e(
            path.into(),
            Form(vec![("action", "inconnue")]),
            [303, 403, 403, 403, 422, 422, 303, 303],
        ),
        ("GET", "/administration/jetons") => e(path.into(), None, ADMIN_ONLY),
        ("POST", "/administration/jetons") => e(
            path.into(),
            Form(vec![("action", "inconnue")]),
            [303, 403, 403, 403, 422, 422, 303, 303],
        ),
        // Without answers, the form opens empty.
        ("POST", "/signalement/depuis-entretien") => e(path.into(), Form(vec![]), CLINICAL),
        ("GET", "/signalement/requisition") => e(path.into(), None, CLINICAL),
        ("POST", "/signalement/requisition") => e(
            path.into(),
            Form(vec![]),
            [303, 403, 403, 422, 422, 422, 303, 303],
        ),
        ("GET", "/signalement/expertise") => e(path.into(), None, CLINICAL),
        ("POST", "/signalement/expertise") => e(
            path.into(),
            Form(vec![]),
            [303, 403, 403, 422, 422, 422, 303, 303],
        ),
        ("GET", "/anonymiser") => e(path.into(), None, NOTES),
        ("POST", "/anonymiser") => e(
            path.into(),
            Form(vec![("texte", "Mme Matrice est venue.")]),
            NOTES,
        ),
        ("POST", "/anonymiser/telecharger") => e(
            path.into(),
            Form(vec![("texte", "Mme Matrice est venue.")]),
            NOTES,
        ),
        // Audits: students and assistants read, they do not run one.
        ("GET", "/audit") => e(path.into(), None, SIGNED_IN),
        ("GET", "/audit/nouveau") => e(path.into(), None, [303, 403, 403, 200, 200, 200, 303, 303]),
        ("POST", "/audit/nouveau") => e(
            path.into(),
            Form(vec![]),
            [303, 403, 403, 422, 422, 422, 303, 303],
        ),
        ("GET", "/audit/{id}") => e(format!("/audit/{}", f.audit), None, OWN_PATIENT),
        ("GET", "/audit/{id}/rapport.pdf") => {
            e(format!("/audit/{}/rapport.pdf", f.audit), None, OWN_PATIENT)
        }
        ("GET", "/administration/annuaire") => e(path.into(), None, ADMIN_ONLY),
        ("POST", "/administration/annuaire") => e(
            path.into(),
            Form(vec![("action", "inconnue")]),
            [303, 403, 403, 403, 422, 422, 303, 303],
        ),
        ("GET", "/administration/annuaire/{id}") => e(
            "/administration/annuaire/inconnu".into(),
            None,
            [303, 403, 403, 403, 404, 404, 303, 303],
        ),
        ("POST", "/administration/annuaire/{id}") => e(
            "/administration/annuaire/inconnu".into(),
            Form(vec![]),
            [303, 403, 403, 403, 404, 404, 303, 303],
        ),
        ("GET", "/static/{file}") => e("/static/sceau.css".into(), None, PAGE),
        // No data in them: counts by route template and verdict only.
        ("GET", "/healthz") | ("GET", "/readyz") | ("GET", "/metrics") => {
            e(path.into(), None, PAGE)
        }
        ("GET", "/api/v1/openapi.json") => e(path.into(), None, API_OPEN),
        ("POST", "/api/v1/decisions") => e(path.into(), Json(json!({})), API_OPEN),
        ("POST", "/api/v1/interview") => e(path.into(), Json(json!({"answers": {}})), API_OPEN),
        ("GET", "/api/v1/articles") => e(path.into(), None, API_OPEN),
        ("GET", "/api/v1/articles/{id}") => {
            e("/api/v1/articles/csp:R4321-90".into(), None, API_OPEN)
        }
        ("GET", "/api/v1/whoami") => e(path.into(), None, API_TOKEN),
        ("GET", "/api/v1/patients") => e(path.into(), None, API_TOKEN),
        ("POST", "/api/v1/patients") => e(
            path.into(),
            Json(json!({"display_name": "Patient API"})),
            [401, 401, 401, 401, 401, 401, 201, 201],
        ),
        ("GET", "/api/v1/patients/{id}") => {
            e(format!("/api/v1/patients/{p}"), None, API_OWN_PATIENT)
        }
        ("POST", "/api/v1/patients/{id}/care-team") => e(
            format!("/api/v1/patients/{p}/care-team"),
            Json(json!({"name": "Dr API", "profession": "medecin"})),
            [401, 401, 401, 401, 401, 401, 201, 404],
        ),
        ("POST", "/api/v1/patients/{id}/care-team/{member}/end") => e(
            format!("/api/v1/patients/{p}/care-team/{}/end", f.member),
            Json(json!({})),
            [401, 401, 401, 401, 401, 401, 204, 404],
        ),
        ("POST", "/api/v1/patients/{id}/consents") => e(
            format!("/api/v1/patients/{p}/consents"),
            Json(
                json!({"recipient": "professionnel_hors_equipe", "what": "bilan",
                         "method": "oral", "given_on": "2026-01-02"}),
            ),
            [401, 401, 401, 401, 401, 401, 201, 404],
        ),
        ("POST", "/api/v1/patients/{id}/consents/{consent}/withdraw") => e(
            format!("/api/v1/patients/{p}/consents/{}/withdraw", f.consent),
            Json(json!({})),
            [401, 401, 401, 401, 401, 401, 204, 404],
        ),
        ("POST", "/api/v1/patients/{id}/oppositions") => e(
            format!("/api/v1/patients/{p}/oppositions"),
            Json(json!({"scope": "tout", "what": "tout", "since": "2026-01-02"})),
            [401, 401, 401, 401, 401, 401, 201, 404],
        ),
        ("POST", "/api/v1/patients/{id}/oppositions/{opposition}/lift") => e(
            format!("/api/v1/patients/{p}/oppositions/{}/lift", f.opposition),
            Json(json!({})),
            [401, 401, 401, 401, 401, 401, 204, 404],
        ),
        ("GET", "/api/v1/patients/{id}/journal") => e(
            format!("/api/v1/patients/{p}/journal"),
            None,
            API_OWN_PATIENT,
        ),
        ("GET", "/api/v1/patients/{id}/fhir") => {
            e(format!("/api/v1/patients/{p}/fhir"), None, API_OWN_PATIENT)
        }
        ("GET", "/api/v1/journal") => e(path.into(), None, API_TOKEN),
        ("POST", "/api/v1/journal") => e(
            path.into(),
            Json(json!({})),
            [401, 401, 401, 401, 401, 401, 422, 422],
        ),
        ("GET", "/api/v1/journal/verify") => e(path.into(), None, API_TOKEN),
        ("GET", "/api/v1/journal/export") => e(path.into(), None, API_TOKEN),
        ("GET", "/api/v1/journal/fhir") => e(path.into(), None, API_TOKEN),
        ("POST", "/api/v1/anonymise") => e(
            path.into(),
            Json(json!({"text": "Mme Matrice est venue."})),
            [401, 401, 401, 401, 401, 401, 200, 200],
        ),
        _ => Option::None,
    }
}

struct Callers<'a> {
    browsers: HashMap<&'static str, Browser<'a>>,
    passwords: HashMap<&'static str, String>,
    /// The practice of each login name (two practices share the server).
    practices: HashMap<&'static str, i64>,
    token: String,
    other_token: String,
}

fn login_name(who: Who) -> Option<&'static str> {
    match who {
        Who::Assistant => Some("assistant"),
        Who::Etudiant => Some("etudiant"),
        Who::Kine => Some("kine"),
        Who::Admin => Some("alice"),
        Who::OtherAdmin => Some("bob"),
        Who::Anonymous | Who::Token | Who::OtherToken => None,
    }
}

fn key(who: Who) -> &'static str {
    login_name(who).unwrap_or(match who {
        Who::Anonymous => "anonyme",
        Who::Token => "jeton",
        _ => "jeton_autre",
    })
}

impl<'a> Callers<'a> {
    /// The browser of a caller, signed in again if the last request signed it out.
    async fn browser(&mut self, who: Who) -> &mut Browser<'a> {
        let k = key(who);
        let b = self.browsers.get_mut(k).unwrap();
        if let Some(name) = login_name(who) {
            if !b.cookies.contains_key("sceau_session") {
                let r = b
                    .login_in(self.practices[name], name, &self.passwords[name])
                    .await;
                assert_eq!(
                    r.status,
                    StatusCode::SEE_OTHER,
                    "login {name}: {}",
                    r.text()
                );
            }
        }
        b
    }

    fn bearer(&self, who: Who) -> Option<&str> {
        match who {
            Who::Token => Some(&self.token),
            Who::OtherToken => Some(&self.other_token),
            _ => None,
        }
    }
}

/// Sends one request as `who`. Forms carry `csrf`: none, the given value,
/// or (`Some("")`) the caller's own — the session's on signed-in routes, the
/// anonymous cookie's on the login and installation forms.
async fn send(
    c: &mut Callers<'_>,
    who: Who,
    access: Access,
    method: &str,
    ex: &Expect,
    csrf: Option<&str>,
) -> common::Resp {
    let token = c.bearer(who).map(str::to_string);
    let b = c.browser(who).await;
    match (&ex.body, method) {
        (Body::Form(fields), _) => {
            let own = match access {
                Access::Public | Access::Installation => {
                    if !b.cookies.contains_key("sceau_csrf") {
                        b.get("/connexion").await;
                    }
                    b.cookies.get("sceau_csrf").cloned().unwrap_or_default()
                }
                _ if b.cookies.contains_key("sceau_session") => {
                    b.get("/compte").await;
                    common::csrf_of(&b.last)
                }
                _ => String::new(),
            };
            let mut all: Vec<(&str, &str)> = Vec::new();
            match csrf {
                Some("") => all.push(("csrf", own.as_str())),
                Some(other) => all.push(("csrf", other)),
                None => {}
            }
            all.extend(fields.iter().copied());
            b.post_raw(&ex.path, form_body(&all)).await
        }
        (Body::Json(v), _) => {
            json_req(
                b.router,
                method,
                &ex.path,
                token.as_deref(),
                Some(v.clone()),
            )
            .await
        }
        (Body::None, "GET") if token.is_some() => {
            json_req(b.router, "GET", &ex.path, token.as_deref(), None).await
        }
        (Body::None, _) => b.get(&ex.path).await,
    }
}

#[tokio::test]
async fn every_route_times_every_role() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut admin = Browser::new(&app.router);
    admin.setup_admin().await;
    admin.login("alice", ADMIN_PASSWORD).await;
    let alice = store
        .verify_login(None, "alice", ADMIN_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    let practice = alice.practice_id;
    let mut passwords: HashMap<&'static str, String> = HashMap::new();
    passwords.insert("alice", ADMIN_PASSWORD.into());
    for (name, role) in [
        ("assistant", Role::Assistant),
        ("etudiant", Role::Etudiant),
        ("kine", Role::Kinesitherapeute),
    ] {
        store
            .create_account(practice, name, name, role, ADMIN_PASSWORD)
            .await
            .unwrap();
        passwords.insert(name, ADMIN_PASSWORD.into());
    }
    let bob = store
        .create_practice("Cabinet Voisin", "bob", "Bob", ADMIN_PASSWORD)
        .await
        .unwrap();
    passwords.insert("bob", ADMIN_PASSWORD.into());
    let (token, _) = store
        .create_token(practice, alice.id, "matrice")
        .await
        .unwrap();
    let (other_token, _) = store
        .create_token(bob.practice_id, bob.id, "matrice")
        .await
        .unwrap();

    // The practice's patient, with a care-team member, a consent and an opposition.
    let made = |r: common::Resp| {
        assert!(r.status.is_success(), "{}", r.text());
        r.json()["id"].as_str().unwrap().to_string()
    };
    let patient = made(
        json_req(
            &app.router,
            "POST",
            "/api/v1/patients",
            Some(&token),
            Some(json!({"display_name": "Patiente Matrice"})),
        )
        .await,
    );
    let member = made(
        json_req(
            &app.router,
            "POST",
            &format!("/api/v1/patients/{patient}/care-team"),
            Some(&token),
            Some(json!({"name": "Dr Équipe", "profession": "medecin"})),
        )
        .await,
    );
    let consent = made(
        json_req(
            &app.router,
            "POST",
            &format!("/api/v1/patients/{patient}/consents"),
            Some(&token),
            Some(
                json!({"recipient": "professionnel_hors_equipe", "what": "bilan",
                        "method": "oral", "given_on": "2026-01-02"}),
            ),
        )
        .await,
    );
    let opposition = made(
        json_req(
            &app.router,
            "POST",
            &format!("/api/v1/patients/{patient}/oppositions"),
            Some(&token),
            Some(json!({"scope": "tout", "what": "tout", "since": "2026-01-02"})),
        )
        .await,
    );
    // An audit of the practice: readable by its accounts, not by the other practice.
    let audit = store
        .record_audit(
            practice,
            "alice",
            "Alice",
            "2026-11-24",
            &[sceau_store::audit::AuditAnswer {
                point: "locaux_occultation".into(),
                answer: "non".into(),
                comment: None,
            }],
        )
        .await
        .unwrap()
        .id;
    let fixture = Fixture {
        patient,
        member,
        consent,
        opposition,
        audit,
    };

    let mut browsers = HashMap::new();
    for who in EVERYONE {
        browsers.insert(key(who), Browser::new(&app.router));
    }
    let mut practices = HashMap::new();
    for name in ["alice", "assistant", "etudiant", "kine"] {
        practices.insert(name, practice);
    }
    practices.insert("bob", bob.practice_id);
    let mut callers = Callers {
        browsers,
        passwords,
        practices,
        token,
        other_token,
    };

    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    for r in routes() {
        let method = r.method.as_str();
        assert!(
            seen.insert((method.to_string(), r.path)),
            "route en double dans la table : {method} {}",
            r.path
        );
        let Some(ex) = expected(method, r.path, &fixture) else {
            failures.push(format!(
                "route sans ligne dans la matrice : {method} {} (ajoutez-la à `expected` dans crates/web/tests/all/access.rs)",
                r.path
            ));
            continue;
        };
        // The declared policy and the row agree on the anonymous caller.
        let anonymous = ex.row[0];
        let consistent = match r.access {
            Access::Public => anonymous != 303,
            Access::OpenApi => anonymous != 303 && anonymous != 401,
            Access::Installation => true,
            Access::Account | Access::Administrator => anonymous == 303,
            Access::Register | Access::Clinical | Access::Notes => anonymous == 303,
            Access::Token => anonymous == 401,
        };
        if !consistent {
            failures.push(format!(
                "{method} {} : politique {:?} mais {anonymous} pour un anonyme",
                r.path, r.access
            ));
        }
        for (i, who) in EVERYONE.into_iter().enumerate() {
            let is_form = matches!(ex.body, Body::Form(_));
            let got = send(
                &mut callers,
                who,
                r.access,
                method,
                &ex,
                is_form.then_some(""),
            )
            .await;
            if got.status.as_u16() != ex.row[i] {
                failures.push(format!(
                    "{method} {} en tant que {who:?} : {} au lieu de {} — {}",
                    ex.path,
                    got.status.as_u16(),
                    ex.row[i],
                    got.text().chars().take(300).collect::<String>()
                ));
            }
            if got.status.is_server_error() {
                failures.push(format!("{method} {} en tant que {who:?} : 5xx", ex.path));
            }
            if !is_form {
                continue;
            }
            // CSRF: the same form without its token and with a wrong one is
            // refused before anything else happens (403), or sent to the
            // login page for a caller without a session on a signed-in route.
            let signed_in_route = matches!(
                r.access,
                Access::Account
                    | Access::Administrator
                    | Access::Register
                    | Access::Clinical
                    | Access::Notes
            );
            let refused = if signed_in_route && login_name(who).is_none() {
                303
            } else {
                403
            };
            for bad in [None, Some("deadbeef".repeat(8))] {
                let got = send(&mut callers, who, r.access, method, &ex, bad.as_deref()).await;
                if got.status.as_u16() != refused {
                    failures.push(format!(
                        "CSRF {method} {} en tant que {who:?} avec le jeton {bad:?} : {} au lieu de {refused}",
                        ex.path,
                        got.status.as_u16()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} écarts :\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Posts the login form with the browser's anonymous CSRF cookie, whatever
/// page it saw last.
async fn post_login(b: &mut Browser<'_>, user: &str, password: &str) -> common::Resp {
    let csrf = b.cookies["sceau_csrf"].clone();
    let body = form_body(&[
        ("csrf", &csrf),
        ("identifiant", user),
        ("mot_de_passe", password),
    ]);
    b.post_raw("/connexion", body).await
}

/// A session id the browser had before logging in (planted by someone
/// else, or another account's) never survives the login; logging out kills
/// the id.
#[tokio::test]
async fn login_always_issues_a_new_session_id() {
    let app = app().await;
    let store = app.state.store().clone();
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let planted = "a".repeat(64);
    b.cookies.insert("sceau_session".into(), planted.clone());
    let r = b.login("alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let first = b.cookies["sceau_session"].clone();
    assert_ne!(first, planted);
    assert!(store.session(&planted).await.unwrap().is_none());
    assert!(store.session(&first).await.unwrap().is_some());

    // Logging in again while signed in: a new id, the old one is dead.
    let r = post_login(&mut b, "alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let second = b.cookies["sceau_session"].clone();
    assert_ne!(second, first);
    assert!(
        store.session(&first).await.unwrap().is_none(),
        "old id still valid"
    );

    // Logging out: the id is dead even if the browser kept the cookie.
    b.get("/compte").await;
    let r = b.post("/deconnexion", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(store.session(&second).await.unwrap().is_none());
    b.cookies.insert("sceau_session".into(), second);
    let r = b.get("/compte").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/connexion"), "{}", r.location());
}

/// Sessions end after their configured lifetime (12 h by default; 1 s here).
#[tokio::test]
async fn a_session_expires_after_its_lifetime() {
    let app = common::app_with_config(false, common::generous(), |c| c.session_seconds = 1).await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let r = b.login("alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let set = r
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    // A session cookie (no Max-Age): it ends when the browser closes, on a
    // shared computer; the server ends the session after its lifetime.
    assert!(
        set.starts_with("sceau_session=") && !set.contains("Max-Age"),
        "the session cookie must not outlive the browser: {set}"
    );
    assert_eq!(b.get("/compte").await.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let r = b.get("/compte").await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "expired session still accepted"
    );
    assert!(r.location().starts_with("/connexion"));
}

/// Failed logins with the default limits: how many are let through in a
/// burst, per account and per address, and the refusal (French, Retry-After).
#[tokio::test]
async fn login_attempts_are_rate_limited() {
    let limits = sceau_web::Limits::default();
    let app = common::app_with(false, limits).await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.get("/connexion").await;
    // One account from one address.
    let mut allowed = 0;
    let mut refusal = None;
    for _ in 0..20 {
        let r = post_login(&mut b, "alice", "mauvais mot de passe").await;
        match r.status {
            StatusCode::UNAUTHORIZED => allowed += 1,
            StatusCode::TOO_MANY_REQUESTS => refusal = Some(r),
            s => panic!("unexpected {s}"),
        }
    }
    assert_eq!(
        allowed, limits.login_burst,
        "attempts allowed on one account before refusal"
    );
    let refusal = refusal.expect("attempts are refused");
    let wait: u64 = refusal.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=limits.login_period.as_secs()).contains(&wait),
        "Retry-After {wait}"
    );
    assert!(
        refusal.text().contains("Trop de tentatives de connexion"),
        "{}",
        refusal.text()
    );
    // Even the right password is refused while limited.
    let r = post_login(&mut b, "alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);

    // Many accounts from one address (a fresh server).
    let app = common::app_with(false, limits).await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.get("/connexion").await;
    let mut allowed_ip = 0;
    for i in 0..60 {
        let r = post_login(&mut b, &format!("compte{i}"), "mauvais mot de passe").await;
        if r.status == StatusCode::UNAUTHORIZED {
            allowed_ip += 1;
        }
    }
    assert_eq!(
        allowed_ip,
        limits.login_burst * 4,
        "attempts allowed from one address"
    );
    println!(
        "FIGURE login: {allowed} échecs par compte (toutes adresses) puis une attente de {} s qui double à chaque échec ; {allowed_ip} échecs par adresse (tous comptes) puis {} s, doublant aussi ; au plus 15 min",
        limits.login_period.as_secs(),
        (limits.login_period / 4).as_secs_f64()
    );
}

/// Every route of the table with its handler replaced by one that takes no
/// extractor at all and answers « atteint »: whatever refuses a caller
/// without the right session, role or token is then the router alone, from
/// the policy of the table — for pages and API alike. A page whose handler
/// lost its `User` or `Admin` extractor would still be refused.
#[tokio::test]
async fn the_router_enforces_each_routes_access_before_its_handler() {
    use axum::routing::MethodFilter;
    use sceau_web::{router_from, Route};

    let app = app().await;
    let store = app.state.store().clone();
    let mut admin = Browser::new(&app.router);
    admin.setup_admin().await;
    let alice = store
        .verify_login(None, "alice", ADMIN_PASSWORD)
        .await
        .unwrap()
        .unwrap();
    let accounts = [
        ("assistant", Role::Assistant),
        ("etudiant", Role::Etudiant),
        ("kine", Role::Kinesitherapeute),
        ("alice", Role::Administrateur),
    ];
    for (name, role) in &accounts[..3] {
        store
            .create_account(alice.practice_id, name, name, *role, ADMIN_PASSWORD)
            .await
            .unwrap();
    }
    // The sessions are opened on the real router (its login page).
    let mut cookies = Vec::new();
    for (name, role) in accounts {
        let mut b = Browser::new(&app.router);
        let r = b.login(name, ADMIN_PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login {name}");
        cookies.push((role, b.cookies));
    }

    let table: Vec<Route> = routes()
        .into_iter()
        .map(|mut r| {
            let filter = MethodFilter::try_from(r.method.clone()).unwrap();
            r.handler = axum::routing::on(filter, || async { "atteint" });
            r
        })
        .collect();
    let policies: Vec<(String, &'static str, Access, bool)> = table
        .iter()
        .map(|r| (r.method.to_string(), r.path, r.access, r.anonymous))
        .collect();
    let loose = router_from(app.state.clone(), table);

    let mut checked = 0;
    for (method, template, access, anonymous) in policies {
        // Any value for the path's parameters: the handler is never the judge.
        let path: String = template
            .split('/')
            .map(|seg| if seg.starts_with('{') { "x" } else { seg })
            .collect::<Vec<_>>()
            .join("/");
        let send_as = |cookies: Option<HashMap<String, String>>| {
            let mut b = Browser::new(&loose);
            if let Some(c) = cookies {
                b.cookies = c;
            }
            let (method, path) = (method.clone(), path.clone());
            async move {
                if method == "GET" {
                    b.get(&path).await
                } else {
                    b.post_raw(&path, String::new()).await
                }
            }
        };
        let reached = |r: &common::Resp| r.status == StatusCode::OK && r.text() == "atteint";

        // Nobody signed in, no token.
        let r = send_as(None).await;
        match access {
            Access::Public | Access::Installation | Access::OpenApi => {
                assert!(reached(&r), "{method} {template}: anonymous {}", r.status)
            }
            Access::Token => assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {template}"),
            _ if anonymous => assert!(reached(&r), "{method} {template}: open to anonymous"),
            _ => {
                assert_eq!(
                    r.status,
                    StatusCode::SEE_OTHER,
                    "{method} {template}: anonymous"
                );
                assert!(
                    r.location().starts_with("/connexion"),
                    "{method} {template}"
                );
            }
        }
        // Each role, signed in.
        for (role, c) in &cookies {
            let r = send_as(Some(c.clone())).await;
            match (access, access.allows(*role)) {
                (Access::Token, _) => assert_eq!(
                    r.status,
                    StatusCode::UNAUTHORIZED,
                    "{method} {template}: a session is not a token"
                ),
                (_, Some(false)) => assert_eq!(
                    r.status,
                    StatusCode::FORBIDDEN,
                    "{method} {template}: {role:?} must be refused by the router"
                ),
                _ => assert!(reached(&r), "{method} {template}: {role:?} {}", r.status),
            }
        }
        checked += 1;
    }
    assert_eq!(checked, routes().len());
}
