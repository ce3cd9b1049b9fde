//! What more than one of the proxy's test files needs.
#![allow(clippy::unwrap_used)]

/// A sandbox serving on the calling test's runtime, on a loopback port of its own.
pub async fn sandbox() -> dollr_sandbox::Running {
    dollr_sandbox::spawn(
        dollr_sandbox::Config::default(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap()
}
