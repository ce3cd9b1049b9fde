//! The proxy's Dollr client: bearer tokens from client credentials, cached and refreshed when
//! under five minutes remain (one refresh in flight however many calls wait), one retry after a
//! 401, timeouts, and back-off on 429/5xx for reads only. An execution is never retried blindly:
//! its 5xx or lost response is ambiguous, and the caller settles it by asking for the status.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dollr_api::dollr::{ErrorBody, ObtainTokenResponse};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::Mutex;

/// Refresh a token when less than this remains.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);
/// Reads are retried at most this many times on 429/5xx.
pub const READ_RETRIES: u32 = 2;
/// Longest `Retry-After` the proxy waits itself; longer ones are passed on to the widget.
pub const MAX_INLINE_WAIT: Duration = Duration::from_secs(3);

/// What went wrong talking to Dollr.
#[derive(Debug, thiserror::Error)]
pub enum DollrError {
    /// No answer: connection refused, timed out, or the body broke off. The text names the
    /// causes as the network stack gave them.
    #[error("Dollr could not be reached: {0}")]
    Transport(String),
    /// Dollr answered with an error status.
    #[error("Dollr answered {status}: {detail}")]
    Status {
        /// HTTP status.
        status: StatusCode,
        /// Dollr's `detail`, summarised.
        detail: String,
        /// `Retry-After` seconds, on 429.
        retry_after: Option<u64>,
    },
    /// Dollr answered 2xx with a body that is not the documented shape.
    #[error("Dollr's answer was not understood: {0}")]
    Decode(String),
    /// The client credentials were refused.
    #[error("Dollr refused the client credentials")]
    Credentials,
    /// The token path answered as Dollr never does (the description says how): a server that
    /// is not Dollr's API is at `DOLLR_BASE_URL` (a website, a path too many or too few).
    #[error("the token path at DOLLR_BASE_URL answered {0}, which Dollr's API does not")]
    NotDollr(String),
}

impl DollrError {
    /// The HTTP status, when Dollr answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            DollrError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// What the person running the proxy must fix, in their words, when the failure is one of
    /// their settings; `None` when it is Dollr's (or the network's) own.
    pub fn setting_to_fix(&self) -> Option<&'static str> {
        match self {
            DollrError::Credentials => Some(
                "Dollr refused the client credentials: check DOLLR_CLIENT_ID and DOLLR_CLIENT_SECRET",
            ),
            DollrError::NotDollr(_) => {
                Some("Nothing at DOLLR_BASE_URL answers as Dollr's API: check DOLLR_BASE_URL")
            }
            _ => None,
        }
    }

    /// True when the outcome of a write is unknown (money may have moved).
    pub fn is_ambiguous(&self) -> bool {
        match self {
            DollrError::Transport(_) | DollrError::Decode(_) => true,
            DollrError::Status { status, .. } => status.is_server_error(),
            // Both come from the token request, before any call was sent.
            DollrError::Credentials | DollrError::NotDollr(_) => false,
        }
    }
}

/// Whether a call may be repeated safely.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Reads: back off and retry on 429 and 5xx.
    Read,
    /// Writes: only the 401 → refresh → retry dance (Dollr did nothing on a 401).
    Write,
}

struct CachedToken {
    value: String,
    refresh_at: Instant,
}

/// A Dollr API client. Cheap to clone.
#[derive(Clone)]
pub struct DollrClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    client_id: String,
    client_secret: String,
    token: Mutex<Option<CachedToken>>,
    token_requests: AtomicU64,
}

impl DollrClient {
    /// A client for `base_url` (e.g. `https://api.heydollr.app`, no trailing `/v1`).
    pub fn new(
        base_url: &str,
        client_id: &str,
        client_secret: &str,
        timeout: Duration,
    ) -> Result<DollrClient, String> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(5))
            .pool_max_idle_per_host(64)
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(DollrClient {
            inner: Arc::new(Inner {
                http,
                base_url: base_url.trim_end_matches('/').to_owned(),
                client_id: client_id.to_owned(),
                client_secret: client_secret.to_owned(),
                token: Mutex::new(None),
                token_requests: AtomicU64::new(0),
            }),
        })
    }

    /// How many token requests this client has made (for tests and metrics).
    pub fn token_requests(&self) -> u64 {
        self.inner.token_requests.load(Ordering::Relaxed)
    }

    /// The Dollr base URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Ok when the client holds a Dollr access token, or obtains one now: Dollr answers and
    /// accepts the client credentials. Costs no call while a cached token is good.
    pub async fn ready(&self) -> Result<(), DollrError> {
        self.token(None).await.map(drop)
    }

    /// A valid token; refreshes under the lock so concurrent callers share one refresh.
    async fn token(&self, stale: Option<&str>) -> Result<String, DollrError> {
        let mut slot = self.inner.token.lock().await;
        if let Some(cached) = slot.as_ref() {
            let is_stale = stale == Some(cached.value.as_str());
            if !is_stale && Instant::now() < cached.refresh_at {
                return Ok(cached.value.clone());
            }
        }
        self.inner.token_requests.fetch_add(1, Ordering::Relaxed);
        let url = format!("{}/v1/jwt/client/obtain/token", self.inner.base_url);
        let body = serde_json::json!({
            "client_id": self.inner.client_id,
            "client_secret": self.inner.client_secret,
        });
        let response = self
            .inner
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .map_err(unanswered)?;
        let status = response.status();
        if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
            return Err(DollrError::Credentials);
        }
        // No such path, or not for POST: what answers there is not Dollr's API.
        if status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED {
            return Err(DollrError::NotDollr(format!("HTTP {status}")));
        }
        let parsed: ObtainTokenResponse = match read(response).await {
            // A success that is not a token (a website's page for any path).
            Err(DollrError::Decode(_)) => {
                return Err(DollrError::NotDollr(format!(
                    "HTTP {status} with something that is not a token"
                )))
            }
            other => other?,
        };
        let lifetime = Duration::from_secs(parsed.expires_in.saturating_mul(60));
        let refresh_at = Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN);
        *slot = Some(CachedToken {
            value: parsed.access_token.clone(),
            refresh_at,
        });
        Ok(parsed.access_token)
    }

    /// Sends one request with a bearer token; on 401 refreshes once and retries once; on 429
    /// or 5xx retries reads with back-off.
    pub async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<&B>,
        retry: Retry,
    ) -> Result<T, DollrError> {
        let url = format!("{}{}", self.inner.base_url, path_and_query);
        let mut token = self.token(None).await?;
        let mut refreshed = false;
        let mut attempt = 0u32;
        loop {
            let mut request = self
                .inner
                .http
                .request(method.clone(), &url)
                .bearer_auth(&token);
            if let Some(body) = body {
                request = request.json(body);
            }
            let result = request.send().await;
            let response = match result {
                Ok(r) => r,
                Err(e) => {
                    let error = unanswered(e);
                    if retry == Retry::Read && attempt < READ_RETRIES {
                        attempt += 1;
                        tokio::time::sleep(backoff(attempt)).await;
                        continue;
                    }
                    return Err(error);
                }
            };
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && !refreshed {
                refreshed = true;
                token = self.token(Some(&token)).await?;
                continue;
            }
            if retry == Retry::Read
                && attempt < READ_RETRIES
                && (status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error())
            {
                let wait = retry_after(&response)
                    .map(Duration::from_secs)
                    .unwrap_or_else(|| backoff(attempt + 1));
                if wait <= MAX_INLINE_WAIT {
                    attempt += 1;
                    tokio::time::sleep(wait).await;
                    continue;
                }
            }
            return read(response).await;
        }
    }
}

/// A request that got no answer, told with each cause beneath it: reqwest's own sentence
/// ("error sending request") says nothing a person running the proxy can act on, while its
/// causes do ("dns error: failed to lookup address information", "Connection refused", a
/// certificate refused). The URL is left out: it is DOLLR_BASE_URL, which the log names.
fn unanswered(error: reqwest::Error) -> DollrError {
    let error = error.without_url();
    let mut told = error.to_string();
    let mut cause = std::error::Error::source(&error);
    while let Some(next) = cause {
        let said = next.to_string();
        // Some layers repeat their cause's sentence in their own.
        if !told.ends_with(&said) {
            told.push_str(": ");
            told.push_str(&said);
        }
        cause = next.source();
    }
    DollrError::Transport(told)
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(100u64.saturating_mul(1 << attempt.min(6)))
}

fn retry_after(response: &reqwest::Response) -> Option<u64> {
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
}

async fn read<T: DeserializeOwned>(response: reqwest::Response) -> Result<T, DollrError> {
    let status = response.status();
    let retry = retry_after(&response);
    let bytes = response.bytes().await.map_err(unanswered)?;
    if !status.is_success() {
        let detail = serde_json::from_slice::<ErrorBody>(&bytes)
            .map(|b| b.detail.summary())
            .unwrap_or_else(|_| format!("HTTP {status}"));
        return Err(DollrError::Status {
            status,
            detail,
            retry_after: retry,
        });
    }
    serde_json::from_slice(&bytes).map_err(|e| DollrError::Decode(e.to_string()))
}
