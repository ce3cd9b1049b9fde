//! The `dollr-proxy` binary as a merchant runs it (embedded sandbox, loopback): what its log tells
//! the person running it.
#![allow(missing_docs, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod common;

use std::ops::{Deref, DerefMut};
use std::process::Command;
use std::time::Duration;

use common::sandbox;
// One harness for every server binary of the workspace: the sandbox's tests run theirs with it.
#[path = "../../dollr-sandbox/tests/process/mod.rs"]
mod process;
use process::{free_port, help_and_version, run_with, Process};
use reqwest::{Method, StatusCode};

/// The running binary (killed when dropped, with every line it has logged so far) and its API's
/// base URL.
struct Proxy {
    process: Process,
    base: String,
}

impl Deref for Proxy {
    type Target = Process;
    fn deref(&self) -> &Process {
        &self.process
    }
}

impl DerefMut for Proxy {
    fn deref_mut(&mut self) -> &mut Process {
        &mut self.process
    }
}

impl Proxy {
    /// In sandbox mode, allowing `allowed_origins`.
    fn start(allowed_origins: &str) -> Proxy {
        Proxy::start_with(&[("DOLLR_ALLOWED_ORIGINS", allowed_origins)])
    }

    /// In live mode: Dollr at `base_url`, with the sandbox's client id and `client_secret`.
    fn live(base_url: &str, client_secret: &str) -> Proxy {
        Proxy::live_with(base_url, client_secret, &[])
    }

    /// The same, with the settings `more` besides.
    fn live_with(base_url: &str, client_secret: &str, more: &[(&str, &str)]) -> Proxy {
        let mut env = vec![
            ("DOLLR_BASE_URL", base_url),
            ("DOLLR_CLIENT_ID", "sandbox_client"),
            ("DOLLR_CLIENT_SECRET", client_secret),
            (
                "DOLLR_GRANT_SECRET",
                "binary-grant-secret-binary-grant-secret",
            ),
        ];
        env.extend_from_slice(more);
        Proxy::start_with(&env)
    }

    /// With the settings `env`.
    fn start_with(env: &[(&str, &str)]) -> Proxy {
        Proxy::started_by(Process::spawn, env)
    }

    /// With the settings `env`, started by `spawn`.
    fn started_by(spawn: fn(Command) -> Process, env: &[(&str, &str)]) -> Proxy {
        let port = free_port();
        let proxy = Proxy {
            process: spawn(proxy_command(port, env)),
            base: format!("http://127.0.0.1:{port}/api/dollr"),
        };
        proxy.wait_for("listening on", Duration::from_secs(30));
        proxy
    }

    /// The proxy's own root, where `/healthz` is.
    fn root(&self) -> &str {
        self.base.trim_end_matches(dollr_proxy::API_PREFIX)
    }

    /// A fresh sandbox order (25 USD) through the demo route: its grant and `source_id`.
    async fn order(&self) -> serde_json::Value {
        reqwest::Client::new()
            .post(format!("{}/dev/checkout", self.base))
            .json(&serde_json::json!({ "currency": "USD" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Pays the order of `grant` by mobile money under `reference`: the proxy's answer's status.
    async fn pay(&self, grant: &str, reference: &str) -> StatusCode {
        self.pay_with(&reqwest::Client::new(), grant, reference)
            .await
            .unwrap()
            .status()
    }

    /// Pays a fresh order under `reference`, waits until the proxy has logged it, and returns
    /// the order and every line logged so far.
    async fn pay_and_read_the_log(&self, reference: &str) -> (serde_json::Value, Vec<String>) {
        let order = self.order().await;
        let paid = self.pay(order["grant"].as_str().unwrap(), reference).await;
        assert_eq!(paid, StatusCode::OK);
        self.wait_for("payment sent to Dollr", Duration::from_secs(5));
        let lines = self.lines.lock().unwrap().clone();
        (order, lines)
    }

    /// The same through `http`, whose settings (a deadline, say) are the payer's browser's.
    async fn pay_with(
        &self,
        http: &reqwest::Client,
        grant: &str,
        reference: &str,
    ) -> reqwest::Result<reqwest::Response> {
        http.post(format!("{}/v1/payments", self.base))
            .bearer_auth(grant)
            .json(&serde_json::json!({
                "reference_id": reference,
                "method": "MTN_MOMO_LBR",
                "currency": "USD",
                "phone": "231881231111",
            }))
            .send()
            .await
    }
}

/// The proxy binary listening on `port`, its embedded sandbox on a free port, with the settings
/// `env` and none of the Dollr ones from the environment running it.
fn proxy_command(port: u16, env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dollr-proxy"));
    command
        .env("DOLLR_PROXY_ADDR", format!("127.0.0.1:{port}"))
        .env("DOLLR_SANDBOX_ADDR", format!("127.0.0.1:{}", free_port()))
        .env_remove("DOLLR_CLIENT_ID")
        .env_remove("DOLLR_CLIENT_SECRET")
        .env_remove("DOLLR_SANDBOX_URL")
        .env_remove("DOLLR_ALLOWED_ORIGINS")
        .env_remove("NO_COLOR")
        .envs(env.iter().copied());
    command
}

/// The proxy binary run with the settings `env` until it stops at start: its exit code and what
/// it said on stderr.
fn stopped_at_start(env: &[(&str, &str)]) -> (Option<i32>, String) {
    let output = proxy_command(free_port(), env).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
            .trim_end()
            .to_owned(),
    )
}

#[tokio::test]
async fn an_origin_refused_is_named_in_the_log_once_with_the_setting_that_allows_it() {
    let proxy = Proxy::start("https://shop.example");
    let http = reqwest::Client::new();
    // The widget's calls carry a grant, so the browser asks first (a CORS preflight). It
    // passes, so that the call's refusal reaches the page: 403 `misconfigured`, readable there
    // (CORS headers for its origin) and naming the setting.
    let preflight = |origin: &'static str| {
        http.request(Method::OPTIONS, format!("{}/v1/checkout", proxy.base))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization")
            .send()
    };
    for _ in 0..3 {
        let asked = preflight("https://elsewhere.example").await.unwrap();
        assert_eq!(asked.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            asked.headers()["access-control-allow-origin"],
            "https://elsewhere.example"
        );
        let refused = http
            .get(format!("{}/v1/checkout", proxy.base))
            .header("Origin", "https://elsewhere.example")
            .header("Authorization", "Bearer a.b.c")
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            refused.headers()["access-control-allow-origin"],
            "https://elsewhere.example"
        );
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["code"], "misconfigured", "{body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("https://elsewhere.example")
                && message.contains("DOLLR_ALLOWED_ORIGINS"),
            "{message}"
        );
    }
    let allowed = preflight("https://shop.example").await.unwrap();
    assert_eq!(allowed.status(), StatusCode::NO_CONTENT);
    proxy.wait_for("elsewhere.example", Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(200)); // time for a second line, if one were written
    let named = proxy.logged("https://elsewhere.example");
    assert_eq!(named.len(), 1, "{named:?}");
    assert!(
        named[0].contains("WARN")
            && named[0].contains("DOLLR_ALLOWED_ORIGINS")
            && named[0].contains(&format!("{:?}", proxy.base[7..].split('/').next().unwrap())),
        "{}",
        named[0]
    );
    assert!(proxy.logged("shop.example").is_empty());
    // A stream of made-up origins cannot fill the log: 32 are named, no more.
    for n in 0..40 {
        let origin = format!("https://made-up-{n}.example");
        let refused = http
            .get(format!("{}/v1/checkout", proxy.base))
            .header("Origin", &origin)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
    proxy.wait_for("made-up-30.example", Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        proxy.logged("refused a call").len(),
        dollr_proxy::REFUSED_ORIGINS_LOGGED
    );
}

// Multi-threaded: the sandbox serves on this runtime while the test's thread waits for the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_says_at_start_whether_dollr_accepts_the_credentials_and_healthz_agrees() {
    let proxy = Proxy::start("https://shop.example");
    proxy.wait_for(
        "Dollr accepted the client credentials",
        Duration::from_secs(10),
    );
    let health = reqwest::get(format!("{}/healthz", proxy.root()))
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);

    // Live mode, against a Dollr (the sandbox) that refuses the secret.
    let dollr = sandbox().await;
    let base_url = dollr.base_url();
    let refused = Proxy::live(&base_url, "a-mistyped-secret");
    refused.wait_for(
        "Dollr refused the client credentials",
        Duration::from_secs(10),
    );
    let said = refused.logged("Dollr refused the client credentials");
    assert!(
        said[0].contains("ERROR") && said[0].contains("DOLLR_CLIENT_SECRET"),
        "{}",
        said[0]
    );
    assert!(refused.logged("a-mistyped-secret").is_empty());
    let health = reqwest::get(format!("{}/healthz", refused.root()))
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);

    // A base URL with a path too many: what answers there is not Dollr's API, and the log says
    // which setting to check and what answered.
    let elsewhere = format!("{base_url}/api");
    let misplaced = Proxy::live(&elsewhere, "sandbox_secret");
    let check = "check DOLLR_BASE_URL";
    misplaced.wait_for(check, Duration::from_secs(10));
    let said = misplaced.logged(check);
    assert!(
        said.len() == 1 && said[0].contains("ERROR") && said[0].contains("404"),
        "{said:?}"
    );
    let health = reqwest::get(format!("{}/healthz", misplaced.root()))
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
}

// Multi-threaded: the sandbox serves on this runtime while the test's thread waits for the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_live_mode_an_allowed_origin_over_plain_http_is_warned_of_at_start() {
    let dollr = sandbox().await;
    let proxy = Proxy::live_with(
        &dollr.base_url(),
        "sandbox_secret",
        &[(
            "DOLLR_ALLOWED_ORIGINS",
            "https://shop.example, http://shop.example, http://localhost:3000",
        )],
    );
    proxy.wait_for(
        "Dollr accepted the client credentials",
        Duration::from_secs(10),
    );
    let said = proxy.logged("served over plain http");
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains("WARN") && said[0].contains("lists http://shop.example,"),
        "{}",
        said[0]
    );
    // The sandbox's pages are for trying it out: nothing to warn of there.
    let sandbox = Proxy::start("http://shop.example");
    sandbox.wait_for("listening", Duration::from_secs(10));
    assert!(sandbox.logged("served over plain http").is_empty());
}

// Regression: each failed probe logged a warning, so a readiness probe every few seconds filled
// the log for as long as Dollr was out of reach.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dollr_out_of_reach_is_logged_once_however_often_probed_and_its_return_once() {
    let dollr_port = free_port();
    let base_url = format!("http://127.0.0.1:{dollr_port}");
    let proxy = Proxy::live(&base_url, "sandbox_secret");
    let unreachable = "Dollr could not be reached";
    proxy.wait_for(unreachable, Duration::from_secs(10));
    let probe = || async {
        reqwest::get(format!("{}/healthz", proxy.root()))
            .await
            .unwrap()
            .status()
    };
    for _ in 0..4 {
        assert_eq!(probe().await, StatusCode::SERVICE_UNAVAILABLE);
    }
    let said = proxy.logged(unreachable);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains("ERROR"), "{}", said[0]);
    // It says why, not only that the request failed.
    assert!(said[0].contains("Connection refused"), "{}", said[0]);

    // Dollr comes up where it was said to be: the next probe finds it, and the log says so once.
    let _dollr = dollr_sandbox::spawn(
        dollr_sandbox::Config::default(),
        format!("127.0.0.1:{dollr_port}").parse().unwrap(),
    )
    .await
    .unwrap();
    for _ in 0..3 {
        assert_eq!(probe().await, StatusCode::OK);
    }
    let again = proxy.logged("accepts the client credentials again");
    assert_eq!(again.len(), 1, "{again:?}");
    assert_eq!(proxy.logged(unreachable).len(), 1);
    assert!(
        proxy.logged("WARN").is_empty(),
        "{:?}",
        proxy.logged("WARN")
    );
}

// Regression: the log said only "error sending request", whatever the cause. A host name that
// does not resolve is most often a mistyped DOLLR_BASE_URL, and the log must say so. `.invalid`
// never resolves (RFC 6761), and the lookup is the machine's own, so nothing leaves it.
#[test]
fn a_base_url_whose_name_does_not_resolve_is_logged_as_such() {
    let proxy = Proxy::live("https://api.dollr.invalid", "sandbox_secret");
    let unreachable = "Dollr could not be reached";
    proxy.wait_for(unreachable, Duration::from_secs(10));
    let said = proxy.logged(unreachable);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains("dns error") && said[0].contains("failed to lookup address"),
        "{}",
        said[0]
    );
}

/// A proxy in sandbox mode, and its Dollr (the sandbox), with one payment `reference` still at
/// Dollr, which answers it after `delay_ms`; the payer's phone stopped waiting after 300 ms.
async fn a_payment_with_dollr(delay_ms: u64, reference: &str) -> (dollr_sandbox::Running, Proxy) {
    let dollr = sandbox().await;
    let proxy = Proxy::start_with(&[
        ("DOLLR_SANDBOX_URL", &dollr.base_url()),
        ("DOLLR_ALLOWED_ORIGINS", "https://shop.example"),
    ]);
    proxy.wait_for("listening", Duration::from_secs(10));
    let order = proxy.order().await;
    dollr.sandbox.faults().arm(dollr_sandbox::faults::Fault {
        route: "executions/collection".into(),
        kind: dollr_sandbox::faults::FaultKind::Delay { ms: delay_ms },
        count: 1,
    });
    let phone = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let cut = proxy
        .pay_with(&phone, order["grant"].as_str().unwrap(), reference)
        .await;
    assert!(cut.is_err_and(|e| e.is_timeout()));
    (dollr, proxy)
}

// Regression: a proxy told to stop (a deploy) exited as soon as no request was open, cutting off
// a payment whose payer had gone (a phone losing its network) while Dollr was still answering:
// neither settled nor logged, so the shop could not find it when the payer said "I paid".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_stopped_while_a_payment_is_with_dollr_waits_for_its_answer_before_exiting() {
    let reference = "5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d";
    let (dollr, mut proxy) = a_payment_with_dollr(1500, reference).await;

    proxy.terminate();
    proxy.wait_for("payments in flight", Duration::from_secs(5));
    // The same signal again (a supervisor passing it on twice) does not cut the wait short.
    proxy.terminate();
    let status = proxy
        .exit_within(Duration::from_secs(10))
        .expect("the proxy stops");
    assert!(status.success(), "{status:?}");
    proxy.wait_for("payment sent to Dollr", Duration::from_secs(2));
    let sent = proxy.logged("payment sent to Dollr");
    assert!(sent[0].contains(reference), "{}", sent[0]);
    // Dollr executed it.
    assert!(dollr.sandbox.store().executions.contains_key(reference));
}

// Before, Ctrl-C pressed again while the proxy waited for a payment did nothing: the person at
// the terminal could only wait up to `DOLLR_TIMEOUT_SECS` or kill it by its PID.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_pressed_again_while_a_payment_is_with_dollr_stops_the_proxy_at_once_and_says_what_it_left(
) {
    let (_dollr, mut proxy) =
        a_payment_with_dollr(15_000, "0b6f3c2e-7a1d-4e5f-9c8b-2d4e6f8a0c1e").await;

    let said = proxy.ctrl_c_twice("payments in flight", "Ctrl-C again: stopping now");
    assert!(said.contains("count=1"), "{said}");
    assert!(proxy.logged("payment sent to Dollr").is_empty());
}

// Multi-threaded: the test's thread waits for the log while the binary serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_payment_is_logged_by_its_checkout_and_reference_without_the_payers_number_or_the_grant(
) {
    let proxy = Proxy::start("https://shop.example");
    let order = proxy.order().await;
    let grant = order["grant"].as_str().unwrap();
    let source_id = order["source_id"].to_string();
    let first = "6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f";
    let second = "0b9e8d7c-6a5f-4e3d-8c2b-1a0f9e8d7c6b";
    assert_eq!(proxy.pay(grant, first).await, StatusCode::OK);
    // The same payment asked for again (a retry), then a second one while the first may land.
    assert_eq!(proxy.pay(grant, first).await, StatusCode::OK);
    assert_eq!(proxy.pay(grant, second).await, StatusCode::CONFLICT);
    proxy.wait_for("payment refused", Duration::from_secs(5));

    let sent = proxy.logged("payment sent to Dollr");
    assert_eq!(sent.len(), 1, "{sent:?}");
    for field in [
        format!("source_id={source_id}"),
        format!("reference_id={first}"),
        "method=MTN_MOMO_LBR".to_owned(),
        "amount=25.63".to_owned(),
        "currency=USD".to_owned(),
    ] {
        assert!(sent[0].contains(&field), "{field} in {}", sent[0]);
    }
    let again = proxy.logged("payment asked for again");
    assert_eq!(again.len(), 1, "{again:?}");
    assert!(again[0].contains(first), "{}", again[0]);
    let refused = proxy.logged("payment refused");
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].contains(second) && refused[0].contains(&format!("source_id={source_id}")),
        "{}",
        refused[0]
    );
    // Nothing that identifies the payer, nor the grant that lets a page pay.
    assert!(proxy.logged("881231111").is_empty());
    assert!(proxy.logged(grant).is_empty());
}

#[test]
fn an_allowed_origin_written_without_its_scheme_stops_the_proxy_with_a_reason() {
    let (code, said) = stopped_at_start(&[(
        "DOLLR_ALLOWED_ORIGINS",
        "https://shop.example, shop.example",
    )]);
    assert_eq!(code, Some(2));
    assert!(
        said.starts_with(
            "dollr-proxy: DOLLR_ALLOWED_ORIGINS: \"shop.example\" is not an origin; write each as scheme://host[:port]"
        ),
        "{said}"
    );
}

#[test]
fn a_stripe_secret_key_where_the_publishable_one_goes_stops_the_proxy_without_repeating_it() {
    let (code, said) = stopped_at_start(&[("STRIPE_PUBLISHABLE_KEY", "sk_live_51Hnotforbrowsers")]);
    assert_eq!(code, Some(2));
    assert!(
        said.starts_with(
            "dollr-proxy: STRIPE_PUBLISHABLE_KEY holds a Stripe secret or restricted key"
        ),
        "{said}"
    );
    assert!(!said.contains("51Hnotforbrowsers"), "{said}");
}

#[test]
fn the_sandbox_grant_secret_with_dollr_credentials_stops_the_proxy_with_a_reason() {
    let (code, said) = stopped_at_start(&[
        ("DOLLR_CLIENT_ID", "a-client"),
        ("DOLLR_CLIENT_SECRET", "a-secret"),
        (
            "DOLLR_GRANT_SECRET",
            dollr_proxy::config::SANDBOX_GRANT_SECRET,
        ),
    ]);
    assert_eq!(code, Some(2));
    assert!(
        said.starts_with("dollr-proxy: DOLLR_GRANT_SECRET is the sandbox's"),
        "{said}"
    );
}

// Multi-threaded: the test's thread waits for the log while the binary serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checkout_calling_in_a_loop_past_its_call_limit_is_named_in_the_log_once() {
    // One call a second comes back to it, and the loop takes each at once.
    let proxy = Proxy::start_with(&[("DOLLR_CALLS_PER_MINUTE", "60")]);
    let order = proxy.order().await;
    let http = reqwest::Client::new();
    let (mut passed, mut refused) = (0, 0);
    let started = std::time::Instant::now();
    // For 2.5 s and until it is refused at least once (on a machine slow enough, the burst alone
    // may take longer), 20 s at most.
    while (started.elapsed() < Duration::from_millis(2500) || refused == 0)
        && started.elapsed() < Duration::from_secs(20)
    {
        let response = http
            .get(format!("{}/v1/checkout", proxy.base))
            .bearer_auth(order["grant"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        match response.status() {
            StatusCode::OK => passed += 1,
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("{other}"),
        }
    }
    // The burst of 60, and the one a second that came back while it looped.
    let seconds = started.elapsed().as_secs_f64().ceil() as u32;
    assert!(
        (60..=60 + seconds).contains(&passed) && refused > 0,
        "{passed} passed and {refused} refused in {seconds} s"
    );
    proxy.wait_for("calls for a checkout refused", Duration::from_secs(5));
    let said = proxy.logged("calls for a checkout refused");
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains(&format!("source=invoices:{}", order["source_id"]))
            && said[0].contains("limit=60"),
        "{}",
        said[0]
    );
}

#[test]
fn a_number_setting_of_zero_or_not_a_number_stops_the_proxy_with_a_reason() {
    for (setting, values, should_be) in [
        (
            "DOLLR_TIMEOUT_SECS",
            ["0", "20s"],
            "a whole number of seconds, 1 or more",
        ),
        // 0 is no limit; a negative number is a mistake.
        (
            "DOLLR_CALLS_PER_MINUTE",
            ["-1", "120/min"],
            "a whole number of calls, or 0 for no limit",
        ),
    ] {
        for value in values {
            let (code, said) = stopped_at_start(&[(setting, value)]);
            assert_eq!(code, Some(2));
            assert_eq!(
                said,
                format!("dollr-proxy: {setting} must be {should_be}, not {value:?}")
            );
        }
    }
}

// Multi-threaded: the test's thread waits for the log while the binary serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_dollr_log_format_json_each_line_is_one_json_object_with_the_payments_fields() {
    let proxy = Proxy::start_with(&[("DOLLR_LOG_FORMAT", "json")]);
    let reference = "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a";
    let (order, lines) = proxy.pay_and_read_the_log(reference).await;
    let objects: Vec<serde_json::Value> = lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let sent = objects
        .iter()
        .find(|o| o["fields"]["message"] == "payment sent to Dollr")
        .unwrap();
    assert_eq!(sent["level"], "INFO");
    assert_eq!(sent["fields"]["reference_id"], reference);
    assert_eq!(sent["fields"]["source_id"], order["source_id"].to_string());
    assert_eq!(sent["fields"]["currency"], "USD");
}

// Multi-threaded: the test's thread waits for the log while the binary serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_text_log_read_by_a_service_manager_has_no_colour_codes_in_it() {
    // A pipe, as systemd's journal, `docker logs` or a log file read it, from a shell whose
    // terminal has colours. Started by a service whose own output is the journal, the proxy has
    // its `JOURNAL_STREAM`, but its output is not that stream.
    let proxy = Proxy::start_with(&[
        ("TERM", "xterm-256color"),
        ("COLORTERM", "truecolor"),
        ("JOURNAL_STREAM", "8:52113"),
    ]);
    let (_, lines) = proxy
        .pay_and_read_the_log("0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6")
        .await;
    let sent = line_saying(&lines, "payment sent to Dollr");
    assert!(sent.contains(" INFO dollr_proxy"), "{sent}");
    assert!(
        sent.starts_with(char::is_numeric),
        "the line starts with its time: {sent}"
    );
    without_escape_codes(&lines);
}

// The journal keeps each line's time itself, and its priority when the line starts with it
// (sd-daemon(3)): before, `journalctl` showed every line with two times, and `journalctl -p
// warning` found none of the proxy's warnings.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_journal_each_line_starts_with_its_priority_and_not_a_time() {
    let proxy = Proxy::started_by(
        Process::spawn_into_the_journal,
        &[
            ("DOLLR_ALLOWED_ORIGINS", "https://shop.example"),
            ("TERM", "xterm-256color"),
        ],
    );
    // A warning: a page elsewhere calls.
    let refused = reqwest::Client::new()
        .get(format!("{}/v1/checkout", proxy.base))
        .header("Origin", "https://elsewhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let (_, lines) = proxy
        .pay_and_read_the_log("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9")
        .await;
    let sent = line_saying(&lines, "payment sent to Dollr");
    assert!(sent.starts_with("<6>INFO dollr_proxy"), "{sent}");
    let warned = line_saying(
        &lines,
        "refused a call from a page at https://elsewhere.example",
    );
    assert!(warned.starts_with("<4>WARN dollr_proxy"), "{warned}");
    let unmarked: Vec<&String> = lines
        .iter()
        .filter(|line| {
            !["<3>ERROR ", "<4>WARN ", "<6>INFO ", "<7>DEBUG "]
                .iter()
                .any(|start| line.starts_with(start))
        })
        .collect();
    assert!(
        unmarked.is_empty(),
        "lines without a priority: {unmarked:?}"
    );
    without_escape_codes(&lines);
}

/// The first of `lines` that contains `text`.
fn line_saying<'a>(lines: &'a [String], text: &str) -> &'a str {
    lines
        .iter()
        .find(|line| line.contains(text))
        .unwrap_or_else(|| panic!("no {text:?} in {lines:?}"))
}

/// Fails the test when a line of `lines` has a terminal's escape codes (colours) in it.
fn without_escape_codes(lines: &[String]) {
    let coloured: Vec<&String> = lines.iter().filter(|line| line.contains('\x1b')).collect();
    assert!(coloured.is_empty(), "escape codes in the log: {coloured:?}");
}

#[test]
fn a_log_format_it_does_not_know_stops_the_proxy_with_a_reason() {
    let (code, said) = stopped_at_start(&[("DOLLR_LOG_FORMAT", "JSON lines")]);
    assert_eq!(code, Some(2));
    assert_eq!(
        said,
        "dollr-proxy: DOLLR_LOG_FORMAT must be text or json, not \"JSON lines\""
    );
}

const PROXY: &str = env!("CARGO_BIN_EXE_dollr-proxy");

#[test]
fn help_lists_every_setting_of_the_readme_and_version_names_the_release() {
    let help = help_and_version(
        PROXY,
        "dollr-proxy",
        ["--help", "--version"],
        "Configured from the environment:",
        12,
    );
    assert!(help.contains("/healthz"), "{help}");
}

// Before, any argument was ignored: `dollr-proxy --help` started a proxy in sandbox mode, and
// `dollr-proxy --port 9000` one on port 8787.
#[test]
fn an_argument_it_does_not_take_stops_it_with_a_reason_before_it_serves() {
    for args in [&["--port", "9000"][..], &["--help", "--verbose"]] {
        let (code, out, said) = run_with(PROXY, args);
        assert_eq!(code, Some(2), "{args:?}");
        assert_eq!(out, "", "{args:?}");
        let unknown = args.iter().find(|a| !["--help"].contains(a)).unwrap();
        assert_eq!(
            said,
            format!("dollr-proxy: unknown argument {unknown:?}: its settings come from the environment (dollr-proxy --help lists them)\n")
        );
    }
}
