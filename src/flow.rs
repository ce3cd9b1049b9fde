//! The checkout as a pure state machine: `step(model, event, now) -> (model, commands)`. No
//! leptos, web-sys or gloo here: the UI renders [`Model`] and turns payer actions and I/O
//! results into [`Event`]s; the runner performs the [`Command`]s in order.
//!
//! The money rules live here and nowhere else:
//! - one `reference_id` per attempt, made by the runner and **stored before** the create-payment
//!   request ([`Command::StoreAttempt`] always precedes [`Command::CreatePayment`]);
//! - while an attempt may still land, no new one: a lost answer is settled by asking again with
//!   the same reference (the proxy answers status-first), never by a new reference;
//! - a new attempt only after `FAILED`; Pay acts only in [`Phase::Editing`], so it cannot fire
//!   twice; a reload or another tab resumes the stored attempt instead of starting one.

use std::sync::Arc;

use dollr_api::widget::{CheckoutSummary, ErrorCode, OperatorInfo, Payment, Quote, Receipt};
use dollr_api::{ExecutionStatus, PaymentMethod, SourceStatus};

use crate::error::WidgetError;
use crate::i18n::Key;
use crate::phone::{check_phone, Country, PhoneCheck};

/// Poll every 2 s during the first minute of an attempt…
pub const FAST_POLL_MS: u32 = 2_000;
/// …which lasts this long…
pub const FAST_WINDOW_MS: f64 = 60_000.0;
/// …then back off to at most every 10 s.
pub const SLOW_POLL_MS: u32 = 10_000;
/// Default time after which the payer is told the payment is still pending.
pub const DEFAULT_TIME_LIMIT_MS: f64 = 15.0 * 60_000.0;
/// First wait before re-sending a create-payment whose answer was lost.
pub const RESEND_MS: u32 = 1_500;
/// While another attempt for the order runs elsewhere, the order is asked about this often.
pub const RECHECK_MS: u32 = 5_000;
/// How long a checkout whose page said it renews the grant waits for the new one before it
/// tells the payer the checkout has ended.
pub const RENEWAL_WAIT_MS: u32 = 10_000;

/// One payment attempt: exactly what is stored in the browser before it is sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    /// UUID v4, the idempotency key.
    pub reference_id: String,
    /// Mobile-money method.
    pub method: PaymentMethod,
    /// Currency the payer pays in.
    pub currency: String,
    /// E.164 digits (mobile money; empty for cards).
    pub phone: String,
    /// Cards: the Stripe PaymentMethod id.
    pub payment_method_id: Option<String>,
    /// Cards: what names the card to the payer, when Stripe said.
    pub card: Option<CardSummary>,
    /// When it began (ms since the Unix epoch), so a reload keeps the countdown.
    pub started_at_ms: f64,
}

impl Attempt {
    /// Paid by card (through Stripe), not from a mobile-money wallet.
    pub fn is_card(&self) -> bool {
        self.method == PaymentMethod::CreditCard
    }
}

/// A card network.
#[derive(Debug, PartialEq)]
pub struct Brand {
    /// Stripe's brand code (`PaymentMethod.card.brand`), as stored.
    pub code: &'static str,
    /// The network's own name for itself, as the payer reads it.
    pub name: &'static str,
}

/// The networks a card can be named by.
const BRANDS: [Brand; 9] = [
    Brand {
        code: "visa",
        name: "Visa",
    },
    Brand {
        code: "mastercard",
        name: "Mastercard",
    },
    Brand {
        code: "amex",
        name: "American Express",
    },
    Brand {
        code: "discover",
        name: "Discover",
    },
    Brand {
        code: "diners",
        name: "Diners Club",
    },
    Brand {
        code: "jcb",
        name: "JCB",
    },
    Brand {
        code: "unionpay",
        name: "UnionPay",
    },
    Brand {
        code: "cartes_bancaires",
        name: "Cartes Bancaires",
    },
    Brand {
        code: "eftpos_au",
        name: "eftpos",
    },
];

/// What Stripe tells about the card a PaymentMethod was made from: enough to name it to the
/// payer ("Visa ending in 4242"), never the number.
#[derive(Clone, Debug, PartialEq)]
pub struct CardSummary {
    /// The card's network; `None` for Stripe's `unknown` or a code this widget does not know
    /// (the payer then reads "Card ending in …").
    pub brand: Option<&'static Brand>,
    /// The card number's last four digits.
    pub last4: String,
}

impl CardSummary {
    /// Reads what Stripe.js or storage gave: nothing unless `last4` is four ASCII digits.
    pub fn new(brand: &str, last4: &str) -> Option<CardSummary> {
        (last4.len() == 4 && last4.bytes().all(|b| b.is_ascii_digit())).then(|| CardSummary {
            brand: BRANDS.iter().find(|b| b.code == brand),
            last4: last4.to_owned(),
        })
    }
}

/// What Stripe made from the card field.
#[derive(Clone, Debug, PartialEq)]
pub struct Tokenized {
    /// The `pm_…` id.
    pub payment_method_id: String,
    /// The card's brand and last four digits, when Stripe said.
    pub card: Option<CardSummary>,
}

/// A value fetched on demand.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup<T> {
    /// Not asked for.
    Idle,
    /// Asked for.
    Loading,
    /// Answered (shared: the model is cloned on every event).
    Ready(Arc<T>),
    /// Failed, with the sentence to show.
    Failed(Key),
}

/// Where operator detection stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Operator {
    /// No valid number yet.
    None,
    /// Asking the proxy about this number.
    Detecting(String),
    /// Detected from the number.
    Detected(OperatorInfo),
    /// The number belongs to no supported operator.
    Unknown,
    /// Detection failed (network); the payer can choose by hand.
    Failed,
}

/// How the payer pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayKind {
    /// A mobile-money wallet.
    MobileMoney,
    /// A card, in Stripe's fields.
    Card,
}

/// Where the card fields stand. Stripe.js is loaded only when the payer picks card.
#[derive(Clone, Debug, PartialEq)]
pub enum Card {
    /// Not asked for.
    Unloaded,
    /// Stripe.js is loading.
    Loading,
    /// Stripe.js could not load; mobile money still works.
    Failed,
    /// The card fields are shown.
    Ready {
        /// The payer filled in every field validly.
        complete: bool,
        /// What is wrong with what was typed, or what Stripe refused.
        error: Option<Key>,
    },
}

/// The payer's entries.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// Mobile money or card.
    pub kind: PayKind,
    /// The card fields.
    pub card: Card,
    /// Chosen country.
    pub country: Country,
    /// The phone field exactly as typed.
    pub phone_input: String,
    /// What the phone field holds.
    pub phone: PhoneCheck,
    /// True once the payer left the field or tried to pay: errors show from then on.
    pub show_phone_error: bool,
    /// Operator detection.
    pub operator: Operator,
    /// Method in force: detected or corrected by the payer.
    pub method: Option<PaymentMethod>,
    /// Currency the payer will pay in.
    pub currency: Option<String>,
    /// The exact amount for `method` and `currency`.
    pub quote: Lookup<Quote>,
    /// A refusal of the last attempt's details, shown above the Pay button.
    pub notice: Option<Key>,
    /// The payer's mobile-money network and currency for this number, put back in force when
    /// they return from card or when the number's network is found in a rebuilt checkout.
    wallet: Option<(PaymentMethod, String)>,
}

impl Form {
    fn new(country: Country) -> Form {
        Form {
            kind: PayKind::MobileMoney,
            card: Card::Unloaded,
            country,
            phone_input: String::new(),
            phone: PhoneCheck::Empty,
            show_phone_error: false,
            operator: Operator::None,
            method: None,
            currency: None,
            quote: Lookup::Idle,
            notice: None,
            wallet: None,
        }
    }
}

/// The checkout's phase.
// One per mounted widget: boxing the larger variants would buy nothing measurable.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Fetching the order.
    Loading,
    /// The order could not be loaded.
    LoadFailed {
        /// What to tell the payer.
        message: Key,
        /// Whether "Try again" can help.
        retryable: bool,
    },
    /// The payer fills in the form.
    Editing,
    /// Stripe is turning the card fields into a PaymentMethod id.
    Tokenizing {
        /// The reference the attempt will carry.
        reference_id: String,
    },
    /// The card's bank asks for 3-D Secure; Stripe.js shows its challenge.
    Authenticating {
        /// The stored attempt.
        attempt: Attempt,
    },
    /// The create-payment request is on its way.
    Submitting {
        /// The stored attempt.
        attempt: Attempt,
    },
    /// The payer approves on their phone; the status is polled.
    Waiting {
        /// The stored attempt.
        attempt: Attempt,
        /// Last status heard, if any.
        payment: Option<Payment>,
        /// The last call failed on the network: still checking.
        connection_trouble: bool,
    },
    /// Paid.
    Succeeded {
        /// The attempt that paid.
        attempt: Attempt,
        /// Its final status.
        payment: Payment,
        /// The receipt.
        receipt: Lookup<Receipt>,
    },
    /// The attempt failed: a new one is allowed.
    Failed {
        /// The failed attempt.
        attempt: Attempt,
        /// Why, for the payer.
        reason: Key,
    },
    /// The order was already paid (by another attempt).
    AlreadyPaid,
    /// Nothing more can be done here (expired or invalid checkout).
    Fatal {
        /// Why.
        message: Key,
    },
    /// The grant was refused, and the page said it is getting another one for this order: the
    /// payer is told the checkout reconnects, not that it ended, until the new grant rebuilds it
    /// (or [`RENEWAL_WAIT_MS`] passes, and the refusal shows).
    Renewing {
        /// The refusal, shown if no grant comes.
        message: Key,
    },
}

/// Everything the checkout knows.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// The order, once loaded.
    pub summary: Option<Arc<CheckoutSummary>>,
    /// The payer's entries.
    pub form: Form,
    /// The phase.
    pub phase: Phase,
    /// Current time (ms since the Unix epoch), from the last event.
    pub now_ms: f64,
    /// When a waiting payer is told the payment is still pending.
    pub time_limit_ms: f64,
    /// A stored attempt to resume once the order is loaded.
    resume: Option<Attempt>,
    /// The number entered for the payer once the order is loaded (see [`Prefill`]).
    known_phone: Option<Prefill>,
    /// References whose 3-D Secure challenge already ran here: never twice for one attempt.
    authenticated: Vec<String>,
    /// Other tabs' references that overwrote our stored attempt and were answered by storing
    /// ours again (once each, so two tabs cannot trade writes forever).
    reclaimed: Vec<String>,
    /// Another tab's attempt overwrote ours while ours was still being sent: once the proxy
    /// accepts ours, it is stored again.
    overwritten: Option<String>,
    /// No status poll is hurried before this time: the proxy's `Retry-After` (ms since the
    /// Unix epoch; 0 when none holds).
    hold_polls_until_ms: f64,
}

/// Something that happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The order arrived.
    SummaryLoaded(CheckoutSummary),
    /// The order could not be fetched.
    SummaryFailed(WidgetError),
    /// "Try again" after a load failure.
    RetryPressed,
    /// The payer chose a country.
    CountryChosen(Country),
    /// The phone field changed.
    PhoneEdited(String),
    /// The phone field lost focus.
    PhoneLeft,
    /// Operator detection answered for `phone`.
    OperatorAnswered {
        /// The number asked about.
        phone: String,
        /// The answer.
        result: Result<OperatorInfo, WidgetError>,
    },
    /// The payer chose or corrected the operator.
    MethodChosen(PaymentMethod),
    /// The payer chose a currency.
    CurrencyChosen(String),
    /// "Try again" under a quote that failed.
    QuoteRetryPressed,
    /// A quote answered.
    QuoteAnswered {
        /// Method quoted.
        method: PaymentMethod,
        /// Currency quoted.
        currency: String,
        /// The answer.
        result: Result<Quote, WidgetError>,
    },
    /// Pay was pressed; the runner made a fresh UUID v4 for it (used only if an attempt starts).
    PayPressed {
        /// A fresh reference.
        reference_id: String,
    },
    /// The create-payment request answered.
    PaymentAnswered {
        /// Which attempt.
        reference_id: String,
        /// The answer.
        result: Result<Payment, WidgetError>,
    },
    /// A status poll answered.
    StatusAnswered {
        /// Which attempt.
        reference_id: String,
        /// The answer.
        result: Result<Payment, WidgetError>,
    },
    /// The receipt answered.
    ReceiptAnswered(Result<Receipt, WidgetError>),
    /// "Try again" after a failed payment.
    TryAgainPressed,
    /// Another tab stored an attempt for this order.
    AttemptSeenElsewhere(Attempt),
    /// The order's status, asked for while another attempt for it runs elsewhere.
    OrderRechecked(Result<SourceStatus, WidgetError>),
    /// Time passed (for the elapsed time and countdown).
    Tick,
    /// The page, told the grant was refused, said it is getting another one.
    RenewalPromised,
    /// [`RENEWAL_WAIT_MS`] passed since [`Event::RenewalPromised`].
    RenewalLate,
    /// The payer may be back: the page was shown again after being hidden (approving in their
    /// mobile-money app, say), or the browser came back online. What waits for the network is
    /// asked again.
    PayerBack,
    /// The payer chose mobile money or card.
    KindChosen(PayKind),
    /// Stripe.js loaded, or not.
    StripeLoaded(bool),
    /// "Try again" after Stripe.js failed to load.
    RetryStripePressed,
    /// The card fields changed.
    CardChanged {
        /// Every field filled in validly.
        complete: bool,
        /// Stripe's error code for what was typed, if any.
        error_code: Option<String>,
    },
    /// Stripe answered the PaymentMethod request.
    CardTokenized {
        /// The reference chosen when Pay was pressed.
        reference_id: String,
        /// The PaymentMethod, or Stripe's error code.
        result: Result<Tokenized, Option<String>>,
    },
    /// The 3-D Secure challenge ended.
    CardAuthenticated {
        /// Which attempt.
        reference_id: String,
        /// `Err` with Stripe's error code when the challenge failed or was refused.
        result: Result<(), Option<String>>,
    },
}

/// Work for the runner, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// `GET /v1/checkout`.
    FetchSummary,
    /// `GET /v1/operator?phone=`.
    DetectOperator {
        /// E.164 digits.
        phone: String,
    },
    /// `GET /v1/quote`.
    FetchQuote {
        /// Method.
        method: PaymentMethod,
        /// Payer currency.
        currency: String,
    },
    /// Write the attempt to browser storage. Always runs before [`Command::CreatePayment`].
    StoreAttempt(Attempt),
    /// After `delay_ms`, `POST /v1/payments` for the attempt (idempotent per reference).
    CreatePayment {
        /// The stored attempt.
        attempt: Attempt,
        /// Wait first.
        delay_ms: u32,
    },
    /// After `delay_ms`, `GET /v1/payments/{reference_id}`. One poll waits at a time: a new one
    /// replaces any still waiting.
    PollStatus {
        /// Which attempt.
        reference_id: String,
        /// Wait first.
        delay_ms: u32,
    },
    /// The status poll still waiting for its time, if any, at once. Nothing when none waits
    /// (it is on its way already).
    PollNow,
    /// `GET /v1/receipt`.
    FetchReceipt,
    /// Remove the stored attempt with this reference (it can no longer land). An attempt
    /// stored by another tab under the same key is left alone.
    ForgetAttempt(String),
    /// Read the stored attempt and, if it is not `except`, report it as
    /// [`Event::AttemptSeenElsewhere`].
    FollowStoredAttempt {
        /// The reference just refused here.
        except: String,
    },
    /// After `delay_ms`, `GET /v1/checkout` for the order's status only
    /// ([`Event::OrderRechecked`]); replaces a recheck still waiting.
    RecheckOrder {
        /// Wait first.
        delay_ms: u32,
    },
    /// Load Stripe.js (from the URL the proxy named) and show the card fields.
    LoadStripe,
    /// Ask Stripe for a PaymentMethod id from the card fields.
    CreateCardPaymentMethod {
        /// The reference the attempt will carry.
        reference_id: String,
    },
    /// Run 3-D Secure with Stripe.js for this attempt.
    ConfirmCard {
        /// Which attempt.
        reference_id: String,
        /// Stripe's client secret from the execution.
        client_secret: String,
    },
    /// Pay was pressed on a form that cannot be paid yet: move the focus to what the payer
    /// must see to first (its error is in the model already).
    ShowProblem(Problem),
    /// After `delay_ms`, [`Event::RenewalLate`].
    AwaitRenewal {
        /// Wait first.
        delay_ms: u32,
    },
}

/// What stops a form from being paid, in the order the payer meets it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The phone field: empty, short or impossible.
    Phone,
    /// The network, which was not recognised: the payer chooses it.
    Operator,
    /// Stripe's card fields, not filled in.
    Card,
    /// The card fields or the amount failed to load: their "Try again".
    Retry,
}

/// What to enter in the form for the payer once the order is loaded: the shop's `phone` option,
/// or what the payer had typed and chosen before the checkout was rebuilt (a fresh grant, say).
#[derive(Clone, Debug, PartialEq)]
pub struct Prefill {
    /// The country chosen with it, if any (a number with its country code chooses its own).
    pub country: Option<Country>,
    /// The number, as typed or given.
    pub phone: String,
    /// Mobile money or card, as the payer had it.
    pub kind: PayKind,
    /// The mobile-money network and currency the payer had, chosen again once the number's
    /// network is found (a network or currency picked by hand is not lost).
    pub wallet: Option<(PaymentMethod, String)>,
}

impl Prefill {
    /// A number the shop gave, as if the payer had typed it.
    pub fn phone(phone: String) -> Prefill {
        Prefill {
            country: None,
            phone,
            kind: PayKind::MobileMoney,
            wallet: None,
        }
    }
}

/// What the payer had typed and chosen in the form, to be entered again if the checkout of this
/// order is rebuilt: only while the form is there to type in (or just ended for want of a grant).
pub fn draft(model: &Model) -> Option<Prefill> {
    let on_form = matches!(
        model.phase,
        Phase::Editing | Phase::Fatal { .. } | Phase::Renewing { .. }
    );
    let form = &model.form;
    let chosen = !form.phone_input.trim().is_empty() || form.kind == PayKind::Card;
    (on_form && model.summary.is_some() && chosen).then(|| Prefill {
        country: Some(form.country),
        phone: form.phone_input.clone(),
        kind: form.kind,
        wallet: in_force(form).or_else(|| form.wallet.clone()),
    })
}

/// A model holding nothing, which allocates nothing: what stands in the signal while the model
/// is taken out for a step.
pub fn placeholder() -> Model {
    Model {
        summary: None,
        form: Form::new(Country::Liberia),
        phase: Phase::Loading,
        now_ms: 0.0,
        time_limit_ms: 0.0,
        resume: None,
        known_phone: None,
        authenticated: Vec::new(),
        reclaimed: Vec::new(),
        overwritten: None,
        hold_polls_until_ms: 0.0,
    }
}

/// The first model: loading the order, resuming `stored` if the browser kept an attempt, with
/// `known_phone` entered in the form once the order is loaded if no attempt is resumed.
pub fn start(
    stored: Option<Attempt>,
    now_ms: f64,
    time_limit_ms: f64,
    known_phone: Option<Prefill>,
) -> (Model, Vec<Command>) {
    let model = Model {
        now_ms,
        time_limit_ms,
        resume: stored,
        known_phone,
        ..placeholder()
    };
    (model, vec![Command::FetchSummary])
}

/// The sentence for an error, and whether retrying may help.
pub fn describe(error: &WidgetError) -> (Key, bool) {
    match error {
        WidgetError::Network(_) | WidgetError::Timeout => (Key::ErrorNetwork, true),
        WidgetError::Api {
            code: Some(ErrorCode::GrantExpired),
            ..
        } => (Key::ErrorGrantExpired, false),
        WidgetError::Api {
            code: Some(ErrorCode::InvalidGrant | ErrorCode::Forbidden),
            ..
        } => (Key::ErrorGrantInvalid, false),
        WidgetError::Api {
            code: Some(ErrorCode::AlreadyPaid),
            ..
        } => (Key::ErrorAlreadyPaid, false),
        WidgetError::Api { status: 429, .. } => (Key::ErrorRateLimited, true),
        // The proxy's own setup, a grant for an order Dollr does not have (or a call the proxy
        // does not know: a proxy older than the widget), or no proxy where the `proxy` option
        // points (an address that does not exist, answered not in the proxy's words): the
        // shop's to fix, perhaps while the payer waits, so they may retry.
        WidgetError::Api {
            code: Some(ErrorCode::Misconfigured | ErrorCode::NotFound),
            ..
        }
        | WidgetError::Api {
            status: 404 | 405,
            code: None,
            ..
        }
        // The page's own policy refusing the proxy: the shop's to fix too.
        | WidgetError::Refused(_) => (Key::ErrorMisconfigured, true),
        WidgetError::InvalidOptions { .. } => (Key::ErrorMisconfigured, false),
        // Its sentence asks the payer to try again, so a try is offered whatever the cause (one
        // that cannot help costs them a tap; without it they could only reload).
        _ => (Key::ErrorGeneric, true),
    }
}

/// The sentence when `error` refuses the grant itself (expired, invalid, not allowed): no
/// request made with it can succeed, so retrying cannot help.
fn grant_refused(error: &WidgetError) -> Option<Key> {
    match describe(error).0 {
        key @ (Key::ErrorGrantExpired | Key::ErrorGrantInvalid) => Some(key),
        _ => None,
    }
}

/// The grant's refusal in an answer to what the form asked (the network, the amount, the
/// order's status while another payment runs).
fn refused_on_form(event: &Event) -> Option<Key> {
    match event {
        Event::OperatorAnswered { result: Err(e), .. }
        | Event::QuoteAnswered { result: Err(e), .. }
        | Event::OrderRechecked(Err(e)) => grant_refused(e),
        _ => None,
    }
}

/// How long to wait before the next status poll of an attempt begun at `started_at_ms`:
/// 2 s in the first minute, then growing to at most 10 s; never sooner than `Retry-After`.
pub fn poll_delay(started_at_ms: f64, now_ms: f64, retry_after_s: Option<u32>) -> u32 {
    let elapsed = (now_ms - started_at_ms).max(0.0);
    let base = if elapsed < FAST_WINDOW_MS {
        FAST_POLL_MS
    } else {
        let grown = f64::from(FAST_POLL_MS) + (elapsed - FAST_WINDOW_MS) * 0.1;
        grown.min(f64::from(SLOW_POLL_MS)) as u32
    };
    match retry_after_s {
        Some(seconds) => base.max(seconds.saturating_mul(1000)),
        None => base,
    }
}

/// The payer's sentence for a failed payment's gateway message.
pub fn failure_reason(message: Option<&str>) -> Key {
    let text = message.unwrap_or_default().to_ascii_lowercase();
    if text.contains("insufficient") {
        Key::FailureInsufficientFunds
    } else if text.contains("declined") || text.contains("rejected") || text.contains("cancel") {
        Key::FailureDeclined
    } else if text.contains("authentication") {
        Key::FailureAuthentication
    } else {
        Key::FailureGeneric
    }
}

/// True when Pay can be pressed: the form is not sent, and nothing it needs is on its way (the
/// network, the amount, Stripe's card fields). A press on a form that cannot be paid yet says
/// what is missing instead of doing nothing, so Pay is never disabled for the payer's entries.
pub fn pay_pressable(model: &Model) -> bool {
    let form = &model.form;
    let arriving = matches!(form.quote, Lookup::Loading)
        || match form.kind {
            PayKind::MobileMoney => matches!(form.operator, Operator::Detecting(_)),
            PayKind::Card => matches!(form.card, Card::Unloaded | Card::Loading),
        };
    matches!(model.phase, Phase::Editing) && !arriving
}

/// True when the form may be paid: valid number, a method, a currency and its quote.
pub fn can_pay(model: &Model) -> bool {
    let form = &model.form;
    let details = match form.kind {
        PayKind::MobileMoney => matches!(form.phone, PhoneCheck::Valid(_)),
        PayKind::Card => matches!(form.card, Card::Ready { complete: true, .. }),
    };
    matches!(model.phase, Phase::Editing)
        && details
        && form.method.is_some()
        && form.currency.is_some()
        && matches!(form.quote, Lookup::Ready(_))
}

/// True when the order offers cards.
pub fn offers_card(model: &Model) -> bool {
    model.summary.as_deref().is_some_and(|s| {
        s.stripe.is_some()
            && s.methods
                .iter()
                .any(|o| o.method == PaymentMethod::CreditCard)
    })
}

/// The payer's sentence for a Stripe error code.
pub fn card_error(code: Option<&str>) -> Key {
    match code.unwrap_or_default() {
        "card_declined" | "generic_decline" | "do_not_honor" => Key::CardDeclined,
        "incorrect_number" | "invalid_number" | "incomplete_number" => Key::CardNumber,
        "invalid_expiry_month"
        | "invalid_expiry_year"
        | "invalid_expiry_year_past"
        | "incomplete_expiry"
        | "expired_card" => Key::CardExpiry,
        "incorrect_cvc" | "invalid_cvc" | "incomplete_cvc" => Key::CardCvc,
        "payment_intent_authentication_failure" => Key::FailureAuthentication,
        "api_connection_error" => Key::ErrorNetwork,
        _ => Key::CardGeneric,
    }
}

/// Currencies the order's offer allows for `method`.
pub fn currencies_for(summary: &CheckoutSummary, method: &PaymentMethod) -> Vec<String> {
    summary
        .methods
        .iter()
        .find(|offer| &offer.method == method)
        .map(|offer| offer.currencies.clone())
        .unwrap_or_default()
}

/// Mobile-money methods offered in `country`.
pub fn methods_in(summary: &CheckoutSummary, country: Country) -> Vec<PaymentMethod> {
    summary
        .methods
        .iter()
        .filter(|offer| {
            offer.method.is_mobile_money() && offer.country.as_deref() == Some(country.iso_code())
        })
        .map(|offer| offer.method.clone())
        .collect()
}

/// Countries with at least one mobile-money method on offer.
pub fn countries(summary: &CheckoutSummary) -> Vec<Country> {
    Country::ALL
        .iter()
        .copied()
        .filter(|c| !methods_in(summary, *c).is_empty())
        .collect()
}

/// One transition.
pub fn step(mut model: Model, event: Event, now_ms: f64) -> (Model, Vec<Command>) {
    model.now_ms = now_ms;
    let mut commands = Vec::new();
    if let (Phase::Editing, Some(message)) = (&model.phase, refused_on_form(&event)) {
        // The grant ran out (or was refused) while the payer was on the form: nothing more can
        // be asked with it, so the checkout ends and the shop is told, and may mint another.
        model.phase = Phase::Fatal { message };
        return (model, commands);
    }
    match event {
        Event::SummaryLoaded(summary) => on_summary(&mut model, summary, &mut commands),
        Event::SummaryFailed(error) => {
            if matches!(model.phase, Phase::Loading) {
                let (message, retryable) = describe(&error);
                model.phase = Phase::LoadFailed { message, retryable };
            }
        }
        Event::RetryPressed => {
            if let Phase::LoadFailed {
                retryable: true, ..
            } = model.phase
            {
                model.phase = Phase::Loading;
                commands.push(Command::FetchSummary);
            }
        }
        Event::CountryChosen(country) if matches!(model.phase, Phase::Editing) => {
            if model.form.country != country {
                model.form.country = country;
                let input = model.form.phone_input.clone();
                on_phone(&mut model, input, &mut commands);
            }
        }
        Event::PhoneEdited(input) if matches!(model.phase, Phase::Editing) => {
            model.form.notice = None;
            // "Enter your number" is answered by typing: the next error waits for the payer
            // again (an impossible number still shows its error at once).
            if model.form.phone == PhoneCheck::Empty {
                model.form.show_phone_error = false;
            }
            enter_phone(&mut model, input, &mut commands);
        }
        Event::PhoneLeft if matches!(model.phase, Phase::Editing) => {
            // Leaving an empty field says nothing, unless Pay already asked for the number.
            model.form.show_phone_error |= model.form.phone != PhoneCheck::Empty;
        }
        Event::OperatorAnswered { phone, result } => {
            on_operator(&mut model, phone, result, &mut commands)
        }
        Event::MethodChosen(method) if matches!(model.phase, Phase::Editing) => {
            if offered_here(&model, &method) && model.form.method.as_ref() != Some(&method) {
                // The currency the payer pays in stays, where the network takes it.
                let currency = model.form.currency.take();
                choose_method(&mut model, method, currency, &mut commands);
            }
        }
        Event::CurrencyChosen(currency) if matches!(model.phase, Phase::Editing) => {
            let allowed = match (model.summary.as_deref(), &model.form.method) {
                (Some(summary), Some(method)) => {
                    currencies_for(summary, method).contains(&currency)
                }
                _ => false,
            };
            if allowed && model.form.currency.as_ref() != Some(&currency) {
                model.form.currency = Some(currency);
                request_quote(&mut model, &mut commands);
            }
        }
        Event::QuoteAnswered {
            method,
            currency,
            result,
        } => {
            let current = model.form.method.as_ref() == Some(&method)
                && model.form.currency.as_ref() == Some(&currency);
            if current && matches!(model.form.quote, Lookup::Loading) {
                model.form.quote = match result {
                    Ok(quote) => Lookup::Ready(Arc::new(quote)),
                    Err(error) => Lookup::Failed(describe(&error).0),
                };
            }
        }
        Event::QuoteRetryPressed if matches!(model.phase, Phase::Editing) => {
            if matches!(model.form.quote, Lookup::Failed(_)) {
                request_quote(&mut model, &mut commands);
            }
        }
        Event::PayPressed { reference_id } => on_pay(&mut model, reference_id, &mut commands),
        Event::PaymentAnswered {
            reference_id,
            result,
        } => on_payment_answer(&mut model, &reference_id, result, true, &mut commands),
        Event::StatusAnswered {
            reference_id,
            result,
        } => on_payment_answer(&mut model, &reference_id, result, false, &mut commands),
        Event::ReceiptAnswered(result) => {
            if let Phase::Succeeded { receipt, .. } = &mut model.phase {
                *receipt = match result {
                    Ok(r) => Lookup::Ready(Arc::new(r)),
                    Err(error) => Lookup::Failed(describe(&error).0),
                };
            }
        }
        Event::TryAgainPressed => {
            if let Phase::Failed { attempt, .. } = &model.phase {
                commands.push(Command::ForgetAttempt(attempt.reference_id.clone()));
                model.phase = Phase::Editing;
            }
        }
        Event::KindChosen(kind)
            if matches!(model.phase, Phase::Editing) && model.form.kind != kind =>
        {
            choose_kind(&mut model, kind, &mut commands);
        }
        Event::StripeLoaded(loaded) => {
            if matches!(model.form.card, Card::Loading) {
                model.form.card = if loaded {
                    Card::Ready {
                        complete: false,
                        error: None,
                    }
                } else {
                    Card::Failed
                };
            }
        }
        Event::RetryStripePressed
            if matches!(model.phase, Phase::Editing) && matches!(model.form.card, Card::Failed) =>
        {
            model.form.card = Card::Loading;
            commands.push(Command::LoadStripe);
        }
        Event::CardChanged {
            complete,
            error_code,
        } => {
            if let Card::Ready { .. } = model.form.card {
                model.form.card = Card::Ready {
                    complete,
                    error: error_code.as_deref().map(|c| card_error(Some(c))),
                };
            }
        }
        Event::CardTokenized {
            reference_id,
            result,
        } => on_tokenized(&mut model, reference_id, result, &mut commands),
        Event::CardAuthenticated { reference_id, .. } => {
            // Whatever Stripe.js says, the execution's status decides: ask for it now.
            if let Phase::Authenticating { attempt } = &model.phase {
                if attempt.reference_id == reference_id {
                    let attempt = attempt.clone();
                    commands.push(Command::PollStatus {
                        reference_id,
                        delay_ms: 0,
                    });
                    model.phase = Phase::Waiting {
                        attempt,
                        payment: None,
                        connection_trouble: false,
                    };
                }
            }
        }
        Event::AttemptSeenElsewhere(other) => match &model.phase {
            // Another tab started paying this order: follow that attempt instead of racing it.
            Phase::Editing => follow(&mut model, other, &mut commands),
            // Ours runs, and the other tab's write just replaced it in storage: store ours
            // again so a reload here resumes it. (The proxy refuses the other one while ours
            // runs, and that tab then follows ours.)
            Phase::Authenticating { attempt } | Phase::Waiting { attempt, .. }
                if attempt.reference_id != other.reference_id
                    && !model.reclaimed.contains(&other.reference_id) =>
            {
                commands.push(Command::StoreAttempt(attempt.clone()));
                model.reclaimed.push(other.reference_id);
            }
            // Ours is still on its way: which of the two runs is not known yet.
            Phase::Submitting { attempt } if attempt.reference_id != other.reference_id => {
                model.overwritten = Some(other.reference_id);
            }
            _ => {}
        },
        Event::OrderRechecked(result) => on_recheck(&mut model, result, &mut commands),
        Event::PayerBack => on_payer_back(&mut model, &mut commands),
        Event::RenewalPromised => on_renewal_promised(&mut model, &mut commands),
        Event::RenewalLate => {
            if let Phase::Renewing { message } = model.phase {
                model.phase = if model.summary.is_some() {
                    Phase::Fatal { message }
                } else {
                    Phase::LoadFailed {
                        message,
                        retryable: false,
                    }
                };
            }
        }
        // Form edits outside Editing are ignored: the details of a running attempt are fixed.
        Event::CountryChosen(_)
        | Event::PhoneEdited(_)
        | Event::PhoneLeft
        | Event::MethodChosen(_)
        | Event::CurrencyChosen(_)
        | Event::QuoteRetryPressed
        | Event::KindChosen(_)
        | Event::RetryStripePressed
        | Event::Tick => {}
    }
    (model, commands)
}

/// The page is getting a new grant for a checkout whose grant was refused: the checkout waits
/// for it, saying it reconnects. Nothing else it may have ended on waits for a grant.
fn on_renewal_promised(model: &mut Model, commands: &mut Vec<Command>) {
    let (Phase::Fatal { message } | Phase::LoadFailed { message, .. }) = model.phase else {
        return;
    };
    if matches!(message, Key::ErrorGrantExpired | Key::ErrorGrantInvalid) {
        model.phase = Phase::Renewing { message };
        commands.push(Command::AwaitRenewal {
            delay_ms: RENEWAL_WAIT_MS,
        });
    }
}

/// The payer may be back, or the network: a waiting payment is checked at once (the payer
/// should not wait for the next poll to see the outcome), unless the proxy asked for a pause,
/// and so is the order while another device's payment for it runs; an order or a quote that
/// failed on the network is asked for again.
fn on_payer_back(model: &mut Model, commands: &mut Vec<Command>) {
    match &model.phase {
        Phase::Waiting { .. } if model.now_ms >= model.hold_polls_until_ms => {
            commands.push(Command::PollNow);
        }
        Phase::LoadFailed {
            message: Key::ErrorNetwork,
            ..
        } => {
            model.phase = Phase::Loading;
            commands.push(Command::FetchSummary);
        }
        Phase::Editing => {
            if model.form.notice == Some(Key::NoticePaymentInProgress) {
                // Another device's payment may have ended while the payer was away.
                commands.push(Command::RecheckOrder { delay_ms: 0 });
            }
            if matches!(model.form.quote, Lookup::Failed(Key::ErrorNetwork)) {
                request_quote(model, commands);
            }
        }
        _ => {}
    }
}

/// True when a failed quote may come on another try (not a refusal that would come again).
pub fn quote_retryable(model: &Model) -> bool {
    matches!(
        model.form.quote,
        Lookup::Failed(
            Key::ErrorNetwork | Key::ErrorRateLimited | Key::ErrorMisconfigured | Key::ErrorGeneric
        )
    )
}

fn on_summary(model: &mut Model, summary: CheckoutSummary, commands: &mut Vec<Command>) {
    if !matches!(model.phase, Phase::Loading) {
        return;
    }
    let default_country = if summary.currency == "RWF" {
        Country::Rwanda
    } else {
        Country::Liberia
    };
    let offered = countries(&summary);
    let country = if offered.contains(&default_country) {
        default_country
    } else {
        offered.first().copied().unwrap_or(default_country)
    };
    model.form = Form::new(country);
    let already_paid = summary.status == SourceStatus::Paid;
    let processing = summary.status == SourceStatus::Processing;
    model.summary = Some(Arc::new(summary));
    if let Some(attempt) = model.resume.take() {
        // A stored attempt may have landed: ask about it, never start another.
        follow(model, attempt, commands);
    } else if already_paid {
        model.phase = Phase::AlreadyPaid;
    } else {
        model.phase = Phase::Editing;
        if let Some(known) = model.known_phone.take() {
            if let Some(country) = known.country.filter(|c| offered.contains(c)) {
                model.form.country = country;
            }
            // As if the payer had typed it; a number too short says so at once too (an
            // impossible one always does), since they did not type it into this form (the shop
            // gave it, or the checkout was rebuilt under them) and might not look.
            enter_phone(model, known.phone, commands);
            model.form.show_phone_error |= model.form.phone == PhoneCheck::Incomplete;
            model.form.wallet = known.wallet;
            if known.kind == PayKind::Card {
                choose_kind(model, PayKind::Card, commands);
            }
        }
        if processing {
            // Someone else's attempt (another device) may land: say so before the payer types.
            model.form.notice = Some(Key::NoticePaymentInProgress);
            commands.push(Command::RecheckOrder {
                delay_ms: RECHECK_MS,
            });
        }
    }
}

/// A number in the phone field: with a country code, its country is chosen first.
fn enter_phone(model: &mut Model, input: String, commands: &mut Vec<Command>) {
    if let Some(country) = country_of_number(model, &input) {
        model.form.country = country;
    }
    on_phone(model, input, commands);
}

/// The order's status while the payer was told another payment runs: paid ends it, still
/// processing (or no answer) asks again later, anything else means the other attempt ended
/// unpaid and this payer may pay. Nothing happens once the payer has moved on.
fn on_recheck(
    model: &mut Model,
    result: Result<SourceStatus, WidgetError>,
    commands: &mut Vec<Command>,
) {
    if !matches!(model.phase, Phase::Editing)
        || model.form.notice != Some(Key::NoticePaymentInProgress)
    {
        return;
    }
    match result {
        Ok(SourceStatus::Paid) => {
            model.form.notice = None;
            model.phase = Phase::AlreadyPaid;
        }
        Ok(SourceStatus::Processing) | Err(_) => commands.push(Command::RecheckOrder {
            delay_ms: RECHECK_MS,
        }),
        Ok(_) => model.form.notice = Some(Key::NoticeOtherPaymentEnded),
    }
}

/// Follows an attempt that may already have landed (resumed, or started in another tab): show
/// its details and ask for its status at once.
fn follow(model: &mut Model, attempt: Attempt, commands: &mut Vec<Command>) {
    model.form.notice = None;
    model.overwritten = None;
    prefill(&mut model.form, &attempt);
    commands.push(Command::PollStatus {
        reference_id: attempt.reference_id.clone(),
        delay_ms: 0,
    });
    model.phase = Phase::Waiting {
        attempt,
        payment: None,
        connection_trouble: false,
    };
}

/// Shows a resumed attempt's details in the form (read-only while it runs).
fn prefill(form: &mut Form, attempt: &Attempt) {
    form.method = Some(attempt.method.clone());
    form.currency = Some(attempt.currency.clone());
    if attempt.is_card() {
        form.kind = PayKind::Card;
        return;
    }
    if let Some(country) = Country::ALL
        .iter()
        .copied()
        .find(|c| attempt.phone.starts_with(c.dialing_code()))
    {
        form.country = country;
        form.phone_input = attempt.phone[country.dialing_code().len()..].to_owned();
    } else {
        form.phone_input = attempt.phone.clone();
    }
    form.phone = PhoneCheck::Valid(attempt.phone.clone());
    form.method = Some(attempt.method.clone());
    form.currency = Some(attempt.currency.clone());
}

/// The offered country a number typed with its country code belongs to (`+250 78…` pasted while
/// Liberia is chosen), when that is not the chosen one: typing or pasting such a number chooses
/// its country, as the payer meant. A country the payer then chooses by hand is kept.
fn country_of_number(model: &Model, input: &str) -> Option<Country> {
    let chosen = model.form.country;
    let belongs: fn(PhoneCheck) -> bool = match check_phone(chosen, input) {
        // Written with "+" or "00": its code names its country, whatever else is wrong with it.
        PhoneCheck::Invalid(Key::PhoneOtherCountry) => {
            |check| check != PhoneCheck::Invalid(Key::PhoneOtherCountry)
        }
        // Too long here: perhaps another country's code typed without "+".
        PhoneCheck::Invalid(Key::PhoneTooLong) => {
            |check| matches!(check, PhoneCheck::Valid(_) | PhoneCheck::Incomplete)
        }
        _ => return None,
    };
    countries(model.summary.as_deref()?)
        .into_iter()
        .find(|&country| country != chosen && belongs(check_phone(country, input)))
}

fn on_phone(model: &mut Model, input: String, commands: &mut Vec<Command>) {
    let mut check = check_phone(model.form.country, &input);
    if check == PhoneCheck::Invalid(Key::PhoneOtherCountry) {
        // "Choose its country first" only helps when the order takes that country's wallets.
        let offered = model.summary.as_deref().map(countries).unwrap_or_default();
        if offered.iter().all(|&c| check_phone(c, &input) == check) {
            check = PhoneCheck::Invalid(Key::PhoneCountryNotOffered);
        }
    }
    model.form.phone_input = input;
    let previous = match &model.form.phone {
        PhoneCheck::Valid(p) => Some(p.clone()),
        _ => None,
    };
    model.form.phone = check.clone();
    match check {
        PhoneCheck::Valid(phone) if previous.as_deref() != Some(phone.as_str()) => {
            clear_operator(&mut model.form);
            model.form.operator = Operator::Detecting(phone.clone());
            commands.push(Command::DetectOperator { phone });
        }
        PhoneCheck::Valid(_) => {}
        PhoneCheck::Invalid(_) => {
            // An impossible number shows its error at once, not only on leaving the field.
            model.form.show_phone_error = true;
            clear_operator(&mut model.form);
        }
        _ => clear_operator(&mut model.form),
    }
}

/// Another number (or none): what was found or chosen for the last one goes.
fn clear_operator(form: &mut Form) {
    form.operator = Operator::None;
    form.method = None;
    form.currency = None;
    form.quote = Lookup::Idle;
    form.wallet = None;
}

/// The mobile-money network and currency in force, if the payer is on mobile money.
fn in_force(form: &Form) -> Option<(PaymentMethod, String)> {
    let on_wallet = form.kind == PayKind::MobileMoney;
    form.method
        .clone()
        .zip(form.currency.clone())
        .filter(|_| on_wallet)
}

/// Puts the payer's kept network and currency back in force (see [`Form`]), if this order
/// still offers that network in their country; false when there was none to put back.
fn restore_wallet(model: &mut Model, commands: &mut Vec<Command>) -> bool {
    let Some((method, currency)) = model.form.wallet.take() else {
        return false;
    };
    let offered = offered_here(model, &method);
    if offered {
        choose_method(model, method, Some(currency), commands);
    }
    offered
}

/// True when the order offers the mobile-money `method` in the payer's chosen country.
fn offered_here(model: &Model, method: &PaymentMethod) -> bool {
    model
        .summary
        .as_deref()
        .is_some_and(|s| methods_in(s, model.form.country).contains(method))
}

fn on_operator(
    model: &mut Model,
    phone: String,
    result: Result<OperatorInfo, WidgetError>,
    commands: &mut Vec<Command>,
) {
    if !matches!(model.phase, Phase::Editing) || model.form.operator != Operator::Detecting(phone) {
        return; // stale: the number changed meanwhile
    }
    model.form.operator = match result {
        Ok(info) if offered_here(model, &info.method) => Operator::Detected(info),
        Ok(_)
        | Err(WidgetError::Api {
            code: Some(ErrorCode::UnknownOperator),
            ..
        }) => Operator::Unknown,
        Err(_) => Operator::Failed,
    };
    // A payer who meanwhile picked card keeps the card's method and amount; this is done when
    // they go back to mobile money.
    if model.form.kind == PayKind::MobileMoney {
        settle_wallet(model, commands);
    }
}

/// On mobile money, once the number's network is looked up: the network and currency the payer
/// had (before picking card, or before the checkout was rebuilt) if there are any, else the
/// network found from the number, else none until the payer chooses one.
fn settle_wallet(model: &mut Model, commands: &mut Vec<Command>) {
    let looking = matches!(model.form.operator, Operator::Detecting(_));
    if looking || !restore_wallet(model, commands) {
        match &model.form.operator {
            Operator::Detected(info) => {
                let method = info.method.clone();
                choose_method(model, method, None, commands);
            }
            _ => {
                model.form.method = None;
                model.form.currency = None;
                model.form.quote = Lookup::Idle;
            }
        }
    }
}

/// `method` in force, in `wanted` if it takes that currency, else the order's, else its first.
fn choose_method(
    model: &mut Model,
    method: PaymentMethod,
    wanted: Option<String>,
    commands: &mut Vec<Command>,
) {
    let currencies = model
        .summary
        .as_deref()
        .map(|s| currencies_for(s, &method))
        .unwrap_or_default();
    let preferred = model
        .summary
        .as_deref()
        .map(|s| s.currency.clone())
        .unwrap_or_default();
    model.form.currency = [wanted, Some(preferred)]
        .into_iter()
        .flatten()
        .find(|c| currencies.contains(c))
        .or_else(|| currencies.first().cloned());
    model.form.method = Some(method);
    request_quote(model, commands);
}

fn request_quote(model: &mut Model, commands: &mut Vec<Command>) {
    match (&model.form.method, &model.form.currency) {
        (Some(method), Some(currency)) => {
            model.form.quote = Lookup::Loading;
            commands.push(Command::FetchQuote {
                method: method.clone(),
                currency: currency.clone(),
            });
        }
        _ => model.form.quote = Lookup::Idle,
    }
}

fn choose_kind(model: &mut Model, kind: PayKind, commands: &mut Vec<Command>) {
    match kind {
        PayKind::Card if offers_card(model) => {
            model.form.notice = None;
            if matches!(model.form.card, Card::Unloaded | Card::Failed) {
                model.form.card = Card::Loading;
                commands.push(Command::LoadStripe);
            }
            // The payer's network and currency wait for them to come back.
            if let Some(wallet) = in_force(&model.form) {
                model.form.wallet = Some(wallet);
            }
            model.form.kind = PayKind::Card;
            choose_method(model, PaymentMethod::CreditCard, None, commands);
        }
        PayKind::Card => {}
        PayKind::MobileMoney => {
            model.form.kind = PayKind::MobileMoney;
            model.form.notice = None;
            settle_wallet(model, commands);
        }
    }
}

fn on_tokenized(
    model: &mut Model,
    reference_id: String,
    result: Result<Tokenized, Option<String>>,
    commands: &mut Vec<Command>,
) {
    if model.phase
        != (Phase::Tokenizing {
            reference_id: reference_id.clone(),
        })
    {
        return;
    }
    let (Some(method), Some(currency)) = (model.form.method.clone(), model.form.currency.clone())
    else {
        model.phase = Phase::Editing;
        return;
    };
    match result {
        Ok(made) => {
            let attempt = Attempt {
                reference_id,
                method,
                currency,
                phone: String::new(),
                payment_method_id: Some(made.payment_method_id),
                card: made.card,
                started_at_ms: model.now_ms,
            };
            submit(model, attempt, commands);
        }
        Err(code) => {
            let complete = matches!(model.form.card, Card::Ready { complete: true, .. });
            model.form.card = Card::Ready {
                complete,
                error: Some(card_error(code.as_deref())),
            };
            model.phase = Phase::Editing;
        }
    }
}

fn on_pay(model: &mut Model, reference_id: String, commands: &mut Vec<Command>) {
    if !matches!(model.phase, Phase::Editing) {
        return; // a second press while paying does nothing
    }
    if !can_pay(model) {
        if let Some(problem) = show_problem(model) {
            commands.push(Command::ShowProblem(problem));
        }
        return;
    }
    if model.form.kind == PayKind::Card {
        model.form.notice = None;
        commands.push(Command::CreateCardPaymentMethod {
            reference_id: reference_id.clone(),
        });
        model.phase = Phase::Tokenizing { reference_id };
        return;
    }
    let (PhoneCheck::Valid(phone), Some(method), Some(currency)) =
        (&model.form.phone, &model.form.method, &model.form.currency)
    else {
        return;
    };
    let attempt = Attempt {
        reference_id,
        method: method.clone(),
        currency: currency.clone(),
        phone: phone.clone(),
        payment_method_id: None,
        card: None,
        started_at_ms: model.now_ms,
    };
    model.form.notice = None;
    submit(model, attempt, commands);
}

/// The first thing that stops the form from being paid, with its error made visible.
fn show_problem(model: &mut Model) -> Option<Problem> {
    let form = &mut model.form;
    match (&form.kind, &mut form.card) {
        (PayKind::MobileMoney, _) if !matches!(form.phone, PhoneCheck::Valid(_)) => {
            form.show_phone_error = true;
            return Some(Problem::Phone);
        }
        (PayKind::MobileMoney, _) if form.method.is_none() => return Some(Problem::Operator),
        (PayKind::Card, Card::Failed) => return Some(Problem::Retry),
        (
            PayKind::Card,
            Card::Ready {
                complete: false,
                error,
            },
        ) => {
            error.get_or_insert(Key::CardIncomplete);
            return Some(Problem::Card);
        }
        _ => {}
    }
    quote_retryable(model).then_some(Problem::Retry)
}

/// Starts a new attempt, card or mobile money: stored first, then sent, so a reload can always
/// find the attempt it must resume.
fn submit(model: &mut Model, attempt: Attempt, commands: &mut Vec<Command>) {
    model.overwritten = None;
    commands.push(Command::StoreAttempt(attempt.clone()));
    commands.push(Command::CreatePayment {
        attempt: attempt.clone(),
        delay_ms: 0,
    });
    model.phase = Phase::Submitting { attempt };
}

fn current_attempt(phase: &Phase) -> Option<&Attempt> {
    match phase {
        Phase::Submitting { attempt } | Phase::Waiting { attempt, .. } => Some(attempt),
        _ => None,
    }
}

fn on_payment_answer(
    model: &mut Model,
    reference_id: &str,
    result: Result<Payment, WidgetError>,
    from_create: bool,
    commands: &mut Vec<Command>,
) {
    let Some(attempt) = current_attempt(&model.phase)
        .filter(|a| a.reference_id == reference_id)
        .cloned()
    else {
        return; // an answer about an attempt we no longer follow
    };
    match result {
        Ok(payment) if payment.reference_id != attempt.reference_id => {
            // The proxy answered about another payment: not trusted, keep asking.
            wait(model, attempt, None, true, None, commands);
        }
        Ok(payment) => {
            if let Some(other) = model.overwritten.take() {
                // Ours was accepted after another tab wrote over it: ours goes back in storage.
                commands.push(Command::StoreAttempt(attempt.clone()));
                model.reclaimed.push(other);
            }
            on_payment(model, attempt, payment, commands);
        }
        Err(WidgetError::Api { status: 404, .. }) if !from_create => {
            // Nothing landed under this reference (the first request was lost before the proxy
            // acted): send the same attempt again, same reference.
            commands.push(Command::CreatePayment {
                attempt: attempt.clone(),
                delay_ms: 0,
            });
            model.phase = Phase::Waiting {
                attempt,
                payment: None,
                connection_trouble: true,
            };
        }
        Err(WidgetError::Api {
            code: Some(ErrorCode::AlreadyPaid),
            ..
        }) => {
            model.phase = Phase::AlreadyPaid;
            commands.push(Command::ForgetAttempt(attempt.reference_id));
        }
        Err(WidgetError::Api {
            code: Some(ErrorCode::PaymentInProgress),
            ..
        }) if from_create => {
            // Another attempt for this order may land (another tab or device); nothing was sent
            // for ours. Say so, and follow the other one if this browser stored it.
            model.form.notice = Some(Key::NoticePaymentInProgress);
            model.phase = Phase::Editing;
            commands.push(Command::ForgetAttempt(attempt.reference_id.clone()));
            commands.push(Command::FollowStoredAttempt {
                except: attempt.reference_id,
            });
            commands.push(Command::RecheckOrder {
                delay_ms: RECHECK_MS,
            });
        }
        Err(error) if grant_refused(&error).is_some() => {
            // The attempt stays stored: it may still land, and a fresh grant resumes it.
            model.phase = Phase::Fatal {
                message: describe(&error).0,
            };
        }
        Err(error) if error.is_transient() || matches!(error, WidgetError::BadResponse(_)) => {
            let retry_after = match &error {
                WidgetError::Api { retry_after, .. } => *retry_after,
                _ => None,
            };
            if from_create {
                // The answer was lost: the payment may or may not exist. Ask again with the same
                // reference (the proxy checks the status first), after a pause.
                let delay_ms =
                    retry_after.map_or(RESEND_MS, |s| s.saturating_mul(1000).max(RESEND_MS));
                commands.push(Command::CreatePayment {
                    attempt: attempt.clone(),
                    delay_ms,
                });
                model.phase = Phase::Waiting {
                    attempt,
                    payment: None,
                    connection_trouble: true,
                };
            } else {
                let payment = last_payment(&model.phase);
                wait(model, attempt, payment, true, retry_after, commands);
            }
        }
        Err(_) if from_create => {
            // Refused before anything was executed (a 4xx): the details were not accepted.
            model.form.notice = Some(if attempt.is_card() {
                Key::NoticeCardRefused
            } else {
                Key::NoticeDetailsRefused
            });
            model.phase = Phase::Editing;
            commands.push(Command::ForgetAttempt(attempt.reference_id));
        }
        Err(_) => {
            let payment = last_payment(&model.phase);
            wait(model, attempt, payment, true, None, commands);
        }
    }
}

/// A payment answer about the attempt we follow: success, failure, 3-D Secure, or keep asking.
fn on_payment(model: &mut Model, attempt: Attempt, payment: Payment, commands: &mut Vec<Command>) {
    match payment.status {
        ExecutionStatus::Completed => {
            model.phase = Phase::Succeeded {
                attempt,
                payment,
                receipt: Lookup::Loading,
            };
            commands.push(Command::FetchReceipt);
        }
        ExecutionStatus::Failed => {
            // The same reasons, in the words of the way the payer paid: a card has no wallet to
            // top up, and a phone's approval is not a card's verification.
            let reason = match (
                failure_reason(payment.failure_reason.as_deref()),
                attempt.is_card(),
            ) {
                (Key::FailureDeclined, true) => Key::CardDeclined,
                (Key::FailureInsufficientFunds, true) => Key::CardInsufficientFunds,
                (Key::FailureAuthentication, false) => Key::FailureNotApproved,
                (other, _) => other,
            };
            model.phase = Phase::Failed { attempt, reason };
        }
        ExecutionStatus::Pending | ExecutionStatus::Processing => {
            let challenge = payment
                .client_secret
                .clone()
                .filter(|_| payment.requires_action);
            match challenge {
                // 3-D Secure runs at most once per attempt on this page.
                Some(client_secret) if !model.authenticated.contains(&attempt.reference_id) => {
                    model.authenticated.push(attempt.reference_id.clone());
                    commands.push(Command::ConfirmCard {
                        reference_id: attempt.reference_id.clone(),
                        client_secret,
                    });
                    model.phase = Phase::Authenticating { attempt };
                }
                _ => wait(model, attempt, Some(payment), false, None, commands),
            }
        }
        // Unknown means error, never success: keep asking.
        ExecutionStatus::Unrecognised(_) => {
            wait(model, attempt, Some(payment), true, None, commands)
        }
    }
}

/// The last status heard for a waiting attempt, kept across failed polls.
fn last_payment(phase: &Phase) -> Option<Payment> {
    match phase {
        Phase::Waiting { payment, .. } => payment.clone(),
        _ => None,
    }
}

fn wait(
    model: &mut Model,
    attempt: Attempt,
    payment: Option<Payment>,
    connection_trouble: bool,
    retry_after: Option<u32>,
    commands: &mut Vec<Command>,
) {
    let delay_ms = poll_delay(attempt.started_at_ms, model.now_ms, retry_after);
    model.hold_polls_until_ms = match retry_after {
        Some(seconds) => model.now_ms + f64::from(seconds) * 1000.0,
        None => 0.0,
    };
    commands.push(Command::PollStatus {
        reference_id: attempt.reference_id.clone(),
        delay_ms,
    });
    model.phase = Phase::Waiting {
        attempt,
        payment,
        connection_trouble,
    };
}

/// Seconds since the attempt began, and seconds left before the time limit (0 when past it).
pub fn timing(model: &Model, attempt: &Attempt) -> (u64, u64) {
    let elapsed = ((model.now_ms - attempt.started_at_ms).max(0.0) / 1000.0) as u64;
    let limit = (model.time_limit_ms / 1000.0) as u64;
    (elapsed, limit.saturating_sub(elapsed))
}

/// When the payment's clock started, while one runs (sending it, or waiting for approval).
pub fn clock_start(model: &Model) -> Option<f64> {
    match &model.phase {
        Phase::Submitting { attempt } | Phase::Waiting { attempt, .. } => {
            Some(attempt.started_at_ms)
        }
        _ => None,
    }
}

/// Milliseconds from `now_ms` to the next tick of a clock started at `start_ms`: just after its
/// next whole second, so the seconds shown move by exactly one a tick even when timers fire
/// late (a fixed one-second interval drifts, and then a late tick skips a second). A second
/// when no clock runs.
pub fn tick_delay_ms(start_ms: Option<f64>, now_ms: f64) -> u32 {
    /// How far past the second a tick aims, so that it never lands just before it.
    const MARGIN_MS: u32 = 20;
    match start_ms {
        Some(start) => {
            // Whole milliseconds (an integer remainder: no float `%` routine in the wasm).
            let into_second = ((now_ms - start).max(0.0) as u64 % 1000) as u32;
            1000 - into_second + MARGIN_MS
        }
        None => 1000,
    }
}

/// False when the order says the merchant bears the fees: the payer pays the total, and the
/// quote and the receipt read no fees. True otherwise, before the order arrives included.
pub fn payer_pays_fees(model: &Model) -> bool {
    model
        .summary
        .as_deref()
        .is_none_or(CheckoutSummary::payer_pays_fees)
}

/// True when a waiting payment has passed the time limit: still pending, never a failure.
pub fn is_overdue(model: &Model) -> bool {
    match &model.phase {
        Phase::Waiting { attempt, .. } => {
            model.now_ms - attempt.started_at_ms >= model.time_limit_ms
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
