//! `GET /healthz` over loopback HTTP, in front of a real sandbox: what a load balancer, a
//! readiness probe or a deploy script reads of the proxy's link to Dollr.
#![allow(missing_docs, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::net::SocketAddr;
use std::time::Duration;

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

async fn sandbox() -> dollr_sandbox::Running {
    dollr_sandbox::spawn(
        dollr_sandbox::Config::default(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap()
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
