//! `dollr-sandbox`: runs the in-memory Dollr API on `DOLLR_SANDBOX_ADDR` (default
//! 127.0.0.1:8788) until Ctrl-C or SIGTERM, answering the calls in flight first; Ctrl-C pressed
//! again stops it at once.

use std::net::SocketAddr;
use std::process::ExitCode;

/// What `dollr-sandbox --help` prints: every setting the README's "The sandbox" has.
const HELP: &str = "\
dollr-sandbox: an in-memory stand-in for the Dollr API, for development and tests. Nothing here
moves real money.

Usage: dollr-sandbox              serve, with the settings in the environment
       dollr-sandbox --help       this text
       dollr-sandbox --version    its version

Settings (environment):
  DOLLR_SANDBOX_ADDR              where it listens (default 127.0.0.1:8788)
  DOLLR_SANDBOX_CLIENT_ID, DOLLR_SANDBOX_CLIENT_SECRET
                                  the credentials it accepts (sandbox_client, sandbox_secret)
  DOLLR_SANDBOX_TOKEN_TTL_SECS    how long an access token lasts (default 3600)
  DOLLR_SANDBOX_SHORT_DELAY_MS    the wait before a payment's ordinary outcome (default 3000)
  DOLLR_SANDBOX_LONG_DELAY_MS     the wait of the slow test number (default 60000)
  DOLLR_SANDBOX_SESSION_TTL_SECS  how long a checkout session lasts (default 900)
  RUST_LOG                        how much the log says (default info)
  DOLLR_LOG_FORMAT                text (default) or json

Exit status: 0 stopped, 1 could not start (its address taken), 2 a setting or argument to fix,
130 Ctrl-C pressed twice. The README's \"The sandbox\" has its test numbers and cards.
";

#[tokio::main]
async fn main() -> ExitCode {
    if let Some(answered) = dollr_sandbox::answer_command_line(
        "dollr-sandbox",
        env!("CARGO_PKG_VERSION"),
        HELP,
        std::env::args_os().skip(1),
    ) {
        return answered;
    }
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
