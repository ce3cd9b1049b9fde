//! Request and response bodies of the Dollr endpoints the proxy and sandbox use, named after
//! the schemas of Dollr's Open API (`tests/data/dollr-openapi.yaml`). Optional fields default
//! when absent, unknown fields are ignored, and the two spellings Dollr's docs use for the same
//! field are both accepted.

use serde::{Deserialize, Serialize};

use crate::decimal::{serialize_as_number, serialize_option_as_number, Decimal};
use crate::enums::{
    ExecutionStatus, FeeBearer, OperationType, PaymentMethod, Provider, SourceStatus, SourceType,
};

/// `POST /v1/jwt/client/obtain/token` body.
#[derive(Clone, Serialize, Deserialize)]
pub struct ClientCredentialObtainTokenPayload {
    /// The merchant's client id.
    pub client_id: String,
    /// The merchant's client secret. Never logged: `Debug` is written by hand below.
    pub client_secret: String,
}

impl std::fmt::Debug for ClientCredentialObtainTokenPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentialObtainTokenPayload")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

/// `POST /v1/jwt/client/obtain/token` answer.
#[derive(Clone, Serialize, Deserialize)]
pub struct ObtainTokenResponse {
    /// Bearer token.
    pub access_token: String,
    /// Lifetime in **minutes**.
    pub expires_in: u64,
}

impl std::fmt::Debug for ObtainTokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObtainTokenResponse")
            .field("access_token", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// One entry of a 422 `detail` list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValidationError {
    /// Where: e.g. `["body", "currency"]` or `["query", "phone"]`.
    pub loc: Vec<LocPart>,
    /// Human-readable message.
    pub msg: String,
    /// Machine-readable kind, e.g. `string_pattern_mismatch`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// A `loc` element: a field name or a list index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LocPart {
    /// A field name.
    Name(String),
    /// An index into a list.
    Index(u64),
}

/// The body of a Dollr error: a list of validation errors (422) or a sentence (401, 404, 409).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong.
    pub detail: ErrorDetail,
}

/// Dollr's `detail` field, whose shape depends on the status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ErrorDetail {
    /// 401 and friends.
    Message(String),
    /// 422.
    Validation(Vec<ValidationError>),
}

impl ErrorDetail {
    /// One line for logs and error messages.
    pub fn summary(&self) -> String {
        match self {
            ErrorDetail::Message(text) => text.clone(),
            ErrorDetail::Validation(list) => list
                .iter()
                .map(|e| {
                    let loc: Vec<String> = e
                        .loc
                        .iter()
                        .map(|p| match p {
                            LocPart::Name(n) => n.clone(),
                            LocPart::Index(i) => i.to_string(),
                        })
                        .collect();
                    format!("{}: {}", loc.join("."), e.msg)
                })
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

/// A line item as sent to checkouts/create.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentSourceItemInput {
    /// What is sold.
    pub name: String,
    /// ISO 4217.
    pub currency: String,
    /// Unit price.
    #[serde(serialize_with = "serialize_as_number")]
    pub amount: Decimal,
    /// Quantity (Dollr's checkout items omit it: one each).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qty: Option<u32>,
}

/// `POST /v1/checkouts/create` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateCheckoutSourceRequestPayload {
    /// `HOSTED` or `API`.
    pub mode: String,
    /// `INVOICE` or `ORDER` (called `source_type` everywhere else).
    #[serde(alias = "source_type")]
    pub source_kind: SourceType,
    /// Payer's name.
    #[serde(default)]
    pub party_name: Option<String>,
    /// Payer's phone, E.164 digits.
    pub party_phone: String,
    /// Payer's email.
    #[serde(default)]
    pub party_email: Option<String>,
    /// Relationship to the merchant, e.g. `CUSTOMER`.
    #[serde(default)]
    pub party_relationship: Option<String>,
    /// Merchant's own reference for the source.
    #[serde(default)]
    pub reference_id: Option<String>,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
    /// ISO 4217.
    pub currency: String,
    /// Line items.
    pub items: Vec<PaymentSourceItemInput>,
    /// Due date (RFC 3339).
    #[serde(default)]
    pub due_date: Option<String>,
    /// Hosted mode: where to go after paying.
    #[serde(default)]
    pub success_url: Option<String>,
    /// Hosted mode: where to go on cancel.
    #[serde(default)]
    pub cancel_url: Option<String>,
    /// When the checkout stops being payable (RFC 3339).
    #[serde(default)]
    pub expires_at: Option<String>,
    /// An existing counterparty to bill.
    #[serde(default)]
    pub counterparty_id: Option<u64>,
}

/// `POST /v1/checkouts/create` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateCheckoutSourceLinkResponse {
    /// Echo of the mode.
    pub mode: String,
    /// `INVOICE` or `ORDER`.
    pub source_type: SourceType,
    /// The new source's id.
    pub source_id: u64,
    /// Human-facing number, e.g. `INV-000123`.
    pub source_number: String,
    /// Lifecycle status.
    pub source_status: SourceStatus,
    /// Merchant's reference.
    #[serde(default)]
    pub reference_id: Option<String>,
    /// Counterparty billed.
    pub counterparty_id: u64,
    /// The payer's party.
    pub party_id: u64,
    /// ISO 4217.
    pub currency: String,
    /// Sum of the items.
    #[serde(serialize_with = "serialize_as_number")]
    pub total_amount: Decimal,
    /// Checkout configuration id.
    pub source_checkout_config_id: u64,
    /// Hosted page to redirect to.
    pub url: String,
    /// When it stops being payable.
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// `POST /v1/parties/create` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreatePartyPayload {
    /// Full name.
    pub fullname: String,
    /// E.164 digits.
    pub phone: String,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// ISO 3166 alpha-2.
    #[serde(default)]
    pub country_code: Option<String>,
}

/// A party (a person or business).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartyResponse {
    /// Id.
    pub id: u64,
    /// Full name.
    pub fullname: String,
    /// E.164 digits.
    pub phone: String,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// ISO 3166 alpha-2.
    #[serde(default)]
    pub country_code: Option<String>,
}

/// `POST /v1/counterparties/create` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateCounterpartyPayload {
    /// e.g. `CUSTOMER`.
    pub relationship_type: String,
    /// The party linked.
    #[serde(default)]
    pub party_id: Option<u64>,
}

/// A counterparty (a party as seen by the merchant).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CounterpartyResponse {
    /// Id.
    pub id: u64,
    /// e.g. `CUSTOMER`.
    pub relationship_type: String,
    /// The party linked.
    #[serde(default)]
    pub party_id: Option<u64>,
}

/// `POST /v1/invoices/create` and `POST /v1/orders/create` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateSourcePayload {
    /// Who is billed.
    pub counterparty_id: u64,
    /// ISO 4217.
    pub currency: String,
    /// Free text.
    pub note: String,
    /// Who pays the fees.
    pub fee_bearer: FeeBearer,
    /// Whether a payment link is made.
    pub as_payment_link: bool,
    /// Merchant's reference.
    #[serde(default)]
    pub reference_id: Option<String>,
    /// Due date.
    #[serde(default)]
    pub due_date: Option<String>,
}

/// An invoice or an order (`InvoiceResponse`; orders use `order_number`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceResponse {
    /// Id.
    pub id: u64,
    /// Human-facing number.
    #[serde(alias = "order_number")]
    pub invoice_number: String,
    /// Who is billed.
    pub counterparty_id: u64,
    /// ISO 4217.
    pub currency: String,
    /// Sum of the items.
    #[serde(serialize_with = "serialize_as_number", default)]
    pub total_amount: Decimal,
    /// Lifecycle status.
    pub status: SourceStatus,
    /// Free text.
    #[serde(default)]
    pub note: String,
    /// Who pays the fees.
    pub fee_bearer: FeeBearer,
    /// Due date.
    #[serde(default)]
    pub due_date: Option<String>,
    /// Whether a payment link was made.
    #[serde(default)]
    pub as_payment_link: bool,
    /// Created (RFC 3339).
    #[serde(default)]
    pub created_at: String,
    /// Updated (RFC 3339).
    #[serde(default)]
    pub updated_at: String,
    /// Merchant's reference.
    #[serde(default)]
    pub reference_id: Option<String>,
    /// When paid.
    #[serde(default)]
    pub paid_at: Option<String>,
}

/// `POST /v1/invoices/{id}/items/add` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AddInvoiceItemPayload {
    /// What is sold.
    pub name: String,
    /// ISO 4217.
    pub currency: String,
    /// Quantity.
    pub qty: u32,
    /// Unit price.
    #[serde(serialize_with = "serialize_as_number")]
    pub amount: Decimal,
}

/// A line item of an invoice, order or receipt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceItemResponse {
    /// Id.
    pub id: u64,
    /// What is sold.
    pub name: String,
    /// ISO 4217 (absent on some receipt examples: defaults to the source's).
    #[serde(default)]
    pub currency: String,
    /// Quantity.
    #[serde(default = "one")]
    pub qty: u32,
    /// Unit price.
    #[serde(serialize_with = "serialize_as_number")]
    pub amount: Decimal,
}

fn one() -> u32 {
    1
}

/// Reads an id that Dollr may send as an integer, a whole-valued float or a digit string.
fn lenient_optional_id<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9.0e15)
                    .map(|f| f as u64)
            })
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("an id must be a whole number")),
        Some(serde_json::Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom("an id must be a whole number")),
        Some(_) => Err(serde::de::Error::custom("an id must be a whole number")),
    }
}

/// `GET /v1/invoices/receipt/{id}` answer (orders use the same shape with `order_*` names).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceReceiptResponse {
    /// Source id.
    #[serde(alias = "order_id")]
    pub invoice_id: u64,
    /// Human-facing number.
    #[serde(alias = "order_number")]
    pub invoice_number: String,
    /// The execution that paid it.
    #[serde(default)]
    pub reference_id: Option<String>,
    /// ISO 4217 of the source.
    pub currency: String,
    /// Total of the source.
    #[serde(serialize_with = "serialize_as_number")]
    pub total_amount: Decimal,
    /// Lifecycle status.
    pub status: SourceStatus,
    /// Free text.
    #[serde(default)]
    pub note: String,
    /// Who pays the fees.
    pub fee_bearer: FeeBearer,
    /// Payer's name.
    #[serde(default)]
    pub counterparty_name: String,
    /// Payer's phone.
    #[serde(default)]
    pub counterparty_phone: String,
    /// When paid.
    #[serde(default)]
    pub paid_at: Option<String>,
    /// What the payer paid.
    #[serde(default, serialize_with = "serialize_option_as_number")]
    pub payer_amount: Option<Decimal>,
    /// Payer's currency.
    #[serde(default)]
    pub payer_currency: Option<String>,
    /// What the merchant receives.
    #[serde(default, serialize_with = "serialize_option_as_number")]
    pub payee_amount: Option<Decimal>,
    /// Merchant's currency.
    #[serde(default)]
    pub payee_currency: Option<String>,
    /// Dollr's fee.
    #[serde(default, serialize_with = "serialize_option_as_number")]
    pub platform_fee: Option<Decimal>,
    /// Currency of the platform fee.
    #[serde(default)]
    pub platform_currency: Option<String>,
    /// The operator's or card network's fee.
    #[serde(default, serialize_with = "serialize_option_as_number")]
    pub gateway_fee: Option<Decimal>,
    /// Currency of the gateway fee.
    #[serde(default)]
    pub gateway_currency: Option<String>,
    /// Currency conversion fee.
    #[serde(default, serialize_with = "serialize_option_as_number")]
    pub fx_fee: Option<Decimal>,
    /// Rate applied (payer currency units per source currency unit).
    #[serde(default)]
    pub fx_rate: Option<Decimal>,
    /// Converted from.
    #[serde(default)]
    pub fx_currency_from: Option<String>,
    /// Converted to.
    #[serde(default)]
    pub fx_currency_to: Option<String>,
    /// Provider that carried the payment.
    #[serde(default)]
    pub payment_provider: Option<Provider>,
    /// Method used.
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    /// Name of the paying account.
    #[serde(default)]
    pub account_name: Option<String>,
    /// When the gateway confirmed.
    #[serde(default)]
    pub gateway_confirmed_at: Option<String>,
    /// Operator's transaction id.
    #[serde(default)]
    pub provider_transaction_id: Option<String>,
    /// Line items.
    #[serde(default)]
    pub items: Vec<InvoiceItemResponse>,
}

/// `POST /v1/sessions/checkout` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateCheckoutSessionPayload {
    /// Source id.
    pub source_id: u64,
    /// `INVOICE` or `ORDER`.
    pub source_type: SourceType,
}

/// A checkout session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutSessionResponse {
    /// Id (an integer here; a string in execution bodies).
    pub id: u64,
    /// Set once a payment account is attached (typed `number` by Dollr: whole floats accepted).
    #[serde(default, deserialize_with = "lenient_optional_id")]
    pub payment_account_id: Option<u64>,
    /// Source id.
    pub source_id: u64,
    /// `INVOICE` or `ORDER`.
    pub source_type: SourceType,
    /// e.g. `OPEN`.
    pub status: String,
    /// When it stops being usable (RFC 3339).
    pub expires_at: String,
    /// Created (RFC 3339).
    #[serde(default)]
    pub created_at: String,
    /// Updated (RFC 3339).
    #[serde(default)]
    pub updated_at: String,
}

/// `POST /v1/payment-accounts/create` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreatePaymentAccountPayload {
    /// Display name of the account.
    pub account_name: String,
    /// Provider (some Dollr examples wrongly put the method here; the sandbox refuses that).
    pub provider: Provider,
    /// Method.
    pub method: PaymentMethod,
    /// Owning party.
    pub party_id: u64,
    /// ISO 3166 alpha-2 (mobile money).
    #[serde(default)]
    pub country_code: Option<String>,
    /// The phone number (mobile money).
    #[serde(default)]
    pub insensitive_account_number: Option<String>,
}

/// A payment account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentAccountResponse {
    /// Id (an integer here; a string in execution bodies).
    pub id: u64,
    /// Display name.
    pub account_name: String,
    /// Provider.
    pub provider: Provider,
    /// Method.
    pub method: PaymentMethod,
    /// Owning party.
    pub party_id: u64,
    /// Whether usable.
    pub is_active: bool,
    /// Created.
    #[serde(default)]
    pub created_at: String,
    /// Updated.
    #[serde(default)]
    pub updated_at: String,
    /// ISO 3166 alpha-2.
    #[serde(default)]
    pub country_code: Option<String>,
}

/// `POST /v1/executions/collection` body. Ids are strings here, as Dollr's schema says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckoutExecutionPayload {
    /// Checkout session id, as a string.
    pub session_id: String,
    /// Payment account id, as a string.
    pub payment_account_id: String,
    /// The payer's currency.
    pub currency: String,
    /// The idempotency key: a UUID v4 stored before the call.
    pub reference_id: String,
}

/// Result of an execution, and of every status lookup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExecutionResponse {
    /// The idempotency key.
    pub reference_id: String,
    /// Operator's transaction id.
    #[serde(default)]
    pub provider_transaction_id: Option<String>,
    /// Status.
    pub status: ExecutionStatus,
    /// What the payer pays.
    #[serde(serialize_with = "serialize_as_number")]
    pub payer_amount: Decimal,
    /// Payer's currency.
    pub payer_currency: String,
    /// Merchant's currency.
    pub payee_currency: String,
    /// What the merchant receives.
    #[serde(serialize_with = "serialize_as_number")]
    pub payee_amount: Decimal,
    /// `COLLECTION` here.
    pub operation_type: OperationType,
    /// Why it failed, in the gateway's words.
    #[serde(default)]
    pub gateway_message: Option<String>,
    /// A wallet's message.
    #[serde(default)]
    pub wallet_message: Option<String>,
    /// Stripe client secret for 3-D Secure (cards only).
    #[serde(default)]
    pub client_secret: Option<String>,
    /// True when the card needs 3-D Secure.
    #[serde(default)]
    pub requires_action: Option<bool>,
}

/// `GET /v1/status/source` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentSourceStatusResponse {
    /// Source id.
    pub source_id: u64,
    /// `INVOICE` or `ORDER`.
    pub source_type: SourceType,
    /// Human-facing number.
    pub source_number: String,
    /// Lifecycle status.
    pub status: SourceStatus,
    /// ISO 4217.
    pub currency: String,
    /// Total.
    #[serde(serialize_with = "serialize_as_number")]
    pub total_amount: Decimal,
    /// When paid.
    #[serde(default)]
    pub paid_at: Option<String>,
}

/// `GET /v1/predictions/mmo-provider-info` answer. Dollr's docs name the method and provider
/// fields two ways; both are read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PredictPhonePaymentInfoResponse {
    /// Operator name.
    #[serde(default)]
    pub carrier: Option<String>,
    /// ISO 3166 alpha-2.
    #[serde(default)]
    pub country: Option<String>,
    /// Currencies the wallet holds.
    #[serde(default)]
    pub currencies: Vec<String>,
    /// Phone echoed back.
    #[serde(default)]
    pub phone: Option<String>,
    /// Recommended method.
    #[serde(alias = "method")]
    pub payment_method: PaymentMethod,
    /// Recommended provider.
    #[serde(alias = "provider")]
    pub gateway_provider: Provider,
    /// Operation asked about.
    #[serde(default)]
    pub operation_type: Option<OperationType>,
}

/// `GET /v1/predictions/card-provider-info` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardProviderInfoPrediction {
    /// e.g. `visa`.
    #[serde(default)]
    pub brand: Option<String>,
    /// Issuing country.
    #[serde(default)]
    pub country: Option<String>,
    /// Currencies the card may be charged in.
    #[serde(default)]
    pub currencies: Vec<String>,
    /// `CREDIT_CARD`.
    #[serde(alias = "method")]
    pub payment_method: PaymentMethod,
    /// `STRIPE`.
    #[serde(alias = "provider")]
    pub gateway_provider: Provider,
}

/// Fee and FX preview (`predictions/amount-and-fees` and its payment-source variant). Dollr
/// sends every amount here as a string.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmountAndFeePredictionResponse {
    /// What the payer pays.
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
    /// Currency conversion fee.
    #[serde(default)]
    pub fx_fee: Option<Decimal>,
    /// The gateway's fee.
    #[serde(default)]
    pub gateway_fee: Option<Decimal>,
    /// Currency of the gateway fee.
    #[serde(default)]
    pub gateway_currency: Option<String>,
    /// Rate applied, when converting (not in Dollr's schema; the sandbox adds it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fx_rate: Option<Decimal>,
}

/// `POST /v1/realtime-keys/collection` body. `session_id` is an integer here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RealtimeKeyPayload {
    /// Checkout session id.
    pub session_id: u64,
    /// `INVOICE` or `ORDER`.
    pub source_type: SourceType,
    /// The execution's reference.
    pub reference_id: String,
}

/// `POST /v1/realtime-keys/collection` answer.
#[derive(Clone, Serialize, Deserialize)]
pub struct RealtimeTokenResponse {
    /// Short-lived token for the realtime channel.
    pub access_token: String,
    /// Lifetime in **seconds**.
    pub expires_in: u64,
}

/// `GET /v1/links/pay` and `/v1/links/receipt` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkResponse {
    /// The link.
    pub url: String,
}
