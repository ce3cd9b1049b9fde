//! `dollr-sandbox`: runs the in-memory Dollr API on `DOLLR_SANDBOX_ADDR` (default
//! 127.0.0.1:8788) until Ctrl-C or SIGTERM, answering the calls in flight first; Ctrl-C pressed
//! again stops it at once.

use std::net::SocketAddr;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    if let Err(message) = dollr_sandbox::init_logging() {
        eprintln!("dollr-sandbox: {message}");
        return ExitCode::from(2);
    }
    let config = match dollr_sandbox::Config::from_env() {
        Ok(c) => c,
        Err(message) => {
            eprintln!("dollr-sandbox: {message}");
            return ExitCode::from(2);
        }
    };
    let addr_text = std::env::var("DOLLR_SANDBOX_ADDR").unwrap_or_else(|_| "127.0.0.1:8788".into());
    let addr: SocketAddr = match addr_text.parse() {
        Ok(a) => a,
        Err(_) => {
            eprintln!("dollr-sandbox: DOLLR_SANDBOX_ADDR must be host:port, got {addr_text:?}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(error) => {
            eprintln!("dollr-sandbox: cannot listen on {addr}: {error}");
            return ExitCode::from(1);
        }
    };
    tracing::info!(
        "Dollr sandbox listening on http://{addr} (client id {:?}); nothing here moves real money",
        config.client_id
    );
    let sandbox = dollr_sandbox::Sandbox::new(config);
    let app = dollr_sandbox::app(sandbox.clone());
    if let Err(error) = axum::serve(dollr_sandbox::without_delay(listener), app)
        .with_graceful_shutdown(async move {
            dollr_sandbox::shutdown_signal().await;
            // A call held by a `delay` fault is answered before the sandbox stops: say so, and how
            // to stop sooner.
            let open = sandbox.calls_in_flight();
            if open > 0 {
                tracing::info!(
                    count = open,
                    "stopping once the calls in flight are answered (Ctrl-C again stops now)"
                );
            }
            tokio::spawn(dollr_sandbox::exit_at_second_ctrl_c(move || {
                tracing::warn!(
                    count = sandbox.calls_in_flight(),
                    "Ctrl-C again: stopping now, without answering the calls in flight"
                );
            }));
        })
        .await
    {
        eprintln!("dollr-sandbox: {error}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
