//! HTTP handlers of the sandbox: Dollr's `/v1` endpoints and the `/__sandbox` hooks. Each
//! handler validates like Dollr (all problems in one 422), then applies the rule in the store.

use std::collections::HashMap;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{middleware, Json, Router};
use dollr_api::dollr::{
    ErrorBody, ErrorDetail, ExecutionResponse, InvoiceItemResponse, InvoiceReceiptResponse,
};
use dollr_api::{
    Decimal, ExecutionStatus, FeeBearer, OperationType, PaymentMethod, Provider, SourceType,
};
use serde_json::{json, Map, Value};

use crate::faults::{self, Fault};
use crate::scenarios::{self, card_outcome, mobile_money_outcome, operator_for, price};
use crate::store::{
    now_text, Challenge, Counterparty, Execution, Item, Party, PaymentAccount, Refusal, Session,
    Source, Store,
};
use crate::validation::{parse_object, query_object, Origin, Problems, Reader};
use crate::{stripe_stand_in, Sandbox};

type Reply = Result<Response, Refusal>;
type QueryMap = Query<HashMap<String, String>>;

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, detail) = match self {
            Refusal::Unauthorized(text) => {
                (StatusCode::UNAUTHORIZED, ErrorDetail::Message(text.into()))
            }
            Refusal::NotFound(text) => (StatusCode::NOT_FOUND, ErrorDetail::Message(text)),
            Refusal::Conflict(text) => (StatusCode::CONFLICT, ErrorDetail::Message(text)),
            Refusal::Problems(list) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorDetail::Validation(list),
            ),
        };
        let mut response = (status, Json(ErrorBody { detail })).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// Shorthand for "validation failed": stops the handler with the collected 422.
macro_rules! check {
    ($problems:expr) => {
        if !$problems.is_empty() {
            return Err($problems.into());
        }
    };
}

fn ok<T: serde::Serialize>(value: T) -> Reply {
    Ok(Json(value).into_response())
}

pub(crate) fn router(sandbox: Sandbox) -> Router {
    let v1 = Router::new()
        .route("/v1/jwt/client/obtain/token", post(obtain_token))
        .route("/v1/checkouts/create", post(create_checkout))
        .route("/v1/parties/create", post(create_party))
        .route("/v1/counterparties/create", post(create_counterparty))
        .route("/v1/invoices/create", post(create_invoice))
        .route("/v1/orders/create", post(create_order))
        .route("/v1/invoices/{id}/items/add", post(add_invoice_item))
        .route("/v1/orders/{id}/items/add", post(add_order_item))
        .route("/v1/invoices/publish/{id}", put(publish_invoice))
        .route("/v1/orders/publish/{id}", put(publish_order))
        .route("/v1/invoices/receipt/{id}", get(invoice_receipt))
        .route("/v1/orders/receipt/{id}", get(order_receipt))
        .route(
            "/v1/invoices/receipt/number/{number}",
            get(invoice_receipt_by_number),
        )
        .route(
            "/v1/orders/receipt/number/{number}",
            get(order_receipt_by_number),
        )
        .route("/v1/sessions/checkout", post(create_session))
        .route("/v1/payment-accounts/create", post(create_payment_account))
        .route("/v1/predictions/mmo-provider-info", get(predict_mmo))
        .route("/v1/predictions/card-provider-info", get(predict_card))
        .route("/v1/predictions/amount-and-fees", get(predict_amount))
        .route(
            "/v1/predictions/payment-source/amount-and-fees",
            get(predict_source_amount),
        )
        .route("/v1/executions/collection", post(execute_collection))
        .route(
            "/v1/status/collection/{reference_id}",
            get(collection_status),
        )
        .route("/v1/status/source", get(source_status))
        .route("/v1/realtime-keys/collection", post(realtime_key))
        .route("/v1/links/pay", get(pay_link))
        .route("/v1/links/receipt", get(receipt_link))
        .layer(middleware::from_fn_with_state(
            sandbox.clone(),
            faults::apply,
        ))
        .layer(middleware::from_fn_with_state(
            sandbox.clone(),
            count_request,
        ));
    // The Stripe.js stand-in runs on the merchant's page, another origin: allow it there.
    let stripe = Router::new()
        .route("/__sandbox/stripe.js", get(stripe_stand_in::script))
        .route("/__sandbox/stripe/challenge", post(answer_challenge))
        .layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(tower_http::cors::Any)
                .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
                .allow_headers([header::CONTENT_TYPE]),
        );
    Router::new()
        .merge(v1)
        .merge(stripe)
        .route("/__sandbox/ledger", get(ledger))
        .route(
            "/__sandbox/faults",
            post(arm_fault).get(list_faults).delete(clear_faults),
        )
        .route("/__sandbox/health", get(|| async { "ok" }))
        .fallback(|| async { Refusal::NotFound("Not Found".into()) })
        .with_state(sandbox)
}

// ------------------------------------------------------------------ auth

/// Counts every `/v1` call, before faults apply, so tests can prove what reached "Dollr", and
/// holds it as in flight until it is answered.
async fn count_request(
    State(sandbox): State<Sandbox>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    sandbox.store().api_requests += 1;
    let _in_flight = sandbox.call_started();
    next.run(request).await
}

fn authorize(sandbox: &Sandbox, headers: &HeaderMap) -> Result<(), Refusal> {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Err(Refusal::Unauthorized("Not authenticated"));
    };
    let Some(token) = value.strip_prefix("Bearer ").map(str::trim) else {
        return Err(Refusal::Unauthorized("Not authenticated"));
    };
    let store = sandbox.store();
    match store.tokens.get(token) {
        Some(expiry) if *expiry > Instant::now() => Ok(()),
        _ => Err(Refusal::Unauthorized("Could not validate credentials")),
    }
}

async fn obtain_token(State(sandbox): State<Sandbox>, body: Bytes) -> Reply {
    sandbox.store().token_requests += 1;
    let object = parse_object(&body)?;
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Body, &object, &mut problems);
    let id = r.string("client_id", true);
    let secret = r.string("client_secret", true);
    check!(problems);
    let config = sandbox.config();
    if id.as_deref() != Some(config.client_id.as_str())
        || secret.as_deref() != Some(config.client_secret.as_str())
    {
        return Err(Refusal::Unauthorized("Invalid client credentials"));
    }
    let token = format!("sbx_tok_{}", uuid::Uuid::new_v4().simple());
    let mut store = sandbox.store();
    let now = Instant::now();
    store.tokens.retain(|_, expiry| *expiry > now);
    store.tokens.insert(token.clone(), now + config.token_ttl);
    ok(json!({ "access_token": token, "expires_in": config.token_ttl.as_secs() / 60 }))
}

// ------------------------------------------------------------------ documents

const RELATIONSHIPS: &[&str] = &[
    "CUSTOMER",
    "SUPPLIER",
    "EMPLOYEE",
    "BENEFICIARY",
    "FRIEND",
    "FAMILY",
    "DONOR",
    "DONEE",
    "CONTACT",
    "SERVICE_PROVIDER",
    "PARTNER",
    "SELF",
    "OTHER",
];
const SOURCE_KINDS: &[&str] = &["INVOICE", "ORDER"];

fn country_of_phone(phone: &str) -> Option<String> {
    operator_for(phone).map(|o| o.country.to_owned())
}

fn make_party(
    store: &mut Store,
    fullname: String,
    phone: String,
    email: Option<String>,
    country: Option<String>,
) -> u64 {
    if let Some(existing) = store.parties.values().find(|p| p.phone == phone) {
        return existing.id;
    }
    let id = store.next_id();
    let country_code = country.or_else(|| country_of_phone(&phone));
    store.parties.insert(
        id,
        Party {
            id,
            fullname,
            phone,
            email,
            country_code,
        },
    );
    id
}

fn make_counterparty(store: &mut Store, relationship_type: String, party_id: Option<u64>) -> u64 {
    let id = store.next_id();
    store.counterparties.insert(
        id,
        Counterparty {
            id,
            relationship_type,
            party_id,
        },
    );
    id
}

#[allow(clippy::too_many_arguments)]
fn make_source(
    store: &mut Store,
    source_type: SourceType,
    counterparty_id: u64,
    currency: String,
    note: String,
    fee_bearer: FeeBearer,
    as_payment_link: bool,
    reference_id: Option<String>,
    due_date: Option<String>,
) -> u64 {
    let id = store.next_id();
    let prefix = if source_type == SourceType::Order {
        "ORD"
    } else {
        "INV"
    };
    let now = now_text();
    store.sources.insert(
        id,
        Source {
            id,
            source_type,
            number: format!("{prefix}-{id:06}"),
            counterparty_id,
            currency,
            note,
            fee_bearer,
            as_payment_link,
            reference_id,
            due_date,
            items: Vec::new(),
            published: false,
            created_at: now.clone(),
            updated_at: now,
            paid_by: None,
            paid_at: None,
        },
    );
    id
}

async fn create_checkout(State(sandbox): State<Sandbox>, headers: HeaderMap, body: Bytes) -> Reply {
    authorize(&sandbox, &headers)?;
    let object = parse_object(&body)?;
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Body, &object, &mut problems);
    let mode = r.one_of("mode", true, &["HOSTED", "API"]);
    let kind = r.one_of("source_kind", true, SOURCE_KINDS);
    let party_name = r.string("party_name", false);
    let phone = r.phone("party_phone", true);
    let email = r.string("party_email", false);
    let relationship = r.one_of("party_relationship", false, RELATIONSHIPS);
    let reference_id = r.string("reference_id", false);
    let note = r.string("note", false);
    let currency = r.currency("currency", true);
    let due_date = r.string("due_date", false);
    let success_url = r.string("success_url", false);
    let expires_at = r.string("expires_at", false);
    let counterparty_id = r.id("counterparty_id", false, false);
    // Not in Dollr's schema for checkouts (an invoice made with `invoices/create` names its fee
    // bearer): the sandbox takes it here too, so a demo order can have its fees on the merchant.
    let fee_bearer = r.one_of("fee_bearer", false, &["PAYER", "PAYEE"]);
    let items = r.objects("items", true);
    let mut lines = Vec::new();
    if let Some(list) = items {
        if list.is_empty() {
            r.reject(
                "items",
                "List should have at least 1 item after validation",
                "too_short",
            );
        }
        for (index, value) in list.iter().enumerate() {
            lines.push(read_item(
                value,
                vec!["items".into(), index.to_string()],
                r.problems,
                currency.as_deref(),
                false,
            ));
        }
    }
    check!(problems);
    let (Some(mode), Some(kind), Some(phone), Some(currency)) = (mode, kind, phone, currency)
    else {
        return Err(Problems::default().into());
    };
    let mut store = sandbox.store();
    if let Some(cp) = counterparty_id {
        if !store.counterparties.contains_key(&cp) {
            return Err(Refusal::body(
                "counterparty_id",
                "Counterparty not found",
                "value_error",
            ));
        }
    }
    let party_id = make_party(
        &mut store,
        party_name.unwrap_or_else(|| "Customer".into()),
        phone,
        email,
        None,
    );
    let counterparty_id = counterparty_id.unwrap_or_else(|| {
        make_counterparty(
            &mut store,
            relationship.unwrap_or_else(|| "CUSTOMER".into()),
            Some(party_id),
        )
    });
    let source_type = SourceType::parse(&kind);
    let id = make_source(
        &mut store,
        source_type.clone(),
        counterparty_id,
        currency.clone(),
        note.unwrap_or_default(),
        fee_bearer.map_or(FeeBearer::Payer, |b| FeeBearer::parse(&b)),
        true,
        reference_id.clone(),
        due_date,
    );
    let now = now_text();
    let mut total = Decimal::ZERO;
    let mut items_out = Vec::new();
    for (name, qty, amount) in lines.into_iter().flatten() {
        let item_id = store.next_id();
        total = total
            .checked_add(
                amount
                    .checked_mul(Decimal::from_int(i64::from(qty)))
                    .unwrap_or(amount),
            )
            .unwrap_or(total);
        items_out.push(Item {
            id: item_id,
            name,
            qty,
            amount,
            currency: currency.clone(),
            created_at: now.clone(),
        });
    }
    let number = match store.sources.get_mut(&id) {
        Some(source) => {
            source.items = items_out;
            // checkouts/create makes a payable source at once.
            source.published = true;
            source.number.clone()
        }
        None => return Err(Refusal::NotFound("Source not found".into())),
    };
    ok(json!({
        "mode": mode,
        "source_type": source_type,
        "source_id": id,
        "source_number": number,
        "source_status": "ACTIVE",
        "reference_id": reference_id,
        "counterparty_id": counterparty_id,
        "party_id": party_id,
        "currency": currency,
        "total_amount": total.to_f64(),
        "due_date": Value::Null,
        "source_checkout_config_id": id,
        "expires_at": expires_at,
        "hosted_path_or_token": format!("sbx_{id}"),
        "success_url": success_url,
        "cancel_url": Value::Null,
        "url": format!("https://checkout.sandbox.invalid/pay/{number}"),
    }))
}

/// Reads one line item; `with_qty` for invoice/order items (checkout items have none).
fn read_item(
    value: &Value,
    prefix: Vec<String>,
    problems: &mut Problems,
    source_currency: Option<&str>,
    with_qty: bool,
) -> Option<(String, u32, Decimal)> {
    let Value::Object(object) = value else {
        let path: Vec<&str> = prefix.iter().map(String::as_str).collect();
        problems.push(
            Origin::Body,
            &path,
            "Input should be a valid dictionary",
            "model_attributes_type",
        );
        return None;
    };
    let mut r = Reader::nested(Origin::Body, prefix, object, problems);
    let name = r.non_empty("name", true);
    let currency = r.currency("currency", true);
    let qty = if with_qty {
        r.quantity("qty", true)
    } else {
        r.quantity("qty", false).or(Some(1))
    };
    let amount = r.amount("amount", true);
    if let (Some(c), Some(expected)) = (currency.as_deref(), source_currency) {
        if c != expected {
            r.reject(
                "currency",
                format!("Item currency must match the source currency {expected}"),
                "value_error",
            );
            return None;
        }
    }
    Some((name?, qty?, amount?))
}

async fn create_party(State(sandbox): State<Sandbox>, headers: HeaderMap, body: Bytes) -> Reply {
    authorize(&sandbox, &headers)?;
    let object = parse_object(&body)?;
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Body, &object, &mut problems);
    let fullname = r.non_empty("fullname", true);
    let phone = r.phone("phone", true);
    let email = r.string("email", false);
    let country = r.string("country_code", false);
    check!(problems);
    let (Some(fullname), Some(phone)) = (fullname, phone) else {
        return Err(Problems::default().into());
    };
    let mut store = sandbox.store();
    let id = make_party(&mut store, fullname, phone, email, country);
    ok(store.parties.get(&id))
}

async fn create_counterparty(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let object = parse_object(&body)?;
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Body, &object, &mut problems);
    let relationship = r.one_of("relationship_type", true, RELATIONSHIPS);
    let party_id = r.id("party_id", false, false);
    check!(problems);
    let mut store = sandbox.store();
    if let Some(pid) = party_id {
        if !store.parties.contains_key(&pid) {
            return Err(Refusal::body("party_id", "Party not found", "value_error"));
        }
    }
    let id = make_counterparty(&mut store, relationship.unwrap_or_default(), party_id);
    ok(store.counterparties.get(&id))
}

fn source_json(store: &Store, source: &Source, sandbox: &Sandbox) -> Value {
    let status = store.source_status(source, Instant::now(), sandbox.config().delays());
    let number_key = if source.source_type == SourceType::Order {
        "order_number"
    } else {
        "invoice_number"
    };
    let mut out = json!({
        "id": source.id,
        "counterparty_id": source.counterparty_id,
        "currency": source.currency,
        "total_amount": source.total().to_f64(),
        "status": status,
        "note": source.note,
        "fee_bearer": source.fee_bearer,
        "due_date": source.due_date,
        "as_payment_link": source.as_payment_link,
        "owner_id": 1,
        "owner_type": "ORGANIZATION",
        "created_at": source.created_at,
        "updated_at": source.updated_at,
        "reference_id": source.reference_id,
        "paid_at": source.paid_at,
    });
    if let Value::Object(map) = &mut out {
        map.insert(number_key.into(), Value::String(source.number.clone()));
    }
    out
}

async fn create_source_of(
    sandbox: Sandbox,
    headers: HeaderMap,
    body: Bytes,
    source_type: SourceType,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let object = parse_object(&body)?;
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Body, &object, &mut problems);
    let counterparty_id = r.id("counterparty_id", true, false);
    let currency = r.currency("currency", true);
    let note = r.string("note", true);
    let fee_bearer = r.one_of("fee_bearer", true, &["PAYER", "PAYEE"]);
    let as_payment_link = r.boolean("as_payment_link", true);
    let reference_id = r.string("reference_id", false);
    let due_date = r.string("due_date", false);
    check!(problems);
    let (Some(cp), Some(currency), Some(note), Some(fee_bearer), Some(link)) =
        (counterparty_id, currency, note, fee_bearer, as_payment_link)
    else {
        return Err(Problems::default().into());
    };
    let mut store = sandbox.store();
    if !store.counterparties.contains_key(&cp) {
        return Err(Refusal::body(
            "counterparty_id",
            "Counterparty not found",
            "value_error",
        ));
    }
    let id = make_source(
        &mut store,
        source_type,
        cp,
        currency,
        note,
        FeeBearer::parse(&fee_bearer),
        link,
        reference_id,
        due_date,
    );
    let Some(source) = store.sources.get(&id) else {
        return Err(Refusal::NotFound("Source not found".into()));
    };
    ok(source_json(&store, source, &sandbox))
}

async fn create_invoice(State(s): State<Sandbox>, h: HeaderMap, b: Bytes) -> Reply {
    create_source_of(s, h, b, SourceType::Invoice).await
}

async fn create_order(State(s): State<Sandbox>, h: HeaderMap, b: Bytes) -> Reply {
    create_source_of(s, h, b, SourceType::Order).await
}

fn path_id(text: &str) -> Result<u64, Refusal> {
    text.parse::<u64>()
        .map_err(|_| Refusal::path("id", "Input should be a valid integer", "int_parsing"))
}

fn kind_name(source_type: &SourceType) -> &'static str {
    if *source_type == SourceType::Order {
        "Order"
    } else {
        "Invoice"
    }
}

async fn add_item_of(
    sandbox: Sandbox,
    headers: HeaderMap,
    id: String,
    body: Bytes,
    source_type: SourceType,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let id = path_id(&id)?;
    // Like Dollr, a body that is not an object is refused before the invoice is looked up.
    let value = Value::Object(parse_object(&body)?);
    let source_currency = {
        let store = sandbox.store();
        match store.sources.get(&id) {
            Some(s) if s.source_type == source_type => s.currency.clone(),
            _ => {
                return Err(Refusal::NotFound(format!(
                    "{} not found",
                    kind_name(&source_type)
                )))
            }
        }
    };
    let mut problems = Problems::default();
    let line = read_item(
        &value,
        Vec::new(),
        &mut problems,
        Some(&source_currency),
        true,
    );
    check!(problems);
    let Some((name, qty, amount)) = line else {
        return Err(Problems::default().into());
    };
    let mut store = sandbox.store();
    let item_id = store.next_id();
    let now = now_text();
    let Some(source) = store.sources.get_mut(&id) else {
        return Err(Refusal::NotFound(format!(
            "{} not found",
            kind_name(&source_type)
        )));
    };
    if source.published {
        return Err(Refusal::body(
            "id",
            format!(
                "{} is published and can no longer be edited",
                kind_name(&source_type)
            ),
            "value_error",
        ));
    }
    let item = Item {
        id: item_id,
        name,
        qty,
        amount,
        currency: source_currency,
        created_at: now.clone(),
    };
    source.items.push(item.clone());
    source.updated_at = now.clone();
    ok(json!({
        "id": item.id, "name": item.name, "currency": item.currency, "qty": item.qty,
        "amount": item.amount.to_f64(), "created_at": now, "updated_at": now,
    }))
}

async fn add_invoice_item(
    State(s): State<Sandbox>,
    h: HeaderMap,
    Path(id): Path<String>,
    b: Bytes,
) -> Reply {
    add_item_of(s, h, id, b, SourceType::Invoice).await
}

async fn add_order_item(
    State(s): State<Sandbox>,
    h: HeaderMap,
    Path(id): Path<String>,
    b: Bytes,
) -> Reply {
    add_item_of(s, h, id, b, SourceType::Order).await
}

async fn publish_of(
    sandbox: Sandbox,
    headers: HeaderMap,
    id: String,
    source_type: SourceType,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let id = path_id(&id)?;
    let mut store = sandbox.store();
    let Some(source) = store
        .sources
        .get_mut(&id)
        .filter(|s| s.source_type == source_type)
    else {
        return Err(Refusal::NotFound(format!(
            "{} not found",
            kind_name(&source_type)
        )));
    };
    if source.items.is_empty() {
        return Err(Refusal::path(
            "id",
            format!(
                "{} has no items and cannot be published",
                kind_name(&source_type)
            ),
            "value_error",
        ));
    }
    source.published = true;
    source.updated_at = now_text();
    let snapshot = source.clone();
    ok(source_json(&store, &snapshot, &sandbox))
}

async fn publish_invoice(State(s): State<Sandbox>, h: HeaderMap, Path(id): Path<String>) -> Reply {
    publish_of(s, h, id, SourceType::Invoice).await
}

async fn publish_order(State(s): State<Sandbox>, h: HeaderMap, Path(id): Path<String>) -> Reply {
    publish_of(s, h, id, SourceType::Order).await
}

fn receipt(store: &Store, source: &Source, sandbox: &Sandbox) -> InvoiceReceiptResponse {
    let status = store.source_status(source, Instant::now(), sandbox.config().delays());
    let party = store
        .party_of_source(source)
        .and_then(|id| store.parties.get(&id));
    let execution = source
        .paid_by
        .as_ref()
        .and_then(|r| store.executions.get(r));
    let account = execution.and_then(|e| store.accounts.get(&e.payment_account_id));
    let p = execution.map(|e| &e.pricing);
    InvoiceReceiptResponse {
        invoice_id: source.id,
        invoice_number: source.number.clone(),
        reference_id: source.paid_by.clone(),
        currency: source.currency.clone(),
        total_amount: source.total(),
        status,
        note: source.note.clone(),
        fee_bearer: source.fee_bearer.clone(),
        counterparty_name: party.map(|p| p.fullname.clone()).unwrap_or_default(),
        counterparty_phone: party.map(|p| p.phone.clone()).unwrap_or_default(),
        paid_at: source.paid_at.clone(),
        payer_amount: p.map(|p| p.payer_amount),
        payer_currency: p.map(|p| p.payer_currency.clone()),
        payee_amount: p.map(|p| p.payee_amount),
        payee_currency: p.map(|p| p.payee_currency.clone()),
        platform_fee: p.map(|p| p.platform_fee),
        platform_currency: p.map(|p| p.payee_currency.clone()),
        gateway_fee: p.map(|p| p.gateway_fee),
        gateway_currency: p.map(|p| p.gateway_currency.clone()),
        fx_fee: p.map(|p| p.fx_fee),
        fx_rate: p.map(|p| p.fx_rate),
        fx_currency_from: p.map(|p| p.payee_currency.clone()),
        fx_currency_to: p.map(|p| p.payer_currency.clone()),
        payment_provider: account.map(|a| a.provider.clone()),
        payment_method: account.map(|a| a.method.clone()),
        account_name: account.map(|a| a.account_name.clone()),
        gateway_confirmed_at: source.paid_at.clone(),
        provider_transaction_id: execution.map(|e| e.provider_transaction_id.clone()),
        items: source
            .items
            .iter()
            .map(|i| InvoiceItemResponse {
                id: i.id,
                name: i.name.clone(),
                currency: i.currency.clone(),
                qty: i.qty,
                amount: i.amount,
            })
            .collect(),
    }
}

fn receipt_reply(
    sandbox: &Sandbox,
    source_type: SourceType,
    find: impl Fn(&Source) -> bool,
) -> Reply {
    let mut store = sandbox.store();
    store.settle(Instant::now(), sandbox.config().delays());
    let Some(source) = store
        .sources
        .values()
        .find(|s| s.source_type == source_type && find(s))
    else {
        return Err(Refusal::NotFound(format!(
            "{} not found",
            kind_name(&source_type)
        )));
    };
    let body = receipt(&store, source, sandbox);
    let mut value = serde_json::to_value(body).unwrap_or(Value::Null);
    if source_type == SourceType::Order {
        if let Value::Object(map) = &mut value {
            rename(map, "invoice_id", "order_id");
            rename(map, "invoice_number", "order_number");
        }
    }
    ok(value)
}

fn rename(map: &mut Map<String, Value>, from: &str, to: &str) {
    if let Some(v) = map.remove(from) {
        map.insert(to.into(), v);
    }
}

async fn invoice_receipt(State(s): State<Sandbox>, h: HeaderMap, Path(id): Path<String>) -> Reply {
    authorize(&s, &h)?;
    let id = path_id(&id)?;
    receipt_reply(&s, SourceType::Invoice, |src| src.id == id)
}

async fn order_receipt(State(s): State<Sandbox>, h: HeaderMap, Path(id): Path<String>) -> Reply {
    authorize(&s, &h)?;
    let id = path_id(&id)?;
    receipt_reply(&s, SourceType::Order, |src| src.id == id)
}

async fn invoice_receipt_by_number(
    State(s): State<Sandbox>,
    h: HeaderMap,
    Path(n): Path<String>,
) -> Reply {
    authorize(&s, &h)?;
    receipt_reply(&s, SourceType::Invoice, |src| src.number == n)
}

async fn order_receipt_by_number(
    State(s): State<Sandbox>,
    h: HeaderMap,
    Path(n): Path<String>,
) -> Reply {
    authorize(&s, &h)?;
    receipt_reply(&s, SourceType::Order, |src| src.number == n)
}

// ------------------------------------------------------------------ sessions and accounts

async fn create_session(State(sandbox): State<Sandbox>, headers: HeaderMap, body: Bytes) -> Reply {
    authorize(&sandbox, &headers)?;
    let object = parse_object(&body)?;
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Body, &object, &mut problems);
    let source_id = r.id("source_id", true, false);
    let kind = r.one_of("source_type", true, SOURCE_KINDS);
    check!(problems);
    let (Some(source_id), Some(kind)) = (source_id, kind) else {
        return Err(Problems::default().into());
    };
    let source_type = SourceType::parse(&kind);
    let config = sandbox.config().clone();
    let mut store = sandbox.store();
    let now = Instant::now();
    store.settle(now, config.delays());
    let Some(source) = store
        .sources
        .get(&source_id)
        .filter(|s| s.source_type == source_type)
    else {
        return Err(Refusal::NotFound(format!(
            "{} not found",
            kind_name(&source_type)
        )));
    };
    if !source.published {
        return Err(Refusal::body(
            "source_id",
            format!("{} is not published", kind_name(&source_type)),
            "value_error",
        ));
    }
    if source.paid_by.is_some() {
        return Err(Refusal::body(
            "source_id",
            format!("{} is already paid", kind_name(&source_type)),
            "value_error",
        ));
    }
    let id = store.next_id();
    let created_at = now_text();
    let expires_at = crate::time::rfc3339(std::time::SystemTime::now() + config.session_ttl);
    store.sessions.insert(
        id,
        Session {
            id,
            source_id,
            source_type: source_type.clone(),
            expires: now + config.session_ttl,
            expires_at: expires_at.clone(),
            created_at: created_at.clone(),
            used_by: None,
            payment_account_id: None,
        },
    );
    ok(json!({
        "id": id, "payment_account_id": Value::Null, "source_id": source_id, "source_type": source_type,
        "status": "OPEN", "expires_at": expires_at, "created_at": created_at, "updated_at": created_at,
    }))
}

async fn create_payment_account(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(query): QueryMap,
    body: Bytes,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let mut problems = Problems::default();
    let query = query_object(&query);
    Reader::new(Origin::Query, &query, &mut problems).one_of(
        "operation_type",
        true,
        &["COLLECTION", "PAYOUT", "TRANSFER", "REFUND"],
    );
    let object = parse_object(&body)?;
    let mut r = Reader::new(Origin::Body, &object, &mut problems);
    let account_name = r.non_empty("account_name", true);
    let provider = r.one_of("provider", true, &["PAWAPAY", "STRIPE", "PLATFORM"]);
    let methods: Vec<&str> = PaymentMethod::ALL.iter().map(|m| m.as_str()).collect();
    let method = r.one_of("method", true, &methods);
    let party_id = r.id("party_id", true, false);
    let country = r.string("country_code", false);
    let number = r.string("insensitive_account_number", false);
    let (method, provider) = (
        method.map(|m| PaymentMethod::parse(&m)),
        provider.map(|p| Provider::parse(&p)),
    );
    if let (Some(m), Some(p)) = (&method, &provider) {
        if m.provider().as_ref() != Some(p) {
            r.reject(
                "provider",
                format!("Provider {p} does not carry method {m}"),
                "value_error",
            );
        }
        if m.is_mobile_money() {
            match number.as_deref() {
                None => r.reject(
                    "insensitive_account_number",
                    "Field required for mobile money",
                    "missing",
                ),
                Some(phone) if !dollr_api::validate::is_valid_phone(phone) => r.reject(
                    "insensitive_account_number",
                    "String should match pattern '^[1-9]\\d{7,14}$'",
                    "string_pattern_mismatch",
                ),
                Some(phone) => match operator_for(phone) {
                    Some(op) if op.method == *m => {}
                    _ => r.reject(
                        "insensitive_account_number",
                        format!("Phone number is not a {m} wallet"),
                        "value_error",
                    ),
                },
            }
            if country.is_none() {
                r.reject("country_code", "Field required for mobile money", "missing");
            } else if country.as_deref() != m.country() {
                r.reject(
                    "country_code",
                    format!("Country must be {} for {m}", m.country().unwrap_or("?")),
                    "value_error",
                );
            }
        }
    }
    check!(problems);
    let (Some(account_name), Some(provider), Some(method), Some(party_id)) =
        (account_name, provider, method, party_id)
    else {
        return Err(Problems::default().into());
    };
    let mut store = sandbox.store();
    if !store.parties.contains_key(&party_id) {
        return Err(Refusal::body("party_id", "Party not found", "value_error"));
    }
    // Mobile-money accounts are reusable per party + phone + method; cards get one per attempt.
    if method.is_mobile_money() {
        if let Some(existing) = store
            .accounts
            .values()
            .find(|a| a.party_id == party_id && a.method == method && a.account_number == number)
        {
            return ok(account_json(existing));
        }
    }
    let id = store.next_id();
    let account = PaymentAccount {
        id,
        account_name,
        provider,
        method,
        party_id,
        country_code: country,
        account_number: number,
        created_at: now_text(),
    };
    let reply = account_json(&account);
    store.accounts.insert(id, account);
    ok(reply)
}

fn account_json(a: &PaymentAccount) -> Value {
    json!({
        "id": a.id, "account_name": a.account_name, "provider": a.provider, "method": a.method,
        "party_id": a.party_id, "is_active": true, "created_at": a.created_at,
        "updated_at": a.created_at, "country_code": a.country_code,
    })
}

// ------------------------------------------------------------------ predictions

async fn predict_mmo(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(query): QueryMap,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let query = query_object(&query);
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Query, &query, &mut problems);
    let phone = r.phone("phone", true);
    let operation = r.one_of(
        "operation_type",
        true,
        &["COLLECTION", "PAYOUT", "TRANSFER", "REFUND"],
    );
    check!(problems);
    let phone = phone.unwrap_or_default();
    let Some(op) = operator_for(&phone) else {
        return Err(Refusal::query(
            "phone",
            "No supported mobile money operator for this phone number",
            "value_error",
        ));
    };
    ok(json!({
        "carrier": op.carrier, "country": op.country, "currencies": op.currencies, "phone": phone,
        "payment_method": op.method, "gateway_provider": Provider::Pawapay, "operation_type": operation,
    }))
}

async fn predict_card(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(query): QueryMap,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let query = query_object(&query);
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Query, &query, &mut problems);
    let pm = r.non_empty("payment_method_id", true);
    r.one_of(
        "operation_type",
        true,
        &["COLLECTION", "PAYOUT", "TRANSFER", "REFUND"],
    );
    r.one_of("provider", false, &["STRIPE"]);
    if let Some(pm) = pm.as_deref() {
        if !pm.starts_with("pm_") {
            r.reject(
                "payment_method_id",
                "String should start with 'pm_'",
                "value_error",
            );
        }
    }
    check!(problems);
    let pm = pm.unwrap_or_default();
    let Some(brand) = scenarios::card_brand(&pm) else {
        return Err(Refusal::query(
            "payment_method_id",
            "No such PaymentMethod",
            "value_error",
        ));
    };
    ok(json!({
        "brand": brand, "country": "US", "currencies": ["USD"],
        "payment_method": PaymentMethod::CreditCard, "gateway_provider": Provider::Stripe,
    }))
}

fn read_method_and_provider(r: &mut Reader<'_>) -> (Option<PaymentMethod>, Option<Provider>) {
    let methods: Vec<&str> = PaymentMethod::ALL.iter().map(|m| m.as_str()).collect();
    let method = r
        .one_of("payment_method", true, &methods)
        .map(|m| PaymentMethod::parse(&m));
    let provider = r
        .one_of(
            "provider",
            true,
            &[
                "MTN_MOMO_LBR",
                "ORANGE_MONEY_LBR",
                "PAWAPAY",
                "STRIPE",
                "PLATFORM",
            ],
        )
        .map(|p| Provider::parse(&p));
    if let (Some(m), Some(p)) = (&method, &provider) {
        // Dollr's examples sometimes send a method as provider: the sandbox treats that as the
        // method's own provider, like the live API.
        let effective = if p.is_known() {
            Some(p.clone())
        } else {
            m.provider()
        };
        if effective != m.provider() {
            r.reject(
                "provider",
                format!("Provider {p} does not carry method {m}"),
                "value_error",
            );
        }
    }
    (method, provider)
}

fn pricing_json(p: &scenarios::Pricing, method: &PaymentMethod) -> Value {
    let currency = &p.payee_currency;
    json!({
        "payer_amount": p.payer_amount.to_fixed(dollr_api::validate::minor_units(&p.payer_currency)),
        "payer_currency": p.payer_currency,
        "payee_amount": p.payee_amount.to_fixed(dollr_api::validate::minor_units(currency)),
        "payee_currency": currency,
        "platform_fee": p.platform_fee.to_string(),
        "platform_currency": currency,
        "fx_fee": p.fx_fee.to_string(),
        "gateway_fee": p.gateway_fee.to_string(),
        "gateway_currency": p.gateway_currency,
        "fx_rate": p.fx_rate.to_string(),
        "payment_method": method,
    })
}

fn method_supports(method: &PaymentMethod, currency: &str) -> bool {
    scenarios::method_currencies(method).contains(&currency)
}

async fn predict_amount(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(query): QueryMap,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let query = query_object(&query);
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Query, &query, &mut problems);
    let base = r.amount("base_amount", true);
    let base_currency = r.currency("base_currency", true);
    let target = r.currency("target_currency", true);
    let (method, _) = read_method_and_provider(&mut r);
    r.one_of(
        "operation_type",
        true,
        &["COLLECTION", "PAYOUT", "TRANSFER", "REFUND"],
    );
    let bearer = r.one_of("fee_bearer", true, &["PAYER", "PAYEE"]);
    check!(problems);
    let (Some(base), Some(bc), Some(tc), Some(method), Some(bearer)) =
        (base, base_currency, target, method, bearer)
    else {
        return Err(Problems::default().into());
    };
    if !method_supports(&method, &tc) {
        return Err(Refusal::query(
            "target_currency",
            format!("{method} cannot pay in {tc}"),
            "value_error",
        ));
    }
    match price(base, &bc, &tc, &method, &FeeBearer::parse(&bearer)) {
        Some(p) => ok(pricing_json(&p, &method)),
        None => Err(Refusal::query(
            "target_currency",
            format!("No exchange rate from {bc} to {tc}"),
            "value_error",
        )),
    }
}

async fn predict_source_amount(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(query): QueryMap,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let query = query_object(&query);
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Query, &query, &mut problems);
    let target = r.currency("target_currency", true);
    let (method, _) = read_method_and_provider(&mut r);
    let kind = r.one_of("source_type", true, SOURCE_KINDS);
    let source_id = r.id("source_id", true, true);
    check!(problems);
    let (Some(tc), Some(method), Some(kind), Some(source_id)) = (target, method, kind, source_id)
    else {
        return Err(Problems::default().into());
    };
    let source_type = SourceType::parse(&kind);
    let store = sandbox.store();
    let Some(source) = store
        .sources
        .get(&source_id)
        .filter(|s| s.source_type == source_type)
    else {
        return Err(Refusal::NotFound(format!(
            "{} not found",
            kind_name(&source_type)
        )));
    };
    if !method_supports(&method, &tc) {
        return Err(Refusal::query(
            "target_currency",
            format!("{method} cannot pay in {tc}"),
            "value_error",
        ));
    }
    match price(
        source.total(),
        &source.currency,
        &tc,
        &method,
        &source.fee_bearer,
    ) {
        Some(p) => ok(pricing_json(&p, &method)),
        None => Err(Refusal::query(
            "target_currency",
            format!("No exchange rate from {} to {tc}", source.currency),
            "value_error",
        )),
    }
}

// ------------------------------------------------------------------ executions

fn execution_response(
    e: &Execution,
    status: ExecutionStatus,
    message: Option<&str>,
) -> ExecutionResponse {
    ExecutionResponse {
        reference_id: e.reference_id.clone(),
        provider_transaction_id: Some(e.provider_transaction_id.clone()),
        requires_action: Some(
            e.challenge == Challenge::Waiting && status == ExecutionStatus::Pending,
        ),
        client_secret: e
            .client_secret
            .clone()
            .filter(|_| e.challenge == Challenge::Waiting),
        status,
        payer_amount: e.pricing.payer_amount,
        payer_currency: e.pricing.payer_currency.clone(),
        payee_currency: e.pricing.payee_currency.clone(),
        payee_amount: e.pricing.payee_amount,
        operation_type: OperationType::Collection,
        gateway_message: message.map(str::to_owned),
        wallet_message: None,
    }
}

async fn execute_collection(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let object = parse_object(&body)?;
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Body, &object, &mut problems);
    let session_id = r.id("session_id", true, true);
    let account_id = r.id("payment_account_id", true, true);
    let currency = r.currency("currency", true);
    let reference_id = r.uuid_v4("reference_id", true);
    check!(problems);
    let (Some(session_id), Some(account_id), Some(currency), Some(reference_id)) =
        (session_id, account_id, currency, reference_id)
    else {
        return Err(Problems::default().into());
    };
    let delays = sandbox.config().delays();
    let now = Instant::now();
    let mut store = sandbox.store();
    store.settle(now, delays);

    // Idempotency: the same reference_id returns the same execution and never charges twice;
    // the same id for a different payment is refused.
    if let Some(existing) = store.executions.get(&reference_id) {
        let same = existing.session_id == session_id
            && existing.payment_account_id == account_id
            && existing.pricing.payer_currency == currency;
        if !same {
            return Err(Refusal::Conflict(
                "reference_id already used for a different payment".into(),
            ));
        }
        let (status, message) = existing.status_at(now, delays);
        return ok(execution_response(existing, status, message));
    }

    let Some(session) = store.sessions.get(&session_id).cloned() else {
        return Err(Refusal::body(
            "session_id",
            "Checkout session not found",
            "value_error",
        ));
    };
    if session.expires <= now {
        return Err(Refusal::body(
            "session_id",
            "Checkout session has expired",
            "value_error",
        ));
    }
    if session.used_by.is_some() {
        return Err(Refusal::body(
            "session_id",
            "Checkout session was already used for another payment",
            "value_error",
        ));
    }
    let Some(source) = store.sources.get(&session.source_id).cloned() else {
        return Err(Refusal::body(
            "session_id",
            "Checkout session has no source",
            "value_error",
        ));
    };
    if source.paid_by.is_some() {
        return Err(Refusal::body(
            "session_id",
            format!("{} is already paid", kind_name(&source.source_type)),
            "value_error",
        ));
    }
    let Some(account) = store.accounts.get(&account_id).cloned() else {
        return Err(Refusal::body(
            "payment_account_id",
            "Payment account not found",
            "value_error",
        ));
    };
    if store.party_of_source(&source) != Some(account.party_id) {
        return Err(Refusal::body(
            "payment_account_id",
            "Payment account belongs to another party",
            "value_error",
        ));
    }
    if !method_supports(&account.method, &currency) {
        return Err(Refusal::body(
            "currency",
            format!("{} cannot pay in {currency}", account.method),
            "value_error",
        ));
    }
    let Some(pricing) = price(
        source.total(),
        &source.currency,
        &currency,
        &account.method,
        &source.fee_bearer,
    ) else {
        return Err(Refusal::body(
            "currency",
            format!("No exchange rate from {} to {currency}", source.currency),
            "value_error",
        ));
    };
    let number = account.account_number.clone().unwrap_or_default();
    let (outcome, challenge, client_secret) = if account.method == PaymentMethod::CreditCard {
        let outcome = card_outcome(&number);
        if outcome == scenarios::Outcome::ChallengeThenComplete {
            let secret = format!(
                "pi_sbx_{}_secret_{}",
                reference_id.replace('-', ""),
                uuid::Uuid::new_v4().simple()
            );
            (outcome, Challenge::Waiting, Some(secret))
        } else {
            (outcome, Challenge::None, None)
        }
    } else {
        (mobile_money_outcome(&number), Challenge::None, None)
    };
    let execution = Execution {
        reference_id: reference_id.clone(),
        source_id: source.id,
        session_id,
        payment_account_id: account_id,
        method: account.method.clone(),
        pricing,
        outcome,
        started: now,
        created_at: now_text(),
        challenge,
        challenge_answered: None,
        client_secret,
        provider_transaction_id: format!("sbx_tx_{}", &reference_id[..8]),
    };
    if let Some(s) = store.sessions.get_mut(&session_id) {
        s.used_by = Some(reference_id.clone());
        s.payment_account_id = Some(account_id);
    }
    let (status, message) = execution.status_at(now, delays);
    let reply = execution_response(&execution, status, message);
    store.execution_order.push(reference_id.clone());
    store.executions.insert(reference_id, execution);
    ok(reply)
}

async fn collection_status(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Path(reference_id): Path<String>,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let reference_id = reference_id.to_ascii_lowercase();
    let delays = sandbox.config().delays();
    let now = Instant::now();
    let mut store = sandbox.store();
    store.settle(now, delays);
    let Some(execution) = store.executions.get(&reference_id) else {
        return Err(Refusal::NotFound("Transaction not found".into()));
    };
    let (status, message) = execution.status_at(now, delays);
    ok(execution_response(execution, status, message))
}

async fn source_status(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    Query(query): QueryMap,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let query = query_object(&query);
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Query, &query, &mut problems);
    let kind = r.one_of("source_type", true, SOURCE_KINDS);
    let source_id = r.id("source_id", true, true);
    check!(problems);
    let (Some(kind), Some(source_id)) = (kind, source_id) else {
        return Err(Problems::default().into());
    };
    let source_type = SourceType::parse(&kind);
    let delays = sandbox.config().delays();
    let now = Instant::now();
    let mut store = sandbox.store();
    store.settle(now, delays);
    let Some(source) = store
        .sources
        .get(&source_id)
        .filter(|s| s.source_type == source_type)
    else {
        return Err(Refusal::NotFound(format!(
            "{} not found",
            kind_name(&source_type)
        )));
    };
    ok(json!({
        "source_id": source.id, "source_type": source.source_type, "source_number": source.number,
        "status": store.source_status(source, now, delays), "currency": source.currency,
        "total_amount": source.total().to_f64(), "paid_at": source.paid_at,
    }))
}

async fn realtime_key(State(sandbox): State<Sandbox>, headers: HeaderMap, body: Bytes) -> Reply {
    authorize(&sandbox, &headers)?;
    let object = parse_object(&body)?;
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Body, &object, &mut problems);
    let session_id = r.id("session_id", true, false);
    r.one_of("source_type", true, SOURCE_KINDS);
    let reference_id = r.uuid_v4("reference_id", true);
    check!(problems);
    let store = sandbox.store();
    let known = session_id
        .and_then(|id| store.sessions.get(&id))
        .is_some_and(|s| s.used_by == reference_id);
    if !known {
        return Err(Refusal::NotFound(
            "No execution for this session and reference".into(),
        ));
    }
    ok(
        json!({ "access_token": format!("rt_{}", uuid::Uuid::new_v4().simple()), "expires_in": 3600 }),
    )
}

async fn link_of(
    sandbox: Sandbox,
    headers: HeaderMap,
    query: HashMap<String, String>,
    kind_path: &str,
) -> Reply {
    authorize(&sandbox, &headers)?;
    let query = query_object(&query);
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Query, &query, &mut problems);
    let kind = r.one_of("source_type", true, SOURCE_KINDS);
    let number = r.non_empty("source_number", true);
    check!(problems);
    let source_type = SourceType::parse(&kind.unwrap_or_default());
    let number = number.unwrap_or_default();
    let store = sandbox.store();
    if !store
        .sources
        .values()
        .any(|s| s.source_type == source_type && s.number == number)
    {
        return Err(Refusal::NotFound(format!(
            "{} not found",
            kind_name(&source_type)
        )));
    }
    ok(json!({ "url": format!("https://checkout.sandbox.invalid/{kind_path}/{number}") }))
}

async fn pay_link(State(s): State<Sandbox>, h: HeaderMap, Query(q): QueryMap) -> Reply {
    link_of(s, h, q, "pay").await
}

async fn receipt_link(State(s): State<Sandbox>, h: HeaderMap, Query(q): QueryMap) -> Reply {
    link_of(s, h, q, "receipt").await
}

// ------------------------------------------------------------------ test hooks

async fn ledger(State(sandbox): State<Sandbox>) -> Reply {
    let delays = sandbox.config().delays();
    let now = Instant::now();
    let mut store = sandbox.store();
    store.settle(now, delays);
    let mut sources: Vec<&Source> = store.sources.values().collect();
    sources.sort_by_key(|s| s.id);
    let sources: Vec<Value> = sources
        .iter()
        .map(|s| {
            let paid: Decimal = store
                .executions
                .values()
                .filter(|e| {
                    e.source_id == s.id && e.status_at(now, delays).0 == ExecutionStatus::Completed
                })
                .fold(Decimal::ZERO, |sum, e| {
                    sum.checked_add(e.pricing.payee_amount).unwrap_or(sum)
                });
            json!({
                "id": s.id, "type": s.source_type, "number": s.number,
                "status": store.source_status(s, now, delays), "currency": s.currency,
                "total": s.total(), "paid": paid,
            })
        })
        .collect();
    let executions: Vec<Value> = store
        .execution_order
        .iter()
        .filter_map(|r| store.executions.get(r))
        .map(|e| {
            let (status, message) = e.status_at(now, delays);
            json!({
                "reference_id": e.reference_id, "source_id": e.source_id, "method": e.method,
                "amount": e.pricing.payer_amount, "currency": e.pricing.payer_currency,
                "status": status, "gateway_message": message, "created_at": e.created_at,
            })
        })
        .collect();
    ok(json!({
        "sources": sources,
        "executions": executions,
        "api_requests": store.api_requests,
        "token_requests": store.token_requests,
    }))
}

async fn arm_fault(State(sandbox): State<Sandbox>, body: Bytes) -> Reply {
    match serde_json::from_slice::<Fault>(&body) {
        Ok(fault) => {
            sandbox.faults().arm(fault);
            ok(sandbox.faults().list())
        }
        Err(e) => Err(Refusal::body(
            "fault",
            format!("Not a fault: {e}"),
            "value_error",
        )),
    }
}

async fn list_faults(State(sandbox): State<Sandbox>) -> Reply {
    ok(sandbox.faults().list())
}

async fn clear_faults(State(sandbox): State<Sandbox>) -> Reply {
    sandbox.faults().clear();
    ok(Vec::<Fault>::new())
}

async fn answer_challenge(State(sandbox): State<Sandbox>, body: Bytes) -> Reply {
    let object = parse_object(&body)?;
    let mut problems = Problems::default();
    let mut r = Reader::new(Origin::Body, &object, &mut problems);
    let secret = r.non_empty("client_secret", true);
    let approve = r.boolean("approve", true);
    check!(problems);
    let answered = sandbox.store().answer_challenge(
        &secret.unwrap_or_default(),
        approve.unwrap_or(false),
        Instant::now(),
    );
    if answered {
        ok(json!({ "answered": true }))
    } else {
        Err(Refusal::NotFound(
            "No challenge waits under this client secret".into(),
        ))
    }
}
