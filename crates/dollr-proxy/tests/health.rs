//! `GET /healthz` over loopback HTTP, in front of a real sandbox: what a load balancer, a
//! readiness probe or a deploy script reads of the proxy's link to Dollr.
#![allow(missing_docs, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::sandbox;
use dollr_proxy::config::{Config, Upstream};
use dollr_proxy::dollr_client::DollrClient;
use dollr_proxy::{app, AppState};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A proxy for `upstream` on a loopback port of its own, and its Dollr client.
async fn serve(upstream: Upstream) -> (SocketAddr, DollrClient) {
    let base_url = match &upstream {
        Upstream::Dollr { base_url, .. } | Upstream::ExternalSandbox { base_url } => {
            base_url.clone()
        }
        Upstream::EmbeddedSandbox { .. } => unreachable!("the tests run their own sandbox"),
    };
    let config = Config {
        upstream,
        grant_secret: "health-grant-secret-health-grant-secret-01".into(),
        allowed_origins: Vec::new(),
        listen: "127.0.0.1:0".parse().unwrap(),
        stripe_publishable_key: None,
        static_dir: None,
        dollr_timeout: Duration::from_secs(5),
        calls_per_minute: dollr_proxy::config::CALLS_PER_MINUTE,
    };
    let state = AppState::new(&config, &base_url).unwrap();
    let dollr = state.dollr.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(dollr_sandbox::without_delay(listener), app(state))
            .await
            .unwrap();
    });
    (addr, dollr)
}

/// The health answer: status, `Cache-Control`, body.
async fn health(proxy: SocketAddr) -> (StatusCode, String, Value) {
    let response = reqwest::get(format!("http://{proxy}/healthz"))
        .await
        .unwrap();
    let status = response.status();
    let cache = response
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, cache, response.json().await.unwrap())
}

fn live(base_url: String, client_secret: &str) -> Upstream {
    Upstream::Dollr {
        base_url,
        client_id: "sandbox_client".into(),
        client_secret: client_secret.into(),
    }
}

#[tokio::test]
async fn healthy_in_each_mode_and_probes_cost_dollr_one_token_request() {
    let sandbox = sandbox().await;
    let (proxy, dollr) = serve(Upstream::ExternalSandbox {
        base_url: sandbox.base_url(),
    })
    .await;
    for _ in 0..5 {
        let (status, cache, body) = health(proxy).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(cache, "no-store");
        assert_eq!(body, json!({ "status": "ok", "mode": "sandbox" }));
    }
    // The token is kept: five probes asked Dollr for one.
    assert_eq!(dollr.token_requests(), 1);

    let (proxy, _) = serve(live(sandbox.base_url(), "sandbox_secret")).await;
    let (status, _, body) = health(proxy).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({ "status": "ok", "mode": "live" }));
}

#[tokio::test]
async fn unhealthy_with_credentials_dollr_refuses_or_with_dollr_out_of_reach_and_says_which() {
    let sandbox = sandbox().await;
    let (proxy, _) = serve(live(sandbox.base_url(), "not-the-secret")).await;
    let (status, cache, body) = health(proxy).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(cache, "no-store");
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["mode"], "live");
    let reason = body["reason"].as_str().unwrap();
    assert!(reason.contains("DOLLR_CLIENT_SECRET"), "{reason}");
    // The answer names the setting, never its value.
    assert!(!body.to_string().contains("not-the-secret"), "{body}");

    // Nothing listens where Dollr is said to be.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nowhere = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (proxy, _) = serve(live(nowhere, "sandbox_secret")).await;
    let (status, _, body) = health(proxy).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        body["reason"]
            .as_str()
            .unwrap()
            .contains("could not be reached"),
        "{body}"
    );
}

/// A grant for a new order of `sandbox`, from a proxy with the same grant secret.
async fn grant_for_new_order(sandbox: &dollr_sandbox::Running) -> String {
    let (minting, _) = serve(Upstream::ExternalSandbox {
        base_url: sandbox.base_url(),
    })
    .await;
    let order: Value = reqwest::Client::new()
        .post(format!("http://{minting}/api/dollr/dev/checkout"))
        .json(&json!({ "currency": "USD" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    order["grant"].as_str().unwrap().to_owned()
}

/// A mobile-money payment, under a new reference, from a wallet whose payments complete.
fn new_payment() -> Value {
    json!({
        "reference_id": uuid::Uuid::new_v4().to_string(),
        "method": "MTN_MOMO_LBR",
        "currency": "USD",
        "phone": "231881231111",
    })
}

/// The payments `sandbox` has executed, from its ledger.
async fn executions(sandbox: &dollr_sandbox::Running) -> Value {
    let ledger: Value = reqwest::get(format!("{}/__sandbox/ledger", sandbox.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    ledger["executions"].clone()
}

/// One widget call to `proxy` with `grant`: status and body.
async fn widget_call(
    proxy: SocketAddr,
    grant: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let http = reqwest::Client::new();
    let url = format!("http://{proxy}/api/dollr{path}");
    let request = match body {
        Some(body) => http.post(url).json(&body),
        None => http.get(url),
    };
    let response = request.bearer_auth(grant).send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn widget_calls_with_credentials_dollr_refuses_are_told_misconfigured_and_nothing_is_paid() {
    let sandbox = sandbox().await;
    let grant = &grant_for_new_order(&sandbox).await;

    let (wrong, _) = serve(live(sandbox.base_url(), "not-the-secret")).await;
    let (status, body) = widget_call(wrong, grant, "/v1/checkout", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "misconfigured", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("DOLLR_CLIENT_SECRET"),
        "{body}"
    );
    assert!(!body.to_string().contains("not-the-secret"), "{body}");
    let payment = new_payment();
    let (status, body) = widget_call(wrong, grant, "/v1/payments", Some(payment.clone())).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "misconfigured", "{body}");
    assert_eq!(executions(&sandbox).await, json!([]));

    // Set right, the same grant loads its order and the same payment goes through.
    let (right, _) = serve(live(sandbox.base_url(), "sandbox_secret")).await;
    let (status, body) = widget_call(right, grant, "/v1/checkout", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = widget_call(right, grant, "/v1/payments", Some(payment)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// A website on a loopback port of its own that answers every path with its page, as many do.
async fn website() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let page = axum::Router::new().fallback(|| async {
        axum::response::Html("<!doctype html><title>Shop</title><p>Welcome")
    });
    tokio::spawn(async move { axum::serve(listener, page).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_base_url_where_dollr_is_not_is_told_misconfigured_naming_the_setting_and_nothing_is_paid(
) {
    let sandbox = sandbox().await;
    let grant = &grant_for_new_order(&sandbox).await;
    let payment = new_payment();

    // A path too many (Dollr's token path is not found there), and a website answering every
    // path with its page (a success that is not a token).
    for base_url in [format!("{}/api", sandbox.base_url()), website().await] {
        let (proxy, _) = serve(live(base_url.clone(), "sandbox_secret")).await;
        let (status, _, body) = health(proxy).await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{base_url}: {body}"
        );
        let reason = body["reason"].as_str().unwrap();
        assert!(
            reason.contains("check DOLLR_BASE_URL"),
            "{base_url}: {reason}"
        );
        for (path, call) in [
            ("/v1/checkout", None),
            ("/v1/payments", Some(payment.clone())),
        ] {
            let (status, body) = widget_call(proxy, grant, path, call).await;
            assert_eq!(
                status,
                StatusCode::SERVICE_UNAVAILABLE,
                "{base_url}{path}: {body}"
            );
            assert_eq!(
                body["error"]["code"], "misconfigured",
                "{base_url}{path}: {body}"
            );
            let message = body["error"]["message"].as_str().unwrap();
            assert!(message.contains("check DOLLR_BASE_URL"), "{message}");
            // The setting is named, not its value.
            assert!(!message.contains("127.0.0.1"), "{message}");
        }
    }
    assert_eq!(executions(&sandbox).await, json!([]));

    // Set right, the same payment goes through.
    let (right, _) = serve(live(sandbox.base_url(), "sandbox_secret")).await;
    let (status, body) = widget_call(right, grant, "/v1/payments", Some(payment)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
