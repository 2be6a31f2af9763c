//! « Who sees what » (SECURITY.md) on the pages open to every role: what
//! they show of the register and of reports must follow the routing
//! table's columns, not only the routes that are the register's or the
//! journal's own.

use crate::common;

use crate::common::{app, Browser, ADMIN_PASSWORD};
use axum::http::StatusCode;
use sceau_store::register::{NewOpposition, NewPatient};
use sceau_store::Role;

const VICTIM: &str = "Hortense Vauquelin-Dubreuil";
const OPPOSITION: &str = "rien sur sa rééducation à son employeur";

/// A practice with one account of each role but the administrator's, a
/// patient with an opposition, and a pending duty « informer la victime »
/// about her (as marking a report as sent records it).
async fn practice(app: &common::App) -> String {
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let store = app.state.store();
    let practice = store.practices().await.unwrap()[0].id;
    for (name, role) in [
        ("assia", Role::Assistant),
        ("etienne", Role::Etudiant),
        ("kevin", Role::Kinesitherapeute),
    ] {
        store
            .create_account(practice, name, name, role, ADMIN_PASSWORD)
            .await
            .unwrap();
    }
    let p = store
        .create_patient(
            practice,
            "alice",
            &NewPatient {
                display_name: VICTIM.into(),
                birth_date: None,
                reference: None,
                deceased_on: None,
            },
        )
        .await
        .unwrap();
    store
        .add_opposition(
            practice,
            &p.id,
            &NewOpposition {
                scope: "tout".into(),
                what: OPPOSITION.into(),
                since: chrono::NaiveDate::from_ymd_opt(2025, 1, 1),
                informed_on: None,
            },
        )
        .await
        .unwrap();
    store
        .add_duty(
            practice,
            "alice",
            sceau_store::reports::INFORM_VICTIM,
            &format!("Informer {VICTIM} du signalement"),
            Some(&p.id),
        )
        .await
        .unwrap();
    p.id
}

/// Finding 2 of the 2026-11-30 audit: the home page listed the pending
/// duties — the name of a person reported to the prosecutor, and that the
/// report was sent — to the assistant and the student, who have no access
/// to reports or the journal. Only the kinésithérapeute and the
/// administrator see them now.
#[tokio::test]
async fn pending_duties_on_the_home_page_only_for_roles_that_read_reports() {
    let app = app().await;
    practice(&app).await;
    for (user, sees) in [
        ("alice", true),
        ("kevin", true),
        ("assia", false),
        ("etienne", false),
    ] {
        let mut b = Browser::new(&app.router);
        b.login(user, ADMIN_PASSWORD).await;
        let r = b.get("/").await;
        assert_eq!(r.status, StatusCode::OK);
        let home = r.text();
        assert_eq!(home.contains(VICTIM), sees, "{user}: {home}");
        assert_eq!(home.contains("Obligations en attente"), sees, "{user}");
        assert_eq!(home.contains("data-duty="), sees, "{user}");
    }
}

/// Finding 3 of the 2026-11-30 audit: the interview took `?patient=` from
/// any role and showed « Ce que le registre sait de … » (name, oppositions)
/// to the student, whom the routing table refuses the register. Now the
/// student gets the register's 403 there too (page, step and journal form),
/// while the assistant — who keeps the register — still has it.
#[tokio::test]
async fn the_interview_gives_the_register_only_to_roles_that_keep_it() {
    let app = app().await;
    let id = practice(&app).await;
    let url = format!("/puis-je-le-dire?patient={id}");
    for (user, keeps) in [
        ("alice", true),
        ("kevin", true),
        ("assia", true),
        ("etienne", false),
    ] {
        let mut b = Browser::new(&app.router);
        b.login(user, ADMIN_PASSWORD).await;
        let register = b.get(&format!("/patients/{id}")).await.status;
        let r = b.get(&url).await;
        let page = r.text();
        assert_eq!(page.contains(VICTIM), keeps, "{user}: {page}");
        assert!(!keeps || page.contains(OPPOSITION), "{user}: {page}");
        assert!(keeps || !page.contains(OPPOSITION), "{user}: {page}");
        if keeps {
            assert_eq!(r.status, StatusCode::OK, "{user}");
            assert_eq!(register, StatusCode::OK, "{user}");
        } else {
            // Exactly the routing table's answer for the register's own page.
            assert_eq!(register, StatusCode::FORBIDDEN, "{user}");
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
            // The step of the interview does not lead there either.
            b.get("/puis-je-le-dire").await;
            let r = b
                .post("/puis-je-le-dire", &[("patient", id.as_str())])
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
            // Nor does a recipient of the register named with the patient.
            let r = b
                .get(&format!("{url}&destinataire=eqp_0123456789abcdef"))
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
            assert!(!r.text().contains(VICTIM));
            // Without a patient, the interview is his as before.
            assert_eq!(b.get("/puis-je-le-dire").await.status, StatusCode::OK);
        }
    }
}
