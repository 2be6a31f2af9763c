//! A handler that panics: the server answers 500 with a French message and
//! no detail of the panic (its message could quote patient data), instead of
//! dropping the connection; the next request is served as usual.

use crate::common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use sceau_web::{router_from, routes, Access, Route};

use crate::common::{generous, send};

/// What the panicking handlers say: it must reach no answer.
const SECRET: &str = "Philomène Escarboucle a dit quelque chose";

fn panicking(path: &'static str, access: Access) -> Route {
    Route {
        method: Method::GET,
        path,
        access,
        handler: axum::routing::get(|| async {
            if !SECRET.is_empty() {
                panic!("{SECRET}");
            }
            "jamais"
        }),
        body_limit: sceau_web::BODY_LIMIT,
        anonymous: false,
    }
}

#[tokio::test]
async fn a_panic_in_a_handler_answers_500_in_french_without_detail() {
    let app = common::app_with(false, generous()).await;
    let mut table = routes();
    table.push(panicking("/essai-panique", Access::Public));
    table.push(panicking("/api/v1/essai-panique", Access::OpenApi));
    let router = router_from(app.state.clone(), table);

    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    let page = send(&router, get("/essai-panique")).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    let html = page.text();
    assert!(
        page.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{:?}",
        page.headers
    );
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(html.contains("Erreur interne"), "{html}");
    assert!(html.contains("n’a pas pu terminer cette demande"), "{html}");
    assert!(!html.contains(SECRET) && !html.contains("panick"), "{html}");
    // The security headers of every answer are there too.
    assert!(
        page.headers.contains_key("content-security-policy"),
        "{:?}",
        page.headers
    );

    let api = send(&router, get("/api/v1/essai-panique")).await;
    assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
    let v = api.json();
    assert_eq!(v["error"], "internal", "{v}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("n’a pas pu terminer cette demande"),
        "{v}"
    );
    assert!(!v.to_string().contains(SECRET), "{v}");

    // The server goes on: the next request is answered as usual.
    let home = send(&router, get("/")).await;
    assert_eq!(home.status, StatusCode::OK);
}
