//! Fault injection (`POST /__sandbox/faults`): arm a fault for the next N calls of a route to
//! rehearse what a real network does to a payment: delays, 500s before or after the money
//! moved, a connection dropped after the work was done, 429 with `Retry-After`, a token that
//! expires early; and amounts as a server computing in binary floating point sends them.

use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Sandbox;

/// What happens to a matched call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Wait this long, then handle normally.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// Answer 500 without doing the work.
    ErrorBefore,
    /// Do the work, then answer 500 (the money moved; the caller never heard).
    ErrorAfter,
    /// Do the work, then break the connection mid-response.
    DropAfter,
    /// Answer 429 with `Retry-After`.
    RateLimit {
        /// Seconds.
        retry_after: u64,
    },
    /// Expire every token issued so far, then handle normally (the call gets 401).
    ExpireToken,
    /// Handle normally, then send each amount as a server computing in binary floating point and
    /// with Python's `Decimal` could: a number as the float just above it (`25.63` as
    /// `25.630000000000003`, `25` as `25.000000000000004`), a string with a digit far past the
    /// cents (`"25.63"` as `"25.63000000000000000000000000001"`), and a zero string as `"0E-8"`.
    /// See [`AMOUNT_FIELDS`].
    NoisyAmounts,
}

/// The fields of Dollr's answers that carry an amount or a rate, at any depth.
pub const AMOUNT_FIELDS: [&str; 8] = [
    "amount",
    "total_amount",
    "payer_amount",
    "payee_amount",
    "platform_fee",
    "gateway_fee",
    "fx_fee",
    "fx_rate",
];

/// One armed fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// Route to match: a path suffix after `/v1/`, e.g. `executions/collection`, or `*`.
    pub route: String,
    /// What to do.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// How many calls it applies to.
    #[serde(default = "one")]
    pub count: u32,
}

fn one() -> u32 {
    1
}

/// The armed faults.
#[derive(Default)]
pub struct Faults {
    armed: Mutex<Vec<Fault>>,
}

impl Faults {
    /// Arms a fault.
    pub fn arm(&self, fault: Fault) {
        self.lock().push(fault);
    }

    /// Disarms everything.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// What is armed now.
    pub fn list(&self) -> Vec<Fault> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.armed.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes one use of the first fault matching `path`.
    fn take(&self, path: &str) -> Option<FaultKind> {
        let route = path.strip_prefix("/v1/")?;
        let mut armed = self.lock();
        let index = armed
            .iter()
            .position(|f| f.route == "*" || route.starts_with(f.route.as_str()))?;
        let kind = armed[index].kind.clone();
        armed[index].count = armed[index].count.saturating_sub(1);
        if armed[index].count == 0 {
            armed.remove(index);
        }
        Some(kind)
    }
}

fn server_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        axum::Json(serde_json::json!({"detail": "Internal Server Error"})),
    )
        .into_response()
}

/// Middleware applying armed faults to `/v1` calls.
pub async fn apply(State(sandbox): State<Sandbox>, request: Request, next: Next) -> Response {
    let Some(kind) = sandbox.faults().take(request.uri().path()) else {
        return next.run(request).await;
    };
    match kind {
        FaultKind::Delay { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        FaultKind::ErrorBefore => server_error(),
        FaultKind::ErrorAfter => {
            let _done = next.run(request).await;
            server_error()
        }
        FaultKind::DropAfter => {
            let done = next.run(request).await;
            let (mut parts, _) = done.into_parts();
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            let broken = futures_util::stream::once(async {
                Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "sandbox fault: connection dropped",
                ))
            });
            Response::from_parts(parts, Body::from_stream(broken))
        }
        FaultKind::RateLimit { retry_after } => {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                axum::Json(serde_json::json!({"detail": "Too many requests"})),
            )
                .into_response();
            if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, value);
            }
            response
        }
        FaultKind::ExpireToken => {
            sandbox.store().tokens.clear();
            next.run(request).await
        }
        FaultKind::NoisyAmounts => {
            let (mut parts, body) = next.run(request).await.into_parts();
            let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
                return server_error();
            };
            let Ok(mut answer) = serde_json::from_slice::<Value>(&bytes) else {
                return Response::from_parts(parts, Body::from(bytes));
            };
            add_noise(&mut answer);
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(answer.to_string()))
        }
    }
}

/// Changes each amount in `value` as [`FaultKind::NoisyAmounts`] says; nothing else.
fn add_noise(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                match field {
                    Value::Number(_) | Value::String(_)
                        if AMOUNT_FIELDS.contains(&name.as_str()) =>
                    {
                        *field = noisy(field);
                    }
                    _ => add_noise(field),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(add_noise),
        _ => {}
    }
}

/// One amount, as [`FaultKind::NoisyAmounts`] says. A zero number, and what is not an amount,
/// stay as they are.
fn noisy(amount: &Value) -> Value {
    match amount {
        Value::Number(n) => match n.as_f64() {
            Some(f) if f != 0.0 => serde_json::json!(f.next_up()),
            _ => amount.clone(),
        },
        Value::String(text) => match text.parse::<dollr_api::Decimal>() {
            // Python's `Decimal` writes a zero with eight decimals so.
            Ok(zero) if zero.is_zero() => Value::String("0E-8".into()),
            Ok(_) => {
                let point = if text.contains('.') { "" } else { "." };
                Value::String(format!("{text}{point}000000000000000000000000001"))
            }
            Err(_) => amount.clone(),
        },
        _ => amount.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn noise_changes_amounts_alone() {
        let mut answer = json!({
            "id": 7,
            "total_amount": 25,
            "currency": "USD",
            "items": [{"amount": 18.5, "qty": 1}],
            "pricing": {"payer_amount": "4750", "fx_rate": "190", "fx_fee": "0", "platform_fee": 0},
            "note": "25.63",
        });
        add_noise(&mut answer);
        assert_eq!(
            answer.to_string(),
            json!({
                "id": 7,
                "total_amount": 25.000000000000004,
                "currency": "USD",
                "items": [{"amount": 18.500000000000004, "qty": 1}],
                "pricing": {
                    "payer_amount": "4750.000000000000000000000000001",
                    "fx_rate": "190.000000000000000000000000001",
                    "fx_fee": "0E-8",
                    "platform_fee": 0,
                },
                "note": "25.63",
            })
            .to_string()
        );
    }
}
