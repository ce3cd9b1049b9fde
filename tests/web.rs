//! Headless-browser tier: the widget mounted into a fresh element in real Chromium, talking to
//! the real proxy and sandbox (started by `scripts/test.sh` on loopback ports, with this test
//! server's origin allowed).
#![cfg(target_arch = "wasm32")]
#![allow(missing_docs, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use dollr_checkout::embed::{mount, CheckoutHandle};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const PROXY: &str = match option_env!("DOLLR_TEST_PROXY") {
    Some(url) => url,
    None => "http://127.0.0.1:18797/api/dollr",
};

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

fn fresh_host() -> HtmlElement {
    let host = document()
        .create_element("div")
        .expect("div")
        .dyn_into::<HtmlElement>()
        .expect("html element");
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("appended");
    host
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("timeout");
    });
    JsFuture::from(promise).await.expect("slept");
}

/// The widget renders inside the host's shadow root.
fn root(host: &HtmlElement) -> web_sys::ShadowRoot {
    host.shadow_root()
        .expect("the widget attaches a shadow root")
}

/// Waits up to five seconds for `selector` inside the widget.
async fn wait_for(host: &HtmlElement, selector: &str) -> Element {
    for _ in 0..100 {
        if let Ok(Some(found)) = root(host).query_selector(selector) {
            return found;
        }
        sleep(50).await;
    }
    panic!(
        "{selector} never appeared; the widget holds: {}",
        root(host).inner_html()
    );
}

fn options(proxy: &str, grant: &str) -> wasm_bindgen::JsValue {
    let object = js_sys::Object::new();
    js_sys::Reflect::set(&object, &"proxy".into(), &proxy.into()).expect("set");
    js_sys::Reflect::set(&object, &"grant".into(), &grant.into()).expect("set");
    object.into()
}

async fn demo_grant() -> String {
    let response = gloo_net::http::Request::post(&format!("{PROXY}/dev/checkout"))
        .header("content-type", "application/json")
        .body(r#"{"currency":"USD"}"#)
        .expect("body")
        .send()
        .await
        .expect("the test proxy answers (scripts/test.sh starts it)");
    assert!(response.ok(), "demo order: HTTP {}", response.status());
    let body: serde_json::Value = response.json().await.expect("json");
    body["grant"].as_str().expect("grant").to_owned()
}

#[wasm_bindgen_test]
async fn shows_the_sandbox_invoice_from_the_proxy() {
    let grant = demo_grant().await;
    let host = fresh_host();
    let _handle = mount(host.clone(), options(PROXY, &grant));
    wait_for(&host, "[data-testid=order-summary]").await;
    let lines = root(&host)
        .query_selector_all("[data-testid=line-item]")
        .expect("lines");
    assert_eq!(lines.length(), 2);
    let total = wait_for(&host, "[data-testid=total]").await;
    assert_eq!(total.text_content().as_deref(), Some("$25.00"));
    // The live region exists from the first render and stays.
    assert!(root(&host)
        .query_selector("[role=status]")
        .expect("query")
        .is_some());
    // Style isolation: nothing of the widget is in the page's own DOM tree.
    assert_eq!(host.child_element_count(), 0);
}

#[wasm_bindgen_test]
async fn invalid_options_render_a_clear_message() {
    let host = fresh_host();
    let _handle = mount(host.clone(), options("", "a.b.c"));
    let alert = wait_for(&host, "[role=alert]").await;
    assert!(alert
        .text_content()
        .unwrap_or_default()
        .contains("not set up correctly"));
}

#[wasm_bindgen_test]
async fn an_unreachable_proxy_offers_a_retry() {
    let host = fresh_host();
    // Port 9 (discard) is closed on loopback: the fetch fails at once.
    let _handle = mount(host.clone(), options("http://127.0.0.1:9/api", "a.b.c"));
    let alert = wait_for(&host, "[role=alert]").await;
    assert!(alert
        .text_content()
        .unwrap_or_default()
        .contains("couldn't reach"));
    wait_for(&host, "[data-testid=retry]").await;
}

#[wasm_bindgen_test]
async fn unmount_leaves_the_host_empty() {
    let host = fresh_host();
    let mut handle: CheckoutHandle = mount(host.clone(), options("", ""));
    wait_for(&host, "[role=alert]").await;
    handle.unmount();
    assert_eq!(
        root(&host).child_element_count(),
        0,
        "left behind: {}",
        root(&host).inner_html()
    );
    assert_eq!(host.child_element_count(), 0);
}
