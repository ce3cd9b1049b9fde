//! The widget-facing API: one handler per route of `openapi.yaml`, each acting only within the
//! grant it is given. Dollr calls happen here and nowhere else in the proxy.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use dollr_api::dollr::{
    AmountAndFeePredictionResponse, CardProviderInfoPrediction, CheckoutSessionResponse,
    CreateCheckoutSourceLinkResponse, ExecutionResponse, InvoiceReceiptResponse,
    PaymentAccountResponse, PredictPhonePaymentInfoResponse,
};
use dollr_api::validate::{is_uuid_v4, is_valid_currency, is_valid_phone};
use dollr_api::widget::{
    CheckoutSummary, CreatePayment, ErrorCode, LineItem, MethodOffer, OperatorInfo, Payment, Quote,
    Receipt,
};
use dollr_api::{Decimal, FeeBearer, PaymentMethod, Provider, SourceStatus, SourceType};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use crate::dollr_client::{DollrError, Retry};
use crate::error::ProxyError;
use crate::grant::{unix_now, GrantClaims};
use crate::AppState;

type Reply<T> = Result<Json<T>, ProxyError>;

/// Verifies the `Authorization: Bearer <grant>` header, and counts the call against its
/// checkout's limit ([`crate::call_limit`]).
fn grant(state: &AppState, headers: &HeaderMap) -> Result<GrantClaims, ProxyError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            ProxyError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::InvalidGrant,
                "A grant is required",
            )
        })?;
    let claims = state.grant_key.verify(value, unix_now())?;
    let source = source_key(&claims);
    if let Err(refused) = state.call_limit.take(&source, std::time::Instant::now()) {
        if refused.first {
            tracing::warn!(
                source = %source,
                limit = state.call_limit.per_minute(),
                "calls for a checkout refused: more than DOLLR_CALLS_PER_MINUTE allows; Dollr is not called for them"
            );
        }
        return Err(ProxyError::rate_limited(
            refused.retry_after,
            "This checkout is calling too often; retry later",
        ));
    }
    Ok(claims)
}

/// The grant's source as one key, `orders:7` or `invoices:7`.
fn source_key(claims: &GrantClaims) -> String {
    format!("{}:{}", source_path(claims), claims.source_id)
}

fn source_path(claims: &GrantClaims) -> &'static str {
    if claims.source_type == SourceType::Order {
        "orders"
    } else {
        "invoices"
    }
}

/// The source's receipt, checked against the grant: same currency and amount, or refused.
async fn source_receipt(
    state: &AppState,
    claims: &GrantClaims,
) -> Result<InvoiceReceiptResponse, ProxyError> {
    let path = format!("/v1/{}/receipt/{}", source_path(claims), claims.source_id);
    let receipt: InvoiceReceiptResponse = state
        .dollr
        .call(Method::GET, &path, None::<&()>, Retry::Read)
        .await
        .map_err(|error| match error.status() {
            Some(StatusCode::NOT_FOUND) => ProxyError::new(
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                format!(
                    "Dollr has no {} with the grant's source_id {}: check the order the grant was minted for (one made in the sandbox is not one of live mode)",
                    claims.source_type, claims.source_id
                ),
            ),
            _ => ProxyError::from_dollr(error),
        })?;
    if receipt.currency != claims.currency || receipt.total_amount != claims.amount {
        // Said for the developer of the server that minted it: both totals (the payer is shown
        // the source's anyway).
        return Err(ProxyError::forbidden(format!(
            "The grant is for {} {}, but Dollr's {} {} totals {} {}: mint the grant with the source's total",
            claims.amount, claims.currency, claims.source_type, claims.source_id, receipt.total_amount, receipt.currency
        )));
    }
    Ok(receipt)
}

/// The methods on offer: the mobile-money markets, plus cards when Stripe is configured.
fn offers(state: &AppState) -> Vec<MethodOffer> {
    let mut list = vec![
        offer(PaymentMethod::MtnMomoLbr, &["USD", "LRD"]),
        offer(PaymentMethod::OrangeMoneyLbr, &["USD", "LRD"]),
        offer(PaymentMethod::MtnMomoRwa, &["RWF"]),
        offer(PaymentMethod::AirtelRwa, &["RWF"]),
    ];
    if state.stripe.is_some() {
        list.push(offer(PaymentMethod::CreditCard, &["USD"]));
    }
    list
}

fn offer(method: PaymentMethod, currencies: &[&str]) -> MethodOffer {
    MethodOffer {
        provider: method.provider().unwrap_or(Provider::Pawapay),
        country: method.country().map(str::to_owned),
        currencies: currencies.iter().map(|c| (*c).to_owned()).collect(),
        method,
    }
}

/// `GET /v1/checkout`.
pub async fn checkout(State(state): State<AppState>, headers: HeaderMap) -> Reply<CheckoutSummary> {
    let claims = grant(&state, &headers)?;
    let receipt = source_receipt(&state, &claims).await?;
    let items = receipt
        .items
        .iter()
        .map(|i| LineItem {
            name: i.name.clone(),
            qty: i.qty,
            unit_amount: i.amount,
            amount: i
                .amount
                .checked_mul(Decimal::from_int(i64::from(i.qty)))
                .unwrap_or(i.amount),
        })
        .collect();
    Ok(Json(CheckoutSummary {
        source_type: claims.source_type.clone(),
        source_id: claims.source_id,
        source_number: receipt.invoice_number,
        status: receipt.status,
        currency: receipt.currency,
        total: receipt.total_amount,
        fee_bearer: Some(receipt.fee_bearer),
        items,
        methods: offers(&state),
        stripe: state.stripe.clone(),
        sandbox: state.sandbox_mode,
    }))
}

/// `GET /v1/operator?phone=`.
pub async fn operator(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Reply<OperatorInfo> {
    grant(&state, &headers)?;
    let phone = query.get("phone").map(String::as_str).unwrap_or_default();
    if !is_valid_phone(phone) {
        return Err(ProxyError::invalid(
            "phone",
            "phone must be 8 to 15 digits without '+'",
        ));
    }
    let path = format!("/v1/predictions/mmo-provider-info?phone={phone}&operation_type=COLLECTION");
    let info: PredictPhonePaymentInfoResponse = state
        .dollr
        .call(Method::GET, &path, None::<&()>, Retry::Read)
        .await
        .map_err(|e| match e.status() {
            Some(StatusCode::UNPROCESSABLE_ENTITY) | Some(StatusCode::NOT_FOUND) => {
                ProxyError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::UnknownOperator,
                    "No supported mobile money operator for this number",
                )
            }
            _ => ProxyError::from_dollr(e),
        })?;
    if !info.payment_method.is_mobile_money() {
        return Err(ProxyError::new(
            StatusCode::BAD_GATEWAY,
            ErrorCode::Upstream,
            "Dollr named a method that is not mobile money",
        ));
    }
    Ok(Json(OperatorInfo {
        phone: phone.to_owned(),
        country: info
            .country
            .clone()
            .or_else(|| info.payment_method.country().map(str::to_owned))
            .unwrap_or_default(),
        method: info.payment_method,
        provider: info.gateway_provider,
        currencies: info.currencies,
    }))
}

/// Query of `GET /v1/quote`.
#[derive(Deserialize)]
pub struct QuoteQuery {
    method: String,
    currency: String,
}

fn parse_method(text: &str, state: &AppState) -> Result<PaymentMethod, ProxyError> {
    let method = PaymentMethod::parse(text);
    if offers(state).iter().any(|o| o.method == method) {
        Ok(method)
    } else {
        Err(ProxyError::invalid(
            "method",
            "method is not offered by this checkout",
        ))
    }
}

/// `GET /v1/quote?method=&currency=`.
pub async fn quote(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<QuoteQuery>, axum::extract::rejection::QueryRejection>,
) -> Reply<Quote> {
    let claims = grant(&state, &headers)?;
    let Query(query) =
        query.map_err(|_| ProxyError::invalid("method", "method and currency are required"))?;
    let method = parse_method(&query.method, &state)?;
    if !is_valid_currency(&query.currency) {
        return Err(ProxyError::invalid(
            "currency",
            "currency must be three upper-case letters",
        ));
    }
    let provider = method.provider().unwrap_or(Provider::Pawapay);
    let path = format!(
        "/v1/predictions/payment-source/amount-and-fees?source_type={}&source_id={}&target_currency={}&payment_method={}&provider={}",
        claims.source_type, claims.source_id, query.currency, method, provider
    );
    let p: AmountAndFeePredictionResponse = state
        .dollr
        .call(Method::GET, &path, None::<&()>, Retry::Read)
        .await
        .map_err(ProxyError::from_dollr)?;
    Ok(Json(Quote {
        method,
        payer_amount: p.payer_amount,
        payer_currency: p.payer_currency,
        payee_amount: p.payee_amount,
        payee_currency: p.payee_currency,
        platform_fee: p.platform_fee,
        platform_currency: p.platform_currency,
        gateway_fee: p.gateway_fee,
        gateway_currency: p.gateway_currency,
        fx_fee: p.fx_fee,
        fx_rate: p.fx_rate,
    }))
}

fn payment_view(e: ExecutionResponse) -> Result<Payment, ProxyError> {
    if !e.status.is_known() {
        // Unknown means error, never success.
        return Err(ProxyError::new(
            StatusCode::BAD_GATEWAY,
            ErrorCode::Upstream,
            format!("Dollr reported an unknown status {}", e.status),
        ));
    }
    Ok(Payment {
        reference_id: e.reference_id,
        status: e.status,
        payer_amount: e.payer_amount,
        payer_currency: e.payer_currency,
        failure_reason: e.gateway_message,
        requires_action: e.requires_action.unwrap_or(false),
        client_secret: e.client_secret,
    })
}

async fn execution_status(
    state: &AppState,
    reference_id: &str,
) -> Result<Option<ExecutionResponse>, DollrError> {
    let path = format!("/v1/status/collection/{reference_id}");
    match state
        .dollr
        .call::<(), ExecutionResponse>(Method::GET, &path, None, Retry::Read)
        .await
    {
        Ok(e) => Ok(Some(e)),
        Err(e) if e.status() == Some(StatusCode::NOT_FOUND) => Ok(None),
        Err(e) => Err(e),
    }
}

fn parse_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ProxyError> {
    serde_json::from_slice(body).map_err(|e| {
        let mut error = ProxyError::invalid("body", format!("The request body is not valid: {e}"));
        if e.is_syntax() || e.is_eof() {
            error = ProxyError::invalid("body", "The request body is not valid JSON");
        }
        error
    })
}

/// `POST /v1/payments`: session, payment account and execution in one call, idempotent per
/// `reference_id`. The status is asked for first, as Dollr's retry rules say: an attempt that
/// may already have landed is never executed again. One creation at a time per source, and none
/// while another attempt for the source may still land (409 `payment_in_progress`).
pub async fn create_payment(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply<Payment> {
    let claims = grant(&state, &headers)?;
    let request: CreatePayment = parse_body(&body)?;
    if !is_uuid_v4(&request.reference_id) {
        return Err(ProxyError::invalid(
            "reference_id",
            "reference_id must be a UUID v4",
        ));
    }
    let reference_id = request.reference_id.to_ascii_lowercase();
    let method = parse_method(request.method.as_str(), &state)?;
    if !is_valid_currency(&request.currency) {
        return Err(ProxyError::invalid(
            "currency",
            "currency must be three upper-case letters",
        ));
    }

    // Every field is checked before anything is sent to Dollr.
    let card_payment_method = if method.is_mobile_money() {
        let phone = request.phone.as_deref().unwrap_or_default();
        if !is_valid_phone(phone) {
            return Err(ProxyError::invalid(
                "phone",
                "phone must be 8 to 15 digits without '+'",
            ));
        }
        None
    } else {
        let pm = request.payment_method_id.as_deref().unwrap_or_default();
        let well_formed = pm.starts_with("pm_")
            && pm.len() <= 255
            && pm.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !well_formed {
            return Err(ProxyError::invalid(
                "payment_method_id",
                "payment_method_id must be a Stripe PaymentMethod id",
            ));
        }
        Some(pm.to_owned())
    };

    // The rest runs on its own task: a caller that goes away (a phone losing its network) does
    // not cut an execution short, and the source stays held until Dollr has answered. The task
    // is tracked, so that a proxy told to stop waits for it (`Started::finish_payments`).
    let payments = state.payments.clone();
    let work = create_held(
        state,
        claims,
        request,
        reference_id,
        method,
        card_payment_method,
    );
    match payments.spawn(work).await {
        Ok(result) => result.map(Json),
        Err(error) => {
            tracing::error!(%error, "payment creation task failed");
            Err(ProxyError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "The payment could not be created; retry with the same reference_id",
            ))
        }
    }
}

/// The part of [`create_payment`] that talks to Dollr, with every field already checked.
async fn create_held(
    state: AppState,
    claims: GrantClaims,
    request: CreatePayment,
    reference_id: String,
    method: PaymentMethod,
    card_payment_method: Option<String>,
) -> Result<Payment, ProxyError> {
    // From here to the execution, one request per source: two tabs or devices pressing Pay at
    // once must not both find the source free and both execute.
    let _one_at_a_time = state.payment_locks.hold(source_key(&claims)).await;

    let source_id = &claims.source_id;
    if let Some(existing) = execution_status(&state, &reference_id)
        .await
        .map_err(ProxyError::from_dollr)?
    {
        tracing::info!(%source_id, %reference_id, status = %existing.status, "payment asked for again: sent before, its status returned");
        return payment_view(existing);
    }

    let receipt = source_receipt(&state, &claims).await?;
    match receipt.status {
        SourceStatus::Paid => {
            tracing::info!(%source_id, %reference_id, "payment refused: the checkout is paid already");
            return Err(ProxyError::new(
                StatusCode::CONFLICT,
                ErrorCode::AlreadyPaid,
                "This checkout is already paid",
            ));
        }
        // Another attempt may still land: never a second payment beside it.
        SourceStatus::Processing => {
            tracing::info!(%source_id, %reference_id, "payment refused: another payment for the checkout may still land");
            return Err(ProxyError::new(
                StatusCode::CONFLICT,
                ErrorCode::PaymentInProgress,
                "Another payment for this checkout is in progress; nothing was sent for this one",
            ));
        }
        _ => {}
    }

    let account_body = match card_payment_method {
        None => {
            let phone = request.phone.as_deref().unwrap_or_default();
            json!({
                "account_name": format!("{} {phone}", method.operator_name().unwrap_or("Mobile money")),
                "method": method,
                "provider": Provider::Pawapay,
                "party_id": claims.party_id,
                "country_code": method.country(),
                "insensitive_account_number": phone,
            })
        }
        Some(pm) => {
            let path = format!(
                "/v1/predictions/card-provider-info?payment_method_id={pm}&operation_type=COLLECTION&provider=STRIPE"
            );
            let _card: CardProviderInfoPrediction = state
                .dollr
                .call(Method::GET, &path, None::<&()>, Retry::Read)
                .await
                .map_err(ProxyError::from_dollr)?;
            // A new card payment account per attempt, as Dollr's card guide says.
            json!({
                "account_name": "Card",
                "method": PaymentMethod::CreditCard,
                "provider": Provider::Stripe,
                "party_id": claims.party_id,
                "insensitive_account_number": pm,
            })
        }
    };

    // Sessions are short-lived: made right before executing.
    let session: CheckoutSessionResponse = state
        .dollr
        .call(
            Method::POST,
            "/v1/sessions/checkout",
            Some(&json!({"source_id": claims.source_id, "source_type": claims.source_type})),
            Retry::Write,
        )
        .await
        .map_err(ProxyError::from_dollr)?;
    let account: PaymentAccountResponse = state
        .dollr
        .call(
            Method::POST,
            "/v1/payment-accounts/create?operation_type=COLLECTION",
            Some(&account_body),
            Retry::Write,
        )
        .await
        .map_err(ProxyError::from_dollr)?;
    let execution_body = json!({
        "session_id": session.id.to_string(),
        "payment_account_id": account.id.to_string(),
        "currency": request.currency,
        "reference_id": reference_id,
    });
    match state
        .dollr
        .call::<_, ExecutionResponse>(
            Method::POST,
            "/v1/executions/collection",
            Some(&execution_body),
            Retry::Write,
        )
        .await
    {
        Ok(execution) => {
            tracing::info!(
                %source_id,
                %reference_id,
                %method,
                amount = %execution.payer_amount,
                currency = %execution.payer_currency,
                status = %execution.status,
                "payment sent to Dollr"
            );
            payment_view(execution)
        }
        Err(error) if error.is_ambiguous() => {
            // The money may have moved: settle by asking, never by executing again.
            tracing::warn!(%error, %source_id, %reference_id, "execution outcome unknown; asking for its status");
            match execution_status(&state, &reference_id).await {
                Ok(Some(existing)) => payment_view(existing),
                _ => Err(ProxyError::new(
                    StatusCode::BAD_GATEWAY,
                    ErrorCode::Upstream,
                    "The payment's outcome is not known yet; retry with the same reference_id",
                )),
            }
        }
        Err(error) => Err(ProxyError::from_dollr(error)),
    }
}

/// `GET /v1/payments/{reference_id}`.
pub async fn payment_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(reference_id): Path<String>,
) -> Reply<Payment> {
    grant(&state, &headers)?;
    if !is_uuid_v4(&reference_id) {
        return Err(ProxyError::invalid(
            "reference_id",
            "reference_id must be a UUID v4",
        ));
    }
    match execution_status(&state, &reference_id.to_ascii_lowercase())
        .await
        .map_err(ProxyError::from_dollr)?
    {
        Some(execution) => Ok(Json(payment_view(execution)?)),
        None => Err(ProxyError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "No payment with this reference_id",
        )),
    }
}

/// `GET /v1/receipt`.
pub async fn receipt(State(state): State<AppState>, headers: HeaderMap) -> Reply<Receipt> {
    let claims = grant(&state, &headers)?;
    let r = source_receipt(&state, &claims).await?;
    Ok(Json(Receipt {
        source_number: r.invoice_number,
        status: r.status,
        reference_id: r.reference_id,
        total: r.total_amount,
        currency: r.currency,
        payer_amount: r.payer_amount,
        payer_currency: r.payer_currency,
        platform_fee: r.platform_fee,
        platform_currency: r.platform_currency,
        gateway_fee: r.gateway_fee,
        gateway_currency: r.gateway_currency,
        fx_fee: r.fx_fee,
        fx_rate: r.fx_rate,
        method: r.payment_method,
        provider_transaction_id: r.provider_transaction_id,
        paid_at: r.paid_at,
    }))
}

/// Body of the sandbox-only `POST /dev/checkout`.
#[derive(Deserialize, Default)]
pub struct DemoCheckout {
    #[serde(default)]
    currency: Option<String>,
    /// How long the grant lasts, 1–3600 s (3600 when absent): a short one shows a checkout
    /// whose grant runs out.
    #[serde(default)]
    grant_seconds: Option<u64>,
    /// A grant this proxy minted, expired or not: a fresh grant for the same order is
    /// returned, as a shop's server renews one, and no invoice is made.
    #[serde(default)]
    renew: Option<String>,
    /// `PAYEE` for an order whose fees the merchant bears (`PAYER`, the default, adds them to
    /// what the payer pays).
    #[serde(default)]
    fee_bearer: Option<FeeBearer>,
}

/// The sandbox-only route's answer: a grant and the order it pays.
fn demo_grant(
    state: &AppState,
    claims: &GrantClaims,
    number: Option<&str>,
) -> Json<serde_json::Value> {
    Json(json!({
        "grant": state.grant_key.mint(claims),
        "source_type": claims.source_type,
        "source_id": claims.source_id,
        "source_number": number,
        "total": claims.amount,
        "currency": claims.currency,
        "expires_at": claims.exp,
    }))
}

/// Sandbox mode only: a fresh, payable demo invoice and its grant, as a merchant's backend
/// would make them.
pub async fn demo_checkout(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ProxyError> {
    let request: DemoCheckout = if body.is_empty() {
        DemoCheckout::default()
    } else {
        parse_body(&body)?
    };
    let seconds = request.grant_seconds.unwrap_or(3600);
    if !(1..=3600).contains(&seconds) {
        return Err(ProxyError::invalid(
            "grant_seconds",
            "a demo grant lasts 1 to 3600 seconds",
        ));
    }
    let now = unix_now();
    if let Some(old) = request.renew {
        // Its signature is checked; its expiry is what is being renewed.
        let claims = GrantClaims {
            iat: now,
            exp: now + seconds,
            ..state.grant_key.verify(&old, 0)?
        };
        return Ok(demo_grant(&state, &claims, None));
    }
    let fee_bearer = request.fee_bearer.unwrap_or(FeeBearer::Payer);
    if !fee_bearer.is_known() {
        return Err(ProxyError::invalid(
            "fee_bearer",
            "fee_bearer is PAYER or PAYEE",
        ));
    }
    let currency = request.currency.unwrap_or_else(|| "USD".into());
    let (phone, items) = match currency.as_str() {
        "USD" => (
            "231770000000",
            json!([
                {"name": "Solar lantern", "currency": "USD", "amount": 18.5},
                {"name": "Phone charging cable", "currency": "USD", "amount": 6.5},
            ]),
        ),
        "RWF" => (
            "250780000000",
            json!([
                {"name": "Coffee beans, 1 kg", "currency": "RWF", "amount": 12000},
                {"name": "Delivery", "currency": "RWF", "amount": 3000},
            ]),
        ),
        _ => {
            return Err(ProxyError::invalid(
                "currency",
                "demo checkouts are USD or RWF",
            ))
        }
    };
    let created: CreateCheckoutSourceLinkResponse = state
        .dollr
        .call(
            Method::POST,
            "/v1/checkouts/create",
            Some(&json!({
                "mode": "API", "source_kind": "INVOICE", "party_name": "Demo payer",
                "party_phone": phone, "currency": currency, "items": items,
                "note": "dollr-checkout demo", "fee_bearer": fee_bearer,
            })),
            Retry::Write,
        )
        .await
        .map_err(ProxyError::from_dollr)?;
    let claims = GrantClaims {
        source_type: created.source_type,
        source_id: created.source_id,
        party_id: created.party_id,
        amount: created.total_amount,
        currency: created.currency,
        iat: now,
        exp: now + seconds,
    };
    Ok(demo_grant(&state, &claims, Some(&created.source_number)))
}
