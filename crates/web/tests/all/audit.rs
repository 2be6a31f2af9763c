//! « Audit du cabinet » through the router: the questionnaire from
//! law/audit.toml, a missing answer named, the report with its actions and
//! articles, the PDF, the comparison with the previous audit, and roles
//! (administrators and kinésithérapeutes run audits, others read).

use crate::common;

use crate::common::{app, Browser, ADMIN_PASSWORD};
use axum::http::{header, StatusCode};
use sceau_documents::audit::Checklist;
use sceau_store::Role;

fn answers<'a>(c: &'a Checklist, no: &[&str]) -> Vec<(String, &'a str)> {
    c.point
        .iter()
        .map(|p| {
            let a = if no.contains(&p.id.as_str()) {
                "non"
            } else {
                "oui"
            };
            (format!("reponse_{}", p.id), a)
        })
        .collect()
}

async fn run(b: &mut Browser<'_>, fields: &[(String, &str)]) -> String {
    b.get("/audit/nouveau").await;
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let r = b.post("/audit/nouveau", &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    r.location()
}

#[tokio::test]
async fn audit_report_pdf_and_comparison_with_the_previous_one() {
    let app = app().await;
    let c = Checklist::builtin();
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let r = b.get("/audit").await;
    assert!(r.text().contains("Aucun audit pour l’instant"));
    let r = b.get("/audit/nouveau").await;
    let html = r.text();
    for p in &c.point {
        assert!(
            html.contains(&format!("name=\"reponse_{}\"", p.id)),
            "{}",
            p.id
        );
    }
    assert!(html.contains("href=\"/textes/csp:R4321-115\""));

    // a missing answer is named; what was answered stays checked
    let mut partial = answers(c, &[]);
    partial.retain(|(k, _)| k != "reponse_documents_sessions");
    let f: Vec<(&str, &str)> = partial.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let r = b.post("/audit/nouveau", &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let t = r.text();
    assert!(
        t.contains("1 question(s) sans réponse") && t.contains("verrouille"),
        "{t}"
    );

    let mut first = answers(c, &["locaux_occultation", "documents_sauvegardes"]);
    first.push((
        "commentaire_documents_sauvegardes".into(),
        "disque prévu en décembre",
    ));
    let loc1 = run(&mut b, &first).await;
    let r = b.get(&loc1).await;
    let t = r.text();
    assert!(
        t.contains("Audit n° 1 du cabinet") && t.contains("Premier audit du cabinet"),
        "{t}"
    );
    assert!(t.contains("data-actions=\"2\""));
    assert!(t.contains(&c.point("locaux_occultation").unwrap().action));
    assert!(t.contains("disque prévu en décembre"));

    let second = answers(c, &["documents_sauvegardes", "personnel_instruit"]);
    let loc2 = run(&mut b, &second).await;
    let t = b.get(&loc2).await.text();
    assert!(t.contains("Évolution depuis l’audit n° 1"), "{t}");
    let improved = common::between(&t, "data-change=\"improved\"", "</div>").unwrap();
    assert!(improved.contains("vitrines"), "{improved}");
    let regressed = common::between(&t, "data-change=\"regressed\"", "</div>").unwrap();
    assert!(regressed.contains("instruites"), "{regressed}");
    assert!(t.contains(&format!("Points inchangés\u{a0}: {}.", c.point.len() - 2)));

    let r = b.get(&format!("{loc2}/rapport.pdf")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(r.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("audit-cabinet-2.pdf"));
    assert!(r.body.starts_with(b"%PDF"));

    let list = b.get("/audit").await.text();
    assert!(list.contains("data-audit=\"2\"") && list.contains("data-audit=\"1\""));
    assert!(
        list.find("data-audit=\"2\"") < list.find("data-audit=\"1\""),
        "newest first"
    );

    // roles: a student reads, cannot run; a kinésithérapeute runs
    let store = app.state.store();
    store
        .create_account(1, "etienne", "Étienne", Role::Etudiant, ADMIN_PASSWORD)
        .await
        .unwrap();
    store
        .create_account(1, "karim", "Karim", Role::Kinesitherapeute, ADMIN_PASSWORD)
        .await
        .unwrap();
    let mut s = Browser::new(&app.router);
    s.login("etienne", ADMIN_PASSWORD).await;
    assert_eq!(s.get(&loc2).await.status, StatusCode::OK);
    assert!(!s.get("/audit").await.text().contains("Commencer un audit"));
    assert_eq!(s.get("/audit/nouveau").await.status, StatusCode::FORBIDDEN);
    s.get("/audit").await;
    let f: Vec<(&str, &str)> = second.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        s.post("/audit/nouveau", &f).await.status,
        StatusCode::FORBIDDEN
    );
    let mut k = Browser::new(&app.router);
    k.login("karim", ADMIN_PASSWORD).await;
    let loc3 = run(&mut k, &second).await;
    assert!(k.get(&loc3).await.text().contains("Audit n° 3"));

    // another practice cannot read them
    let zoe = store
        .create_practice("Autre", "zoe", "Zoé", ADMIN_PASSWORD)
        .await
        .unwrap();
    let mut z = Browser::new(&app.router);
    z.login_in(zoe.practice_id, "zoe", ADMIN_PASSWORD).await;
    assert_eq!(z.get(&loc2).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        z.get(&format!("{loc2}/rapport.pdf")).await.status,
        StatusCode::NOT_FOUND
    );
}
