//! Proxy configuration from the environment. With no Dollr credentials the proxy runs against
//! an embedded sandbox (the local default); with them it talks to Dollr.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Where the proxy sends Dollr calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Upstream {
    /// Real Dollr (or any compatible server) with these credentials.
    Dollr {
        /// Base URL, e.g. `https://api.heydollr.app`.
        base_url: String,
        /// Client id.
        client_id: String,
        /// Client secret.
        client_secret: String,
    },
    /// A sandbox started in-process on this address.
    EmbeddedSandbox {
        /// Where it listens (`DOLLR_SANDBOX_ADDR`, default 127.0.0.1:8788).
        addr: SocketAddr,
    },
    /// A sandbox already running elsewhere (`DOLLR_SANDBOX_URL`): sandbox mode, not embedded.
    ExternalSandbox {
        /// Its base URL.
        base_url: String,
    },
}

/// Everything the proxy needs.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where Dollr is.
    pub upstream: Upstream,
    /// The secret grants are signed with (`DOLLR_GRANT_SECRET`).
    pub grant_secret: String,
    /// Origins (scheme://host:port) allowed to call cross-origin (`DOLLR_ALLOWED_ORIGINS`,
    /// comma-separated). Same-origin calls are always allowed.
    pub allowed_origins: Vec<String>,
    /// Listen address (`DOLLR_PROXY_ADDR`, default 127.0.0.1:8787).
    pub listen: SocketAddr,
    /// Stripe publishable key (`STRIPE_PUBLISHABLE_KEY`); cards are offered only with one.
    pub stripe_publishable_key: Option<String>,
    /// A directory of static files to serve beside the API (`DOLLR_PROXY_STATIC_DIR`).
    pub static_dir: Option<PathBuf>,
    /// Timeout of one Dollr call (`DOLLR_TIMEOUT_SECS`, default 20).
    pub dollr_timeout: Duration,
    /// How many calls a minute one checkout may make (`DOLLR_CALLS_PER_MINUTE`, default
    /// [`CALLS_PER_MINUTE`]; 0 for no limit): see [`crate::call_limit`].
    pub calls_per_minute: u32,
}

/// The calls a minute one checkout may make unless `DOLLR_CALLS_PER_MINUTE` says otherwise.
pub const CALLS_PER_MINUTE: u32 = 120;

/// The grant secret used in sandbox mode when none is configured. Never valid with real Dollr.
pub const SANDBOX_GRANT_SECRET: &str = "sandbox-grant-secret-not-for-production-use";

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn addr(name: &str, default: &str) -> Result<SocketAddr, String> {
    let text = var(name).unwrap_or_else(|| default.to_owned());
    text.parse()
        .map_err(|_| format!("{name} must be host:port, got {text:?}"))
}

/// One entry of `DOLLR_ALLOWED_ORIGINS` as browsers send it in `Origin` (`scheme://host[:port]`,
/// lower case, no path): an entry that could never match one (`shop.example`, a path, a
/// wildcard) stops the proxy with a sentence saying so, instead of refusing that shop's pages.
fn origin(entry: &str) -> Result<String, String> {
    let lower = entry.trim_end_matches('/').to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match host {
        Some(host)
            if !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b)) =>
        {
            Ok(lower)
        }
        _ => Err(format!(
            "DOLLR_ALLOWED_ORIGINS: {entry:?} is not an origin; write each as scheme://host[:port], without a path, e.g. https://shop.example"
        )),
    }
}

/// `DOLLR_BASE_URL` as given, or Dollr's own: an `https` URL, as the proxy sends it the client
/// secret; plain `http` only to this machine (a stand-in for Dollr on a loopback address).
fn dollr_base_url(value: Option<String>) -> Result<String, String> {
    let Some(base_url) = value else {
        return Ok("https://api.heydollr.app".into());
    };
    let url = reqwest::Url::parse(&base_url).map_err(|_| {
        format!("DOLLR_BASE_URL: {base_url:?} is not a URL; write it as https://host[/path]")
    })?;
    match url.scheme() {
        "https" => Ok(base_url),
        "http" if on_this_machine(&url) => Ok(base_url),
        _ => Err("DOLLR_BASE_URL must be an https:// URL, as the proxy sends it the client secret (http:// only to this machine: localhost, 127.0.0.1 or [::1])".into()),
    }
}

/// Whether `url`'s host is a loopback address: `localhost`, `127.0.0.0/8` or `[::1]`.
fn on_this_machine(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `STRIPE_PUBLISHABLE_KEY` as given, when it is one (`pk_live_…`, `pk_test_…`): the proxy sends
/// it to every payer's browser, so a secret or restricted key there (`sk_…`, `rk_…`, which can
/// move money) stops the proxy. The value is never repeated.
fn publishable_key(key: String) -> Result<String, String> {
    if key.starts_with("pk_live_") || key.starts_with("pk_test_") {
        Ok(key)
    } else if key.starts_with("sk_") || key.starts_with("rk_") {
        Err("STRIPE_PUBLISHABLE_KEY holds a Stripe secret or restricted key (sk_… or rk_…), which would be sent to every payer's browser: set the publishable key (pk_live_… or pk_test_…), and roll the secret key if a proxy ever served it".into())
    } else {
        Err("STRIPE_PUBLISHABLE_KEY is not a Stripe publishable key: it starts with pk_live_ or pk_test_".into())
    }
}

impl Config {
    /// Reads the environment; an incomplete or malformed setting is an error that names it.
    pub fn from_env() -> Result<Config, String> {
        let client_id = var("DOLLR_CLIENT_ID");
        let client_secret = var("DOLLR_CLIENT_SECRET");
        let upstream =
            match (client_id, client_secret) {
                (Some(client_id), Some(client_secret)) => Upstream::Dollr {
                    base_url: dollr_base_url(var("DOLLR_BASE_URL"))?,
                    client_id,
                    client_secret,
                },
                (None, None) => match var("DOLLR_SANDBOX_URL") {
                    Some(base_url) => Upstream::ExternalSandbox { base_url },
                    None => Upstream::EmbeddedSandbox {
                        addr: addr("DOLLR_SANDBOX_ADDR", "127.0.0.1:8788")?,
                    },
                },
                _ => return Err(
                    "set both DOLLR_CLIENT_ID and DOLLR_CLIENT_SECRET, or neither for the sandbox"
                        .into(),
                ),
            };
        let is_live = matches!(upstream, Upstream::Dollr { .. });
        let grant_secret = match var("DOLLR_GRANT_SECRET") {
            // Anyone can read it here, and so mint grants for any of the merchant's orders.
            Some(secret) if is_live && secret == SANDBOX_GRANT_SECRET => {
                return Err("DOLLR_GRANT_SECRET is the sandbox's, which anyone can read in this proxy's source: with Dollr credentials, set a secret of your own (for instance from `openssl rand -base64 48`)".into())
            }
            Some(secret) if secret.len() >= 32 => secret,
            Some(_) => return Err("DOLLR_GRANT_SECRET must be at least 32 characters".into()),
            None if is_live => {
                return Err("DOLLR_GRANT_SECRET is required with Dollr credentials".into())
            }
            None => SANDBOX_GRANT_SECRET.into(),
        };
        let allowed_origins = var("DOLLR_ALLOWED_ORIGINS")
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(origin)
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        // Zero would give every Dollr call up before it starts: every payment would fail.
        let timeout = match var("DOLLR_TIMEOUT_SECS") {
            Some(t) => t.parse::<u64>().ok().filter(|&secs| secs > 0).ok_or_else(|| {
                format!("DOLLR_TIMEOUT_SECS must be a whole number of seconds, 1 or more, not {t:?}")
            })?,
            None => 20,
        };
        let calls_per_minute = match var("DOLLR_CALLS_PER_MINUTE") {
            Some(n) => n.parse::<u32>().map_err(|_| {
                format!("DOLLR_CALLS_PER_MINUTE must be a whole number of calls, or 0 for no limit, not {n:?}")
            })?,
            None => CALLS_PER_MINUTE,
        };
        Ok(Config {
            upstream,
            grant_secret,
            allowed_origins,
            listen: addr("DOLLR_PROXY_ADDR", "127.0.0.1:8787")?,
            stripe_publishable_key: var("STRIPE_PUBLISHABLE_KEY")
                .map(publishable_key)
                .transpose()?,
            static_dir: var("DOLLR_PROXY_STATIC_DIR").map(PathBuf::from),
            dollr_timeout: Duration::from_secs(timeout),
            calls_per_minute,
        })
    }

    /// The allowed origins whose pages are served over plain `http` from another machine, in
    /// live mode: their grants, and the page that takes the payer's number, travel unprotected.
    pub fn plain_http_origins(&self) -> Vec<&str> {
        if self.is_sandbox() {
            return Vec::new();
        }
        self.allowed_origins
            .iter()
            .filter(|origin| {
                reqwest::Url::parse(origin)
                    .is_ok_and(|url| url.scheme() == "http" && !on_this_machine(&url))
            })
            .map(String::as_str)
            .collect()
    }

    /// True unless talking to real Dollr.
    pub fn is_sandbox(&self) -> bool {
        !matches!(self.upstream, Upstream::Dollr { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::{dollr_base_url, origin, publishable_key};

    #[test]
    fn dollr_is_reached_over_https_or_on_this_machine_only() {
        assert_eq!(
            dollr_base_url(None).as_deref(),
            Ok("https://api.heydollr.app")
        );
        for url in [
            "https://api.heydollr.app",
            "https://dollr.example/api/",
            "http://127.0.0.1:8788",
            "http://localhost:8788",
            "http://[::1]:8788",
        ] {
            assert_eq!(dollr_base_url(Some(url.into())).as_deref(), Ok(url));
        }
        for url in [
            "http://api.heydollr.app",
            "http://10.0.0.5:8788",
            "ftp://dollr.example",
        ] {
            let refused = dollr_base_url(Some(url.into())).err().unwrap_or_default();
            assert!(
                refused.starts_with("DOLLR_BASE_URL must be an https:// URL"),
                "{url}: {refused}"
            );
        }
        let refused = dollr_base_url(Some("api.heydollr.app".into()))
            .err()
            .unwrap_or_default();
        assert!(
            refused.contains("\"api.heydollr.app\" is not a URL"),
            "{refused}"
        );
    }

    #[test]
    fn only_a_publishable_stripe_key_is_taken_and_a_secret_one_is_refused_unrepeated() {
        for key in ["pk_live_51Habc", "pk_test_51Habc"] {
            assert_eq!(publishable_key(key.into()), Ok(key.into()));
        }
        for key in [
            "sk_live_51Hsecret",
            "sk_test_51Hsecret",
            "rk_live_51Hsecret",
        ] {
            let refused = publishable_key(key.into()).err().unwrap_or_default();
            assert!(refused.contains("secret or restricted key"), "{refused}");
            assert!(!refused.contains("51Hsecret"), "{refused}");
        }
        for key in ["51Habc", "pk_51Habc", "whsec_51Habc"] {
            let refused = publishable_key(key.into()).err().unwrap_or_default();
            assert!(
                refused.contains("is not a Stripe publishable key"),
                "{refused}"
            );
            assert!(!refused.contains("51Habc"), "{refused}");
        }
    }

    #[test]
    fn allowed_origins_are_written_as_browsers_send_them_or_refused_with_a_reason() {
        for (entry, read) in [
            ("https://shop.example", "https://shop.example"),
            ("https://Shop.Example/", "https://shop.example"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://[::1]:8080", "http://[::1]:8080"),
        ] {
            assert_eq!(origin(entry).as_deref(), Ok(read), "{entry}");
        }
        for entry in [
            "shop.example",
            "https://shop.example/checkout",
            "https://*.shop.example",
            "*",
            "https://",
            "ftp://shop.example",
        ] {
            let refused = origin(entry).err().unwrap_or_default();
            assert!(
                refused.contains(&format!("{entry:?} is not an origin")),
                "{entry}: {refused}"
            );
        }
    }
}
