//! Leptos components: they render the flow's [`Model`] and dispatch [`Event`]s; no payment
//! logic lives here. [`Checkout`] is the root and owns the runner that performs the flow's
//! commands; each child sits in its own file under `ui/`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use dollr_api::widget::CreatePayment;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Client;
use crate::flow::{self, Attempt, Command, Event, Model, Phase, Problem};
use crate::i18n::{text, Key, Locale};
use crate::interop::json::{self, Writer};
use crate::interop::stripe::{self, CardElement, Stripe};
use crate::interop::{self, Listener, Prefetch, Refusals, Timeout};
use crate::options::Options;
use wasm_bindgen::JsValue;

mod error_panel;
mod order_summary;
mod outcome;
mod payment_form;
mod status_region;
mod waiting;

use error_panel::ErrorPanel;
use order_summary::OrderSummary;
use outcome::{AlreadyPaid, FailurePanel, SuccessPanel};
use payment_form::PaymentForm;
use status_region::StatusRegion;
use waiting::WaitingPanel;

/// What the runner holds for one mounted widget. Dropped with the widget: its timers are
/// cleared, its listeners removed and its requests aborted.
struct Runtime {
    client: Client,
    storage_key: String,
    timers: RefCell<Vec<Timeout>>,
    ticker: RefCell<Option<Timeout>>,
    /// The order recheck's timer, while another device's payment runs.
    recheck: RefCell<Option<Timeout>>,
    /// The status poll's timer, with the attempt it asks about.
    poll: RefCell<Option<(Timeout, String)>>,
    /// Another tab's writes to the stored attempt; the payer coming back to the page; the
    /// focus entering the checkout.
    listeners: RefCell<Vec<Listener>>,
    /// The focus has been in the checkout (or in the one this rebuilt).
    engaged: Rc<Cell<bool>>,
    stripe: RefCell<Option<Stripe>>,
    /// Stripe.js on its way, with its deadline.
    stripe_loading: RefCell<Option<stripe::Loading>>,
    card: RefCell<Option<CardElement>>,
    /// The order request the loader started, used by the first summary fetch.
    prefetch: RefCell<Option<Prefetch>>,
    /// The host page's element, for events and for Stripe's light-DOM card slot.
    host: Option<web_sys::HtmlElement>,
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.client.abort_all();
    }
}

/// Sends events into the flow and performs the commands that come out.
#[derive(Clone, Copy)]
pub struct Dispatcher {
    model: RwSignal<Model>,
    runtime: StoredValue<Rc<Runtime>, LocalStorage>,
}

impl Dispatcher {
    /// The model, for rendering.
    pub fn model(&self) -> RwSignal<Model> {
        self.model
    }

    /// Applies one event; a no-op once the widget is unmounted.
    pub fn send(&self, event: Event) {
        // Moved out for the step, not copied: nothing reads the model until `next` is set.
        let Some(current) = self
            .model
            .try_update_untracked(|model| std::mem::replace(model, flow::placeholder()))
        else {
            return;
        };
        let before = (
            status_name(&current.phase),
            matches!(current.phase, Phase::Loading),
        );
        let (next, commands) = flow::step(current, event, interop::now_ms());
        let host = self.runtime.try_with_value(|rt| rt.host.clone()).flatten();
        let news = announcements(before, &next);
        self.model.set(next);
        // Told with the model back in place: a page's listener may rebuild the checkout (a new
        // grant at hand), which keeps what the payer typed from the model.
        let renewing = host.is_some_and(|host| tell(&host, news));
        for command in commands {
            self.run(command);
        }
        if renewing {
            self.send(Event::RenewalPromised);
        }
    }

    fn client(&self) -> Option<Client> {
        self.runtime.try_with_value(|rt| rt.client.clone())
    }

    /// Runs `job` after `delay_ms` (at once for 0); the timer dies with the widget.
    fn after(&self, delay_ms: u32, job: impl FnOnce(Dispatcher) + 'static) {
        let this = *self;
        if delay_ms == 0 {
            job(this);
            return;
        }
        // try_: an unmounted widget has no runtime left, and must not panic for it.
        let _ = self.runtime.try_with_value(|rt| {
            let mut timers = rt.timers.borrow_mut();
            timers.retain(|t| !t.fired());
            timers.push(Timeout::new(delay_ms, move || job(this)));
        });
    }

    /// Once the payer has used the checkout (the focus has been in it), a new screen takes the
    /// focus that the last one's controls took with them, so Tab stays in the checkout and a
    /// screen reader reads the new screen; never a screen the payer did not bring about (the
    /// first one). Called as a screen is built: the focus moves once it is in the DOM.
    fn focus_new_screen(&self) {
        let host = self
            .runtime
            .try_with_value(|rt| rt.host.clone().filter(|_| rt.engaged.get()))
            .flatten();
        if let Some(host) = host {
            focus_when_drawn(host, SCREEN_FOCUS);
        }
    }

    /// `GET /v1/payments/{reference_id}`, answered as [`Event::StatusAnswered`].
    fn poll(&self, reference_id: String) {
        self.fetch(|client| async move {
            let result = client.payment(&reference_id).await;
            Event::StatusAnswered {
                reference_id,
                result,
            }
        });
    }

    /// Spawns `request` and sends the event it produces, unless the widget is gone by then.
    fn fetch<F, Fut>(&self, request: F)
    where
        F: FnOnce(Client) -> Fut + 'static,
        Fut: std::future::Future<Output = Event> + 'static,
    {
        let Some(client) = self.client() else { return };
        self.spawn_event(Box::pin(request(client)));
    }

    /// Sends the event `request` resolves to. Not generic, so the task around each request
    /// is built once (0.6 KB brotli less than one per request).
    fn spawn_event(&self, request: std::pin::Pin<Box<dyn std::future::Future<Output = Event>>>) {
        let this = *self;
        spawn_local(async move {
            let event = request.await;
            this.send(event);
        });
    }

    fn run(&self, command: Command) {
        match command {
            Command::FetchSummary => {
                let mut prefetch = self
                    .runtime
                    .try_with_value(|rt| rt.prefetch.borrow_mut().take())
                    .flatten();
                let settled = self
                    .client()
                    .and_then(|client| client.checkout_settled(&mut prefetch));
                match settled {
                    // Answered already: the form is drawn in this task.
                    Some(result) => self.send(summary_event(result)),
                    None => self.fetch(|client| async move {
                        summary_event(client.checkout(prefetch).await)
                    }),
                }
            }
            Command::DetectOperator { phone } => self.fetch(|client| async move {
                let result = client.operator(&phone).await;
                Event::OperatorAnswered { phone, result }
            }),
            Command::FetchQuote { method, currency } => self.fetch(|client| async move {
                let result = client.quote(&method, &currency).await;
                Event::QuoteAnswered {
                    method,
                    currency,
                    result,
                }
            }),
            Command::StoreAttempt(attempt) => {
                let stored = self.runtime.try_with_value(|rt| {
                    json::to_json(&attempt)
                        .is_some_and(|json| interop::storage_set(&rt.storage_key, &json))
                }) == Some(true);
                if !stored {
                    interop::console_error(
                        "dollr-checkout: browser storage is unavailable; a reload will not resume this payment",
                    );
                }
            }
            Command::CreatePayment { attempt, delay_ms } => self.after(delay_ms, move |this| {
                this.fetch(|client| async move {
                    let body = CreatePayment {
                        reference_id: attempt.reference_id.clone(),
                        method: attempt.method.clone(),
                        currency: attempt.currency.clone(),
                        phone: Some(attempt.phone.clone()).filter(|p| !p.is_empty()),
                        payment_method_id: attempt.payment_method_id.clone(),
                    };
                    let result = client.create_payment(&body).await;
                    Event::PaymentAnswered {
                        reference_id: attempt.reference_id,
                        result,
                    }
                })
            }),
            Command::PollStatus {
                reference_id,
                delay_ms,
            } => {
                // Replacing a timer drops it, which clears it: one poll waits at a time.
                let _ = self.runtime.try_with_value(|rt| rt.poll.take());
                if delay_ms == 0 {
                    self.poll(reference_id);
                } else {
                    let this = *self;
                    let asked = reference_id.clone();
                    let timer = Timeout::new(delay_ms, move || this.poll(asked));
                    let _ = self
                        .runtime
                        .try_with_value(|rt| rt.poll.replace(Some((timer, reference_id))));
                }
            }
            Command::PollNow => {
                let waiting = self.runtime.try_with_value(|rt| rt.poll.take()).flatten();
                if let Some((timer, reference_id)) = waiting {
                    if !timer.fired() {
                        drop(timer);
                        self.poll(reference_id);
                    }
                }
            }
            Command::FetchReceipt => {
                self.fetch(|client| async move { Event::ReceiptAnswered(client.receipt().await) })
            }
            Command::ForgetAttempt(reference_id) => {
                let _ = self.runtime.try_with_value(|rt| {
                    // Another tab may have stored its own attempt since: that one stays.
                    let ours = stored_attempt(&rt.storage_key)
                        .is_none_or(|stored| stored.reference_id == reference_id);
                    if ours {
                        interop::storage_remove(&rt.storage_key);
                    }
                });
            }
            Command::RecheckOrder { delay_ms } => {
                let this = *self;
                // One recheck waits at a time: a new one (brought forward) clears the last.
                let _ = self.runtime.try_with_value(|rt| {
                    *rt.recheck.borrow_mut() = Some(Timeout::new(delay_ms, move || {
                        this.fetch(|client| async move {
                            Event::OrderRechecked(client.checkout(None).await.map(|s| s.status))
                        })
                    }));
                });
            }
            Command::FollowStoredAttempt { except } => {
                let stored = self
                    .runtime
                    .try_with_value(|rt| stored_attempt(&rt.storage_key))
                    .flatten()
                    .filter(|stored| stored.reference_id != except);
                if let Some(attempt) = stored {
                    self.send(Event::AttemptSeenElsewhere(attempt));
                }
            }
            Command::LoadStripe => {
                let this = *self;
                spawn_local(async move {
                    let loaded = this.stripe().await.is_some();
                    this.send(Event::StripeLoaded(loaded));
                });
            }
            Command::CreateCardPaymentMethod { reference_id } => {
                let this = *self;
                spawn_local(async move {
                    let stripe = this
                        .runtime
                        .try_with_value(|rt| rt.stripe.borrow().clone())
                        .flatten();
                    // The field stays mounted and owned by the runtime meanwhile: a redraw
                    // while Stripe reads it finds it there, and does not mount another.
                    let card = this
                        .runtime
                        .try_with_value(|rt| rt.card.borrow().as_ref().map(CardElement::handle))
                        .flatten();
                    let result = match (stripe, card) {
                        (Some(stripe), Some(card)) => stripe.create_payment_method(&card).await,
                        _ => Err(None),
                    };
                    this.send(Event::CardTokenized {
                        reference_id,
                        result,
                    });
                });
            }
            Command::ConfirmCard {
                reference_id,
                client_secret,
            } => {
                let this = *self;
                spawn_local(async move {
                    let result = match this.stripe().await {
                        Some(stripe) => stripe.confirm_card_payment(&client_secret).await,
                        None => Err(Some("api_connection_error".to_owned())),
                    };
                    this.send(Event::CardAuthenticated {
                        reference_id,
                        result,
                    });
                });
            }
            Command::ShowProblem(problem) => self.show_problem(problem),
            Command::AwaitRenewal { delay_ms } => {
                self.after(delay_ms, |this| this.send(Event::RenewalLate));
            }
        }
    }

    /// Takes the payer to what stops the form from being paid, where its error now shows (a
    /// screen reader reads it with the field). The focus is in the widget already: on Pay, or in
    /// the field whose Enter pressed it.
    fn show_problem(&self, problem: Problem) {
        let selector = match problem {
            Problem::Phone => "input[type=tel]",
            Problem::Operator => "select[id$='-operator']",
            Problem::Retry => ".dollr-failed button",
            Problem::Card => {
                let _ = self.runtime.try_with_value(|rt| {
                    if let Some(card) = rt.card.borrow().as_ref() {
                        card.focus();
                    }
                });
                return;
            }
        };
        if let Some(host) = self.runtime.try_with_value(|rt| rt.host.clone()).flatten() {
            focus_when_drawn(host, selector);
        }
    }

    /// The Stripe.js instance, loading the script the proxy named first if needed.
    async fn stripe(&self) -> Option<Stripe> {
        if let Some(existing) = self
            .runtime
            .try_with_value(|rt| rt.stripe.borrow().clone())
            .flatten()
        {
            return Some(existing);
        }
        let config = self
            .model
            .try_with_untracked(|m| m.summary.as_deref().and_then(|s| s.stripe.clone()))
            .flatten()?;
        if !stripe::is_loaded() {
            // One load for every caller; the runtime holds it, so its deadline goes with the
            // widget.
            let waits = self
                .runtime
                .try_with_value(|rt| {
                    let mut loading = rt.stripe_loading.borrow_mut();
                    if loading.is_none() {
                        *loading = stripe::start(&config.js_url);
                    }
                    loading.as_ref().map(|l| (l.finished(), l.arrival()))
                })
                .flatten();
            let loaded = match waits {
                Some((finished, arrival)) => {
                    let loaded = finished.await;
                    if !loaded {
                        // Given up (the payer reads that cards couldn't load), the download may
                        // still arrive on a slow network: then the card form comes by itself.
                        let this = *self;
                        spawn_local(async move {
                            if arrival.await {
                                this.send(Event::RetryStripePressed);
                            }
                        });
                    }
                    loaded
                }
                None => false,
            };
            let _ = self.runtime.try_with_value(|rt| rt.stripe_loading.take());
            if !loaded {
                interop::console_error(&format!(
                    "dollr-checkout: Stripe.js could not be loaded from {}",
                    config.js_url
                ));
                return None;
            }
        }
        let instance = Stripe::new(&config.publishable_key)?;
        self.runtime
            .try_with_value(|rt| *rt.stripe.borrow_mut() = Some(instance.clone()))?;
        Some(instance)
    }

    /// Puts Stripe's card fields in the checkout (once Stripe.js is loaded), in `locale`'s
    /// language, after the current render: they take their style from the box the render
    /// draws, which has the page's only once it is in the page. Does nothing where they are in
    /// already.
    pub fn mount_card_when_drawn(&self, locale: Locale) {
        let this = *self;
        spawn_local(async move { this.mount_card(locale) });
    }

    fn mount_card(&self, locale: Locale) {
        let this = *self;
        let _ = self.runtime.try_with_value(|rt| {
            if rt.card.borrow().is_some() {
                return;
            }
            let Some(stripe) = rt.stripe.borrow().clone() else {
                return;
            };
            // Stripe Elements cannot live in a shadow root: mount them in the host's light DOM
            // and show them through the widget's <slot>, in the box styled like the checkout.
            let Some(host) = rt.host.as_ref() else { return };
            let (Some(slot), Some(styled_like)) = (
                interop::light_slot(host, CARD_SLOT),
                interop::in_shadow(host, ".dollr-card-host"),
            ) else {
                return;
            };
            // The fields sit in the light DOM, where the language (and the direction the HTML
            // tree gives) comes from the page, not from the shadow root's container.
            interop::mark_language(&slot, locale);
            let card = stripe.mount_card(
                &slot,
                &styled_like,
                locale.tag(),
                move |complete, error_code| {
                    this.send(Event::CardChanged {
                        complete,
                        error_code,
                    });
                },
            );
            *rt.card.borrow_mut() = card;
        });
    }

    /// Removes Stripe's card fields.
    pub fn unmount_card(&self) {
        let card = self
            .runtime
            .try_with_value(|rt| rt.card.borrow_mut().take())
            .flatten();
        drop(card);
    }
}

/// Where a screen takes the focus: its first `tabindex="-1"` heading or message, else its first
/// field; of a group of radios, the one checked (a card payer is on "Card", not on "Mobile money").
const SCREEN_FOCUS: &str = "[tabindex='-1'],select,input:checked,input:not([type=radio])";

/// Puts the keyboard's focus on the screen `host`'s widget shows, where a new screen takes it
/// (the page's `element.focus()`).
pub fn focus_screen(host: &web_sys::HtmlElement) {
    interop::focus_match(host, SCREEN_FOCUS);
}

/// Moves the focus to `selector` in `host`'s widget once what the model just changed is drawn
/// (see [`interop::focus_first`]).
fn focus_when_drawn(host: web_sys::HtmlElement, selector: &'static str) {
    spawn_local(async move { interop::focus_first(&host, selector) });
}

/// The clock's next tick: a `Tick` just after each whole second of a running payment, for the
/// elapsed time and the countdown; the timer dies with the widget.
fn schedule_tick(dispatcher: Dispatcher) {
    let start = dispatcher
        .model
        .try_with_untracked(flow::clock_start)
        .flatten();
    let delay = flow::tick_delay_ms(start, interop::now_ms());
    let _ = dispatcher.runtime.try_with_value(|rt| {
        // Replacing the timer that is running this tick is safe: its callback has been taken.
        *rt.ticker.borrow_mut() = Some(Timeout::new(delay, move || {
            let running = dispatcher
                .model
                .try_with_untracked(|m| flow::clock_start(m).is_some())
                .unwrap_or(false);
            if running {
                dispatcher.send(Event::Tick);
            }
            schedule_tick(dispatcher);
        }));
    });
}

static INSTANCES: AtomicU32 = AtomicU32::new(0);

thread_local! {
    /// What the payer had typed in the checkout last removed, with its order and the shop's
    /// `phone` it had, until a checkout of the same order and `phone` takes it back (the page's
    /// memory only: nothing is stored).
    static DRAFT: RefCell<Option<(String, Option<String>, flow::Prefill)>> =
        const { RefCell::new(None) };
}

/// Name of the light-DOM slot that holds Stripe's card fields.
pub const CARD_SLOT: &str = "dollr-card";

/// The public name of a phase, as `dollr:status` reports it.
fn status_name(phase: &Phase) -> &'static str {
    match phase {
        Phase::Loading => "loading",
        Phase::LoadFailed { .. } | Phase::Fatal { .. } | Phase::Renewing { .. } => "error",
        Phase::Editing => "editing",
        Phase::Tokenizing { .. } | Phase::Submitting { .. } => "sending",
        Phase::Authenticating { .. } => "authenticating",
        Phase::Waiting { .. } => "waiting",
        Phase::Succeeded { .. } => "succeeded",
        Phase::Failed { .. } => "failed",
        Phase::AlreadyPaid => "already_paid",
    }
}

fn reference_of(phase: &Phase) -> Option<&str> {
    match phase {
        Phase::Submitting { attempt }
        | Phase::Authenticating { attempt }
        | Phase::Waiting { attempt, .. }
        | Phase::Succeeded { attempt, .. }
        | Phase::Failed { attempt, .. } => Some(&attempt.reference_id),
        Phase::Tokenizing { reference_id } => Some(reference_id),
        _ => None,
    }
}

/// A `dollr:error` detail: `{ code, message }`.
pub fn error_detail(code: &str, message: &str) -> JsValue {
    Writer::new()
        .str("code", code)
        .str("message", message)
        .done()
}

/// What the host page is told of a change, as DOM events (see the README's event table):
/// `before` is the previous phase's public name and whether it was loading.
fn announcements(before: (&str, bool), after: &Model) -> Vec<(&'static str, JsValue)> {
    let (before_status, was_loading) = before;
    let mut news = Vec::new();
    if before_status == status_name(&after.phase) {
        return news;
    }
    if was_loading {
        if let Some(summary) = after.summary.as_deref() {
            let detail = Writer::new()
                .str("source_number", &summary.source_number)
                .decimal("total", summary.total)
                .str("currency", &summary.currency)
                .strings("methods", summary.methods.iter().map(|m| m.method.as_str()))
                .done();
            news.push(("ready", detail));
        }
    }
    let status = Writer::new()
        .str("status", status_name(&after.phase))
        .opt_str("reference_id", reference_of(&after.phase))
        .done();
    news.push(("status", status));
    match &after.phase {
        Phase::Succeeded {
            attempt, payment, ..
        } => {
            let detail = Writer::new()
                .str("reference_id", &attempt.reference_id)
                .decimal("amount", payment.payer_amount)
                .str("currency", &payment.payer_currency)
                .str("method", attempt.method.as_str())
                .opt_str(
                    "source_number",
                    after.summary.as_deref().map(|s| s.source_number.as_str()),
                )
                .done();
            news.push(("success", detail));
        }
        Phase::Failed { attempt, reason } => {
            let detail = Writer::new()
                .str("reference_id", &attempt.reference_id)
                .str("reason", reason.code())
                .str("message", text(Locale::En, *reason))
                .done();
            news.push(("failure", detail));
        }
        Phase::LoadFailed { message, .. } | Phase::Fatal { message } => {
            news.push((
                "error",
                error_detail(message.code(), text(Locale::En, *message)),
            ));
        }
        _ => {}
    }
    news
}

/// Dispatches `news` on `host`, in order. True when the page cancelled the `dollr:error` of a
/// refused grant: it is getting another.
fn tell(host: &web_sys::HtmlElement, news: Vec<(&'static str, JsValue)>) -> bool {
    let mut renewing = false;
    for (name, detail) in news {
        let cancelled = !interop::dispatch_event(host, name, &detail);
        renewing |= cancelled && name == "error";
    }
    renewing
}

/// The event for the order's answer (a failure is also told to the console).
fn summary_event(
    result: Result<dollr_api::widget::CheckoutSummary, crate::error::WidgetError>,
) -> Event {
    match result {
        Ok(summary) => Event::SummaryLoaded(summary),
        Err(error) => {
            interop::console_error(&["dollr-checkout: ", &error.to_string()].concat());
            Event::SummaryFailed(error)
        }
    }
}

/// The whole checkout.
#[component]
pub fn Checkout(
    /// Validated options from the host page.
    options: Options,
    /// The host page's element: events are dispatched on it.
    #[prop(optional)]
    host: Option<web_sys::HtmlElement>,
    /// The order request the loader already started, if any.
    #[prop(default = None)]
    prefetch: Option<Prefetch>,
    /// The loader's record of what the page's policy refused.
    #[prop(optional)]
    refusals: Refusals,
) -> impl IntoView {
    let locale = options.locale;
    let instance = INSTANCES.fetch_add(1, Ordering::Relaxed);
    let order_key = interop::grant_source_key(&options.grant)
        .unwrap_or_else(|| format!("grant:{}", options.grant.len()));
    let storage_key = format!("dollr-checkout:attempt:{order_key}");
    let stored = stored_attempt(&storage_key);
    // What the payer typed in this order's checkout before it was rebuilt (a fresh grant, say)
    // comes back, unless the shop has just given another `phone`.
    let given = options.phone.clone();
    let draft = DRAFT
        .with(|kept| {
            kept.borrow_mut()
                .take_if(|(key, was, _)| *key == order_key && *was == given)
        })
        .map(|(_, _, draft)| draft);
    // A checkout rebuilt under the payer's hands: the focus they had went with the old one, so
    // its screens take it (where nothing else on the page has it).
    let rebuilt = draft.is_some();
    let known = draft.or_else(|| given.clone().map(flow::Prefill::phone));
    let (initial, commands) = flow::start(stored, interop::now_ms(), options.time_limit_ms, known);
    let runtime = Rc::new(Runtime {
        client: Client::new(&options, refusals),
        storage_key: storage_key.clone(),
        timers: RefCell::default(),
        ticker: RefCell::default(),
        poll: RefCell::default(),
        recheck: RefCell::default(),
        listeners: RefCell::default(),
        engaged: Rc::default(),
        stripe: RefCell::default(),
        stripe_loading: RefCell::default(),
        card: RefCell::default(),
        prefetch: RefCell::new(prefetch),
        host,
    });
    runtime.engaged.set(rebuilt);
    let dispatcher = Dispatcher {
        model: RwSignal::new(initial),
        runtime: StoredValue::new_local(runtime),
    };
    schedule_tick(dispatcher);
    dispatcher.runtime.with_value(|rt| {
        // The payer back on the page, or the browser online: what waits for the network is
        // asked again. Another tab of the same order started paying: follow it.
        let back = Listener::payer_back(move || dispatcher.send(Event::PayerBack));
        let elsewhere = Listener::storage(storage_key, move |json| {
            if let Ok(attempt) = json::from_json::<Attempt>(&json) {
                dispatcher.send(Event::AttemptSeenElsewhere(attempt));
            }
        });
        let engaged = rt.engaged.clone();
        let used = rt
            .host
            .as_ref()
            .map(|host| Listener::focus_in(host, move || engaged.set(true)));
        *rt.listeners.borrow_mut() = back.into_iter().chain(elsewhere).chain(used).collect();
    });
    for command in commands {
        dispatcher.run(command);
    }
    let model = dispatcher.model;
    on_cleanup(move || {
        if let Some(draft) = model.try_with_untracked(flow::draft).flatten() {
            DRAFT.with(|kept| kept.replace(Some((order_key, given, draft))));
        }
    });
    let status = Memo::new(move |_| model.with(|m| status_text(locale, m)));
    // The screen is rebuilt only when the kind of screen changes, never on every model change
    // (that would reset Stripe's card fields and the payer's focus).
    let screen_kind = Memo::new(move |_| model.with(|m| phase_kind(&m.phase)));
    let id = format!("dollr-{instance}");
    view! {
        <section class="dollr-checkout" role="region" aria-label=text(locale, Key::WidgetLabel) data-testid="dollr-checkout">
            <StatusRegion message=status />
            {move || {
                let phase = screen_kind.get();
                dispatcher.focus_new_screen();
                let summary = model.with_untracked(|m| m.summary.clone());
                let id = id.clone();
                match (phase, summary) {
                    (PhaseKind::LoadFailed, _) => {
                        let (message, retryable) = model.with_untracked(|m| match m.phase {
                            Phase::LoadFailed { message, retryable } => (message, retryable),
                            _ => (Key::ErrorGeneric, false),
                        });
                        view! {
                            <ErrorPanel
                                message=text(locale, message)
                                retry=retryable.then_some(dispatcher)
                                locale=locale
                            />
                        }.into_any()
                    }
                    (PhaseKind::Loading, _) | (_, None) => view! {
                        <p class="dollr-loading" data-testid="loading" aria-busy="true">{text(locale, Key::Loading)}</p>
                    }.into_any(),
                    (phase, Some(summary)) => view! {
                        <OrderSummary summary=summary locale=locale />
                        {screen(phase, dispatcher, locale, id)}
                    }.into_any(),
                }
            }}
        </section>
    }
}

/// The screen under the order summary for `phase`.
fn screen(phase: PhaseKind, dispatcher: Dispatcher, locale: Locale, id: String) -> AnyView {
    match phase {
        PhaseKind::Form => {
            view! { <PaymentForm dispatcher=dispatcher locale=locale id=id /> }.into_any()
        }
        PhaseKind::Waiting => {
            view! { <WaitingPanel dispatcher=dispatcher locale=locale /> }.into_any()
        }
        PhaseKind::Succeeded => {
            view! { <SuccessPanel dispatcher=dispatcher locale=locale /> }.into_any()
        }
        PhaseKind::Failed => {
            view! { <FailurePanel dispatcher=dispatcher locale=locale /> }.into_any()
        }
        PhaseKind::AlreadyPaid => view! { <AlreadyPaid locale=locale /> }.into_any(),
        PhaseKind::Renewing => view! {
            <p class="dollr-loading" data-testid="renewing" aria-busy="true" tabindex="-1">{text(locale, Key::Renewing)}</p>
        }
        .into_any(),
        PhaseKind::Loading | PhaseKind::LoadFailed | PhaseKind::Fatal => {
            let message = dispatcher.model().with_untracked(|m| match m.phase {
                Phase::Fatal { message } => message,
                _ => Key::ErrorGeneric,
            });
            view! { <ErrorPanel message=text(locale, message) retry=None locale=locale /> }
                .into_any()
        }
    }
}

/// The phases that choose a screen (the form covers Editing and Submitting).
#[derive(Clone, Copy, PartialEq, Eq)]
enum PhaseKind {
    Loading,
    LoadFailed,
    Form,
    Waiting,
    Succeeded,
    Failed,
    AlreadyPaid,
    Fatal,
    Renewing,
}

fn phase_kind(phase: &Phase) -> PhaseKind {
    match phase {
        Phase::Loading => PhaseKind::Loading,
        Phase::LoadFailed { .. } => PhaseKind::LoadFailed,
        Phase::Editing
        | Phase::Submitting { .. }
        | Phase::Tokenizing { .. }
        | Phase::Authenticating { .. } => PhaseKind::Form,
        Phase::Waiting { .. } => PhaseKind::Waiting,
        Phase::Succeeded { .. } => PhaseKind::Succeeded,
        Phase::Failed { .. } => PhaseKind::Failed,
        Phase::AlreadyPaid => PhaseKind::AlreadyPaid,
        Phase::Fatal { .. } => PhaseKind::Fatal,
        Phase::Renewing { .. } => PhaseKind::Renewing,
    }
}

/// What the live region announces: one sentence per phase, so a tick never re-announces.
fn status_text(locale: Locale, model: &Model) -> String {
    let key = match &model.phase {
        Phase::Loading => Some(Key::Loading),
        Phase::LoadFailed { message, .. } | Phase::Fatal { message } => Some(*message),
        // On the form, the amount a new quote brings (after a network or currency is chosen) is
        // news the payer would otherwise only meet on the Pay button; so is a quote that failed.
        Phase::Editing => match &model.form.quote {
            flow::Lookup::Ready(quote) => {
                return format!(
                    "{} {}.",
                    text(locale, Key::QuoteYouPay),
                    interop::format_money(locale, quote.payer_amount, &quote.payer_currency)
                );
            }
            flow::Lookup::Failed(key) => Some(*key),
            _ => None,
        },
        Phase::Submitting { .. } | Phase::Tokenizing { .. } => Some(Key::Sending),
        Phase::Authenticating { .. } => Some(Key::Authenticating),
        Phase::Waiting { attempt, .. } if flow::is_overdue(model) => {
            Some(waiting::overdue_key(attempt.is_card()))
        }
        Phase::Waiting { attempt, .. } => Some(waiting::title(attempt)),
        Phase::Succeeded { .. } => Some(Key::SuccessTitle),
        Phase::Failed { reason, .. } => {
            return format!(
                "{} {}",
                text(locale, Key::FailureTitle),
                text(locale, *reason)
            );
        }
        Phase::AlreadyPaid => Some(Key::AlreadyPaidTitle),
        // Without the order, the screen says it is loading (the order is loaded again).
        Phase::Renewing { .. } if model.summary.is_none() => Some(Key::Loading),
        Phase::Renewing { .. } => Some(Key::Renewing),
    };
    key.map(|k| text(locale, k).to_owned()).unwrap_or_default()
}

/// The attempt kept in browser storage under `key`, if any is readable.
fn stored_attempt(key: &str) -> Option<Attempt> {
    interop::storage_get(key).and_then(|text| json::from_json(&text).ok())
}
