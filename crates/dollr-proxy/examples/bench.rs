//! Benchmark (not a test): the proxy's added latency over calling the sandbox directly, and
//! its status-relay throughput, on loopback. Bounded in count and time.
//!
//! `cargo run --release -p dollr-proxy --example bench` (or `make bench`).
#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::time::{Duration, Instant};

use dollr_proxy::config::{Config, Upstream};
use dollr_proxy::{app, AppState, API_PREFIX};
use serde_json::{json, Value};

const SEQUENTIAL: usize = 2000;
const CONCURRENCY: usize = 32;
const THROUGHPUT_WINDOW: Duration = Duration::from_secs(5);

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn micros(d: Duration) -> String {
    format!("{:.0} µs", d.as_secs_f64() * 1e6)
}

/// One status lookup, read to the end; any failure stops the benchmark.
async fn lookup(http: &reqwest::Client, url: &str, bearer: &str) {
    let response = http
        .get(url)
        .bearer_auth(bearer)
        .send()
        .await
        .expect("answer");
    assert!(response.status().is_success(), "{}", response.status());
    response.bytes().await.expect("body");
}

async fn timed(http: &reqwest::Client, url: &str, bearer: &str) -> Vec<Duration> {
    let mut out = Vec::with_capacity(SEQUENTIAL);
    for _ in 0..SEQUENTIAL {
        let started = Instant::now();
        lookup(http, url, bearer).await;
        out.push(started.elapsed());
    }
    out.sort();
    out
}

#[tokio::main]
async fn main() {
    let sandbox = dollr_sandbox::spawn(
        dollr_sandbox::Config::default(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .expect("sandbox");
    let config = Config {
        upstream: Upstream::ExternalSandbox {
            base_url: sandbox.base_url(),
        },
        grant_secret: "bench-grant-secret-bench-grant-secret-00".into(),
        allowed_origins: vec![],
        listen: "127.0.0.1:0".parse().unwrap(),
        stripe_publishable_key: None,
        static_dir: None,
        dollr_timeout: Duration::from_secs(10),
        // Thousands of lookups a second under one grant: what the relay can do, not a payer.
        calls_per_minute: 0,
    };
    let state = AppState::new(&config, &sandbox.base_url()).expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = format!("http://{}{API_PREFIX}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(dollr_sandbox::without_delay(listener), app(state))
            .await
            .unwrap()
    });
    let http = reqwest::Client::new();

    // One paid order to ask about.
    let order: Value = http
        .post(format!("{proxy}/dev/checkout"))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let grant = order["grant"].as_str().unwrap().to_owned();
    let reference = uuid::Uuid::new_v4().to_string();
    let paid = http
        .post(format!("{proxy}/v1/payments"))
        .bearer_auth(&grant)
        .json(&json!({"reference_id": reference, "method": "MTN_MOMO_LBR", "currency": "USD", "phone": "231881231111"}))
        .send()
        .await
        .unwrap();
    assert!(paid.status().is_success());
    let token: Value = http
        .post(format!("{}/v1/jwt/client/obtain/token", sandbox.base_url()))
        .json(&json!({"client_id": "sandbox_client", "client_secret": "sandbox_secret"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();

    let direct_url = format!("{}/v1/status/collection/{reference}", sandbox.base_url());
    let proxied_url = format!("{proxy}/v1/payments/{reference}");
    // Warm both paths (connection pools, token cache).
    timed(&http, &direct_url, &token).await;
    timed(&http, &proxied_url, &grant).await;
    let direct = timed(&http, &direct_url, &token).await;
    let proxied = timed(&http, &proxied_url, &grant).await;
    println!("status lookup latency, {SEQUENTIAL} sequential calls each, loopback:");
    println!("  {:<28}{:>10}{:>10}{:>10}", "", "p50", "p95", "p99");
    for (name, list) in [
        ("sandbox directly", &direct),
        ("through the proxy", &proxied),
    ] {
        println!(
            "  {:<28}{:>10}{:>10}{:>10}",
            name,
            micros(percentile(list, 0.5)),
            micros(percentile(list, 0.95)),
            micros(percentile(list, 0.99))
        );
    }
    let added = percentile(&proxied, 0.5).saturating_sub(percentile(&direct, 0.5));
    println!("  added by the proxy (p50): {}", micros(added));

    let deadline = Instant::now() + THROUGHPUT_WINDOW;
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (http, url, grant) = (http.clone(), proxied_url.clone(), grant.clone());
        tasks.push(tokio::spawn(async move {
            let mut done = 0u64;
            while Instant::now() < deadline {
                lookup(&http, &url, &grant).await;
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    println!(
        "status relay throughput: {:.0} requests/s ({total} in {}s, {CONCURRENCY} concurrent clients)",
        total as f64 / THROUGHPUT_WINDOW.as_secs_f64(),
        THROUGHPUT_WINDOW.as_secs()
    );
}
