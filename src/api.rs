//! The proxy's endpoints, one function each, over one HTTP helper that adds the grant, applies
//! a timeout, aborts when dropped (unmount), checks `response.ok()` (gloo-net does not), reads
//! `Retry-After`, and turns every failure into a typed [`WidgetError`].

use std::cell::Cell;
use std::rc::Rc;

use dollr_api::widget::{paths, ApiErrorBody, CheckoutSummary};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use web_sys::AbortController;

use crate::error::WidgetError;
use crate::interop::Timeout;
use crate::options::Options;

/// Default time limit of one call.
pub const TIMEOUT_MS: u32 = 15_000;

/// Talks to one proxy with one grant.
#[derive(Clone, Debug)]
pub struct Client {
    base: String,
    grant: String,
}

/// Aborts its request when dropped, so an unmounted widget leaves nothing in flight.
struct Abort {
    controller: Option<AbortController>,
}

impl Drop for Abort {
    fn drop(&mut self) {
        if let Some(c) = &self.controller {
            c.abort();
        }
    }
}

impl Client {
    /// A client for the validated options.
    pub fn new(options: &Options) -> Client {
        Client {
            base: options.proxy.clone(),
            grant: options.grant.clone(),
        }
    }

    /// `GET /v1/checkout`.
    pub async fn checkout(&self) -> Result<CheckoutSummary, WidgetError> {
        self.send(Request::get(&self.url(paths::CHECKOUT))).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    async fn send<T: DeserializeOwned>(&self, builder: RequestBuilder) -> Result<T, WidgetError> {
        let controller = AbortController::new().ok();
        let signal = controller.as_ref().map(AbortController::signal);
        let timed_out = Rc::new(Cell::new(false));
        let _timeout = controller.clone().map(|c| {
            let flag = timed_out.clone();
            Timeout::new(TIMEOUT_MS, move || {
                flag.set(true);
                c.abort();
            })
        });
        let mut abort = Abort { controller };
        let request = builder
            .header("Authorization", &format!("Bearer {}", self.grant))
            .header("Accept", "application/json")
            .abort_signal(signal.as_ref())
            .build()
            .map_err(|e| WidgetError::Internal(e.to_string()))?;
        let result = request.send().await;
        let outcome = match result {
            Ok(response) => read(response).await,
            Err(_) if timed_out.get() => Err(WidgetError::Timeout),
            Err(error) => Err(WidgetError::Network(error.to_string())),
        };
        // The request is settled; nothing left to abort.
        abort.controller = None;
        outcome
    }
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, WidgetError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| WidgetError::Network(e.to_string()))?;
    if !response.ok() {
        let retry_after = response
            .headers()
            .get("Retry-After")
            .and_then(|v| v.trim().parse::<u32>().ok());
        let (code, message) = match serde_json::from_str::<ApiErrorBody>(&text) {
            Ok(body) => (Some(body.error.code), body.error.message),
            Err(_) => (None, format!("HTTP {status}")),
        };
        return Err(WidgetError::Api {
            status,
            code,
            message,
            retry_after,
        });
    }
    serde_json::from_str(&text).map_err(|e| WidgetError::BadResponse(e.to_string()))
}
