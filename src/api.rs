//! The proxy's endpoints, one function each, over one HTTP helper that adds the grant, applies
//! a timeout, aborts when dropped (unmount), checks `response.ok()` (gloo-net does not), reads
//! `Retry-After`, and turns every failure into a typed [`WidgetError`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use dollr_api::widget::{
    paths, ApiErrorBody, CheckoutSummary, CreatePayment, OperatorInfo, Payment, Quote, Receipt,
};
use dollr_api::PaymentMethod;
use gloo_net::http::{Request, RequestBuilder, Response};
use web_sys::AbortController;

use crate::error::WidgetError;
use crate::interop::json::{self, Decode};
use crate::interop::{Answer, Prefetch, Refusals, Timeout};
use crate::options::Options;

/// Default time limit of one call.
pub const TIMEOUT_MS: u32 = 15_000;

/// Talks to one proxy with one grant. Clones share the set of requests in flight, so
/// [`Client::abort_all`] cancels every one of them (used on unmount).
#[derive(Clone, Debug)]
pub struct Client {
    base: String,
    grant: String,
    in_flight: Rc<RefCell<Vec<AbortController>>>,
    refusals: Refusals,
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
    /// A client for the validated options, telling a request the page's policy refused by
    /// `refusals`.
    pub fn new(options: &Options, refusals: Refusals) -> Client {
        Client {
            base: options.proxy.clone(),
            grant: options.grant.clone(),
            in_flight: Rc::default(),
            refusals,
        }
    }

    /// Aborts every request in flight.
    pub fn abort_all(&self) {
        for controller in self.in_flight.borrow_mut().drain(..) {
            controller.abort();
        }
    }

    /// `GET /v1/checkout`. The loader may have started this request already, at mount, while
    /// the wasm was downloading: its answer is used when it asked exactly this URL with this
    /// grant (it is bounded by the same time limit); otherwise the order is asked afresh.
    pub async fn checkout(
        &self,
        prefetch: Option<Prefetch>,
    ) -> Result<CheckoutSummary, WidgetError> {
        let text = match prefetch.filter(|p| self.asked_alike(p)) {
            Some(prefetch) => match prefetch.answer().await {
                Ok(answer) => interpret(answer)?,
                Err(message) => return Err(self.unanswered(message).await),
            },
            None => {
                self.exchange(Request::get(&self.url(paths::CHECKOUT)), None)
                    .await?
            }
        };
        decode(&text)
    }

    /// The order, at once, when the loader's request for it had already been answered; `None`
    /// (and `prefetch` untouched) otherwise, for [`Client::checkout`] to wait for.
    pub fn checkout_settled(
        &self,
        prefetch: &mut Option<Prefetch>,
    ) -> Option<Result<CheckoutSummary, WidgetError>> {
        let answer = prefetch
            .as_mut()
            .filter(|p| self.asked_alike(p))?
            .take_settled()?;
        *prefetch = None;
        Some(interpret(answer).and_then(|text| decode(&text)))
    }

    /// Whether the loader asked the order's URL with this client's grant.
    fn asked_alike(&self, prefetch: &Prefetch) -> bool {
        prefetch.url == self.url(paths::CHECKOUT) && prefetch.grant == self.grant
    }

    /// `GET /v1/operator?phone=`.
    pub async fn operator(&self, phone: &str) -> Result<OperatorInfo, WidgetError> {
        let url = format!(
            "{}?phone={}",
            self.url(paths::OPERATOR),
            js_sys::encode_uri_component(phone)
        );
        self.send(Request::get(&url)).await
    }

    /// `GET /v1/quote?method=&currency=`.
    pub async fn quote(
        &self,
        method: &PaymentMethod,
        currency: &str,
    ) -> Result<Quote, WidgetError> {
        let url = format!(
            "{}?method={}&currency={}",
            self.url(paths::QUOTE),
            js_sys::encode_uri_component(method.as_str()),
            js_sys::encode_uri_component(currency)
        );
        self.send(Request::get(&url)).await
    }

    /// `POST /v1/payments` (idempotent per `reference_id`).
    pub async fn create_payment(&self, body: &CreatePayment) -> Result<Payment, WidgetError> {
        let text = json::to_json(body)
            .ok_or_else(|| WidgetError::Internal("cannot write the request".into()))?;
        let builder =
            Request::post(&self.url(paths::PAYMENTS)).header("Content-Type", "application/json");
        self.send_with_body(builder, Some(text)).await
    }

    /// `GET /v1/payments/{reference_id}`.
    pub async fn payment(&self, reference_id: &str) -> Result<Payment, WidgetError> {
        let url = format!(
            "{}/{}",
            self.url(paths::PAYMENTS),
            js_sys::encode_uri_component(reference_id)
        );
        self.send(Request::get(&url)).await
    }

    /// `GET /v1/receipt`.
    pub async fn receipt(&self) -> Result<Receipt, WidgetError> {
        self.send(Request::get(&self.url(paths::RECEIPT))).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A request that got no answer: refused by the page's own policy (see [`Refusals`]), or
    /// failed on the network (the browser's `message`).
    async fn unanswered(&self, message: String) -> WidgetError {
        match self.refusals.refused().await {
            Some(origin) => WidgetError::Refused(origin),
            None => WidgetError::Network(message),
        }
    }

    async fn send<T: Decode>(&self, builder: RequestBuilder) -> Result<T, WidgetError> {
        self.send_with_body(builder, None).await
    }

    /// One exchange, then the answer read as `T`. Only this small part is generic: the
    /// exchange itself exists once in the wasm, not once per answer type.
    async fn send_with_body<T: Decode>(
        &self,
        builder: RequestBuilder,
        body: Option<String>,
    ) -> Result<T, WidgetError> {
        decode(&self.exchange(builder, body).await?)
    }

    /// Sends the request and returns the body of a 2xx answer.
    async fn exchange(
        &self,
        builder: RequestBuilder,
        body: Option<String>,
    ) -> Result<String, WidgetError> {
        let controller = AbortController::new().ok();
        if let Some(c) = &controller {
            self.in_flight.borrow_mut().push(c.clone());
        }
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
        let builder = builder
            .header("Authorization", &format!("Bearer {}", self.grant))
            .header("Accept", "application/json")
            .abort_signal(signal.as_ref());
        let request = match body {
            Some(text) => builder.body(text),
            None => builder.build(),
        }
        .map_err(|e| WidgetError::Internal(net_message(e)))?;
        let result = request.send().await;
        let outcome = match result {
            Ok(response) => read(response).await,
            Err(_) if timed_out.get() => Err(WidgetError::Timeout),
            Err(error) => Err(self.unanswered(net_message(error)).await),
        };
        // The request is settled; nothing left to abort.
        if let Some(c) = abort.controller.take() {
            self.in_flight
                .borrow_mut()
                .retain(|other| !js_sys::Object::is(other, &c));
        }
        outcome
    }
}

/// The browser's own words for a failed request. gloo-net's `Display` is not used: it would
/// bring serde_json's and std::io's error tables into the wasm for variants never built here.
fn net_message(error: gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(js) => js.message,
        gloo_net::Error::GlooError(message) => message,
        gloo_net::Error::SerdeError(_) => String::from("unreadable JSON"),
    }
}

/// What the console adds to an answer that says no dollr-proxy is at the `proxy` option's URL.
const NO_PROXY: &str = "no dollr-proxy answers at this address; check the `proxy` option (your dollr-proxy's /api/dollr)";

/// A 2xx answer's body as `T`.
fn decode<T: Decode>(text: &str) -> Result<T, WidgetError> {
    json::from_json(text).map_err(WidgetError::BadResponse)
}

async fn read(response: Response) -> Result<String, WidgetError> {
    let body = response
        .text()
        .await
        .map_err(|e| WidgetError::Network(net_message(e)))?;
    interpret(Answer {
        status: response.status(),
        retry_after: response.headers().get("Retry-After"),
        body,
    })
}

/// The body of a 2xx answer, or the proxy's error.
fn interpret(answer: Answer) -> Result<String, WidgetError> {
    let Answer {
        status,
        retry_after,
        body,
    } = answer;
    if (200..300).contains(&status) {
        return Ok(body);
    }
    let (code, message) = match json::from_json::<ApiErrorBody>(&body) {
        Ok(body) => (Some(body.error.code), body.error.message),
        // No such address, or not for this method, and not in the proxy's words: what answered
        // is not a dollr-proxy (the proxy answers both in its own).
        Err(_) if matches!(status, 404 | 405) => (None, format!("HTTP {status}: {NO_PROXY}")),
        Err(_) => (None, format!("HTTP {status}")),
    };
    Err(WidgetError::Api {
        status,
        code,
        message,
        retry_after: retry_after.and_then(|v| v.trim().parse::<u32>().ok()),
    })
}
