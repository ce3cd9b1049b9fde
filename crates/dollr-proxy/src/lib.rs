//! The merchant-side proxy between the dollr-checkout widget and Dollr. It holds the Dollr
//! credentials, verifies the grant on every call, performs only the allow-listed Dollr
//! operations for the grant's source, and refuses everything else without forwarding it.
//! Stateless apart from the token cache, the per-source payment locks ([`source_lock`]) and
//! the calls each checkout has left ([`call_limit`]): replicas can run, with the caveats in the
//! README (one payment at a time per source, and the call limit, hold within a process).
//!
//! [`app`] builds the router (tests call it without a socket); [`serve`] runs it.

use std::sync::{Arc, Mutex};

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use dollr_api::widget::{paths, ErrorCode, StripeConfig};
use tower_http::set_header::SetResponseHeaderLayer;

pub mod call_limit;
pub mod config;
pub mod dollr_client;
pub mod error;
pub mod grant;
pub mod health;
mod routes;
pub mod source_lock;
pub mod static_files;

use config::{Config, Upstream};
use dollr_client::DollrClient;
use error::ProxyError;
use grant::GrantKey;
use source_lock::SourceLocks;
use tokio_util::task::TaskTracker;

/// Where the widget API is mounted.
pub const API_PREFIX: &str = "/api/dollr";
/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Shared state of the proxy. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The Dollr client (token cache inside).
    pub dollr: DollrClient,
    /// Key grants are verified with.
    pub grant_key: GrantKey,
    /// Cross-origin callers allowed.
    pub allowed_origins: Arc<Vec<String>>,
    /// Stripe.js settings when cards are offered.
    pub stripe: Option<StripeConfig>,
    /// True when Dollr is the sandbox (enables the demo route).
    pub sandbox_mode: bool,
    /// One payment creation at a time per source.
    pub payment_locks: SourceLocks,
    /// The calls left to each checkout.
    pub call_limit: Arc<call_limit::CallLimit>,
    /// The link to Dollr as `GET /healthz` reports it, and as the log last told it.
    pub health: health::DollrHealth,
    /// The payments being made, each on its own task; a proxy told to stop waits for them.
    pub payments: TaskTracker,
    /// Origins refused so far, each named once in the log (see [`REFUSED_ORIGINS_LOGGED`]).
    refused_origins: Arc<Mutex<Vec<String>>>,
}

/// How many refused origins the log names; past that, refusals are not logged, so a stream of
/// made-up origins cannot fill the log.
pub const REFUSED_ORIGINS_LOGGED: usize = 32;

impl AppState {
    /// State for `config`, talking to Dollr at `dollr_base_url`.
    pub fn new(config: &Config, dollr_base_url: &str) -> Result<AppState, String> {
        let (client_id, client_secret) = match &config.upstream {
            Upstream::Dollr {
                client_id,
                client_secret,
                ..
            } => (client_id.clone(), client_secret.clone()),
            _ => {
                let defaults = dollr_sandbox::Config::from_env()?;
                (defaults.client_id, defaults.client_secret)
            }
        };
        let dollr = DollrClient::new(
            dollr_base_url,
            &client_id,
            &client_secret,
            config.dollr_timeout,
        )?;
        // Cards: Stripe's own Stripe.js with a real key in live mode; in sandbox mode the
        // sandbox's stand-in, so card and 3-D Secure flows run offline.
        let stripe = match (&config.upstream, &config.stripe_publishable_key) {
            (Upstream::Dollr { .. }, Some(key)) => Some(StripeConfig {
                publishable_key: key.clone(),
                js_url: "https://js.stripe.com/v3/".into(),
            }),
            (Upstream::Dollr { .. }, None) => None,
            (_, key) => Some(StripeConfig {
                publishable_key: key.clone().unwrap_or_else(|| "pk_test_sandbox".into()),
                js_url: format!(
                    "{}/__sandbox/stripe.js",
                    dollr_base_url.trim_end_matches('/')
                ),
            }),
        };
        Ok(AppState {
            health: health::DollrHealth::new(dollr.clone()),
            dollr,
            grant_key: GrantKey::new(config.grant_secret.clone()),
            allowed_origins: Arc::new(config.allowed_origins.clone()),
            stripe,
            sandbox_mode: config.is_sandbox(),
            payment_locks: SourceLocks::default(),
            call_limit: Arc::new(call_limit::CallLimit::new(config.calls_per_minute)),
            payments: TaskTracker::new(),
            refused_origins: Arc::default(),
        })
    }

    /// Logs, once per origin, that a page there called and was refused: in the browser the
    /// refusal reads only as a CORS error, so this line is where the setting to change is named.
    fn log_refused(&self, origin: &str, host: &str) {
        let Ok(mut refused) = self.refused_origins.lock() else {
            return;
        };
        if refused.len() < REFUSED_ORIGINS_LOGGED && !refused.iter().any(|o| o == origin) {
            refused.push(origin.to_owned());
            tracing::warn!(
                "refused a call from a page at {origin}, which is not the proxy's own origin (it was addressed as {host:?}): pages on other origins may call it only if DOLLR_ALLOWED_ORIGINS lists them (comma-separated); behind a reverse proxy that rewrites the Host header, pass the Host header through or list the page's origin"
            );
        }
    }
}

/// The proxy as a router: the widget API under [`API_PREFIX`], the demo route in sandbox mode,
/// a JSON 404 for everything else there (never forwarded), and the health answer at
/// [`health::HEALTH_PATH`].
pub fn app(state: AppState) -> Router {
    let mut api = Router::new()
        .route(paths::CHECKOUT, get(routes::checkout))
        .route(paths::OPERATOR, get(routes::operator))
        .route(paths::QUOTE, get(routes::quote))
        .route(paths::PAYMENTS, post(routes::create_payment))
        .route(
            &format!("{}/{{reference_id}}", paths::PAYMENTS),
            get(routes::payment_status),
        )
        .route(paths::RECEIPT, get(routes::receipt));
    if state.sandbox_mode {
        api = api.route("/dev/checkout", post(routes::demo_checkout));
    }
    let api = api
        .fallback(|| async { ProxyError::not_found() })
        .layer(middleware::from_fn_with_state(state.clone(), origin_guard))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Each answer is one payer's (their order, their payment, their number on the receipt)
        // and true only now: no browser or cache in between keeps it, on disk or to answer
        // from later. Every answer is JSON, never to be read as anything else.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(state.clone());
    Router::new()
        .route(health::HEALTH_PATH, get(health::health))
        .with_state(state)
        .nest(API_PREFIX, api)
}

/// Refuses cross-origin calls from origins not allowed, answers CORS preflights, and maps
/// oversized bodies to the API's error shape.
async fn origin_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let cross_origin_allowed = match &origin {
        None => true,
        Some(o) if same_origin(o, &host) => true,
        Some(o) => state.allowed_origins.iter().any(|a| a == o),
    };
    let preflight = request.method() == Method::OPTIONS;
    if !cross_origin_allowed {
        let origin = origin.unwrap_or_default();
        state.log_refused(&origin, &host);
        // The refusal is the page's to read (its preflight passes, and the refusal carries CORS
        // headers), so the checkout can say it is not set up instead of meeting what looks
        // like a network failure. Nothing else is answered to such a page.
        let mut response = if preflight {
            StatusCode::NO_CONTENT.into_response()
        } else {
            ProxyError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::Misconfigured,
                format!("A page at {origin} may not call this proxy: list its origin in DOLLR_ALLOWED_ORIGINS"),
            )
            .into_response()
        };
        add_cors(&mut response, Some(&origin), preflight);
        return response;
    }
    let cors_origin = origin.filter(|o| !same_origin(o, &host));
    if preflight {
        let mut response = StatusCode::NO_CONTENT.into_response();
        add_cors(&mut response, cors_origin.as_deref(), true);
        return response;
    }
    let mut response = next.run(request).await;
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        response = ProxyError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::InvalidRequest,
            "The request body is too large",
        )
        .into_response();
    }
    add_cors(&mut response, cors_origin.as_deref(), false);
    response
}

fn same_origin(origin: &str, host: &str) -> bool {
    !host.is_empty()
        && origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .is_some_and(|rest| rest == host)
}

fn add_cors(response: &mut Response, origin: Option<&str>, preflight: bool) {
    let Some(origin) = origin.and_then(|o| HeaderValue::from_str(o).ok()) else {
        return;
    };
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Retry-After"),
    );
    if preflight {
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type"),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
    }
}

/// A running proxy and, in embedded-sandbox mode, its sandbox.
pub struct Started {
    /// The router to serve.
    pub router: Router,
    /// Dollr's base URL in use.
    pub dollr_base_url: String,
    /// Kept alive for as long as the proxy runs.
    pub sandbox: Option<dollr_sandbox::Running>,
    /// The link to Dollr, to check the credentials as the proxy starts (and log the result).
    pub health: health::DollrHealth,
    /// The payments being made: see [`Started::finish_payments`].
    pub payments: TaskTracker,
}

impl Started {
    /// Waits for the payments still being made, once the proxy has stopped serving: a payment
    /// whose payer has gone (a phone losing its network) runs on until Dollr answers, and a
    /// proxy told to stop (a deploy) lets it, so it is settled and logged rather than cut off
    /// mid-call. Each call to Dollr has its deadline (`DOLLR_TIMEOUT_SECS`), so this ends. Its log
    /// line says that Ctrl-C again stops at once, which the binary does (`main.rs`).
    pub async fn finish_payments(&self) {
        self.payments.close();
        if !self.payments.is_empty() {
            tracing::info!(
                count = self.payments.len(),
                "stopping once the payments in flight have Dollr's answer (Ctrl-C again stops now)"
            );
        }
        self.payments.wait().await;
    }
}

/// Builds the proxy for `config`, starting the embedded sandbox when that is the upstream.
pub async fn start(config: &Config) -> Result<Started, String> {
    let (base_url, sandbox) = match &config.upstream {
        Upstream::Dollr { base_url, .. } => (base_url.clone(), None),
        Upstream::ExternalSandbox { base_url } => (base_url.clone(), None),
        Upstream::EmbeddedSandbox { addr } => {
            let running = dollr_sandbox::spawn(dollr_sandbox::Config::from_env()?, *addr)
                .await
                .map_err(|e| format!("cannot start the embedded sandbox on {addr}: {e}"))?;
            (running.base_url(), Some(running))
        }
    };
    let state = AppState::new(config, &base_url)?;
    let (health, payments) = (state.health.clone(), state.payments.clone());
    let mut router = app(state);
    if let Some(dir) = &config.static_dir {
        router = router.fallback_service(static_files::router(dir));
    }
    Ok(Started {
        router,
        dollr_base_url: base_url,
        sandbox,
        health,
        payments,
    })
}
