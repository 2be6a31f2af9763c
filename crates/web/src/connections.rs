//! The accept loop: what a production server does before a request reaches
//! the router. A connection that has not sent a complete request head
//! within [`ConnLimits::header_timeout`] is closed (hyper's header read
//! timeout, which also ends idle keep-alive connections); a request body
//! that has not arrived within [`ConnLimits::body_timeout`] ends the
//! request; at most [`ConnLimits::max_connections`] connections are open,
//! and at most [`ConnLimits::per_address`] from one address (a trusted
//! proxy excepted: every client comes through it). A connection over a
//! limit is closed at once, before anything is read, so that a flood of
//! unfinished requests can never take the file descriptors that normal
//! requests need.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::{pin, Pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use axum::Router;
use hyper::body::{Body as HttpBody, Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

/// The limits of the accept loop.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// Connections open at once, all addresses together.
    pub max_connections: usize,
    /// Connections open at once from one address (trusted proxies excepted).
    pub per_address: usize,
    /// Time allowed to send a complete request head (and idle time between
    /// two requests on one connection).
    pub header_timeout: Duration,
    /// Time allowed to send a request body, from the end of its head.
    pub body_timeout: Duration,
}

/// Descriptors kept for everything else (database connections, the key,
/// the journal anchors, documents being written, the log).
const RESERVED_DESCRIPTORS: usize = 64;

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits {
            max_connections: 1024,
            per_address: 64,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
        }
    }
}

impl ConnLimits {
    /// `max_connections` lowered, if need be, to what the process's limit
    /// on open files leaves after [`RESERVED_DESCRIPTORS`].
    pub fn within_open_files(mut self) -> ConnLimits {
        if let Some(n) = open_files_limit() {
            let room = n.saturating_sub(RESERVED_DESCRIPTORS).max(16);
            self.max_connections = self.max_connections.min(room);
        }
        self.per_address = self.per_address.clamp(1, self.max_connections.max(1));
        self
    }
}

/// The soft limit on open files (`ulimit -n`).
fn open_files_limit() -> Option<usize> {
    #[cfg(unix)]
    {
        let mut r = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes into the struct we own and reads nothing else.
        let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) } == 0;
        if ok && r.rlim_cur != libc::RLIM_INFINITY {
            return usize::try_from(r.rlim_cur).ok();
        }
    }
    None
}

/// Connections open per address; the count goes down when the guard drops.
#[derive(Clone, Default)]
struct PerAddress(Arc<Mutex<HashMap<IpAddr, usize>>>);

struct AddressGuard(PerAddress, IpAddr);

impl PerAddress {
    fn take(&self, ip: IpAddr, max: usize) -> Option<AddressGuard> {
        let mut m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = m.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(AddressGuard(self.clone(), ip))
    }
}

impl Drop for AddressGuard {
    fn drop(&mut self) {
        let mut m = (self.0).0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = m.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                m.remove(&self.1);
            }
        }
    }
}

/// A request body that fails once its deadline has passed, however slowly
/// its bytes trickle in (a per-read timeout would let one byte every few
/// seconds through).
struct DeadlineBody {
    inner: Incoming,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

#[derive(Debug)]
struct BodyTooSlow;

impl std::fmt::Display for BodyTooSlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("corps de requête trop lent")
    }
}

impl std::error::Error for BodyTooSlow {}

impl HttpBody for DeadlineBody {
    type Data = hyper::body::Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(BodyTooSlow))));
        }
        Pin::new(&mut self.inner)
            .poll_frame(cx)
            .map_err(|e| Box::new(e) as Self::Error)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the
/// open connections finish their request (10 s at most).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnLimits,
    trusted_proxies: Arc<Vec<IpAddr>>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let per_address = PerAddress::default();
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors (EMFILE) or a connection reset before
                    // accept: wait a little rather than spin.
                    tracing::warn!(error = %e, "connexion refusée à l’acceptation");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!("trop de connexions ouvertes : connexion fermée");
            continue;
        };
        let guard = if trusted_proxies.contains(&peer.ip()) {
            None
        } else {
            match per_address.take(peer.ip(), limits.per_address) {
                Some(g) => Some(g),
                None => {
                    tracing::warn!("trop de connexions depuis une même adresse : connexion fermée");
                    continue;
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                let app = app.clone();
                async move {
                    let (mut parts, body) = req.into_parts();
                    parts.extensions.insert(ConnectInfo(peer));
                    let body = Body::new(DeadlineBody {
                        inner: body,
                        deadline: Box::pin(tokio::time::sleep(limits.body_timeout)),
                    });
                    let res = app
                        .oneshot(hyper::Request::from_parts(parts, body))
                        .await
                        .unwrap_or_else(|e: Infallible| match e {});
                    Ok::<_, Infallible>(res)
                }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .keep_alive(true);
            let mut conn = pin!(builder.serve_connection(TokioIo::new(stream), service));
            loop {
                tokio::select! {
                    _ = conn.as_mut() => break,
                    changed = stop.changed() => {
                        if changed.is_err() || *stop.borrow() {
                            conn.as_mut().graceful_shutdown();
                            // Finish the request under way, not forever.
                            let _ = tokio::time::timeout(Duration::from_secs(10), conn.as_mut()).await;
                            break;
                        }
                    }
                }
            }
            drop(guard);
            drop(slot);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every slot back: every connection closed.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_secs(11), slots.acquire_many(all)).await;
    Ok(())
}

/// The client's address: the peer's, or — when the peer is a trusted
/// proxy — the last address of `X-Forwarded-For` that is not itself a
/// trusted proxy.
pub fn real_client(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let Some(list) = forwarded_for else {
        return peer;
    };
    let mut found = peer;
    for part in list.rsplit(',') {
        match part.trim().parse::<IpAddr>() {
            Ok(ip) => {
                found = ip;
                if !trusted.contains(&ip) {
                    break;
                }
            }
            // An unreadable entry: nothing before it can be trusted.
            Err(_) => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_only_from_a_trusted_proxy() {
        let proxy = vec![ip("10.0.0.1")];
        // Anyone else: the header is ignored.
        assert_eq!(
            real_client(ip("203.0.113.9"), Some("1.2.3.4"), &proxy),
            ip("203.0.113.9")
        );
        // The proxy: its last hop, not what the client wrote before it.
        assert_eq!(
            real_client(ip("10.0.0.1"), Some("6.6.6.6, 198.51.100.7"), &proxy),
            ip("198.51.100.7")
        );
        assert_eq!(real_client(ip("10.0.0.1"), None, &proxy), ip("10.0.0.1"));
        assert_eq!(
            real_client(ip("10.0.0.1"), Some("garbage"), &proxy),
            ip("10.0.0.1")
        );
    }
}

/// Whether the request came through a TLS-terminating proxy.
pub fn behind_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// The client's address, as `middleware::proxy_headers` found it (the peer's, or
/// the one a trusted proxy forwarded); loopback when unknown (in-process tests).
pub fn client_ip(req_ext: &axum::http::Extensions) -> IpAddr {
    if let Some(ClientIp(ip)) = req_ext.get::<ClientIp>() {
        return *ip;
    }
    req_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// The client's address, once `middleware::proxy_headers` has decided it.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);
