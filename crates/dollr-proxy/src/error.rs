//! The proxy's one error type. Every refusal answers with the widget API's error body and a
//! status; nothing internal (Dollr tokens, secrets, upstream bodies) reaches the client.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dollr_api::widget::{ApiErrorBody, ApiErrorDetail, ErrorCode};

use crate::dollr_client::DollrError;
use crate::grant::GrantError;

/// A refused or failed widget call.
#[derive(Debug)]
pub struct ProxyError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    field: Option<String>,
    retry_after: Option<u64>,
}

impl ProxyError {
    /// A new error.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> ProxyError {
        ProxyError {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    /// 400 on one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> ProxyError {
        let mut e = ProxyError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, message);
        e.field = Some(field.to_owned());
        e
    }

    /// 403: the grant does not cover this.
    pub fn forbidden(message: impl Into<String>) -> ProxyError {
        ProxyError::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    /// 429: called too often; the caller may call again in `retry_after` seconds.
    pub fn rate_limited(retry_after: u64, message: impl Into<String>) -> ProxyError {
        let mut e = ProxyError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            message,
        );
        e.retry_after = Some(retry_after);
        e
    }

    /// 404 for paths outside the allow-list.
    pub fn not_found() -> ProxyError {
        ProxyError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            "No such endpoint",
        )
    }

    /// Maps a Dollr failure to what the widget may know: 422 details become a 400 with the
    /// summary (they describe the widget's input), refused client credentials or a base URL
    /// where Dollr is not a 503 `misconfigured` (the merchant's to fix), everything else an
    /// opaque upstream error.
    pub fn from_dollr(error: DollrError) -> ProxyError {
        tracing::warn!(%error, "Dollr call failed");
        match error {
            DollrError::Status { status, detail, .. }
                if status == StatusCode::UNPROCESSABLE_ENTITY =>
            {
                ProxyError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, detail)
            }
            DollrError::Status { status, detail, .. } if status == StatusCode::CONFLICT => {
                ProxyError::new(StatusCode::CONFLICT, ErrorCode::Conflict, detail)
            }
            DollrError::Status { status, .. } if status == StatusCode::NOT_FOUND => {
                ProxyError::new(
                    StatusCode::NOT_FOUND,
                    ErrorCode::NotFound,
                    "Not found at Dollr",
                )
            }
            DollrError::Status {
                status,
                retry_after,
                ..
            } if status == StatusCode::TOO_MANY_REQUESTS => ProxyError::rate_limited(
                retry_after.unwrap_or(1),
                "Dollr is rate limiting; retry later",
            ),
            DollrError::Credentials | DollrError::NotDollr(_) => ProxyError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Misconfigured,
                error.setting_to_fix().unwrap_or_default(),
            ),
            _ => ProxyError::new(
                StatusCode::BAD_GATEWAY,
                ErrorCode::Upstream,
                "Dollr could not be reached",
            ),
        }
    }
}

impl From<GrantError> for ProxyError {
    fn from(error: GrantError) -> ProxyError {
        match error {
            GrantError::Expired => ProxyError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::GrantExpired,
                "The grant has expired",
            ),
            other => ProxyError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::InvalidGrant,
                other.to_string(),
            ),
        }
    }
}

impl IntoResponse for ProxyError {
    fn into_response(self) -> Response {
        let body = ApiErrorBody {
            error: ApiErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}
