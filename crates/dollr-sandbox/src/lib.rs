//! An in-memory Dollr API for local development and tests: the same paths under `/v1`, the same
//! JSON shapes, validation (422 `detail`), auth (401), statuses over time, idempotency on
//! `reference_id`, receipts, deterministic scenarios, fault injection and a ledger.
//!
//! `app(Sandbox::new(config))` is the whole server as a [`Router`]; [`spawn`] runs it on a
//! loopback port for tests and for the proxy's embedded mode.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;

pub mod faults;
mod logging;
mod routes;
pub mod scenarios;
mod serving;
pub mod store;
pub mod stripe_stand_in;
pub mod time;
pub mod validation;

use faults::Faults;
pub use logging::init_logging;
pub use serving::{answer_command_line, exit_at_second_ctrl_c, shutdown_signal, without_delay};
use store::{Delays, Store};

/// How the sandbox behaves; every field has an environment variable (see [`Config::from_env`]).
#[derive(Clone, Debug)]
pub struct Config {
    /// Accepted client id (`DOLLR_SANDBOX_CLIENT_ID`, default `sandbox_client`).
    pub client_id: String,
    /// Accepted client secret (`DOLLR_SANDBOX_CLIENT_SECRET`, default `sandbox_secret`).
    pub client_secret: String,
    /// Token lifetime (`DOLLR_SANDBOX_TOKEN_TTL_SECS`, default 3600).
    pub token_ttl: Duration,
    /// Short delay before an ordinary outcome (`DOLLR_SANDBOX_SHORT_DELAY_MS`, default 3000).
    pub short_delay: Duration,
    /// Delay of the slow scenario (`DOLLR_SANDBOX_LONG_DELAY_MS`, default 60000).
    pub long_delay: Duration,
    /// Lifetime of a checkout session (`DOLLR_SANDBOX_SESSION_TTL_SECS`, default 900).
    pub session_ttl: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            client_id: "sandbox_client".into(),
            client_secret: "sandbox_secret".into(),
            token_ttl: Duration::from_secs(3600),
            short_delay: Duration::from_millis(3000),
            long_delay: Duration::from_millis(60_000),
            session_ttl: Duration::from_secs(900),
        }
    }
}

fn env_number(name: &str) -> Result<Option<u64>, String> {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| format!("{name} must be a whole number, got {text:?}")),
        Err(_) => Ok(None),
    }
}

impl Config {
    /// Reads the environment over the defaults; a malformed number is an error naming it.
    pub fn from_env() -> Result<Config, String> {
        let mut config = Config::default();
        if let Ok(id) = std::env::var("DOLLR_SANDBOX_CLIENT_ID") {
            config.client_id = id;
        }
        if let Ok(secret) = std::env::var("DOLLR_SANDBOX_CLIENT_SECRET") {
            config.client_secret = secret;
        }
        if let Some(s) = env_number("DOLLR_SANDBOX_TOKEN_TTL_SECS")? {
            config.token_ttl = Duration::from_secs(s);
        }
        if let Some(ms) = env_number("DOLLR_SANDBOX_SHORT_DELAY_MS")? {
            config.short_delay = Duration::from_millis(ms);
        }
        if let Some(ms) = env_number("DOLLR_SANDBOX_LONG_DELAY_MS")? {
            config.long_delay = Duration::from_millis(ms);
        }
        if let Some(s) = env_number("DOLLR_SANDBOX_SESSION_TTL_SECS")? {
            config.session_ttl = Duration::from_secs(s);
        }
        Ok(config)
    }

    /// The status timing.
    pub fn delays(&self) -> Delays {
        Delays {
            short: self.short_delay,
            long: self.long_delay,
        }
    }
}

/// Shared state of one sandbox: cheap to clone, safe under concurrent requests (one lock,
/// never held across an await).
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    store: Mutex<Store>,
    faults: Faults,
    /// `/v1` calls being answered now.
    in_flight: AtomicUsize,
}

impl Sandbox {
    /// A sandbox with empty books.
    pub fn new(config: Config) -> Sandbox {
        Sandbox {
            inner: Arc::new(Inner {
                config,
                store: Mutex::new(Store::default()),
                faults: Faults::default(),
                in_flight: AtomicUsize::new(0),
            }),
        }
    }

    /// Its configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The books, locked. A poisoned lock is recovered: the store holds plain data and every
    /// mutation is completed before the lock is released.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.inner
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Armed faults.
    pub fn faults(&self) -> &Faults {
        &self.inner.faults
    }

    /// How many `/v1` calls are being answered now: those a `delay` fault holds, when the
    /// sandbox is asked to stop.
    pub fn calls_in_flight(&self) -> usize {
        self.inner.in_flight.load(Ordering::Relaxed)
    }

    /// Counts one `/v1` call as in flight until the guard is dropped.
    pub(crate) fn call_started(&self) -> InFlight {
        self.inner.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self.clone())
    }
}

/// One `/v1` call being answered ([`Sandbox::call_started`]); dropped when it is answered or its
/// caller has gone.
pub(crate) struct InFlight(Sandbox);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.inner.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The sandbox as a router: Dollr's `/v1` API plus the `/__sandbox` test hooks.
pub fn app(sandbox: Sandbox) -> Router {
    routes::router(sandbox)
}

/// A sandbox running on a loopback port.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its state, for tests that look at the books directly.
    pub sandbox: Sandbox,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Binds `addr` (port 0 for any free port) and serves the sandbox in a background task.
pub async fn spawn(config: Config, addr: SocketAddr) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let sandbox = Sandbox::new(config);
    let router = app(sandbox.clone());
    let task = tokio::spawn(async move {
        if let Err(error) = axum::serve(without_delay(listener), router).await {
            tracing::error!(%error, "sandbox server stopped");
        }
    });
    Ok(Running {
        addr,
        sandbox,
        task,
    })
}
