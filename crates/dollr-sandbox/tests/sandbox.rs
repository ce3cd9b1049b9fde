//! The sandbox over real loopback HTTP, as a client written from Dollr's docs would use it:
//! auth, every validation rule, statuses over time, idempotency, receipts, scenarios, faults,
//! and concurrency.
#![allow(missing_docs, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::time::Duration;

use dollr_sandbox::{spawn, Config, Running};
use reqwest::StatusCode;
use serde_json::{json, Value};

const SHORT_MS: u64 = 300;
const LONG_MS: u64 = 1500;

fn config() -> Config {
    Config {
        short_delay: Duration::from_millis(SHORT_MS),
        long_delay: Duration::from_millis(LONG_MS),
        ..Config::default()
    }
}

struct Api {
    sandbox: Running,
    token_minutes: u64,
    http: reqwest::Client,
    token: String,
}

/// Sends the request; the answer's status and body (JSON, or the text as a JSON string).
async fn exchange(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl Api {
    async fn start_with(config: Config) -> Api {
        let token_minutes = config.token_ttl.as_secs() / 60;
        let sandbox = spawn(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
        let http = reqwest::Client::new();
        let mut api = Api {
            sandbox,
            token_minutes,
            http,
            token: String::new(),
        };
        api.token = api.obtain_token().await;
        api
    }

    async fn start() -> Api {
        Api::start_with(config()).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.sandbox.base_url(), path)
    }

    async fn obtain_token(&self) -> String {
        let (status, body) = self
            .send(
                reqwest::Method::POST,
                "/v1/jwt/client/obtain/token",
                Some(json!({"client_id": "sandbox_client", "client_secret": "sandbox_secret"})),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body["expires_in"], self.token_minutes,
            "expires_in is in minutes"
        );
        body["access_token"].as_str().unwrap().to_owned()
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        exchange(request).await
    }

    /// POSTs `raw` as a JSON body, as is, so malformed bodies can be sent.
    async fn send_raw(&self, path: &str, raw: &str, token: Option<&str>) -> (StatusCode, Value) {
        let mut request = self
            .http
            .post(self.url(path))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(raw.to_owned());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        exchange(request).await
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, path, None, Some(&self.token))
            .await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(reqwest::Method::POST, path, Some(body), Some(&self.token))
            .await
    }

    /// A published invoice for a payer with this phone: (source_id, party_id).
    async fn checkout(&self, phone: &str, currency: &str, amount: Value) -> (u64, u64) {
        let (status, body) = self
            .post(
                "/v1/checkouts/create",
                json!({"mode": "API", "source_kind": "INVOICE", "party_phone": phone, "currency": currency,
                       "items": [{"name": "Lantern", "currency": currency, "amount": amount}]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        (
            body["source_id"].as_u64().unwrap(),
            body["party_id"].as_u64().unwrap(),
        )
    }

    async fn session(&self, source_id: u64) -> u64 {
        let (status, body) = self
            .post(
                "/v1/sessions/checkout",
                json!({"source_id": source_id, "source_type": "INVOICE"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["id"].as_u64().unwrap()
    }

    async fn momo_account(&self, party_id: u64, phone: &str, method: &str, country: &str) -> u64 {
        let (status, body) = self
            .post(
                "/v1/payment-accounts/create?operation_type=COLLECTION",
                json!({"account_name": "Wallet", "method": method, "provider": "PAWAPAY", "party_id": party_id,
                       "country_code": country, "insensitive_account_number": phone}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["id"].as_u64().unwrap()
    }

    /// A whole mobile-money payment of 25 USD from a Liberian MTN wallet; returns the
    /// execution answer and its reference id.
    async fn pay_momo(&self, phone: &str) -> (Value, String) {
        let (source, party) = self.checkout(phone, "USD", json!(25)).await;
        let session = self.session(source).await;
        let account = self.momo_account(party, phone, "MTN_MOMO_LBR", "LR").await;
        let reference = uuid();
        let (status, body) = self
            .post("/v1/executions/collection", json!({"session_id": session.to_string(), "payment_account_id": account.to_string(), "currency": "USD", "reference_id": reference}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        (body, reference)
    }

    async fn status(&self, reference: &str) -> String {
        let (status, body) = self
            .get(&format!("/v1/status/collection/{reference}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["status"].as_str().unwrap().to_owned()
    }

    async fn ledger(&self) -> Value {
        self.send(reqwest::Method::GET, "/__sandbox/ledger", None, None)
            .await
            .1
    }

    async fn arm(&self, fault: Value) {
        let (status, body) = self
            .send(
                reqwest::Method::POST,
                "/__sandbox/faults",
                Some(fault),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

/// The `msg`/`type` of the 422 entry at `loc`, or a panic naming what came instead.
fn problem_at(body: &Value, loc: &[&str]) -> (String, String) {
    let list = body["detail"]
        .as_array()
        .unwrap_or_else(|| panic!("no detail list in {body}"));
    for entry in list {
        let entry_loc: Vec<String> = entry["loc"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                p.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| p.to_string())
            })
            .collect();
        if entry_loc == loc {
            return (
                entry["msg"].as_str().unwrap().to_owned(),
                entry["type"].as_str().unwrap().to_owned(),
            );
        }
    }
    panic!("no problem at {loc:?} in {body}");
}

async fn sleep_ms(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
}

#[tokio::test]
async fn auth_refuses_missing_wrong_and_expired_tokens() {
    let api = Api::start_with(Config {
        token_ttl: Duration::from_millis(400),
        ..config()
    })
    .await;
    let (status, body) = api
        .send(reqwest::Method::GET, "/v1/status/collection/x", None, None)
        .await;
    assert_eq!(
        (status, body["detail"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("Not authenticated"))
    );
    let (status, body) = api
        .send(
            reqwest::Method::GET,
            "/v1/status/collection/x",
            None,
            Some("forged"),
        )
        .await;
    assert_eq!(
        (status, body["detail"].as_str()),
        (
            StatusCode::UNAUTHORIZED,
            Some("Could not validate credentials")
        )
    );
    let (status, _) = api
        .send(
            reqwest::Method::POST,
            "/v1/jwt/client/obtain/token",
            Some(json!({"client_id": "sandbox_client", "client_secret": "nope"})),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = api
        .send(
            reqwest::Method::POST,
            "/v1/jwt/client/obtain/token",
            Some(json!({"client_id": "sandbox_client"})),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_at(&body, &["body", "client_secret"]).1, "missing");
    // A good token works, then expires.
    assert_eq!(
        api.get("/v1/status/collection/x").await.0,
        StatusCode::NOT_FOUND
    );
    sleep_ms(500).await;
    let (status, body) = api.get("/v1/status/collection/x").await;
    assert_eq!(
        (status, body["detail"].as_str()),
        (
            StatusCode::UNAUTHORIZED,
            Some("Could not validate credentials")
        )
    );
}

#[tokio::test]
async fn checkout_validation_reports_every_problem() {
    let api = Api::start().await;
    assert_eq!(api.token_minutes, 60, "the default token lives an hour");
    let (status, body) = api
        .post(
            "/v1/checkouts/create",
            json!({"mode": "API", "source_kind": "INVOICE", "party_phone": "+231771234567", "currency": "usd",
                   "items": [{"name": "A", "currency": "usd", "amount": 0}, {"currency": "USD", "amount": "x"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem_at(&body, &["body", "party_phone"]).1,
        "string_pattern_mismatch"
    );
    assert_eq!(
        problem_at(&body, &["body", "currency"]).1,
        "string_pattern_mismatch"
    );
    assert_eq!(
        problem_at(&body, &["body", "items", "0", "amount"]).1,
        "greater_than_equal"
    );
    assert_eq!(
        problem_at(&body, &["body", "items", "1", "name"]).1,
        "missing"
    );
    assert_eq!(
        problem_at(&body, &["body", "items", "1", "amount"]).1,
        "float_type"
    );
    let (status, body) = api
        .post("/v1/checkouts/create", json!({"mode": "API"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["source_kind", "party_phone", "currency", "items"] {
        assert_eq!(problem_at(&body, &["body", field]).1, "missing", "{field}");
    }
    let (status, body) = api
        .send(
            reqwest::Method::POST,
            "/v1/checkouts/create",
            None,
            Some(&api.token),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // A body that is not a JSON object: one problem at ["body"], after the token is checked.
    for (raw, kind) in [
        ("{not json", "json_invalid"),
        ("[1]", "model_attributes_type"),
    ] {
        for path in [
            "/v1/checkouts/create",
            "/v1/executions/collection",
            "/v1/invoices/1/items/add",
        ] {
            let (status, body) = api.send_raw(path, raw, Some(&api.token)).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path} {raw}: {body}"
            );
            assert_eq!(problem_at(&body, &["body"]).1, kind, "{path} {raw}");
            let (status, _) = api.send_raw(path, raw, None).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{path} {raw} without a token"
            );
        }
    }
}

#[tokio::test]
async fn document_first_flow_with_publish_rules() {
    let api = Api::start().await;
    let (_, party) = api
        .post(
            "/v1/parties/create",
            json!({"fullname": "Musu Kollie", "phone": "231881111111"}),
        )
        .await;
    let party_id = party["id"].as_u64().unwrap();
    let (_, counterparty) = api
        .post(
            "/v1/counterparties/create",
            json!({"relationship_type": "CUSTOMER", "party_id": party_id}),
        )
        .await;
    let (status, invoice) = api
        .post("/v1/invoices/create", json!({"counterparty_id": counterparty["id"], "currency": "USD", "note": "Order 7", "fee_bearer": "PAYER", "as_payment_link": false}))
        .await;
    assert_eq!(status, StatusCode::OK, "{invoice}");
    assert_eq!(invoice["status"], "IDLE");
    let id = invoice["id"].as_u64().unwrap();
    // An unpublished invoice cannot be paid, and an empty one cannot be published.
    let (status, body) = api
        .post(
            "/v1/sessions/checkout",
            json!({"source_id": id, "source_type": "INVOICE"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem_at(&body, &["body", "source_id"])
        .0
        .contains("not published"));
    let (status, body) = api
        .send(
            reqwest::Method::PUT,
            &format!("/v1/invoices/publish/{id}"),
            None,
            Some(&api.token),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (msg, kind) = problem_at(&body, &["path", "id"]);
    assert!(msg.contains("no items"), "{msg}");
    assert_eq!(kind, "value_error");
    let (status, body) = api
        .send(
            reqwest::Method::PUT,
            "/v1/invoices/publish/abc",
            None,
            Some(&api.token),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_at(&body, &["path", "id"]).1, "int_parsing");
    let (status, item) = api
        .post(
            &format!("/v1/invoices/{id}/items/add"),
            json!({"name": "Rice, 25 kg", "currency": "USD", "qty": 2, "amount": 12.5}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{item}");
    let (status, published) = api
        .send(
            reqwest::Method::PUT,
            &format!("/v1/invoices/publish/{id}"),
            None,
            Some(&api.token),
        )
        .await;
    assert_eq!(
        (status, published["status"].as_str()),
        (StatusCode::OK, Some("ACTIVE"))
    );
    assert_eq!(published["total_amount"], json!(25.0));
    // Published invoices are locked.
    let (status, _) = api
        .post(
            &format!("/v1/invoices/{id}/items/add"),
            json!({"name": "More", "currency": "USD", "qty": 1, "amount": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = api
        .post(
            "/v1/sessions/checkout",
            json!({"source_id": id, "source_type": "INVOICE"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // The order variant and the receipt by number.
    let (status, receipt) = api
        .get(&format!(
            "/v1/invoices/receipt/number/{}",
            published["invoice_number"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        (status, receipt["items"][0]["qty"].as_u64()),
        (StatusCode::OK, Some(2))
    );
    let (status, _) = api.get(&format!("/v1/orders/receipt/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an invoice is not an order");
}

#[tokio::test]
async fn statuses_move_over_time_and_the_source_gets_paid() {
    let api = Api::start().await;
    let (first, reference) = api.pay_momo("231881231111").await;
    assert_eq!(first["status"], "PENDING");
    assert_eq!(first["payer_amount"], json!(25.63), "25 + 1.5% + 1%");
    sleep_ms(SHORT_MS / 2).await;
    assert_eq!(api.status(&reference).await, "PROCESSING");
    sleep_ms(SHORT_MS).await;
    assert_eq!(api.status(&reference).await, "COMPLETED");
    let ledger = api.ledger().await;
    let source = &ledger["sources"][0];
    assert_eq!(
        (source["status"].as_str(), source["paid"].as_str()),
        (Some("PAID"), Some("25"))
    );
    let (_, status) = api
        .get(&format!(
            "/v1/status/source?source_type=INVOICE&source_id={}",
            source["id"]
        ))
        .await;
    assert_eq!(status["status"], "PAID");
    let (_, receipt) = api
        .get(&format!("/v1/invoices/receipt/{}", source["id"]))
        .await;
    assert_eq!(receipt["reference_id"].as_str(), Some(reference.as_str()));
    assert_eq!(receipt["platform_fee"], json!(0.38));
    assert_eq!(receipt["gateway_fee"], json!(0.25));
    assert_eq!(receipt["payment_method"], "MTN_MOMO_LBR");
    // A paid invoice takes no new session.
    let (status, _) = api
        .post(
            "/v1/sessions/checkout",
            json!({"source_id": source["id"], "source_type": "INVOICE"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn mobile_money_scenarios_follow_the_last_four_digits() {
    let api = Api::start().await;
    let mut references = Vec::new();
    for phone in [
        "231880002222",
        "231880003333",
        "231880004444",
        "231880005555",
    ] {
        references.push(api.pay_momo(phone).await.1);
    }
    sleep_ms(SHORT_MS + 100).await;
    let (_, declined) = api
        .get(&format!("/v1/status/collection/{}", references[0]))
        .await;
    assert_eq!(declined["status"], "FAILED");
    assert!(declined["gateway_message"]
        .as_str()
        .unwrap()
        .contains("declined"));
    let (_, broke) = api
        .get(&format!("/v1/status/collection/{}", references[1]))
        .await;
    assert!(broke["gateway_message"]
        .as_str()
        .unwrap()
        .contains("Insufficient funds"));
    assert_eq!(
        api.status(&references[2]).await,
        "PROCESSING",
        "slow is still processing"
    );
    assert_eq!(api.status(&references[3]).await, "PROCESSING");
    sleep_ms(LONG_MS).await;
    assert_eq!(api.status(&references[2]).await, "COMPLETED");
    assert_eq!(
        api.status(&references[3]).await,
        "PROCESSING",
        "stuck stays stuck"
    );
}

#[tokio::test]
async fn operator_detection_by_prefix() {
    let api = Api::start().await;
    for (phone, method, country) in [
        ("231771234567", "ORANGE_MONEY_LBR", "LR"),
        ("231551234567", "MTN_MOMO_LBR", "LR"),
        ("250791234567", "MTN_MOMO_RWA", "RW"),
        ("250721234567", "AIRTEL_RWA", "RW"),
    ] {
        let (status, body) = api
            .get(&format!(
                "/v1/predictions/mmo-provider-info?phone={phone}&operation_type=COLLECTION"
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (body["payment_method"].as_str(), body["country"].as_str()),
            (Some(method), Some(country)),
            "{phone}"
        );
        assert_eq!(body["gateway_provider"], "PAWAPAY");
    }
    let (status, body) = api
        .get("/v1/predictions/mmo-provider-info?phone=233241234567&operation_type=COLLECTION")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem_at(&body, &["query", "phone"])
        .0
        .contains("No supported mobile money operator"));
    let (status, body) = api
        .get("/v1/predictions/mmo-provider-info?phone=12ab&operation_type=COLLECTION")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem_at(&body, &["query", "phone"]).1,
        "string_pattern_mismatch"
    );
}

#[tokio::test]
async fn execution_rules_reference_session_and_party() {
    let api = Api::start().await;
    let (source, party) = api.checkout("231881231111", "USD", json!(10)).await;
    let (_, other_party) = api.checkout("231881239999", "USD", json!(10)).await;
    let account = api
        .momo_account(party, "231881231111", "MTN_MOMO_LBR", "LR")
        .await;
    let foreign = api
        .momo_account(other_party, "231881239999", "MTN_MOMO_LBR", "LR")
        .await;
    let session = api.session(source).await;
    let execute = |account: u64, reference: &str, currency: &str| json!({"session_id": session.to_string(), "payment_account_id": account.to_string(), "currency": currency, "reference_id": reference});
    // Not a UUID v4.
    let (status, body) = api
        .post(
            "/v1/executions/collection",
            execute(account, "550e8400-e29b-11d4-a716-446655440000", "USD"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem_at(&body, &["body", "reference_id"]).1,
        "uuid_version"
    );
    // Someone else's wallet.
    let (status, body) = api
        .post(
            "/v1/executions/collection",
            execute(foreign, &uuid(), "USD"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem_at(&body, &["body", "payment_account_id"])
        .0
        .contains("another party"));
    // A currency the method cannot pay in.
    let (status, _) = api
        .post(
            "/v1/executions/collection",
            execute(account, &uuid(), "RWF"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Idempotency: the same id returns the same execution; a different payment is refused.
    let reference = uuid();
    let (status, first) = api
        .post(
            "/v1/executions/collection",
            execute(account, &reference, "USD"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, again) = api
        .post(
            "/v1/executions/collection",
            execute(account, &reference, "USD"),
        )
        .await;
    assert_eq!(
        (status, again["reference_id"].clone()),
        (StatusCode::OK, first["reference_id"].clone())
    );
    let (status, _) = api
        .post(
            "/v1/executions/collection",
            execute(account, &reference, "LRD"),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // A used session takes no second payment.
    let (status, body) = api
        .post(
            "/v1/executions/collection",
            execute(account, &uuid(), "USD"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem_at(&body, &["body", "session_id"])
        .0
        .contains("already used"));
    assert_eq!(
        api.ledger().await["executions"].as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn sessions_expire() {
    let api = Api::start_with(Config {
        session_ttl: Duration::from_millis(200),
        ..config()
    })
    .await;
    let (source, party) = api.checkout("231881231111", "USD", json!(10)).await;
    let account = api
        .momo_account(party, "231881231111", "MTN_MOMO_LBR", "LR")
        .await;
    let session = api.session(source).await;
    sleep_ms(300).await;
    let (status, body) = api
        .post("/v1/executions/collection", json!({"session_id": session.to_string(), "payment_account_id": account.to_string(), "currency": "USD", "reference_id": uuid()}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem_at(&body, &["body", "session_id"])
        .0
        .contains("expired"));
}

#[tokio::test]
async fn fees_and_fx_preview_in_the_payer_currency() {
    let api = Api::start().await;
    let (source, _) = api.checkout("231881231111", "USD", json!(25)).await;
    let (status, body) = api
        .get(&format!("/v1/predictions/payment-source/amount-and-fees?source_type=INVOICE&source_id={source}&target_currency=LRD&payment_method=MTN_MOMO_LBR&provider=PAWAPAY"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["payer_amount"], "4917.20",
        "(25 + 0.38 + 0.25 + 0.25) × 190, as a string"
    );
    assert_eq!(
        (body["fx_rate"].as_str(), body["fx_fee"].as_str()),
        (Some("190"), Some("0.25"))
    );
    let (source, _) = api.checkout("250781231111", "RWF", json!(15000)).await;
    let (_, body) = api
        .get(&format!("/v1/predictions/payment-source/amount-and-fees?source_type=INVOICE&source_id={source}&target_currency=RWF&payment_method=MTN_MOMO_RWA&provider=PAWAPAY"))
        .await;
    assert_eq!(body["payer_amount"], "15375", "RWF has no minor unit");
    let (status, _) = api
        .get(&format!("/v1/predictions/payment-source/amount-and-fees?source_type=INVOICE&source_id={source}&target_currency=USD&payment_method=MTN_MOMO_RWA&provider=PAWAPAY"))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "MTN Rwanda pays in RWF only"
    );
}

#[tokio::test]
async fn card_scenarios_and_three_d_secure() {
    let api = Api::start().await;
    let mut outcomes = Vec::new();
    for pm in [
        "pm_card_visa",
        "pm_card_chargeDeclined",
        "pm_card_threeDSecure2Required",
        "pm_card_threeDSecure2Required",
        "pm_card_chargeDeclinedInsufficientFunds",
        "pm_card_authenticationRequired",
        "pm_card_authenticationRequiredOnSetup",
    ] {
        let (source, party) = api.checkout("231881231111", "USD", json!(40)).await;
        let (status, info) = api.get(&format!("/v1/predictions/card-provider-info?payment_method_id={pm}&operation_type=COLLECTION&provider=STRIPE")).await;
        assert_eq!(
            (status, info["payment_method"].as_str()),
            (StatusCode::OK, Some("CREDIT_CARD"))
        );
        let (status, account) = api
            .post("/v1/payment-accounts/create?operation_type=COLLECTION", json!({"account_name": "Card", "method": "CREDIT_CARD", "provider": "STRIPE", "party_id": party, "insensitive_account_number": pm}))
            .await;
        assert_eq!(status, StatusCode::OK, "{account}");
        let session = api.session(source).await;
        let reference = uuid();
        let (status, execution) = api
            .post("/v1/executions/collection", json!({"session_id": session.to_string(), "payment_account_id": account["id"].to_string(), "currency": "USD", "reference_id": reference}))
            .await;
        assert_eq!(status, StatusCode::OK, "{execution}");
        outcomes.push((reference, execution));
    }
    assert_eq!(outcomes[2].1["requires_action"], true);
    let secret_approve = outcomes[2].1["client_secret"].as_str().unwrap().to_owned();
    let secret_refuse = outcomes[3].1["client_secret"].as_str().unwrap().to_owned();
    assert_eq!(outcomes[0].1["requires_action"], false);
    let answer = |secret: &str, approve: bool| json!({"client_secret": secret, "approve": approve});
    assert_eq!(
        api.send(
            reqwest::Method::POST,
            "/__sandbox/stripe/challenge",
            Some(answer(&secret_approve, true)),
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        api.send(
            reqwest::Method::POST,
            "/__sandbox/stripe/challenge",
            Some(answer(&secret_refuse, false)),
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    // A challenge is answered once.
    assert_eq!(
        api.send(
            reqwest::Method::POST,
            "/__sandbox/stripe/challenge",
            Some(answer(&secret_refuse, true)),
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    // Stripe's other ids for cards that authenticate: the challenge, then the payment.
    for (_, execution) in &outcomes[5..] {
        assert_eq!(execution["requires_action"], true, "{execution}");
        let secret = execution["client_secret"].as_str().unwrap_or_default();
        let (status, _) = api
            .send(
                reqwest::Method::POST,
                "/__sandbox/stripe/challenge",
                Some(answer(secret, true)),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    sleep_ms(SHORT_MS + 100).await;
    let statuses: Vec<String> =
        futures_join(&api, outcomes.iter().map(|(r, _)| r.clone()).collect()).await;
    assert_eq!(
        statuses,
        [
            "COMPLETED",
            "FAILED",
            "COMPLETED",
            "FAILED",
            "FAILED",
            "COMPLETED",
            "COMPLETED"
        ]
    );
}

async fn futures_join(api: &Api, references: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for reference in references {
        out.push(api.status(&reference).await);
    }
    out
}

#[tokio::test]
async fn faults_before_and_after_the_work() {
    let api = Api::start().await;
    // 500 before: nothing happened.
    api.arm(json!({"route": "checkouts/create", "kind": "error_before"}))
        .await;
    let (status, _) = api
        .post("/v1/checkouts/create", json!({"mode": "API", "source_kind": "INVOICE", "party_phone": "231881231111", "currency": "USD", "items": [{"name": "A", "currency": "USD", "amount": 1}]}))
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(api.ledger().await["sources"].as_array().unwrap().len(), 0);
    // 500 after: the money moved though the caller heard an error.
    let (source, party) = api.checkout("231881231111", "USD", json!(5)).await;
    let account = api
        .momo_account(party, "231881231111", "MTN_MOMO_LBR", "LR")
        .await;
    let session = api.session(source).await;
    api.arm(json!({"route": "executions/collection", "kind": "error_after"}))
        .await;
    let reference = uuid();
    let body = json!({"session_id": session.to_string(), "payment_account_id": account.to_string(), "currency": "USD", "reference_id": reference});
    let (status, _) = api.post("/v1/executions/collection", body.clone()).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        api.ledger().await["executions"].as_array().unwrap().len(),
        1
    );
    // A dropped connection after the work: the client sees a broken body.
    api.arm(json!({"route": "status/collection", "kind": "drop_after"}))
        .await;
    let broken = api
        .http
        .get(api.url(&format!("/v1/status/collection/{reference}")))
        .bearer_auth(&api.token)
        .send()
        .await;
    let broken = match broken {
        Ok(response) => response.text().await.is_err(),
        Err(_) => true,
    };
    assert!(broken, "the connection must break");
    // 429 with Retry-After, for the next two calls only.
    api.arm(
        json!({"route": "status/collection", "kind": "rate_limit", "retry_after": 7, "count": 2}),
    )
    .await;
    for _ in 0..2 {
        let response = api
            .http
            .get(api.url(&format!("/v1/status/collection/{reference}")))
            .bearer_auth(&api.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()["retry-after"], "7");
    }
    assert_eq!(
        api.get(&format!("/v1/status/collection/{reference}"))
            .await
            .0,
        StatusCode::OK
    );
    // An early-expired token.
    api.arm(json!({"route": "*", "kind": "expire_token"})).await;
    assert_eq!(
        api.get(&format!("/v1/status/collection/{reference}"))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // A delay.
    api.arm(json!({"route": "status/collection", "kind": "delay", "ms": 300}))
        .await;
    let token = api.obtain_token().await;
    let started = std::time::Instant::now();
    let (status, _) = api
        .send(
            reqwest::Method::GET,
            &format!("/v1/status/collection/{reference}"),
            None,
            Some(&token),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn concurrent_retries_of_one_reference_charge_once() {
    let api = Api::start().await;
    let (source, party) = api.checkout("231881231111", "USD", json!(9)).await;
    let account = api
        .momo_account(party, "231881231111", "MTN_MOMO_LBR", "LR")
        .await;
    let session = api.session(source).await;
    let reference = uuid();
    let body = json!({"session_id": session.to_string(), "payment_account_id": account.to_string(), "currency": "USD", "reference_id": reference});
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (http, url, token, body) = (
            api.http.clone(),
            api.url("/v1/executions/collection"),
            api.token.clone(),
            body.clone(),
        );
        tasks.push(tokio::spawn(async move {
            http.post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    let ledger = api.ledger().await;
    assert_eq!(
        ledger["executions"].as_array().unwrap().len(),
        1,
        "{ledger}"
    );
}

/// Every server here answers without Nagle's delay: a response written in two parts (headers, then
/// a body) would otherwise wait for the client's delayed acknowledgement, about 40 ms on loopback.
#[tokio::test]
async fn served_connections_have_nagle_off() {
    use axum::serve::Listener;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut listener = dollr_sandbox::without_delay(listener);
    let client = tokio::spawn(tokio::net::TcpStream::connect(addr));
    let (accepted, _) = listener.accept().await;
    assert!(
        accepted.nodelay().unwrap(),
        "an accepted connection still runs Nagle's algorithm"
    );
    client.await.unwrap().unwrap();
}

#[test]
fn a_log_format_it_does_not_know_stops_the_sandbox_with_a_reason() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_dollr-sandbox"))
        .env("DOLLR_SANDBOX_ADDR", format!("127.0.0.1:{port}"))
        .env("DOLLR_LOG_FORMAT", "xml")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim_end(),
        "dollr-sandbox: DOLLR_LOG_FORMAT must be text or json, not \"xml\""
    );
}
