//! PostgreSQL with several hosts (issue 17: a database that survives its
//! primary). sqlx takes one host per URL and no `target_session_attrs`, so
//! the store does what libpq does with `host=a,b target_session_attrs=read-write`:
//! it splits the URL into one per host, connects to the first that accepts
//! writes (`pg_is_in_recovery()` is false), and a watcher re-resolves when
//! that host stops answering or becomes a standby, pointing the pool's new
//! connections at the new primary.

use std::time::Duration;

use sqlx::{AnyPool, ConnectOptions, Connection};

/// One URL per host of `postgres://user:pw@h1:p1,h2:p2/db?…`, in the order
/// given, without `target_session_attrs` (which the store applies itself).
/// A URL with one host comes back as it was (minus that parameter).
pub fn split_hosts(url: &str) -> Vec<String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return vec![url.to_string()];
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (user, hosts) = match authority.rfind('@') {
        Some(i) => (&authority[..=i], &authority[i + 1..]),
        None => ("", authority),
    };
    let tail = strip_param(tail, "target_session_attrs");
    hosts
        .split(',')
        .filter(|h| !h.is_empty())
        .map(|h| format!("{scheme}://{user}{h}{tail}"))
        .collect()
}

fn strip_param(tail: &str, name: &str) -> String {
    let Some((path, query)) = tail.split_once('?') else {
        return tail.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| kv.split('=').next() != Some(name) && !kv.is_empty())
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// Whether the URL asks for several hosts or for a writable one.
pub fn wants_writer(url: &str) -> bool {
    split_hosts(url).len() > 1 || url.contains("target_session_attrs=read-write")
}

/// Whether this host accepts writes now (connect timeout 2 s).
async fn is_writable(url: &str) -> bool {
    let Ok(opts) = url.parse::<sqlx::postgres::PgConnectOptions>() else {
        return false;
    };
    let attempt = async {
        let mut c = opts.disable_statement_logging().connect().await.ok()?;
        let r: Option<bool> = sqlx::query_scalar("SELECT pg_is_in_recovery()")
            .fetch_one(&mut c)
            .await
            .ok();
        let _ = c.close().await;
        r
    };
    matches!(
        tokio::time::timeout(Duration::from_secs(2), attempt).await,
        Ok(Some(false))
    )
}

/// The first of `urls` that accepts writes.
pub async fn writable(urls: &[String]) -> Option<String> {
    for u in urls {
        if is_writable(u).await {
            return Some(u.clone());
        }
    }
    None
}

/// Watches the host the pool connects to; when it stops accepting writes,
/// finds the one that does and points the pool's new connections there
/// (the broken ones are dropped by the pool as they fail). Ends with the pool.
pub(crate) fn watch(pool: AnyPool, urls: Vec<String>, mut current: String) {
    tokio::spawn(async move {
        while !pool.is_closed() {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if is_writable(&current).await {
                continue;
            }
            if let Some(next) = writable(&urls).await {
                if next != current {
                    if let Ok(opts) = next.parse::<sqlx::any::AnyConnectOptions>() {
                        pool.set_connect_options(opts.disable_statement_logging());
                        // The host only: never the user nor the password.
                        eprintln!(
                            "PostgreSQL : le serveur principal est maintenant {} ; nouvelles connexions vers lui",
                            host_of(&next)
                        );
                        current = next;
                    }
                }
            }
        }
    });
}

/// `host:port` of a URL, for the log (never the user nor the password).
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |x| x.1);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..end];
    authority
        .rfind('@')
        .map_or(authority, |i| &authority[i + 1..])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_url_per_host() {
        assert_eq!(
            split_hosts(
                "postgres://u:p@a:5443,b:5444/db?target_session_attrs=read-write&sslmode=disable"
            ),
            [
                "postgres://u:p@a:5443/db?sslmode=disable",
                "postgres://u:p@b:5444/db?sslmode=disable"
            ]
        );
        assert_eq!(split_hosts("postgres://u@h/db"), ["postgres://u@h/db"]);
        assert_eq!(
            split_hosts("postgresql://a,b/db?target_session_attrs=read-write"),
            ["postgresql://a/db", "postgresql://b/db"]
        );
        assert!(wants_writer("postgres://a,b/db"));
        assert!(!wants_writer("postgres://a/db"));
        assert_eq!(host_of("postgres://u:secret@h:1/db"), "h:1");
    }
}
