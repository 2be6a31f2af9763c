//! Login throttling per account and per address, the device cookie that
//! keeps the real user out of an attacker's lockout, and the proxy headers
//! believed only from a configured proxy.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use crate::common::{app_built, app_with, form_body, send, Browser, Resp, ADMIN_PASSWORD};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};

/// A login attempt from `peer`, with an optional `X-Forwarded-For` and the
/// browser's cookies (CSRF, device).
async fn attempt(
    b: &mut Browser<'_>,
    peer: IpAddr,
    forwarded_for: Option<&str>,
    user: &str,
    password: &str,
) -> Resp {
    if !b.cookies.contains_key("sceau_csrf") {
        b.get("/connexion").await;
    }
    let csrf = b.cookies["sceau_csrf"].clone();
    let cookies: Vec<String> = b.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut req = Request::post("/connexion")
        .header(header::COOKIE, cookies.join("; "))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(f) = forwarded_for {
        req = req.header("x-forwarded-for", f);
    }
    let mut req = req
        .body(Body::from(form_body(&[
            ("csrf", &csrf),
            ("identifiant", user),
            ("mot_de_passe", password),
        ])))
        .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::new(peer, 40000)));
    let r = send(b.router, req).await;
    for v in r.headers.get_all(header::SET_COOKIE) {
        let s = v.to_str().unwrap();
        let (k, val) = s.split(';').next().unwrap().split_once('=').unwrap();
        b.cookies.insert(k.to_string(), val.to_string());
    }
    r
}

fn addr(i: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(198, 51, 100, i))
}

/// The figure: 150 guesses from 30 addresses went through (5 per
/// address). Failures now add up per account whatever the address.
#[tokio::test]
async fn guesses_from_many_addresses_add_up_per_account() {
    let limits = sceau_web::Limits::default();
    let app = app_with(false, limits).await;
    let mut admin = Browser::new(&app.router);
    admin.setup_admin().await;
    let mut allowed = 0;
    let mut refused = 0;
    for i in 1..=30u8 {
        let mut b = Browser::new(&app.router);
        for _ in 0..5 {
            let r = attempt(&mut b, addr(i), None, "alice", "mauvaise supposition").await;
            match r.status {
                StatusCode::UNAUTHORIZED => allowed += 1,
                StatusCode::TOO_MANY_REQUESTS => refused += 1,
                s => panic!("unexpected {s}"),
            }
        }
    }
    println!("FIGURE throttle: 150 essais sur un compte depuis 30 adresses : {allowed} vérifiés, {refused} refusés (429)");
    assert_eq!(allowed, limits.login_burst, "guesses let through");
    assert_eq!(refused, 150 - limits.login_burst);
}

/// Five wrong attempts from a shared address (a NAT, the TLS proxy) no
/// longer lock the real user out: a browser that has signed in to the
/// account before carries its device cookie and is not held back.
#[tokio::test]
async fn a_shared_address_does_not_lock_the_real_user_out() {
    let limits = sceau_web::Limits::default();
    let app = app_with(false, limits).await;
    let mut alice = Browser::new(&app.router);
    alice.setup_admin().await;
    let shared = addr(7);
    let r = attempt(&mut alice, shared, None, "alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(alice.cookies.contains_key("sceau_appareil"));
    alice.cookies.remove("sceau_session");

    let mut intruder = Browser::new(&app.router);
    let mut refused = 0;
    for _ in 0..30 {
        let r = attempt(&mut intruder, shared, None, "alice", "mauvaise supposition").await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert!(refused >= 25, "the intruder is held back: {refused}");
    // Neither the intruder's cookie-less retry with the right password…
    let r = attempt(&mut intruder, shared, None, "alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // …nor a forged device cookie goes through; the real user's browser does.
    intruder
        .cookies
        .insert("sceau_appareil".into(), "0".repeat(64));
    let r = attempt(&mut intruder, shared, None, "alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let r = attempt(&mut alice, shared, None, "alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

/// Finding 4 of the 2026-11-30 audit: the device cookie was the same on
/// every browser, outlived password changes and lifted every limit — 60
/// guesses with a copied one, 60 × 401. Now each browser gets its own, a
/// copied one is held back by the account's count (20 free failures, then
/// the wait) and stops working once the password is changed.
#[tokio::test]
async fn a_copied_device_cookie_is_counted_and_dies_with_the_password() {
    let limits = sceau_web::Limits::default();
    let app = app_with(false, limits).await;
    let mut alice = Browser::new(&app.router);
    alice.setup_admin().await;
    let r = attempt(&mut alice, addr(1), None, "alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let mut other = Browser::new(&app.router);
    let r = attempt(&mut other, addr(1), None, "alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let copied = alice.cookies["sceau_appareil"].clone();
    assert_ne!(copied, other.cookies["sceau_appareil"], "one per browser");

    // Guesses with the copied cookie, each from a new address.
    let (mut allowed, mut refused) = (0, 0);
    for i in 0..60u8 {
        let mut b = Browser::new(&app.router);
        b.cookies.insert("sceau_appareil".into(), copied.clone());
        match attempt(&mut b, addr(100 + i), None, "alice", "devine")
            .await
            .status
        {
            StatusCode::UNAUTHORIZED => allowed += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            s => panic!("unexpected {s}"),
        }
    }
    println!("FIGURE appareil: 60 essais avec un cookie d’appareil copié : {allowed} vérifiés, {refused} refusés (429)");
    assert_eq!(allowed, 4 * limits.login_burst);
    assert_eq!(refused, 60 - allowed);
    // The user's other browser, even from an address that failed a lot,
    // is held back neither by the copied cookie's count nor the address's.
    let shared = addr(7);
    let mut intruder = Browser::new(&app.router);
    for i in 0..30 {
        attempt(&mut intruder, shared, None, &format!("x{i}"), "devine").await;
    }
    let r = attempt(&mut intruder, shared, None, "bob", "devine").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    other.cookies.remove("sceau_session");
    let r = attempt(&mut other, shared, None, "alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    // A reset of the password revokes every device cookie of the account.
    let store = app.state.store();
    let account = store.list_accounts(1).await.unwrap()[0].id;
    let new_password = "une autre phrase de passe";
    store
        .reset_password(1, account, new_password)
        .await
        .unwrap();
    other.cookies.remove("sceau_session");
    let r = attempt(&mut other, shared, None, "alice", new_password).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
}

/// Finding 10 of the 2026-11-30 audit: the « current password » of
/// `/compte` took 40 guesses in 1 s from one session, never a 429. Now a
/// wrong one counts on the account's login limit: 5, then the wait — for
/// the form and for a sign-in without the device cookie alike.
#[tokio::test]
async fn wrong_current_passwords_count_on_the_account_s_limit() {
    let limits = sceau_web::Limits::default();
    let app = app_with(false, limits).await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    b.login("alice", ADMIN_PASSWORD).await;
    let change = |actuel: &'static str| {
        vec![
            ("actuel", actuel),
            ("nouveau", "une nouvelle phrase de passe"),
            ("confirmation", "une nouvelle phrase de passe"),
        ]
    };
    for i in 0..limits.login_burst {
        b.get("/compte").await;
        let r = b.post("/compte", &change("devine")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "try {i}");
    }
    b.get("/compte").await;
    let r = b.post("/compte", &change("devine")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text());
    assert_eq!(r.headers["retry-after"], "30");
    let r = b.post("/compte", &change(ADMIN_PASSWORD)).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the right one waits too"
    );
    let mut elsewhere = Browser::new(&app.router);
    let r = attempt(&mut elsewhere, addr(3), None, "alice", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

/// `X-Forwarded-For` and `X-Forwarded-Proto` from a peer that is not a
/// configured proxy are ignored: a client cannot pick the address it is
/// throttled under, nor make the cookies `Secure`-only by pretending TLS.
#[tokio::test]
async fn forwarded_headers_count_only_from_a_trusted_proxy() {
    let limits = sceau_web::Limits::default();
    let client = addr(9);
    // No proxy configured: 60 attempts on 60 accounts, each claiming
    // another address, are one address's attempts.
    let app = app_with(false, limits).await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let mut allowed = 0;
    for i in 0..60u8 {
        let claimed = format!("203.0.113.{i}");
        let r = attempt(&mut b, client, Some(&claimed), &format!("compte{i}"), "x").await;
        if r.status == StatusCode::UNAUTHORIZED {
            allowed += 1;
        }
    }
    assert_eq!(allowed, limits.login_burst * 4, "forged addresses believed");

    // Behind a configured proxy, its forwarded address is the client's.
    let proxy = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    let app = app_built(
        false,
        limits,
        |_| {},
        |s| s.with_trusted_proxies(vec![proxy]),
    )
    .await;
    let mut b = Browser::new(&app.router);
    b.setup_admin().await;
    let mut allowed = 0;
    for i in 0..60u8 {
        let fwd = format!("203.0.113.{i}");
        let r = attempt(&mut b, proxy, Some(&fwd), &format!("compte{i}"), "x").await;
        if r.status == StatusCode::UNAUTHORIZED {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 60, "each forwarded client has its own count");

    // X-Forwarded-Proto: believed from the proxy only.
    for (peer, secure) in [(client, false), (proxy, true)] {
        let mut b = Browser::new(&app.router);
        b.get("/connexion").await;
        let csrf = b.cookies["sceau_csrf"].clone();
        let mut req = Request::post("/connexion")
            .header(header::COOKIE, format!("sceau_csrf={csrf}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-proto", "https")
            .body(Body::from(form_body(&[
                ("csrf", &csrf),
                ("identifiant", "alice"),
                ("mot_de_passe", ADMIN_PASSWORD),
            ])))
            .unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(peer, 40000)));
        let r = send(&app.router, req).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        assert_eq!(cookie.contains("; Secure"), secure, "from {peer}: {cookie}");
        assert_eq!(
            r.headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
            secure,
            "HSTS from {peer}"
        );
    }
}
