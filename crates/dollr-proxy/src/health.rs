//! `GET /healthz`: whether the proxy can take payments, for a load balancer, an orchestrator's
//! readiness probe or a deploy script. Outside the widget API: no grant, no origin check.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::dollr_client::{DollrClient, DollrError};
use crate::AppState;

/// Where the health answer is served, beside the widget API.
pub const HEALTH_PATH: &str = "/healthz";

/// Why Dollr cannot be used, in the words of the person running the proxy, or `None` when it
/// can: it answers and accepts the client credentials.
pub async fn dollr_problem(dollr: &DollrClient) -> Option<&'static str> {
    match dollr.ready().await {
        Ok(()) => None,
        Err(DollrError::Credentials) => Some(
            "Dollr refused the client credentials: check DOLLR_CLIENT_ID and DOLLR_CLIENT_SECRET",
        ),
        Err(error) => {
            tracing::warn!(%error, "no Dollr access token");
            Some("Dollr could not be reached, or failed to give an access token")
        }
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
    let (status, body) = match dollr_problem(&state.dollr).await {
        None => (StatusCode::OK, json!({ "status": "ok", "mode": mode })),
        Some(reason) => (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "status": "unavailable", "mode": mode, "reason": reason }),
        ),
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}
