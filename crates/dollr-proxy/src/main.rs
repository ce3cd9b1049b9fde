//! `dollr-proxy`: the merchant proxy. Configured from the environment (see the README); with no
//! Dollr credentials it starts the sandbox in-process and says so in its first log line.

use std::process::ExitCode;

use dollr_proxy::config::{Config, Upstream};

/// What `dollr-proxy --help` prints: every setting the README's table has, in short.
const HELP: &str = "\
dollr-proxy: the Dollr checkout widget's proxy. It keeps your Dollr credentials on this server
and answers the widget under /api/dollr; with no credentials it runs the sandbox in-process.

Usage: dollr-proxy              serve, with the settings in the environment
       dollr-proxy --help       this text
       dollr-proxy --version    its version

Settings (environment):
  DOLLR_CLIENT_ID, DOLLR_CLIENT_SECRET
                          Dollr credentials; with neither, sandbox mode (no real money moves)
  DOLLR_GRANT_SECRET      HS256 secret for grants, 32 characters or more (needed with credentials)
  DOLLR_BASE_URL          Dollr's API, https:// (default https://api.heydollr.app)
  STRIPE_PUBLISHABLE_KEY  pk_live_... or pk_test_...: offers cards in live mode
  DOLLR_ALLOWED_ORIGINS   origins that may call cross-origin, scheme://host[:port], comma-separated
  DOLLR_PROXY_ADDR        where it listens (default 127.0.0.1:8787)
  DOLLR_TIMEOUT_SECS      how long one call to Dollr may take, in seconds (default 20)
  DOLLR_CALLS_PER_MINUTE  how many calls a minute one checkout may make (default 120; 0: no limit)
  DOLLR_SANDBOX_URL       an already running sandbox to use instead of starting one
  DOLLR_SANDBOX_ADDR      where the in-process sandbox listens (default 127.0.0.1:8788)
  DOLLR_PROXY_STATIC_DIR  also serve these files
  RUST_LOG                how much the log says (default info)
  DOLLR_LOG_FORMAT        text (default) or json

Health: GET /healthz at its root. Exit status: 0 stopped, 1 could not start (its address taken),
2 a setting or argument to fix, 130 Ctrl-C pressed twice. The README's \"The proxy\" has each
setting in full.
";

#[tokio::main]
async fn main() -> ExitCode {
    if let Some(answered) = dollr_sandbox::answer_command_line(
        "dollr-proxy",
        env!("CARGO_PKG_VERSION"),
        HELP,
        std::env::args_os().skip(1),
    ) {
        return answered;
    }
    if let Err(message) = dollr_sandbox::init_logging() {
        eprintln!("dollr-proxy: {message}");
        return ExitCode::from(2);
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(message) => {
            eprintln!("dollr-proxy: {message}");
            return ExitCode::from(2);
        }
    };
    let started = match dollr_proxy::start(&config).await {
        Ok(s) => s,
        Err(message) => {
            eprintln!("dollr-proxy: {message}");
            return ExitCode::from(1);
        }
    };
    match &config.upstream {
        Upstream::EmbeddedSandbox { .. } => tracing::info!(
            "SANDBOX MODE: no Dollr credentials set, using the embedded sandbox at {} (no real money moves)",
            started.dollr_base_url
        ),
        Upstream::ExternalSandbox { .. } => tracing::info!(
            "SANDBOX MODE: using the sandbox at {} (no real money moves)",
            started.dollr_base_url
        ),
        Upstream::Dollr { .. } => tracing::info!("LIVE MODE: talking to Dollr at {}", started.dollr_base_url),
    }
    for origin in config.plain_http_origins() {
        tracing::warn!(
            "DOLLR_ALLOWED_ORIGINS lists {origin}, a page served over plain http: its grants and the page that takes the payer's details can be read and changed on their way; serve it over https"
        );
    }
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(l) => l,
        Err(error) => {
            eprintln!("dollr-proxy: cannot listen on {}: {error}", config.listen);
            return ExitCode::from(1);
        }
    };
    tracing::info!(
        "dollr-proxy listening on http://{}{}",
        config.listen,
        dollr_proxy::API_PREFIX
    );
    // Credentials Dollr refuses are said now, not at the first payer's call; the proxy keeps
    // running, and `GET /healthz` answers 503 until they work.
    let health = started.health.clone();
    tokio::spawn(async move { health.problem().await });
    let payments = started.payments.clone();
    let served = axum::serve(
        dollr_sandbox::without_delay(listener),
        started.router.clone(),
    )
    .with_graceful_shutdown(async move {
        dollr_sandbox::shutdown_signal().await;
        tokio::spawn(dollr_sandbox::exit_at_second_ctrl_c(move || {
            leaving(&payments)
        }));
    })
    .await;
    // The embedded sandbox, when it is Dollr, answers them too: it stops after them.
    started.finish_payments().await;
    drop(started);
    if let Err(error) = served {
        eprintln!("dollr-proxy: {error}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// What the proxy logs as Ctrl-C pressed again stops it without waiting for the payments in flight
/// ([`dollr_sandbox::exit_at_second_ctrl_c`]). Each payment cut off so is as safe as after a
/// crash: the widget asks again with the same `reference_id`, and the proxy asks Dollr whether it
/// went through before sending anything.
fn leaving(payments: &tokio_util::task::TaskTracker) {
    tracing::warn!(
        count = payments.len(),
        "Ctrl-C again: stopping now, without waiting for the payments in flight (each is settled by asking Dollr when its payer tries again)"
    );
}
