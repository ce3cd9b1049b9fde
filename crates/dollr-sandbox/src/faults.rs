//! Fault injection (`POST /__sandbox/faults`): arm a fault for the next N calls of a route to
//! rehearse what a real network does to a payment: delays, 500s before or after the money
//! moved, a connection dropped after the work was done, 429 with `Retry-After`, a token that
//! expires early.

use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::Sandbox;

/// What happens to a matched call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Wait this long, then handle normally.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// Answer 500 without doing the work.
    ErrorBefore,
    /// Do the work, then answer 500 (the money moved; the caller never heard).
    ErrorAfter,
    /// Do the work, then break the connection mid-response.
    DropAfter,
    /// Answer 429 with `Retry-After`.
    RateLimit {
        /// Seconds.
        retry_after: u64,
    },
    /// Expire every token issued so far, then handle normally (the call gets 401).
    ExpireToken,
}

/// One armed fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// Route to match: a path suffix after `/v1/`, e.g. `executions/collection`, or `*`.
    pub route: String,
    /// What to do.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// How many calls it applies to.
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

/// The armed faults.
#[derive(Default)]
pub struct Faults {
    armed: Mutex<Vec<Fault>>,
}

impl Faults {
    /// Arms a fault.
    pub fn arm(&self, fault: Fault) {
        self.lock().push(fault);
    }

    /// Disarms everything.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// What is armed now.
    pub fn list(&self) -> Vec<Fault> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.armed.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes one use of the first fault matching `path`.
    fn take(&self, path: &str) -> Option<FaultKind> {
        let route = path.strip_prefix("/v1/")?;
        let mut armed = self.lock();
        let index = armed
            .iter()
            .position(|f| f.route == "*" || route.starts_with(f.route.as_str()))?;
        let kind = armed[index].kind.clone();
        armed[index].count = armed[index].count.saturating_sub(1);
        if armed[index].count == 0 {
            armed.remove(index);
        }
        Some(kind)
    }
}

fn server_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        axum::Json(serde_json::json!({"detail": "Internal Server Error"})),
    )
        .into_response()
}

/// Middleware applying armed faults to `/v1` calls.
pub async fn apply(State(sandbox): State<Sandbox>, request: Request, next: Next) -> Response {
    let Some(kind) = sandbox.faults().take(request.uri().path()) else {
        return next.run(request).await;
    };
    match kind {
        FaultKind::Delay { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        FaultKind::ErrorBefore => server_error(),
        FaultKind::ErrorAfter => {
            let _done = next.run(request).await;
            server_error()
        }
        FaultKind::DropAfter => {
            let done = next.run(request).await;
            let (mut parts, _) = done.into_parts();
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            let broken = futures_util::stream::once(async {
                Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "sandbox fault: connection dropped",
                ))
            });
            Response::from_parts(parts, Body::from_stream(broken))
        }
        FaultKind::RateLimit { retry_after } => {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                axum::Json(serde_json::json!({"detail": "Too many requests"})),
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, value);
            }
            response
        }
        FaultKind::ExpireToken => {
            sandbox.store().tokens.clear();
            next.run(request).await
        }
    }
}
