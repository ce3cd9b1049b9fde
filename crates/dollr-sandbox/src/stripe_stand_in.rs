//! Serves the Stripe.js stand-in (`assets/stripe-stand-in.js`) so card and 3-D Secure flows run
//! without Stripe's servers. Sandbox only: production always loads Stripe.js from Stripe.

use axum::http::header;
use axum::response::IntoResponse;

/// The script itself.
pub const SCRIPT: &str = include_str!("../assets/stripe-stand-in.js");

/// `GET /__sandbox/stripe.js`.
pub async fn script() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/javascript; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        SCRIPT,
    )
}
