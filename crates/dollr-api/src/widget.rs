//! The widget-facing API: what the checkout widget and the merchant proxy say to each other.
//! Both sides compile these same types, and `crates/dollr-proxy/openapi.yaml` documents them for
//! merchants who implement the proxy on another stack. Every request carries a grant in the
//! `Authorization: Bearer` header.

use serde::{Deserialize, Serialize};

use crate::decimal::Decimal;
use crate::enums::{ExecutionStatus, FeeBearer, PaymentMethod, Provider, SourceStatus, SourceType};

/// Where the proxy's routes live, relative to the URL the merchant gives the widget.
pub mod paths {
    /// `GET`: [`super::CheckoutSummary`].
    pub const CHECKOUT: &str = "/v1/checkout";
    /// `GET ?phone=`: [`super::OperatorInfo`].
    pub const OPERATOR: &str = "/v1/operator";
    /// `GET ?method=&currency=`: [`super::Quote`].
    pub const QUOTE: &str = "/v1/quote";
    /// `POST` [`super::CreatePayment`]: [`super::Payment`].
    pub const PAYMENTS: &str = "/v1/payments";
    /// `GET`: [`super::Receipt`].
    pub const RECEIPT: &str = "/v1/receipt";
}

/// One line of the order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineItem {
    /// What is sold.
    pub name: String,
    /// How many.
    pub qty: u32,
    /// Price of one.
    pub unit_amount: Decimal,
    /// `qty × unit_amount`.
    pub amount: Decimal,
}

/// A way to pay that this checkout offers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MethodOffer {
    /// The method.
    pub method: PaymentMethod,
    /// Its provider.
    pub provider: Provider,
    /// ISO 3166 alpha-2 for mobile money; absent for cards.
    #[serde(default)]
    pub country: Option<String>,
    /// Currencies the payer may pay in with it.
    pub currencies: Vec<String>,
}

/// How the widget loads Stripe.js for cards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StripeConfig {
    /// Publishable key (`pk_…`).
    pub publishable_key: String,
    /// The script to load: Stripe's own in production, the sandbox's stand-in locally.
    pub js_url: String,
}

/// `GET /v1/checkout`: everything the widget shows before the payer chooses how to pay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutSummary {
    /// `INVOICE` or `ORDER`.
    pub source_type: SourceType,
    /// Source id.
    pub source_id: u64,
    /// Human-facing number, e.g. `INV-000042`.
    pub source_number: String,
    /// Lifecycle status of the source.
    pub status: SourceStatus,
    /// ISO 4217 of the source.
    pub currency: String,
    /// What is due.
    pub total: Decimal,
    /// Who pays the fees, as Dollr says (`PAYER`: added to what the payer pays; `PAYEE`: taken
    /// from what the merchant receives, so the payer pays the total and no fees).
    #[serde(default)]
    pub fee_bearer: Option<FeeBearer>,
    /// The order's lines.
    pub items: Vec<LineItem>,
    /// Ways to pay.
    pub methods: Vec<MethodOffer>,
    /// Present when cards are offered.
    #[serde(default)]
    pub stripe: Option<StripeConfig>,
    /// True when the proxy runs against the local sandbox.
    #[serde(default)]
    pub sandbox: bool,
}

impl CheckoutSummary {
    /// False when Dollr says the merchant bears the fees: the payer pays the total, and the fees
    /// are none of theirs to read. True otherwise, an unknown or missing bearer included (saying
    /// what the fees are is never wrong).
    pub fn payer_pays_fees(&self) -> bool {
        self.fee_bearer != Some(FeeBearer::Payee)
    }
}

/// `GET /v1/operator?phone=`: the operator behind a phone number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OperatorInfo {
    /// E.164 digits.
    pub phone: String,
    /// Method to use.
    pub method: PaymentMethod,
    /// Its provider.
    pub provider: Provider,
    /// ISO 3166 alpha-2.
    pub country: String,
    /// Currencies the wallet can pay in.
    pub currencies: Vec<String>,
}

/// `GET /v1/quote?method=&currency=`: what the payer will pay, exactly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// Method quoted.
    pub method: PaymentMethod,
    /// What the payer pays, fees included when they bear them.
    pub payer_amount: Decimal,
    /// Payer's currency.
    pub payer_currency: String,
    /// What the merchant receives.
    pub payee_amount: Decimal,
    /// Merchant's currency.
    pub payee_currency: String,
    /// Dollr's fee.
    pub platform_fee: Decimal,
    /// Currency of the platform fee.
    pub platform_currency: String,
    /// The gateway's fee.
    #[serde(default)]
    pub gateway_fee: Option<Decimal>,
    /// Currency of the gateway's fee, when Dollr names it (the platform fee's when not).
    #[serde(default)]
    pub gateway_currency: Option<String>,
    /// Currency conversion fee, in the platform fee's currency.
    #[serde(default)]
    pub fx_fee: Option<Decimal>,
    /// Payer currency units per source currency unit, when converting.
    #[serde(default)]
    pub fx_rate: Option<Decimal>,
}

/// `POST /v1/payments` body. Idempotent per `reference_id`. Unknown fields are refused: the
/// grant, never the body, says what is paid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreatePayment {
    /// UUID v4 made and stored by the widget before this request.
    pub reference_id: String,
    /// Method.
    pub method: PaymentMethod,
    /// Currency the payer pays in.
    pub currency: String,
    /// Mobile money: the payer's phone, E.164 digits.
    #[serde(default)]
    pub phone: Option<String>,
    /// Cards: the Stripe PaymentMethod id (`pm_…`).
    #[serde(default)]
    pub payment_method_id: Option<String>,
}

/// A payment attempt as the widget sees it (`POST /v1/payments`, `GET /v1/payments/{id}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    /// The attempt's idempotency key.
    pub reference_id: String,
    /// Status.
    pub status: ExecutionStatus,
    /// What the payer pays.
    pub payer_amount: Decimal,
    /// Payer's currency.
    pub payer_currency: String,
    /// Why it failed, in the gateway's words.
    #[serde(default)]
    pub failure_reason: Option<String>,
    /// Cards: 3-D Secure must run in the browser.
    #[serde(default)]
    pub requires_action: bool,
    /// Cards: Stripe's client secret for 3-D Secure.
    #[serde(default)]
    pub client_secret: Option<String>,
}

/// `GET /v1/receipt`: proof of payment for the payer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// Human-facing number of the source.
    pub source_number: String,
    /// Lifecycle status (`PAID` once paid).
    pub status: SourceStatus,
    /// The execution that paid it.
    #[serde(default)]
    pub reference_id: Option<String>,
    /// Total of the source.
    pub total: Decimal,
    /// Source currency.
    pub currency: String,
    /// What the payer paid.
    #[serde(default)]
    pub payer_amount: Option<Decimal>,
    /// Payer's currency.
    #[serde(default)]
    pub payer_currency: Option<String>,
    /// Dollr's fee.
    #[serde(default)]
    pub platform_fee: Option<Decimal>,
    /// Currency of Dollr's fee, when Dollr names it (the source's when not).
    #[serde(default)]
    pub platform_currency: Option<String>,
    /// Gateway's fee.
    #[serde(default)]
    pub gateway_fee: Option<Decimal>,
    /// Currency of the gateway's fee, when Dollr names it (the platform fee's when not).
    #[serde(default)]
    pub gateway_currency: Option<String>,
    /// FX fee, in the source's currency.
    #[serde(default)]
    pub fx_fee: Option<Decimal>,
    /// FX rate applied.
    #[serde(default)]
    pub fx_rate: Option<Decimal>,
    /// Method used.
    #[serde(default)]
    pub method: Option<PaymentMethod>,
    /// Operator's transaction id.
    #[serde(default)]
    pub provider_transaction_id: Option<String>,
    /// When paid (RFC 3339).
    #[serde(default)]
    pub paid_at: Option<String>,
}

/// Machine-readable reason of a refused or failed call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No grant, or one that does not verify.
    InvalidGrant,
    /// The grant's time is up: the merchant page must mint a new one.
    GrantExpired,
    /// The grant does not cover this request.
    Forbidden,
    /// Not an endpoint of this API.
    NotFound,
    /// The request is malformed or a field is invalid.
    InvalidRequest,
    /// The phone number belongs to no supported operator.
    UnknownOperator,
    /// The `reference_id` was already used for a different payment.
    Conflict,
    /// The source is already paid.
    AlreadyPaid,
    /// Another payment for the source may still land: nothing was sent for this one.
    PaymentInProgress,
    /// Too many requests; see `Retry-After`.
    RateLimited,
    /// The proxy is set up wrongly for this call: Dollr refused its client credentials, or the
    /// page's origin is not among those it allows. No payment was executed; the same call may
    /// succeed once it is set right.
    Misconfigured,
    /// Dollr could not be reached or answered badly; safe to retry reads.
    Upstream,
    /// Something broke inside the proxy.
    Internal,
}

impl ErrorCode {
    /// Every code, in documentation order.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::InvalidGrant,
        ErrorCode::GrantExpired,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::InvalidRequest,
        ErrorCode::UnknownOperator,
        ErrorCode::Conflict,
        ErrorCode::AlreadyPaid,
        ErrorCode::PaymentInProgress,
        ErrorCode::RateLimited,
        ErrorCode::Misconfigured,
        ErrorCode::Upstream,
        ErrorCode::Internal,
    ];

    /// The code as it is written on the wire (`snake_case`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidGrant => "invalid_grant",
            ErrorCode::GrantExpired => "grant_expired",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::UnknownOperator => "unknown_operator",
            ErrorCode::Conflict => "conflict",
            ErrorCode::AlreadyPaid => "already_paid",
            ErrorCode::PaymentInProgress => "payment_in_progress",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Misconfigured => "misconfigured",
            ErrorCode::Upstream => "upstream",
            ErrorCode::Internal => "internal",
        }
    }

    /// Reads the wire spelling; `None` for a code this version does not know.
    pub fn parse(text: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

/// Error body of every non-2xx answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// The error.
    pub error: ApiErrorDetail,
}

/// The error itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorDetail {
    /// Machine-readable reason.
    pub code: ErrorCode,
    /// A sentence for the developer (the widget shows its own translated text).
    pub message: String,
    /// The offending field, when one is to blame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_code_spelling_matches_serde() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(ErrorCode::parse(code.as_str()), Some(*code));
        }
        assert_eq!(ErrorCode::parse("teapot"), None);
    }

    #[test]
    fn fees_are_the_payers_unless_dollr_says_the_merchant_bears_them() {
        let summary = |fee_bearer| CheckoutSummary {
            source_type: SourceType::Invoice,
            source_id: 1,
            source_number: "INV-000001".into(),
            status: SourceStatus::Active,
            currency: "USD".into(),
            total: Decimal::from_int(25),
            fee_bearer,
            items: vec![],
            methods: vec![],
            stripe: None,
            sandbox: true,
        };
        assert!(summary(Some(FeeBearer::Payer)).payer_pays_fees());
        assert!(!summary(Some(FeeBearer::Payee)).payer_pays_fees());
        assert!(summary(None).payer_pays_fees());
        assert!(summary(Some(FeeBearer::parse("SPLIT"))).payer_pays_fees());
    }
}
