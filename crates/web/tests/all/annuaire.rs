//! Administration › Annuaire des destinataires and the signalement form's
//! recipient, through the router, on SQLite or (with
//! SCEAU_TEST_DATABASE_URL) PostgreSQL: admin only, add with validation
//! naming the field, import of the examples, edit, delete; the form says
//! when the directory has no entry, takes the entry of the practice, a
//! chosen entry, or a typed address.

use crate::common;

use crate::common::{alert, app, between, field_value, Browser, ADMIN_PASSWORD};
use axum::http::StatusCode;

/// The page's text with no-break spaces as plain spaces (French typography).
trait Plain {
    fn plain(&self) -> String;
}

impl Plain for common::Resp {
    fn plain(&self) -> String {
        self.text().replace(['\u{a0}', '\u{202f}'], " ")
    }
}

async fn admin(b: &mut Browser<'_>) {
    b.setup_admin().await;
    let r = b.login("alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

/// A 3° case without consent, ready to draft (nothing flagged).
fn case<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut v = common::report_case();
    v.extend_from_slice(extra);
    v
}

async fn draft(b: &mut Browser<'_>, extra: &[(&str, &str)]) -> common::Resp {
    b.get("/signalement").await;
    b.post("/signalement", &case(extra)).await
}

async fn entry_ids(b: &mut Browser<'_>) -> Vec<String> {
    let page = b.get("/administration/annuaire").await.plain();
    page.split("data-entry=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_directory_is_kept_by_the_administrator_and_feeds_the_report() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    admin(&mut b).await;

    // Empty directory: the form says so, and the report asks for an address.
    let page = b.get("/signalement").await.plain();
    assert!(page.contains("L’annuaire du cabinet est vide"));
    let r = draft(&mut b, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.plain());
    let t = r.plain();
    assert!(t.contains("Champ « Adresse du destinataire »"), "{t}");
    assert!(
        t.contains("aucune entrée « Procureur de la République"),
        "{t}"
    );
    // A typed address is used as is.
    let r = draft(
        &mut b,
        &[
            ("annuaire", "saisie"),
            (
                "adresse_destinataire",
                "Parquet saisi à la main\n1 rue du Palais\n69005 Lyon",
            ),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.plain());
    assert!(r.plain().contains("Parquet saisi à la main"));
    // « saisie » without an address names the field.
    let r = draft(&mut b, &[("annuaire", "saisie")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.plain().contains("Champ « Adresse du destinataire »"));

    // Add: validation names the field and does not echo the value.
    b.get("/administration/annuaire").await;
    let r = b
        .post(
            "/administration/annuaire",
            &[
                ("action", "ajouter"),
                ("type", "procureur"),
                ("departement", "6Z9"),
                ("nom", "Tribunal judiciaire de Villefranche-sur-Saône"),
                (
                    "adresse",
                    "350 boulevard Gambetta\n69400 Villefranche-sur-Saône",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let err = between(&r.plain(), "class=\"error\" role=\"alert\">", "</p>")
        .unwrap()
        .to_string();
    assert!(err.contains("Champ « Département »"), "{err}");
    assert!(!err.contains("6Z9"));
    let r = b
        .post(
            "/administration/annuaire",
            &[
                ("action", "ajouter"),
                ("type", "procureur"),
                ("departement", "69"),
                ("nom", "Tribunal judiciaire de Villefranche-sur-Saône"),
                (
                    "adresse",
                    "350 boulevard Gambetta\n69400 Villefranche-sur-Saône",
                ),
                ("courriel", "pas-un-courriel"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.plain().contains("Champ « Courriel »"));
    let r = b
        .post(
            "/administration/annuaire",
            &[
                ("action", "ajouter"),
                ("type", "procureur"),
                ("departement", "69"),
                ("nom", "Tribunal judiciaire de Villefranche-sur-Saône"),
                (
                    "adresse",
                    "350 boulevard Gambetta\n69400 Villefranche-sur-Saône",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.plain());
    // One entry: the report takes it.
    let r = draft(&mut b, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.plain());
    let t = r.plain();
    assert!(
        t.contains("Tribunal judiciaire de Villefranche-sur-Saône"),
        "{t}"
    );
    assert!(!t.contains("entrée d’exemple"));

    // Import the examples of the Rhône: marked as examples; twice adds nothing.
    b.get("/administration/annuaire").await;
    let r = b
        .post(
            "/administration/annuaire",
            &[("action", "importer"), ("departement_exemples", "69")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = b.get(&r.location()).await.plain();
    assert!(page.contains("3 entrées d’exemple importées"), "{page}");
    assert_eq!(page.matches("exemple à vérifier</span>").count(), 3);
    b.post(
        "/administration/annuaire",
        &[("action", "importer"), ("departement_exemples", "69")],
    )
    .await;
    assert_eq!(entry_ids(&mut b).await.len(), 4);
    let r = b
        .post(
            "/administration/annuaire",
            &[("action", "importer"), ("departement_exemples", "99")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.plain().contains("Champ « Département des exemples »"));

    // Two parquets for the Rhône now: the form asks which one …
    let r = draft(&mut b, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.plain().contains("plusieurs destinataires"));
    // … and an entry chosen in the form is used, its example mark shown.
    let form = b.get("/signalement").await.plain();
    let lyon_id = form
        .split("<option value=\"")
        .find(|o| o.contains("Tribunal judiciaire de Lyon"))
        .map(|o| o.split('"').next().unwrap().to_string())
        .expect("the imported example is offered in the form");
    // A draft is not journaled (issue 19): the letter carries the journal's
    // signed head as it stands, here after one earlier disclosure.
    let practice = app.state.store().practices().await.unwrap()[0].id;
    app.state
        .store()
        .journal_append(
            practice,
            "alice",
            &[sceau_store::journal::NewEntry {
                patient: None,
                recipient: "procureur".into(),
                purpose: "signalement".into(),
                action: "disclosed".into(),
                verdict: "allowed".into(),
                basis: vec!["cp:226-14:3".into()],
                information: String::new(),
            }],
        )
        .await
        .unwrap();
    let r = b
        .post("/signalement", &case(&[("annuaire", lyon_id.as_str())]))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.plain());
    let t = r.plain();
    assert!(t.contains("67 rue Servient"));
    assert!(t.contains("entrée d’exemple de l’annuaire"));
    let receipt = sceau_journal::Receipt::parse(&t).expect("the letter carries a receipt");
    assert!(receipt.seq >= 1);
    assert!(app
        .state
        .store()
        .journal_check_receipt(&receipt)
        .await
        .unwrap()
        .is_ok());
    // A CRIP entry chosen for the procureur is refused, naming the field.
    let crip_id = form
        .split("<option value=\"")
        .find(|o| o.contains("CRIP"))
        .map(|o| o.split('"').next().unwrap().to_string())
        .unwrap();
    let r = b
        .post("/signalement", &case(&[("annuaire", crip_id.as_str())]))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.plain().contains("Champ « Destinataire dans l’annuaire »"));

    // Edit: saving without « à vérifier » clears the example mark.
    let page = b
        .get(&format!("/administration/annuaire/{lyon_id}"))
        .await
        .plain();
    assert!(page.contains("67 rue Servient"));
    save_lyon(
        &mut b,
        &lyon_id,
        &[("courriel", "permanence.parquet.tj-lyon@justice.fr")],
    )
    .await;
    let page = b.get("/administration/annuaire").await.plain();
    assert!(page.contains("69433 Lyon Cedex 03"));
    assert_eq!(page.matches("exemple à vérifier</span>").count(), 2);
    // Invalid edit: the field is named.
    b.get(&format!("/administration/annuaire/{lyon_id}")).await;
    let r = b
        .post(
            &format!("/administration/annuaire/{lyon_id}"),
            &[
                ("type", "inconnu"),
                ("departement", "69"),
                ("nom", "Tribunal judiciaire de Lyon"),
                ("adresse", "67 rue Servient"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.plain().contains("Champ « Type de destinataire »"));

    // Delete the Villefranche entry: one parquet left, taken automatically.
    let ids = entry_ids(&mut b).await;
    let page = b.get("/administration/annuaire").await.plain();
    let villefranche = ids
        .iter()
        .find(|id| {
            between(&page, &format!("data-entry=\"{id}\""), "</tr>")
                .is_some_and(|row| row.contains("Villefranche"))
        })
        .unwrap()
        .clone();
    let r = b
        .post(
            "/administration/annuaire",
            &[("action", "supprimer"), ("entree", villefranche.as_str())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(entry_ids(&mut b).await.len(), 3);
    let r = draft(&mut b, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.plain());
    assert!(r.plain().contains("69433 Lyon Cedex 03"));
    // Unknown entry.
    let r = b.get("/administration/annuaire/rcp_0000").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_administrators_keep_the_directory() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    admin(&mut b).await;
    b.get("/administration").await;
    let r = b
        .post(
            "/administration",
            &[
                ("action", "creer"),
                ("nom", "Bruno Kiné"),
                ("identifiant", "bruno"),
                ("role", "kinesitherapeute"),
                ("mot_de_passe", "phrase de passe de bruno"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut k = Browser::new(&app.router);
    k.login("bruno", "phrase de passe de bruno").await;
    assert_eq!(
        k.get("/administration/annuaire").await.status,
        StatusCode::FORBIDDEN
    );
    k.get("/signalement").await;
    let r = k
        .post(
            "/administration/annuaire",
            &[("action", "importer"), ("departement_exemples", "69")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The form tells a non-administrator to ask the administrator.
    let page = k.get("/signalement").await.plain();
    assert!(page.contains("demandez à l’administrateur de compléter l’annuaire"));
    // Without login: to the login page.
    let mut anon = Browser::new(&app.router);
    let r = anon.get("/administration/annuaire").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_assessment_aids_are_shown_never_submitted_nor_in_the_report() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    admin(&mut b).await;
    let page = b.get("/signalement").await.plain();
    let aid = between(&page, "<details class=\"aid\"", "</details>").expect("aids shown");
    assert!(aid.contains("Critères d’évaluation du danger immédiat"));
    assert_eq!(
        aid.matches("<li>").count(),
        16,
        "15 danger criteria and 1 of emprise"
    );
    assert!(aid.contains("aucun score"));
    assert!(aid.contains("Vade-mecum"));
    assert!(
        !aid.contains("<input"),
        "nothing to tick: no score, nothing submitted"
    );
    let r = draft(
        &mut b,
        &[
            ("annuaire", "saisie"),
            ("adresse_destinataire", "Parquet\n69005 Lyon"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let text = r.plain();
    let letter = between(&text, "<pre class=\"letter\"", "</pre>").unwrap();
    assert!(!letter.contains("menaces de mort"));
    assert!(!letter.contains("armes à feu"));
}

#[tokio::test]
async fn a_decision_resting_on_226_14_opens_the_form_with_its_answers() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    admin(&mut b).await;
    let answers = [
        "actor=masseur_kinesitherapeute",
        "purpose=signalement",
        "info_obtained_in_practice=true",
        "patient_alive=true",
        "recipient=procureur",
        "patient_minor=false",
        "patient_can_protect_self=true",
        "violence_observed=true",
        "violence_within_couple=true",
        "life_in_immediate_danger=true",
        "victim_under_emprise=true",
        "patient_consent=refuse",
        "violence_kind=physique",
    ];
    b.get("/puis-je-le-dire").await;
    let mut form: Vec<(&str, &str)> = answers.iter().map(|a| ("a", *a)).collect();
    form.push(("action", "suivant"));
    let r = b.post_follow("/puis-je-le-dire", &form).await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.plain();
    assert_eq!(
        between(&page, "data-verdict=\"", "\""),
        Some("allowed"),
        "{page}"
    );
    let section = between(&page, "action=\"/signalement/depuis-entretien\"", "</form>")
        .expect("the decision offers the report");
    assert!(section.contains("Faire un signalement avec ces réponses"));
    let hidden: Vec<(&str, String)> = section
        .split("name=\"a\" value=\"")
        .skip(1)
        .map(|s| ("a", s.split('"').next().unwrap().to_string()))
        .collect();
    assert_eq!(hidden.len(), answers.len());
    let fields: Vec<(&str, &str)> = hidden.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post("/signalement/depuis-entretien", &fields).await;
    assert_eq!(r.status, StatusCode::OK);
    let f = r.plain();
    for (name, value) in [
        ("q-danger", "oui"),
        ("q-emprise", "oui"),
        ("q-mineur", "non"),
        ("q-couple", "oui"),
        ("consentement", "refuse"),
        ("nature", "physique"),
        ("destinataire", "procureur"),
    ] {
        let select = between(&f, &format!("id=\"{name}\""), "</select>").unwrap();
        assert!(
            select.contains(&format!("value=\"{value}\" selected")),
            "{name} prefilled with {value}: {select}"
        );
    }
    assert!(
        f.contains("value=\"Alice Admin\""),
        "author from the account"
    );

    // A decision that does not rest on 226-14 offers no report.
    b.get("/puis-je-le-dire").await;
    let r = b
        .post_follow(
            "/puis-je-le-dire",
            &[
                ("a", "actor=masseur_kinesitherapeute"),
                ("a", "recipient=famille_proches"),
                ("a", "purpose=information"),
                ("a", "patient_alive=true"),
                ("a", "info_obtained_in_practice=true"),
                ("a", "patient_consent=refuse"),
                ("action", "suivant"),
            ],
        )
        .await;
    assert!(!r.plain().contains("/signalement/depuis-entretien"));
    // Without a valid CSRF token: refused.
    let r = b
        .post_raw(
            "/signalement/depuis-entretien",
            common::form_body(&[("csrf", "faux"), ("a", "patient_minor=true")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// A refused directory form keeps what was typed, in its own fields only
/// (issue 19): the message names the field, never the value.
#[tokio::test]
async fn a_refused_directory_form_keeps_what_was_typed_in_its_fields_only() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    admin(&mut b).await;
    let canary = "CANARI-ANNUAIRE-7731";
    b.get("/administration/annuaire").await;
    let r = b
        .post(
            "/administration/annuaire",
            &[
                ("action", "ajouter"),
                ("type", "procureur"),
                ("departement", "6Z9"),
                ("nom", canary),
                ("adresse", canary),
                ("courriel", canary),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(r.plain().contains("Champ « Département »"), "{html}");
    for f in ["nom", "adresse", "courriel"] {
        assert_eq!(field_value(&html, f).as_deref(), Some(canary), "{f}");
    }
    assert_eq!(field_value(&html, "departement").as_deref(), Some("6Z9"));
    assert_eq!(html.matches(canary).count(), 3, "only in the three fields");
    assert!(!alert(&html).contains("6Z9") && !alert(&html).contains(canary));
    assert_eq!(
        r.headers.get("cache-control").unwrap(),
        "no-store",
        "a page holding what was typed is never cached"
    );
    // An entry, then a refused edit: the edit form keeps what was typed.
    let id = add_parquet(&mut b, "69", "Tribunal judiciaire de Lyon").await;
    b.get(&format!("/administration/annuaire/{id}")).await;
    let r = b
        .post(
            &format!("/administration/annuaire/{id}"),
            &[
                ("type", "procureur"),
                ("departement", "6Z9"),
                ("nom", canary),
                ("adresse", canary),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert_eq!(field_value(&html, "nom").as_deref(), Some(canary));
    assert!(!alert(&html).contains(canary), "{}", alert(&html));
    // Nothing was saved: the entry is as stored.
    let stored = b
        .get(&format!("/administration/annuaire/{id}"))
        .await
        .text();
    assert_eq!(
        field_value(&stored, "nom").as_deref(),
        Some("Tribunal judiciaire de Lyon")
    );
}

/// The author's RPPS and address come from the account (« Mon compte »):
/// checked there (11 digits, Luhn key), shown by the report and letter
/// forms as known, never asked again, and printed in the letter.
#[tokio::test]
async fn the_authors_rpps_and_address_come_from_the_account() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    admin(&mut b).await;
    // Not given yet: the forms ask for them and say where to give them once.
    let page = b.get("/signalement").await.text();
    assert!(page.contains("name=\"auteur_rpps\""));
    assert!(page.contains("href=\"/compte#identite\""));
    b.get("/compte").await;
    // A typo in the number (the Luhn key) is refused, naming the field; what
    // was typed stays in the form, not in the message.
    let r = b
        .post(
            "/compte/profil",
            &[
                ("rpps", "12345678904"),
                ("adresse", "8 quai Saint-Vincent\n69001 Lyon"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(alert(&html).contains("Numéro RPPS"), "{}", alert(&html));
    assert!(!alert(&html).contains("12345678904"));
    assert_eq!(field_value(&html, "rpps").as_deref(), Some("12345678904"));
    assert_eq!(
        field_value(&html, "adresse").as_deref(),
        Some("8 quai Saint-Vincent\n69001 Lyon")
    );
    let r = b
        .post(
            "/compte/profil",
            &[
                ("rpps", "123 456 789 03"),
                ("adresse", "8 quai Saint-Vincent\r\n69001 Lyon"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), "/compte?ok=profil");
    let page = b.get("/compte?ok=profil").await.text();
    assert_eq!(field_value(&page, "rpps").as_deref(), Some("12345678903"));
    assert!(page.contains("Votre identité professionnelle est enregistrée"));
    // The report form shows them and no longer asks.
    for form in [
        "/signalement",
        "/signalement/requisition",
        "/signalement/expertise",
    ] {
        let page = b.get(form).await.text();
        assert!(!page.contains("name=\"auteur_rpps\""), "{form}");
        assert!(!page.contains("name=\"auteur_adresse\""), "{form}");
        assert!(
            page.contains("12345678903") && page.contains("8 quai Saint-Vincent"),
            "{form}"
        );
    }
    let case: Vec<(&str, &str)> = case(&[
        ("annuaire", "saisie"),
        (
            "adresse_destinataire",
            "Parquet\n1 rue du Palais\n69005 Lyon",
        ),
    ])
    .into_iter()
    .filter(|(k, _)| *k != "auteur_rpps" && *k != "auteur_adresse")
    .collect();
    b.get("/signalement").await;
    let r = b.post("/signalement", &case).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.plain());
    let letter = r.plain();
    assert!(
        letter.contains("12345678903"),
        "the letter carries the RPPS"
    );
    assert!(letter.contains("8 quai Saint-Vincent"), "and the address");
}

/// A refused report keeps what was typed in its fields (issue 19), the
/// message naming the field only.
#[tokio::test]
async fn a_refused_report_keeps_what_was_typed() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    admin(&mut b).await;
    let r = draft(
        &mut b,
        &[
            ("victime_naissance", "pas une date"),
            ("victime_nom", "Zénobie Kerhervé"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.plain());
    let html = r.text();
    assert!(
        alert(&html).contains("Date de naissance"),
        "{}",
        alert(&html)
    );
    assert!(!alert(&html).contains("Kerhervé"));
    assert_eq!(
        field_value(&html, "victime_nom").as_deref(),
        Some("Zénobie Kerhervé")
    );
    assert_eq!(field_value(&html, "departement").as_deref(), Some("69"));
    assert_eq!(
        field_value(&html, "constatations").as_deref(),
        Some("Hématome périorbitaire droit")
    );
}

/// The result page says how long the draft is kept, as the server keeps it
/// (it said « quelques minutes » for 30).
#[tokio::test]
async fn the_result_page_says_how_long_the_draft_is_kept() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    admin(&mut b).await;
    let r = draft(
        &mut b,
        &[
            ("annuaire", "saisie"),
            (
                "adresse_destinataire",
                "Parquet\n1 rue du Palais\n69005 Lyon",
            ),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.plain());
    let said = format!(
        "conservé que {} minutes",
        sceau_web::signalement::KEEP_MINUTES
    );
    assert!(r.plain().contains(&said), "{}", r.plain());
    assert!(!r.plain().contains("quelques minutes"));
}

/// Audit of 2026-11-30, finding 7: an entry written by SQL without the key
/// addressed the report to the intruder's address, and the text did not
/// say so. It is now « Altérée » on the directory page, refused as the
/// letter's address (chosen, or by the département), until the
/// administrator checks it and saves it.
#[tokio::test]
async fn an_entry_written_without_the_key_addresses_no_report() {
    let app = app().await;
    let mut b = Browser::new(&app.router);
    admin(&mut b).await;
    let id = add_parquet(&mut b, "69", "Tribunal judiciaire de Lyon").await;
    let r = draft(&mut b, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.plain());
    assert!(r.plain().contains("67 rue Servient"));
    assert!(!b
        .get("/administration/annuaire")
        .await
        .plain()
        .contains("data-altered"));

    let raw = common::raw(&app).await;
    sqlx::query("UPDATE recipients SET address = $1 WHERE id = $2")
        .bind("BP 666\n99999 BOITE-DU-PIRATE")
        .bind(&id)
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;

    let page = b.get("/administration/annuaire").await.plain();
    assert!(page.contains("data-altered"), "{page}");
    assert!(page.contains("Altérée"));
    // By the département: refused, and said why.
    let r = draft(&mut b, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.plain());
    assert!(!r.plain().contains("PIRATE"), "{}", r.plain());
    assert!(
        alert(&r.plain()).contains("altérée"),
        "{}",
        alert(&r.plain())
    );
    // Chosen in the form: refused too.
    let r = draft(&mut b, &[("annuaire", id.as_str())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.plain());
    assert!(
        alert(&r.plain()).contains("altérée"),
        "{}",
        alert(&r.plain())
    );
    assert!(!r.plain().contains("PIRATE"));

    // The administrator's form says it, and saving it is his check.
    let page = b
        .get(&format!("/administration/annuaire/{id}"))
        .await
        .plain();
    assert!(page.contains("Entrée altérée"), "{page}");
    save_lyon(&mut b, &id, &[]).await;
    let r = draft(&mut b, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.plain());
    assert!(r.plain().contains("69433 Lyon Cedex 03"));
}

/// Adds a parquet at the address of Lyon's through the form; its id.
async fn add_parquet(b: &mut Browser<'_>, department: &str, name: &str) -> String {
    b.get("/administration/annuaire").await;
    let before = entry_ids(b).await;
    let r = b
        .post(
            "/administration/annuaire",
            &[
                ("action", "ajouter"),
                ("type", "procureur"),
                ("departement", department),
                ("nom", name),
                ("adresse", "67 rue Servient\n69003 Lyon"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.plain());
    entry_ids(b)
        .await
        .into_iter()
        .find(|id| !before.contains(id))
        .unwrap()
}

/// Saves the entry `id` as Lyon's parquet at its Cedex address, with the
/// `extra` fields.
async fn save_lyon(b: &mut Browser<'_>, id: &str, extra: &[(&str, &str)]) {
    let mut fields = vec![
        ("type", "procureur"),
        ("departement", "69"),
        ("nom", "Tribunal judiciaire de Lyon"),
        ("adresse", "67 rue Servient\n69433 Lyon Cedex 03"),
    ];
    fields.extend_from_slice(extra);
    let r = b
        .post(&format!("/administration/annuaire/{id}"), &fields)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.plain());
}

/// Until the practice's signed record named the directory's entries, an
/// older signed version of an entry put back by SQL was the letter's
/// address, and an entry deleted simply disappeared (the form asked for
/// the address). Now the first is « Altérée », the second is listed
/// « Entrée supprimée hors de Sceau » on the directory page and in the
/// signalement form, and said when it leaves the report without address.
#[tokio::test]
async fn an_entry_deleted_or_put_back_without_the_key_is_seen() {
    use sqlx::Row;
    let app = app().await;
    let mut b = Browser::new(&app.router);
    admin(&mut b).await;
    let lyon = add_parquet(&mut b, "69", "Tribunal judiciaire de Lyon").await;
    let raw = common::raw(&app).await;
    let old =
        sqlx::query("SELECT address, updated_at, updated_by, mac FROM recipients WHERE id = $1")
            .bind(&lyon)
            .fetch_one(&raw)
            .await
            .unwrap();
    save_lyon(&mut b, &lyon, &[]).await;
    let r = draft(&mut b, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.plain());
    assert!(r.plain().contains("69433 Lyon Cedex 03"));

    // The older signed version put back: altered, no letter's address.
    sqlx::query(
        "UPDATE recipients SET address = $1, updated_at = $2, updated_by = $3, mac = $4 WHERE id = $5",
    )
    .bind(old.get::<String, _>("address"))
    .bind(old.get::<i64, _>("updated_at"))
    .bind(old.get::<String, _>("updated_by"))
    .bind(old.get::<String, _>("mac"))
    .bind(&lyon)
    .execute(&raw)
    .await
    .unwrap();
    let page = b.get("/administration/annuaire").await.plain();
    assert!(page.contains("data-altered"), "{page}");
    let r = draft(&mut b, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.plain());
    assert!(
        alert(&r.plain()).contains("altérée"),
        "{}",
        alert(&r.plain())
    );
    let r = draft(&mut b, &[("annuaire", lyon.as_str())]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.plain());
    assert!(
        alert(&r.plain()).contains("altérée"),
        "{}",
        alert(&r.plain())
    );

    // Saved again by the administrator: current, it serves.
    save_lyon(&mut b, &lyon, &[]).await;
    assert_eq!(draft(&mut b, &[]).await.status, StatusCode::OK);

    // Another entry deleted by SQL: listed where entries are, while the
    // entry that serves still serves.
    let bourg = add_parquet(&mut b, "01", "Tribunal judiciaire de Bourg-en-Bresse").await;
    sqlx::query("DELETE FROM recipients WHERE id = $1")
        .bind(&bourg)
        .execute(&raw)
        .await
        .unwrap();
    let page = b.get("/administration/annuaire").await.plain();
    assert!(page.contains("Entrée supprimée hors de Sceau"), "{page}");
    assert!(page.contains(&bourg));
    let form = b.get("/signalement").await.plain();
    assert!(form.contains("data-deleted"), "{form}");
    assert!(form.contains(&format!("Entrée supprimée hors de Sceau ({bourg})")));
    assert_eq!(draft(&mut b, &[]).await.status, StatusCode::OK);

    // Lyon deleted too: the report has no address, and is told why.
    sqlx::query("DELETE FROM recipients WHERE id = $1")
        .bind(&lyon)
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;
    let r = draft(&mut b, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.plain());
    assert!(
        alert(&r.plain()).contains("2 entrée(s) supprimée(s) hors de Sceau"),
        "{}",
        alert(&r.plain())
    );
}
