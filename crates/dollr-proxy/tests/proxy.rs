//! The proxy over real loopback HTTP in front of a real sandbox: the mobile-money happy path,
//! token handling under concurrency, recovery from lost responses without double charges, and
//! the refusals that must never reach Dollr.
#![allow(missing_docs, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::net::SocketAddr;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dollr_proxy::config::{Config, Upstream, CALLS_PER_MINUTE};
use dollr_proxy::grant::{unix_now, GrantClaims, GrantKey};
use dollr_proxy::{app, AppState, API_PREFIX};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const GRANT_SECRET: &str = "test-grant-secret-test-grant-secret-0123";
const ALLOWED_ORIGIN: &str = "https://shop.example";

struct Harness {
    sandbox: dollr_sandbox::Running,
    proxy: SocketAddr,
    http: reqwest::Client,
    _server: tokio::task::JoinHandle<()>,
}

/// One call of the widget API: with a grant, a JSON body, and from a page at `origin` (a
/// preflight's when `method` is `OPTIONS`), each when given.
struct Call<'a> {
    method: Method,
    path: String,
    grant: Option<&'a str>,
    body: Option<Value>,
    origin: Option<&'a str>,
}

impl<'a> Call<'a> {
    fn new(method: Method, path: &str, grant: Option<&'a str>, body: Option<Value>) -> Call<'a> {
        Call {
            method,
            path: path.to_owned(),
            grant,
            body,
            origin: None,
        }
    }

    fn from(self, origin: &'a str) -> Call<'a> {
        Call {
            origin: Some(origin),
            ..self
        }
    }
}

impl Harness {
    async fn start() -> Harness {
        Harness::start_limited(CALLS_PER_MINUTE).await
    }

    /// With each checkout allowed `calls_per_minute` calls a minute.
    async fn start_limited(calls_per_minute: u32) -> Harness {
        let sandbox_config = dollr_sandbox::Config {
            short_delay: Duration::from_millis(300),
            long_delay: Duration::from_millis(1500),
            ..dollr_sandbox::Config::default()
        };
        let sandbox = dollr_sandbox::spawn(sandbox_config, "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let config = Config {
            upstream: Upstream::ExternalSandbox {
                base_url: sandbox.base_url(),
            },
            grant_secret: GRANT_SECRET.into(),
            allowed_origins: vec![ALLOWED_ORIGIN.into()],
            listen: "127.0.0.1:0".parse().unwrap(),
            stripe_publishable_key: None,
            static_dir: None,
            dollr_timeout: Duration::from_secs(5),
            calls_per_minute,
        };
        let state = AppState::new(&config, &sandbox.base_url()).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            axum::serve(dollr_sandbox::without_delay(listener), app(state))
                .await
                .unwrap();
        });
        Harness {
            sandbox,
            proxy,
            http: reqwest::Client::new(),
            _server: server,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{API_PREFIX}{path}", self.proxy)
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        grant: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let response = self.answer(&Call::new(method, path, grant, body)).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// The proxy's answer to `call`, as it came.
    async fn answer(&self, call: &Call<'_>) -> reqwest::Response {
        let mut request = self.http.request(call.method.clone(), self.url(&call.path));
        if let Some(grant) = call.grant {
            request = request.bearer_auth(grant);
        }
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        if let Some(origin) = call.origin {
            request = request
                .header("origin", origin)
                .header("access-control-request-method", "GET");
        }
        request.send().await.unwrap()
    }

    /// A fresh demo invoice (25 USD) and its grant, through the sandbox-only route.
    async fn order(&self) -> Value {
        let (status, body) = self
            .call(
                Method::POST,
                "/dev/checkout",
                None,
                Some(json!({"currency": "USD"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    async fn grant(&self) -> String {
        self.order().await["grant"].as_str().unwrap().to_owned()
    }

    /// What the sandbox's test hook at `path` answers, e.g. `/__sandbox/ledger`.
    async fn sandbox_hook(&self, path: &str) -> Value {
        self.http
            .get(format!("{}{path}", self.sandbox.base_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    async fn ledger(&self) -> Value {
        self.sandbox_hook("/__sandbox/ledger").await
    }

    /// What MTN Liberia's payer pays in `currency`.
    async fn mtn_quote(&self, grant: &str, currency: &str) -> (StatusCode, Value) {
        let path = format!("/v1/quote?method=MTN_MOMO_LBR&currency={currency}");
        self.call(Method::GET, &path, Some(grant), None).await
    }

    /// Executions in the sandbox's books: the judge of "one charge".
    async fn execution_count(&self) -> usize {
        self.ledger().await["executions"].as_array().unwrap().len()
    }

    async fn dollr_requests(&self) -> u64 {
        self.ledger().await["api_requests"].as_u64().unwrap()
    }

    async fn arm(&self, fault: Value) {
        let response = self
            .http
            .post(format!("{}/__sandbox/faults", self.sandbox.base_url()))
            .json(&fault)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }

    async fn pay(&self, grant: &str, reference: &str, phone: &str) -> (StatusCode, Value) {
        let body = json!({"reference_id": reference, "method": "MTN_MOMO_LBR", "currency": "USD", "phone": phone});
        self.call(Method::POST, "/v1/payments", Some(grant), Some(body))
            .await
    }

    async fn wait_final(&self, grant: &str, reference: &str) -> Value {
        for _ in 0..50 {
            let (status, body) = self
                .call(
                    Method::GET,
                    &format!("/v1/payments/{reference}"),
                    Some(grant),
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            if body["status"] == "COMPLETED" || body["status"] == "FAILED" {
                return body;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("payment {reference} never finished");
    }
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[tokio::test]
async fn mobile_money_happy_path() {
    let h = Harness::start().await;
    let grant = h.grant().await;
    let (status, summary) = h
        .call(Method::GET, "/v1/checkout", Some(&grant), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(
        (summary["total"].as_str(), summary["currency"].as_str()),
        (Some("25"), Some("USD"))
    );
    assert_eq!(summary["items"].as_array().unwrap().len(), 2);
    assert_eq!(summary["sandbox"], true);
    let (status, operator) = h
        .call(
            Method::GET,
            "/v1/operator?phone=231881231111",
            Some(&grant),
            None,
        )
        .await;
    assert_eq!(
        (status, operator["method"].as_str()),
        (StatusCode::OK, Some("MTN_MOMO_LBR"))
    );
    let (status, quote) = h.mtn_quote(&grant, "LRD").await;
    assert_eq!(
        (status, quote["payer_amount"].as_str()),
        (StatusCode::OK, Some("4917.2"))
    );
    // Each fee with the currency Dollr names for it: the operator's in Liberian dollars.
    assert_eq!(
        (
            quote["platform_fee"].as_str(),
            quote["platform_currency"].as_str()
        ),
        (Some("0.38"), Some("USD"))
    );
    assert_eq!(
        (
            quote["gateway_fee"].as_str(),
            quote["gateway_currency"].as_str()
        ),
        (Some("47.5"), Some("LRD"))
    );
    let reference = uuid();
    let (status, payment) = h.pay(&grant, &reference, "231881231111").await;
    assert_eq!(status, StatusCode::OK, "{payment}");
    assert_eq!(payment["payer_amount"], "25.63");
    let done = h.wait_final(&grant, &reference).await;
    assert_eq!(done["status"], "COMPLETED");
    let (status, receipt) = h.call(Method::GET, "/v1/receipt", Some(&grant), None).await;
    assert_eq!(
        (status, receipt["status"].as_str()),
        (StatusCode::OK, Some("PAID"))
    );
    assert_eq!(receipt["reference_id"].as_str(), Some(reference.as_str()));
    assert_eq!(
        (
            receipt["gateway_fee"].as_str(),
            receipt["gateway_currency"].as_str(),
            receipt["platform_currency"].as_str()
        ),
        (Some("0.25"), Some("USD"), Some("USD"))
    );
    // Paying again with a new reference is refused: the order is paid.
    let (status, body) = h.pay(&grant, &uuid(), "231881231111").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_paid"))
    );
    assert_eq!(h.execution_count().await, 1);
}

#[tokio::test]
async fn a_retry_with_the_same_reference_never_charges_twice() {
    let h = Harness::start().await;
    let grant = h.grant().await;
    let reference = uuid();
    let (first, second) = tokio::join!(
        h.pay(&grant, &reference, "231881231111"),
        h.pay(&grant, &reference, "231881231111")
    );
    // The racing twin waits for the first, then finds its execution: the same payment twice.
    assert_eq!(first.0, StatusCode::OK, "{}", first.1);
    assert_eq!(second.0, StatusCode::OK, "{}", second.1);
    assert_eq!(first.1["reference_id"], second.1["reference_id"]);
    let (status, again) = h.pay(&grant, &reference, "231881231111").await;
    assert_eq!(
        (status, again["reference_id"].as_str()),
        (StatusCode::OK, Some(reference.as_str()))
    );
    assert_eq!(h.execution_count().await, 1);
}

#[tokio::test]
async fn two_attempts_at_once_on_one_order_make_one_payment() {
    let h = Harness::start().await;
    let grant = h.grant().await;
    let (a, b) = (uuid(), uuid());
    // Two tabs press Pay at the same moment, each with its own reference.
    let (first, second) = tokio::join!(
        h.pay(&grant, &a, "231881231111"),
        h.pay(&grant, &b, "231881231111")
    );
    let mut answers = [(a.as_str(), first), (b.as_str(), second)];
    answers.sort_by_key(|(_, (status, _))| *status != StatusCode::OK);
    let [(winner, (won, paid)), (_, (lost, refusal))] = answers;
    assert_eq!(won, StatusCode::OK, "{paid}");
    assert_eq!(paid["reference_id"].as_str(), Some(winner));
    assert_eq!(
        (lost, refusal["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("payment_in_progress")),
        "{refusal}"
    );
    assert_eq!(h.execution_count().await, 1);
    // Once the first has landed, the order is paid, not "in progress".
    assert_eq!(h.wait_final(&grant, winner).await["status"], "COMPLETED");
    let (status, body) = h.pay(&grant, &uuid(), "231881231111").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_paid"))
    );
    assert_eq!(h.execution_count().await, 1);
}

#[tokio::test]
async fn a_caller_that_gives_up_mid_payment_does_not_free_the_order() {
    let h = Harness::start().await;
    let grant = h.grant().await;
    h.arm(json!({"route": "executions/collection", "kind": "delay", "ms": 800}))
        .await;
    let first = uuid();
    let body = json!({"reference_id": first, "method": "MTN_MOMO_LBR", "currency": "USD", "phone": "231881231111"});
    // The payer's phone loses its network while Dollr is still executing.
    let gave_up = h
        .http
        .post(h.url("/v1/payments"))
        .bearer_auth(&grant)
        .json(&body)
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(gave_up.is_err(), "the caller was meant to give up first");
    // Another device tries meanwhile: it waits for the first to finish, then is refused.
    let (status, refusal) = h.pay(&grant, &uuid(), "231881231111").await;
    assert_eq!(
        (status, refusal["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("payment_in_progress")),
        "{refusal}"
    );
    // The first attempt went through, and its own retry finds it.
    let (status, again) = h.pay(&grant, &first, "231881231111").await;
    assert_eq!(
        (status, again["reference_id"].as_str()),
        (StatusCode::OK, Some(first.as_str())),
        "{again}"
    );
    assert_eq!(h.execution_count().await, 1);
}

#[tokio::test]
async fn a_failed_attempt_frees_the_order_for_a_new_one() {
    let h = Harness::start().await;
    let grant = h.grant().await;
    let declined = uuid();
    let (status, body) = h.pay(&grant, &declined, "231881232222").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // While it may still land, a second attempt is refused and nothing is sent for it.
    let (status, body) = h.pay(&grant, &uuid(), "231881231111").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("payment_in_progress")),
        "{body}"
    );
    assert_eq!(h.wait_final(&grant, &declined).await["status"], "FAILED");
    let retry = uuid();
    let (status, body) = h.pay(&grant, &retry, "231881231111").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(h.wait_final(&grant, &retry).await["status"], "COMPLETED");
    assert_eq!(h.execution_count().await, 2);
}

#[tokio::test]
async fn one_token_request_under_200_concurrent_calls() {
    // 200 calls of one checkout at once: more than a payer makes, so without the limit a checkout
    // has, which is not what this is about.
    let h = Harness::start_limited(0).await;
    // A grant minted by hand: the demo route would fetch a token first.
    let order = h.order().await;
    let before = h.ledger().await["token_requests"].as_u64().unwrap();
    assert_eq!(before, 1, "the demo route took one token");
    let grant = order["grant"].as_str().unwrap().to_owned();
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let (http, url, grant) = (h.http.clone(), h.url("/v1/checkout"), grant.clone());
        tasks.push(tokio::spawn(async move {
            http.get(url)
                .bearer_auth(grant)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(
        h.ledger().await["token_requests"].as_u64(),
        Some(1),
        "the cached token served all 200"
    );
}

#[tokio::test]
async fn concurrent_cold_start_shares_one_refresh() {
    // 200 calls of one checkout at once: more than a payer makes, so without the limit a checkout
    // has, which is not what this is about.
    let h = Harness::start_limited(0).await;
    // Mint a grant without touching Dollr, so the proxy's token cache is cold.
    let key = GrantKey::new(GRANT_SECRET);
    let sandbox_order: Value = {
        let token: Value = h
            .http
            .post(format!(
                "{}/v1/jwt/client/obtain/token",
                h.sandbox.base_url()
            ))
            .json(&json!({"client_id": "sandbox_client", "client_secret": "sandbox_secret"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        h.http
            .post(format!("{}/v1/checkouts/create", h.sandbox.base_url()))
            .bearer_auth(token["access_token"].as_str().unwrap())
            .json(&json!({"mode": "API", "source_kind": "INVOICE", "party_phone": "231881231111", "currency": "USD", "items": [{"name": "A", "currency": "USD", "amount": 3}]}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    };
    let grant = key.mint(&GrantClaims {
        source_type: dollr_api::SourceType::Invoice,
        source_id: sandbox_order["source_id"].as_u64().unwrap(),
        party_id: sandbox_order["party_id"].as_u64().unwrap(),
        amount: dollr_api::Decimal::from_int(3),
        currency: "USD".into(),
        iat: unix_now(),
        exp: unix_now() + 600,
    });
    let before = h.ledger().await["token_requests"].as_u64().unwrap();
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let (http, url, grant) = (h.http.clone(), h.url("/v1/checkout"), grant.clone());
        tasks.push(tokio::spawn(async move {
            http.get(url)
                .bearer_auth(grant)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    let after = h.ledger().await["token_requests"].as_u64().unwrap();
    assert_eq!(
        after - before,
        1,
        "200 concurrent calls on a cold cache made exactly one token request"
    );
}

#[tokio::test]
async fn a_token_expiring_mid_flight_is_refreshed_once() {
    let h = Harness::start().await;
    let grant = h.grant().await;
    h.arm(json!({"route": "*", "kind": "expire_token"})).await;
    let (status, body) = h
        .call(Method::GET, "/v1/checkout", Some(&grant), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(h.ledger().await["token_requests"].as_u64(), Some(2));
}

#[tokio::test]
async fn a_lost_execute_response_settles_by_status_with_one_charge() {
    for kind in ["drop_after", "error_after"] {
        let h = Harness::start().await;
        let grant = h.grant().await;
        h.arm(json!({"route": "executions/collection", "kind": kind}))
            .await;
        let reference = uuid();
        let (status, body) = h.pay(&grant, &reference, "231881231111").await;
        assert_eq!(status, StatusCode::OK, "{kind}: {body}");
        assert_eq!(body["reference_id"].as_str(), Some(reference.as_str()));
        // The widget retries with the same reference: still one charge.
        let (status, _) = h.pay(&grant, &reference, "231881231111").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            h.wait_final(&grant, &reference).await["status"],
            "COMPLETED"
        );
        let ledger = h.ledger().await;
        assert_eq!(
            ledger["executions"].as_array().unwrap().len(),
            1,
            "{kind}: {ledger}"
        );
    }
}

#[tokio::test]
async fn amounts_a_server_computing_in_floats_sends_are_read_as_the_amounts_meant() {
    let h = Harness::start().await;
    // Every answer of Dollr's from here on, the order's creation for the grant included, with
    // each amount a float's step off (`25.000000000000004`) or a string with a digit far past the
    // cents (`"190.000000000000000000000000001"`).
    let uses = 1000;
    h.arm(json!({"route": "*", "kind": "noisy_amounts", "count": uses}))
        .await;
    let grant = h.grant().await;
    let (status, summary) = h
        .call(Method::GET, "/v1/checkout", Some(&grant), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    let amounts = |v: &Value, fields: &[&str]| -> Vec<Option<String>> {
        fields
            .iter()
            .map(|f| v[*f].as_str().map(str::to_owned))
            .collect()
    };
    let texts = |expected: &[&str]| -> Vec<Option<String>> {
        expected.iter().map(|t| Some((*t).to_owned())).collect()
    };
    assert_eq!(amounts(&summary, &["total"]), texts(&["25"]));
    assert_eq!(amounts(&summary["items"][0], &["amount"]), texts(&["18.5"]));
    // In dollars, with no exchange: Dollr's exchange fee is a zero string (`"0E-8"`).
    let (status, quote) = h.mtn_quote(&grant, "USD").await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert_eq!(
        amounts(&quote, &["payer_amount", "fx_fee"]),
        texts(&["25.63", "0"])
    );
    let (status, quote) = h.mtn_quote(&grant, "LRD").await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert_eq!(
        amounts(
            &quote,
            &[
                "payer_amount",
                "payee_amount",
                "platform_fee",
                "gateway_fee",
                "fx_rate"
            ]
        ),
        texts(&["4917.2", "25", "0.38", "47.5", "190"])
    );
    let reference = uuid();
    let (status, payment) = h.pay(&grant, &reference, "231881231111").await;
    assert_eq!(status, StatusCode::OK, "{payment}");
    assert_eq!(payment["payer_amount"], "25.63");
    assert_eq!(
        h.wait_final(&grant, &reference).await["status"],
        "COMPLETED"
    );
    let (status, receipt) = h.call(Method::GET, "/v1/receipt", Some(&grant), None).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!(
        amounts(
            &receipt,
            &["total", "payer_amount", "platform_fee", "gateway_fee"]
        ),
        texts(&["25", "25.63", "0.38", "0.25"])
    );
    assert_eq!(h.execution_count().await, 1);
    // Each of those answers went through the fault.
    let armed = h.sandbox_hook("/__sandbox/faults").await;
    let left = armed[0]["count"].as_u64().unwrap();
    assert!(
        left + 8 <= uses,
        "only {} of Dollr's answers were changed",
        uses - left
    );
}

#[tokio::test]
async fn an_execute_that_failed_before_the_work_can_be_retried_safely() {
    let h = Harness::start().await;
    let grant = h.grant().await;
    h.arm(json!({"route": "executions/collection", "kind": "error_before"}))
        .await;
    let reference = uuid();
    let (status, body) = h.pay(&grant, &reference, "231881231111").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::BAD_GATEWAY, Some("upstream"))
    );
    assert_eq!(h.execution_count().await, 0);
    let (status, _) = h.pay(&grant, &reference, "231881231111").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h.execution_count().await, 1);
}

#[tokio::test]
async fn reads_back_off_on_5xx_and_pass_long_429s_on() {
    let h = Harness::start().await;
    let grant = h.grant().await;
    let reference = uuid();
    assert_eq!(
        h.pay(&grant, &reference, "231881231111").await.0,
        StatusCode::OK
    );
    h.arm(json!({"route": "status/collection", "kind": "error_before", "count": 1}))
        .await;
    let (status, _) = h
        .call(
            Method::GET,
            &format!("/v1/payments/{reference}"),
            Some(&grant),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "one 500 on a read is retried");
    h.arm(
        json!({"route": "status/collection", "kind": "rate_limit", "retry_after": 30, "count": 3}),
    )
    .await;
    let response = h
        .http
        .get(h.url(&format!("/v1/payments/{reference}")))
        .bearer_auth(&grant)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "30");
}

fn tampered(grant: &str) -> String {
    let parts: Vec<&str> = grant.split('.').collect();
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["amount"] = json!("0.01");
    format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap()),
        parts[2]
    )
}

/// The claims of `grant`, changed by `edit`, signed with the test secret under `header`: a grant
/// as another JWT library makes it (HMAC-SHA256 over `header.claims`, base64url, no padding).
fn resigned(grant: &str, header: &str, edit: impl FnOnce(&mut Value)) -> String {
    use hmac::{Hmac, Mac};
    let mut claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(grant.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    edit(&mut claims);
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap())
    );
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(GRANT_SECRET.as_bytes()).unwrap();
    mac.update(input.as_bytes());
    format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

#[tokio::test]
async fn a_grant_whose_header_has_no_typ_pays_and_a_claim_of_the_wrong_type_is_named() {
    let h = Harness::start().await;
    let grant = h.grant().await;
    // `jose`'s SignJWT with setProtectedHeader({ alg: "HS256" }) writes no `typ` (it is optional).
    let without_typ = resigned(&grant, r#"{"alg":"HS256"}"#, |_| {});
    let (status, summary) = h
        .call(Method::GET, "/v1/checkout", Some(&without_typ), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(summary["total"], "25");
    // The source id written as text: refused, and the answer says which claim and why.
    let as_text = resigned(&grant, r#"{"alg":"HS256","typ":"JWT"}"#, |claims| {
        claims["source_id"] = json!(claims["source_id"].to_string());
    });
    let (status, body) = h
        .call(Method::GET, "/v1/checkout", Some(&as_text), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "invalid_grant");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("the grant is malformed: its claims do not read: invalid type: string")
            && message.contains("expected u64"),
        "{message}"
    );
}

#[tokio::test]
async fn refusals_never_reach_dollr() {
    let h = Harness::start().await;
    let order = h.order().await;
    let grant = order["grant"].as_str().unwrap().to_owned();
    let claims = GrantKey::new(GRANT_SECRET)
        .verify(&grant, unix_now())
        .unwrap();
    let key = GrantKey::new(GRANT_SECRET);
    let expired = key.mint(&GrantClaims {
        iat: 1,
        exp: unix_now() - 1,
        ..claims.clone()
    });
    let foreign = GrantKey::new("another-merchant-secret-another-merchant").mint(&claims);
    let none_alg = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
        grant.split('.').nth(1).unwrap()
    );
    let good_payment = json!({"reference_id": uuid(), "method": "MTN_MOMO_LBR", "currency": "USD", "phone": "231881231111"});
    let with = |patch: Value| {
        let mut body = good_payment.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    struct Case {
        name: &'static str,
        method: Method,
        path: String,
        grant: Option<String>,
        body: Option<Value>,
        origin: Option<&'static str>,
        status: StatusCode,
        code: &'static str,
    }
    let case =
        |name, method, path: &str, grant: Option<&str>, body: Option<Value>, status, code| Case {
            name,
            method,
            path: path.into(),
            grant: grant.map(Into::into),
            body,
            origin: None,
            status,
            code,
        };
    let g = Some(grant.as_str());
    let mut cases = vec![
        case(
            "no grant",
            Method::GET,
            "/v1/checkout",
            None,
            None,
            StatusCode::UNAUTHORIZED,
            "invalid_grant",
        ),
        case(
            "not a JWT",
            Method::GET,
            "/v1/checkout",
            Some("nonsense"),
            None,
            StatusCode::UNAUTHORIZED,
            "invalid_grant",
        ),
        case(
            "tampered amount",
            Method::GET,
            "/v1/checkout",
            Some(&tampered(&grant)),
            None,
            StatusCode::UNAUTHORIZED,
            "invalid_grant",
        ),
        case(
            "another merchant's secret",
            Method::GET,
            "/v1/checkout",
            Some(&foreign),
            None,
            StatusCode::UNAUTHORIZED,
            "invalid_grant",
        ),
        case(
            "alg none",
            Method::GET,
            "/v1/checkout",
            Some(&none_alg),
            None,
            StatusCode::UNAUTHORIZED,
            "invalid_grant",
        ),
        case(
            "expired",
            Method::GET,
            "/v1/checkout",
            Some(&expired),
            None,
            StatusCode::UNAUTHORIZED,
            "grant_expired",
        ),
        case(
            "expired, paying",
            Method::POST,
            "/v1/payments",
            Some(&expired),
            Some(good_payment.clone()),
            StatusCode::UNAUTHORIZED,
            "grant_expired",
        ),
        case(
            "unknown route",
            Method::GET,
            "/v1/executions/collection",
            g,
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        case(
            "Dollr path through the proxy",
            Method::POST,
            "/v1/jwt/client/obtain/token",
            g,
            Some(json!({})),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        case(
            "another source named in the body",
            Method::POST,
            "/v1/payments",
            g,
            Some(with(json!({"source_id": 999}))),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        case(
            "malformed JSON",
            Method::POST,
            "/v1/payments",
            g,
            Some(Value::String("{not json".into())),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        case(
            "reference not a UUID v4",
            Method::POST,
            "/v1/payments",
            g,
            Some(with(json!({"reference_id": "order-7"}))),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        case(
            "bad phone",
            Method::POST,
            "/v1/payments",
            g,
            Some(with(json!({"phone": "+231 88"}))),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        case(
            "method not offered",
            Method::POST,
            "/v1/payments",
            g,
            Some(with(json!({"method": "WALLET"}))),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        case(
            "bad currency",
            Method::POST,
            "/v1/payments",
            g,
            Some(with(json!({"currency": "dollars"}))),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        case(
            "status of a non-UUID",
            Method::GET,
            "/v1/payments/../../v1/jwt",
            g,
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        case(
            "bad operator phone",
            Method::GET,
            "/v1/operator?phone=abc",
            g,
            None,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        case(
            "quote without currency",
            Method::GET,
            "/v1/quote?method=MTN_MOMO_LBR",
            g,
            None,
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
    ];
    cases.push(Case {
        origin: Some("https://evil.example"),
        ..case(
            "wrong origin",
            Method::GET,
            "/v1/checkout",
            g,
            None,
            StatusCode::FORBIDDEN,
            "misconfigured",
        )
    });
    cases.push(Case {
        origin: Some("null"),
        ..case(
            "opaque origin",
            Method::POST,
            "/v1/payments",
            g,
            Some(good_payment.clone()),
            StatusCode::FORBIDDEN,
            "misconfigured",
        )
    });

    for case in &cases {
        let before = h.dollr_requests().await;
        let mut request = h.http.request(case.method.clone(), h.url(&case.path));
        if let Some(grant) = &case.grant {
            request = request.bearer_auth(grant);
        }
        if let Some(origin) = case.origin {
            request = request.header("origin", origin);
        }
        request = match &case.body {
            Some(Value::String(raw)) => request
                .header("content-type", "application/json")
                .body(raw.clone()),
            Some(body) => request.json(body),
            None => request,
        };
        let response = request.send().await.unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, case.status, "{}: {body}", case.name);
        assert_eq!(
            body["error"]["code"].as_str(),
            Some(case.code),
            "{}: {body}",
            case.name
        );
        assert_eq!(
            h.dollr_requests().await,
            before,
            "{}: nothing may reach Dollr",
            case.name
        );
    }

    // An oversized body is refused before it is read.
    let before = h.dollr_requests().await;
    let huge = json!({"reference_id": uuid(), "method": "MTN_MOMO_LBR", "currency": "USD", "phone": "1".repeat(20_000)});
    let response = h
        .http
        .post(h.url("/v1/payments"))
        .bearer_auth(&grant)
        .json(&huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        h.dollr_requests().await,
        before,
        "oversized: nothing may reach Dollr"
    );

    // A grant for another amount is refused after one read, and nothing is charged.
    let wrong_amount = key.mint(&GrantClaims {
        amount: dollr_api::Decimal::from_int(1),
        ..claims.clone()
    });
    let (status, body) = h
        .call(
            Method::POST,
            "/v1/payments",
            Some(&wrong_amount),
            Some(good_payment.clone()),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden")),
        "{body}"
    );
    // Said for the developer: the grant's amount and the source's total.
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("The grant is for 1 USD, but Dollr's INVOICE")
            && message.contains("totals 25 USD"),
        "{message}"
    );
    // A grant for a source that does not exist.
    let missing = key.mint(&GrantClaims {
        source_id: 987_654,
        ..claims.clone()
    });
    let (status, body) = h
        .call(Method::GET, "/v1/checkout", Some(&missing), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found", "{body}");
    // Said for the developer: which order Dollr does not have.
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("source_id 987654"), "{message}");
    assert_eq!(h.execution_count().await, 0, "nothing was charged");
    assert!(cases.len() + 3 >= 15);
}

#[tokio::test]
async fn the_summary_says_who_bears_the_fees_and_the_quote_follows_it() {
    let h = Harness::start().await;
    let demo = |body: Value| h.call(Method::POST, "/dev/checkout", None, Some(body));
    for (bearer, payer_amount, payee_amount) in [("PAYER", "25.63", "25"), ("PAYEE", "25", "24.37")]
    {
        let (status, order) = demo(json!({"currency": "USD", "fee_bearer": bearer})).await;
        assert_eq!(status, StatusCode::OK, "{order}");
        let grant = order["grant"].as_str().unwrap();
        let (_, summary) = h.call(Method::GET, "/v1/checkout", Some(grant), None).await;
        assert_eq!(summary["fee_bearer"], bearer);
        let (_, quote) = h
            .call(
                Method::GET,
                "/v1/quote?method=MTN_MOMO_LBR&currency=USD",
                Some(grant),
                None,
            )
            .await;
        assert_eq!(
            (&quote["payer_amount"], &quote["payee_amount"]),
            (&json!(payer_amount), &json!(payee_amount)),
            "{bearer}"
        );
    }
    let (_, usual) = demo(json!({"currency": "USD"})).await;
    let grant = usual["grant"].as_str().unwrap();
    let (_, summary) = h.call(Method::GET, "/v1/checkout", Some(grant), None).await;
    assert_eq!(summary["fee_bearer"], "PAYER");
    let (status, body) = demo(json!({"fee_bearer": "SPLIT"})).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("fee_bearer"))
    );
}

#[tokio::test]
async fn the_demo_route_mints_short_grants_and_renews_them_for_the_same_order() {
    let h = Harness::start().await;
    let demo = |body: Value| h.call(Method::POST, "/dev/checkout", None, Some(body));
    let (status, order) = demo(json!({"currency": "USD", "grant_seconds": 1})).await;
    assert_eq!(status, StatusCode::OK, "{order}");
    let short = order["grant"].as_str().unwrap().to_owned();
    assert_eq!(
        order["expires_at"].as_u64().unwrap(),
        GrantKey::new(GRANT_SECRET).verify(&short, 0).unwrap().exp
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (status, body) = h
        .call(Method::GET, "/v1/checkout", Some(&short), None)
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("grant_expired"))
    );
    // Renewed: the same order, and no invoice made for it.
    let invoices = h.ledger().await["sources"].as_array().unwrap().len();
    let (status, renewed) = demo(json!({"renew": short})).await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    assert_eq!(
        (
            &renewed["source_id"],
            &renewed["total"],
            &renewed["currency"]
        ),
        (&order["source_id"], &order["total"], &order["currency"])
    );
    assert_eq!(
        h.ledger().await["sources"].as_array().unwrap().len(),
        invoices
    );
    let fresh = renewed["grant"].as_str().unwrap();
    let (status, summary) = h.call(Method::GET, "/v1/checkout", Some(fresh), None).await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(summary["source_number"], order["source_number"]);
    // Only this proxy's grants are renewed, and a grant lasts 1 s to an hour.
    let claims = GrantKey::new(GRANT_SECRET).verify(fresh, 0).unwrap();
    let foreign = GrantKey::new("another-merchant-secret-another-merchant").mint(&claims);
    let (status, body) = demo(json!({"renew": foreign})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_grant"))
    );
    for seconds in [0, 3601] {
        let (status, body) = demo(json!({"grant_seconds": seconds})).await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some("grant_seconds")),
            "{seconds}"
        );
    }
}

#[tokio::test]
async fn allowed_origins_get_cors_headers_and_preflights() {
    let h = Harness::start().await;
    let grant = h.grant().await;
    let response = h
        .http
        .request(Method::OPTIONS, h.url("/v1/payments"))
        .header("origin", ALLOWED_ORIGIN)
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        ALLOWED_ORIGIN
    );
    let response = h
        .http
        .get(h.url("/v1/checkout"))
        .bearer_auth(&grant)
        .header("origin", ALLOWED_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        ALLOWED_ORIGIN
    );
}

#[tokio::test]
async fn answers_never_carry_dollr_secrets() {
    let h = Harness::start().await;
    let grant = h.grant().await;
    let reference = uuid();
    let mut seen = String::new();
    for (method, path, body) in [
        (Method::GET, "/v1/checkout".to_owned(), None),
        (
            Method::POST,
            "/v1/payments".to_owned(),
            Some(
                json!({"reference_id": reference, "method": "MTN_MOMO_LBR", "currency": "USD", "phone": "231881231111"}),
            ),
        ),
        (Method::GET, format!("/v1/payments/{reference}"), None),
        (Method::GET, "/v1/receipt".to_owned(), None),
    ] {
        let (_, answer) = h.call(method, &path, Some(&grant), body).await;
        seen.push_str(&answer.to_string());
    }
    assert!(
        !seen.contains("sbx_tok_"),
        "a Dollr access token leaked: {seen}"
    );
    assert!(!seen.contains("sandbox_secret"));
}

/// The published widget API (`openapi.yaml`) says what the proxy really answers: every path in
/// it is routed, and every answer carries the fields its schema requires and no others.
#[tokio::test]
async fn the_openapi_document_matches_the_answers() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml")).unwrap();
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let schema = |name: &str| spec["components"]["schemas"][name].clone();
    let check = |name: &str, answer: &Value| {
        let schema = schema(name);
        for required in schema["required"].as_sequence().unwrap() {
            let key = required.as_str().unwrap();
            assert!(
                answer.get(key).is_some(),
                "{name}: answer lacks required `{key}`: {answer}"
            );
        }
        let properties = schema["properties"].as_mapping().unwrap();
        for key in answer.as_object().unwrap().keys() {
            assert!(
                properties.contains_key(key.as_str()),
                "{name}: `{key}` is not documented"
            );
        }
    };
    // Every error code the proxy may send is documented, and no other.
    let documented: Vec<&str> = spec["components"]["schemas"]["Error"]["properties"]["error"]
        ["properties"]["code"]["enum"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|code| code.as_str().unwrap())
        .collect();
    let codes: Vec<&str> = dollr_api::widget::ErrorCode::ALL
        .iter()
        .map(|code| code.as_str())
        .collect();
    assert_eq!(documented, codes);
    let paths: Vec<String> = spec["paths"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    for documented in [
        dollr_api::widget::paths::CHECKOUT,
        dollr_api::widget::paths::OPERATOR,
        dollr_api::widget::paths::QUOTE,
        dollr_api::widget::paths::PAYMENTS,
        dollr_api::widget::paths::RECEIPT,
    ] {
        assert!(
            paths.iter().any(|p| p == documented),
            "{documented} is not in openapi.yaml"
        );
    }
    let h = Harness::start().await;
    let grant = h.grant().await;
    let reference = uuid();
    let (_, summary) = h
        .call(Method::GET, "/v1/checkout", Some(&grant), None)
        .await;
    check("CheckoutSummary", &summary);
    check("LineItem", &summary["items"][0]);
    check("MethodOffer", &summary["methods"][0]);
    let (_, operator) = h
        .call(
            Method::GET,
            "/v1/operator?phone=231771231111",
            Some(&grant),
            None,
        )
        .await;
    check("OperatorInfo", &operator);
    let (_, quote) = h
        .call(
            Method::GET,
            "/v1/quote?method=ORANGE_MONEY_LBR&currency=USD",
            Some(&grant),
            None,
        )
        .await;
    check("Quote", &quote);
    let (_, payment) = h.pay(&grant, &reference, "231881231111").await;
    check("Payment", &payment);
    h.wait_final(&grant, &reference).await;
    let (_, receipt) = h.call(Method::GET, "/v1/receipt", Some(&grant), None).await;
    check("Receipt", &receipt);
    let (_, error) = h.call(Method::GET, "/v1/checkout", None, None).await;
    check("Error", &error);
    let claims = GrantKey::new(GRANT_SECRET)
        .verify(&grant, unix_now())
        .unwrap();
    check("Grant", &serde_json::to_value(claims).unwrap());
}

#[tokio::test]
async fn card_payments_with_three_d_secure() {
    let h = Harness::start().await;
    let grant = h.grant().await;
    let (_, summary) = h
        .call(Method::GET, "/v1/checkout", Some(&grant), None)
        .await;
    assert!(
        summary["stripe"]["js_url"]
            .as_str()
            .unwrap()
            .ends_with("/__sandbox/stripe.js"),
        "sandbox mode names the stand-in"
    );
    let reference = uuid();
    let body = json!({"reference_id": reference, "method": "CREDIT_CARD", "currency": "USD", "payment_method_id": "pm_card_threeDSecure2Required"});
    let (status, payment) = h
        .call(
            Method::POST,
            "/v1/payments",
            Some(&grant),
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{payment}");
    assert_eq!(
        (
            payment["status"].as_str(),
            payment["requires_action"].as_bool()
        ),
        (Some("PENDING"), Some(true))
    );
    let secret = payment["client_secret"].as_str().unwrap();
    // Retrying the same reference returns the same execution: no second charge, same challenge.
    let (_, again) = h
        .call(Method::POST, "/v1/payments", Some(&grant), Some(body))
        .await;
    assert_eq!(again["client_secret"].as_str(), Some(secret));
    let answered = h
        .http
        .post(format!(
            "{}/__sandbox/stripe/challenge",
            h.sandbox.base_url()
        ))
        .json(&json!({"client_secret": secret, "approve": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), StatusCode::OK);
    assert_eq!(
        h.wait_final(&grant, &reference).await["status"],
        "COMPLETED"
    );
    let ledger = h.ledger().await;
    assert_eq!(ledger["executions"].as_array().unwrap().len(), 1);
    assert_eq!(ledger["executions"][0]["method"], "CREDIT_CARD");
    // A malformed PaymentMethod id is refused before anything reaches Dollr.
    let before = h.dollr_requests().await;
    let (status, _) = h
        .call(Method::POST, "/v1/payments", Some(&grant), Some(json!({"reference_id": uuid(), "method": "CREDIT_CARD", "currency": "USD", "payment_method_id": "4242424242424242"})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(h.dollr_requests().await, before);
}

// Dollr's rate limit is the merchant's, shared by every payer: one checkout calling in a loop
// must not spend it.
#[tokio::test]
async fn a_checkout_calling_past_its_limit_is_told_when_to_call_again_and_dollr_is_not_called() {
    let h = Harness::start_limited(5).await;
    let grant = h.grant().await;
    for _ in 0..5 {
        let (status, body) = h
            .call(Method::GET, "/v1/checkout", Some(&grant), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let before = h.dollr_requests().await;

    let refused = h
        .answer(&Call::new(Method::GET, "/v1/checkout", Some(&grant), None))
        .await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    // Five a minute: the next call is allowed 12 s after the first.
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((10..=12).contains(&retry_after), "{retry_after}");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    let (status, _) = h
        .pay(&grant, "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d", "0886123456")
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(h.dollr_requests().await, before, "nothing reached Dollr");
    assert_eq!(h.execution_count().await, 0);

    // Another checkout is untouched.
    let other = h.grant().await;
    let (status, body) = h
        .call(Method::GET, "/v1/checkout", Some(&other), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

// Each answer is one payer's and true only now: a receipt has their number on it, and a status
// kept by a browser's cache would be an old one. Whatever the answer, no cache keeps it.
#[tokio::test]
async fn no_answer_of_the_widget_api_is_kept_by_a_cache_or_read_as_anything_but_json() {
    let h = Harness::start_limited(12).await;
    let grant = h.grant().await;
    let reference = uuid();
    let paid = json!({"reference_id": reference, "method": "MTN_MOMO_LBR", "currency": "USD", "phone": "231881231111"});
    let status_path = format!("/v1/payments/{reference}");
    let get = |path: &str| Call::new(Method::GET, path, Some(&grant), None);
    let calls = [
        get("/v1/checkout"),
        get("/v1/operator?phone=231881231111"),
        get("/v1/quote?method=MTN_MOMO_LBR&currency=USD"),
        Call::new(Method::POST, "/v1/payments", Some(&grant), Some(paid)),
        get(&status_path),
        get("/v1/receipt"),
        // Refusals: no grant, a path that is not the API's, a page elsewhere, its preflight.
        Call::new(Method::GET, "/v1/checkout", None, None),
        get("/v1/orders"),
        get("/v1/checkout").from("https://elsewhere.example"),
        Call::new(Method::OPTIONS, "/v1/checkout", None, None).from(ALLOWED_ORIGIN),
    ];
    let mut statuses = Vec::new();
    for call in &calls {
        let response = h.answer(call).await;
        let headers = response.headers();
        let asked = format!("{} {}", call.method, call.path);
        assert_eq!(headers["cache-control"], "no-store", "{asked}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{asked}");
        statuses.push(response.status().as_u16());
    }
    // Past the checkout's limit of 12 calls a minute, the refusal too.
    let mut limited = None;
    for _ in 0..12 {
        let response = h.answer(&get("/v1/checkout")).await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(response);
            break;
        }
    }
    let limited = limited.expect("refused past the limit");
    assert_eq!(limited.headers()["cache-control"], "no-store");
    assert_eq!(statuses, [200, 200, 200, 200, 200, 200, 401, 404, 403, 204]);
}
