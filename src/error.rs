//! The widget's typed errors. Every failure the payer can meet is one of these kinds, and each
//! kind has a sentence in the translation table: no `Debug` output ever reaches the screen.

use dollr_api::widget::ErrorCode;

/// Something that went wrong, by kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WidgetError {
    /// The network failed or the proxy could not be reached.
    #[error("network error: {0}")]
    Network(String),
    /// The page's Content-Security-Policy refused to connect to this origin (the proxy's): its
    /// `connect-src` does not list it, so nothing was sent.
    #[error("the page's Content-Security-Policy refused to connect to {0}; add it to the policy's connect-src")]
    Refused(String),
    /// The proxy did not answer in time.
    #[error("request timed out")]
    Timeout,
    /// The proxy refused or failed the call.
    #[error("proxy answered {status} ({}): {message}", code.map_or("no code", ErrorCode::as_str))]
    Api {
        /// HTTP status.
        status: u16,
        /// The proxy's machine-readable code, when its body was understood.
        code: Option<ErrorCode>,
        /// The proxy's message, for the console.
        message: String,
        /// `Retry-After` seconds.
        retry_after: Option<u32>,
    },
    /// The proxy answered 2xx with something that is not the documented shape.
    #[error("unexpected answer from the proxy: {0}")]
    BadResponse(String),
    /// The host page gave invalid options.
    #[error("invalid option `{field}`: {reason}")]
    InvalidOptions {
        /// The option at fault.
        field: String,
        /// Why.
        reason: String,
    },
    /// The request was cancelled (the widget was unmounted).
    #[error("cancelled")]
    Cancelled,
    /// A bug: a state the widget should never reach.
    #[error("internal error: {0}")]
    Internal(String),
}

impl WidgetError {
    /// True when trying the same request again may succeed (network trouble, 5xx, 429), and for
    /// a request the page's policy refused: it is sent again alike once the page allows it (a
    /// payment keeps its reference).
    pub fn is_transient(&self) -> bool {
        match self {
            WidgetError::Network(_) | WidgetError::Timeout | WidgetError::Refused(_) => true,
            WidgetError::Api { status, .. } => *status == 429 || *status >= 500,
            _ => false,
        }
    }
}
