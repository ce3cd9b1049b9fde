//! Serving a directory of files beside the API (`DOLLR_PROXY_STATIC_DIR`): the demo shop, or a
//! merchant's copy of `dist/cdn`, with the caching the README recommends. A file whose name
//! carries its content hash (`dollr-checkout_bg.0123456789ab.wasm`) never changes, so browsers
//! keep it for a year without asking again. Pages are revalidated on every use. Any other file
//! (the loader, `dollr-checkout.js`, the one stable name a merchant's page links; the demo shop's
//! script and stylesheet) is fresh for five minutes and then used once more while the browser
//! revalidates it in the background, for up to a week: a returning payer's page does not wait a
//! round trip for each (0.6 s on a slow mobile network), and a new build reaches them on their
//! next page. Every file may be read from any origin (`Access-Control-Allow-Origin: *`): a page on
//! another origin fetches the widget's files with CORS, as modules, `fetch` and integrity
//! checks require; they are public. Each is sent `X-Content-Type-Options: nosniff`. A file with
//! a precompressed copy beside it (`FILE.br`, `FILE.gz`, written by release builds) is sent
//! compressed to a browser that accepts it.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;

/// `Cache-Control` of a content-addressed file.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of a page (HTML, or a directory's index).
pub const REVALIDATE: &str = "no-cache";
/// `Cache-Control` of every other file, such as the loader.
pub const REUSE: &str = "public, max-age=300, stale-while-revalidate=604800";

/// A router serving the files under `dir`, for use as the API router's fallback.
pub fn router(dir: &Path) -> Router {
    Router::new()
        .fallback_service(
            tower_http::services::ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(middleware::from_fn(file_headers))
}

async fn file_headers(request: Request, next: Next) -> Response {
    let policy = policy_for(request.uri().path());
    let mut response = next.run(request).await;
    // A 304 repeats what its 200 said, so a revalidated copy keeps its policy.
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        // The same URL is sent compressed or not depending on the request's Accept-Encoding.
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        // Each file is run or applied only as the type it is sent as: a script or stylesheet
        // sent as anything else is refused, not guessed at.
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    }
    response
}

/// The `Cache-Control` a file at `path` is sent with.
pub fn policy_for(path: &str) -> &'static str {
    if is_content_addressed(path) {
        IMMUTABLE
    } else if path.ends_with('/') || path.ends_with(".html") {
        REVALIDATE
    } else {
        REUSE
    }
}

/// Whether the last segment of `path` is `stem.HASH.ext`, HASH being 12 lowercase hex digits
/// (what `scripts/package.sh` writes).
pub fn is_content_addressed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplitn(3, '.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(ext), Some(hash), Some(stem)) => {
            !ext.is_empty()
                && !stem.is_empty()
                && hash.len() == 12
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{is_content_addressed, policy_for, IMMUTABLE, REUSE, REVALIDATE};

    #[test]
    fn hashed_files_are_kept_pages_revalidated_and_the_rest_reused_while_revalidated() {
        assert_eq!(
            policy_for("/cdn/dollr-checkout_bg.5e723d248d38.wasm"),
            IMMUTABLE
        );
        for path in ["/shop/", "/", "/shop/index.html", "/index.html"] {
            assert_eq!(policy_for(path), REVALIDATE, "{path}");
        }
        for path in [
            "/cdn/dollr-checkout.js",
            "/dollr-checkout.js",
            "/shop/shop.js",
            "/shop/shop.css",
        ] {
            assert_eq!(policy_for(path), REUSE, "{path}");
        }
    }

    #[test]
    fn only_names_carrying_a_content_hash_are_immutable() {
        assert!(is_content_addressed(
            "/cdn/dollr-checkout_bg.5e723d248d38.wasm"
        ));
        assert!(is_content_addressed(
            "/cdn/dollr-checkout-core.bc9e6499ed27.js"
        ));
        assert!(is_content_addressed("dollr-checkout.58837c940a6e.css"));
        for path in [
            "/cdn/dollr-checkout.js",
            "/shop/",
            "/shop/index.html",
            "/cdn/dollr-checkout_bg.5E723D248D38.wasm",
            "/cdn/dollr-checkout_bg.5e723d248d3.wasm",
            "/cdn/dollr-checkout_bg.5e723d248d38x.wasm",
            "/cdn/.5e723d248d38.wasm",
            "/cdn/dollr.5e723d248d38.",
            "/cdn/5e723d248d38.wasm",
        ] {
            assert!(!is_content_addressed(path), "{path}");
        }
    }
}
