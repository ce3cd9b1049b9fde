//! The `dollr-sandbox` binary as a developer runs it: its command line, and how it stops.
#![allow(missing_docs, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod process;

use std::process::Command;
use std::time::Duration;

use process::{free_port, help_and_version, run_with, Process};
use serde_json::json;

/// The sandbox binary on a free port, listening, and its base URL.
fn start() -> (Process, String) {
    let port = free_port();
    let mut command = Command::new(env!("CARGO_BIN_EXE_dollr-sandbox"));
    command.env("DOLLR_SANDBOX_ADDR", format!("127.0.0.1:{port}"));
    let sandbox = Process::spawn(command);
    sandbox.wait_for("listening on", Duration::from_secs(30));
    (sandbox, format!("http://127.0.0.1:{port}"))
}

/// A call to the sandbox's token route that it answers after `delay_ms` (a `delay` fault), sent
/// now; it resolves to the answer's status.
async fn held_call(base: &str, delay_ms: u64) -> tokio::task::JoinHandle<reqwest::Result<u16>> {
    let http = reqwest::Client::new();
    let fault =
        json!({ "route": "jwt/client/obtain/token", "kind": "delay", "ms": delay_ms, "count": 1 });
    let armed = http
        .post(format!("{base}/__sandbox/faults"))
        .json(&fault)
        .send()
        .await
        .unwrap();
    assert!(armed.status().is_success());
    let token = format!("{base}/v1/jwt/client/obtain/token");
    let caller = http.clone();
    let call = tokio::spawn(async move {
        let credentials =
            json!({ "client_id": "sandbox_client", "client_secret": "sandbox_secret" });
        let answer = caller.post(token).json(&credentials).send().await?;
        Ok(answer.status().as_u16())
    });
    // Until the sandbox holds the call: the fault, used once, is no longer armed.
    let started = std::time::Instant::now();
    loop {
        let armed: serde_json::Value = http
            .get(format!("{base}/__sandbox/faults"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if armed.as_array().is_some_and(Vec::is_empty) {
            return call;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the call never reached the sandbox"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

// A call held by a fault is answered before the sandbox stops, and the log says that it waits.
// Multi-threaded: the test's thread waits for the log while its call is in flight.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sandbox_asked_to_stop_answers_the_calls_in_flight_first_and_says_so() {
    let (mut sandbox, base) = start();
    let call = held_call(&base, 1500).await;

    sandbox.terminate();
    sandbox.wait_for(
        "stopping once the calls in flight are answered (Ctrl-C again stops now) count=1",
        Duration::from_secs(5),
    );
    // The same signal again (a supervisor passing it on twice) does not cut the wait short.
    sandbox.terminate();
    assert_eq!(call.await.unwrap().unwrap(), 200);
    let status = sandbox
        .exit_within(Duration::from_secs(5))
        .expect("the sandbox stops");
    assert!(status.success(), "{status:?}");

    // With nothing in flight it stops at once, with nothing said of waiting.
    let (mut idle, _) = start();
    idle.terminate();
    let status = idle
        .exit_within(Duration::from_secs(3))
        .expect("the sandbox stops");
    assert!(status.success(), "{status:?}");
    assert!(idle.logged("stopping").is_empty(), "{:?}", idle.lines);
}

// Before, the sandbox said nothing at Ctrl-C while a fault held a call, and a second Ctrl-C did
// nothing: the developer waited out the fault's delay, or killed it by its PID.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_pressed_again_while_a_call_is_held_stops_the_sandbox_at_once() {
    let (mut sandbox, base) = start();
    let call = held_call(&base, 30_000).await;

    let said = sandbox.ctrl_c_twice(
        "Ctrl-C again stops now",
        "Ctrl-C again: stopping now, without answering the calls in flight",
    );
    assert!(said.contains("count=1"), "{said}");
    // The call was cut off, not answered.
    assert!(call.await.unwrap().is_err());
}

const SANDBOX: &str = env!("CARGO_BIN_EXE_dollr-sandbox");

#[test]
fn help_lists_every_setting_of_the_readme_and_an_argument_it_does_not_take_stops_it() {
    help_and_version(
        SANDBOX,
        "dollr-sandbox",
        ["-h", "-V"],
        "**Settings** (environment):",
        8,
    );

    let (code, out, said) = run_with(SANDBOX, &["8788"]);
    assert_eq!((code, out.as_str()), (Some(2), ""));
    assert!(
        said.starts_with("dollr-sandbox: unknown argument \"8788\""),
        "{said}"
    );
}
