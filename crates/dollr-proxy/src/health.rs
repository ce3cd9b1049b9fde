//! `GET /healthz`: whether the proxy can take payments, for a load balancer, an orchestrator's
//! readiness probe or a deploy script. Outside the widget API: no grant, no origin check.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::dollr_client::{DollrClient, DollrError};
use crate::AppState;

/// Where the health answer is served, beside the widget API.
pub const HEALTH_PATH: &str = "/healthz";

/// The proxy's link to Dollr, checked for a probe or at start, with what the log last said of
/// it: a change is logged once, so a probe every few seconds while Dollr is out of reach does
/// not fill the log. Clones share what was logged.
#[derive(Clone)]
pub struct DollrHealth {
    dollr: DollrClient,
    /// [`UNCHECKED`], [`USABLE`] or [`UNUSABLE`]: the state the log last told.
    logged: Arc<AtomicU8>,
}

const UNCHECKED: u8 = 0;
const USABLE: u8 = 1;
const UNUSABLE: u8 = 2;

impl DollrHealth {
    /// Health checks through `dollr`, nothing logged yet.
    pub fn new(dollr: DollrClient) -> DollrHealth {
        DollrHealth {
            dollr,
            logged: Arc::new(AtomicU8::new(UNCHECKED)),
        }
    }

    /// Why Dollr cannot be used, in the words of the person running the proxy, or `None` when
    /// it can: it answers and accepts the client credentials. The first check, and each change
    /// since the last one, is logged: an error when payments stop working, with Dollr's own
    /// error, and a line when they work (again).
    pub async fn problem(&self) -> Option<&'static str> {
        let checked = self.dollr.ready().await;
        let now = if checked.is_ok() { USABLE } else { UNUSABLE };
        let before = self.logged.swap(now, Ordering::Relaxed);
        let problem = checked.as_ref().err().map(|error| {
            error
                .setting_to_fix()
                .unwrap_or("Dollr could not be reached, or failed to give an access token")
        });
        if before != now {
            match (&checked, problem) {
                (Err(DollrError::Credentials), Some(problem)) => {
                    tracing::error!("{problem}; payments fail until it is fixed");
                }
                (Err(error), Some(problem)) => {
                    tracing::error!(%error, "{problem}; payments fail until it is fixed");
                }
                _ if before == UNCHECKED => tracing::info!("Dollr accepted the client credentials"),
                _ => tracing::info!(
                    "Dollr answers and accepts the client credentials again; payments can go through"
                ),
            }
        }
        problem
    }
}

/// 200 `{"status": "ok", "mode": …}` when the proxy holds a Dollr access token or obtains one
/// now (no call to Dollr while a cached token is good, so a probe every few seconds costs
/// nothing); 503 `{"status": "unavailable", "mode": …, "reason": …}` otherwise. `mode` is `live`
/// or `sandbox`. Never cached.
pub async fn health(State(state): State<AppState>) -> Response {
    let mode = if state.sandbox_mode {
        "sandbox"
    } else {
        "live"
    };
    let (status, body) = match state.health.problem().await {
        None => (StatusCode::OK, json!({ "status": "ok", "mode": mode })),
        Some(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "status": "unavailable", "mode": mode, "reason": reason }),
        ),
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}
