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
    let _handle = mount(
        host.clone(),
        options(PROXY, &grant),
        wasm_bindgen::JsValue::UNDEFINED,
        wasm_bindgen::JsValue::UNDEFINED,
    );
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

/// The loader's `{ url, grant, response, answer }` for an order request it started at mount.
fn loader_summary(url: &str, grant: &str, answer: Option<(u16, &str)>) -> wasm_bindgen::JsValue {
    let object = js_sys::Object::new();
    let set = |key: &str, value: &wasm_bindgen::JsValue| {
        js_sys::Reflect::set(&object, &key.into(), value).expect("set");
    };
    set("url", &url.into());
    set("grant", &grant.into());
    // A request still on its way, as far as the widget can tell.
    set("response", &js_sys::Promise::new(&mut |_, _| {}).into());
    if let Some((status, body)) = answer {
        let settled = js_sys::Object::new();
        js_sys::Reflect::set(&settled, &"status".into(), &status.into()).expect("set");
        js_sys::Reflect::set(&settled, &"body".into(), &body.into()).expect("set");
        set("answer", &settled.into());
    }
    object.into()
}

/// An order the loader had already read when the widget started is the widget's first screen:
/// the form is there as soon as `mount` returns, with no "Loading" drawn before it, and no
/// request of its own (the loader's request never settles here).
#[wasm_bindgen_test]
async fn an_order_already_answered_is_the_first_screen() {
    let grant = demo_grant().await;
    let url = format!("{PROXY}/v1/checkout");
    let response = gloo_net::http::Request::get(&url)
        .header("Authorization", &format!("Bearer {grant}"))
        .send()
        .await
        .expect("the order");
    let body = response.text().await.expect("body");
    let host = fresh_host();
    let _handle = mount(
        host.clone(),
        options(PROXY, &grant),
        loader_summary(&url, &grant, Some((200, &body))),
        wasm_bindgen::JsValue::UNDEFINED,
    );
    let shown = |selector: &str| {
        root(&host)
            .query_selector(selector)
            .expect("query")
            .is_some()
    };
    assert!(shown("[data-testid=phone]"), "{}", root(&host).inner_html());
    assert!(!shown("[data-testid=loading]"));
    let total = wait_for(&host, "[data-testid=total]").await;
    assert_eq!(total.text_content().as_deref(), Some("$25.00"));

    // Without the answer, the same request on its way: "Loading" until it comes.
    let waiting = fresh_host();
    let _handle = mount(
        waiting.clone(),
        options(PROXY, &grant),
        loader_summary(&url, &grant, None),
        wasm_bindgen::JsValue::UNDEFINED,
    );
    sleep(300).await;
    assert!(root(&waiting)
        .query_selector("[data-testid=loading]")
        .expect("query")
        .is_some());

    // An answer the loader read for another grant is not this widget's: it asks for itself.
    let other = fresh_host();
    let _handle = mount(
        other.clone(),
        options(PROXY, &grant),
        loader_summary(&url, "another.grant.x", Some((200, &body))),
        wasm_bindgen::JsValue::UNDEFINED,
    );
    assert!(root(&other)
        .query_selector("[data-testid=loading]")
        .expect("query")
        .is_some());
    wait_for(&other, "[data-testid=phone]").await;
}

#[wasm_bindgen_test]
async fn invalid_options_render_a_clear_message() {
    let host = fresh_host();
    let _handle = mount(
        host.clone(),
        options("", "a.b.c"),
        wasm_bindgen::JsValue::UNDEFINED,
        wasm_bindgen::JsValue::UNDEFINED,
    );
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
    let _handle = mount(
        host.clone(),
        options("http://127.0.0.1:9/api", "a.b.c"),
        wasm_bindgen::JsValue::UNDEFINED,
        wasm_bindgen::JsValue::UNDEFINED,
    );
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
    let mut handle: CheckoutHandle = mount(
        host.clone(),
        options("", ""),
        wasm_bindgen::JsValue::UNDEFINED,
        wasm_bindgen::JsValue::UNDEFINED,
    );
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

/// The proxy's answers are read without serde: exact amounts from strings and from JSON numbers,
/// and an answer of the wrong shape is refused with the field at fault named.
#[wasm_bindgen_test]
fn answers_are_read_exactly_and_bad_shapes_name_the_field() {
    use dollr_api::widget::{Payment, Quote};
    use dollr_api::ExecutionStatus;
    use dollr_checkout::flow::{Attempt, CardSummary};
    use dollr_checkout::interop::json::{from_json, to_json};

    let payment: Payment = from_json(
        r#"{"reference_id":"r1","status":"PROCESSING","payer_amount":10.1,"payer_currency":"USD"}"#,
    )
    .expect("a payment");
    assert_eq!(payment.payer_amount.to_string(), "10.1");
    assert_eq!(payment.status, ExecutionStatus::Processing);
    assert!(!payment.requires_action);
    assert_eq!(payment.client_secret, None);

    let quote: Quote = from_json(
        r#"{"method":"MTN_MOMO_LBR","payer_amount":"4917.20","payer_currency":"LRD",
            "payee_amount":"25","payee_currency":"USD","platform_fee":"0.63",
            "platform_currency":"USD","fx_rate":191.85,"gateway_fee":null}"#,
    )
    .expect("a quote");
    assert_eq!(quote.payer_amount.to_fixed(2), "4917.20");
    assert_eq!(
        quote.fx_rate.map(|r| r.to_string()).as_deref(),
        Some("191.85")
    );
    assert_eq!(quote.gateway_fee, None);

    for (text, field) in [
        (
            r#"{"reference_id":"r1","status":"PAID","payer_amount":"ten","payer_currency":"USD"}"#,
            "payer_amount",
        ),
        (
            r#"{"reference_id":7,"status":"PAID","payer_amount":"1","payer_currency":"USD"}"#,
            "reference_id",
        ),
        (
            r#"{"reference_id":"r1","payer_amount":"1","payer_currency":"USD"}"#,
            "status",
        ),
        (
            r#"{"reference_id":"r1","status":"PAID","payer_amount":"1","payer_currency":"USD","requires_action":"yes"}"#,
            "requires_action",
        ),
    ] {
        let error = from_json::<Payment>(text).expect_err(text);
        assert!(
            error.contains(&format!("`{field}`")),
            "{error} should name {field}"
        );
    }
    assert_eq!(
        from_json::<Payment>("[1, 2]").expect_err("an array"),
        "not a JSON object"
    );
    assert_eq!(from_json::<Payment>("{").expect_err("not JSON"), "not JSON");

    let attempt = Attempt {
        reference_id: "0b7c9a4e-1f7e-4a55-9c1e-2f8d7e1b6a10".into(),
        method: dollr_api::PaymentMethod::MtnMomoLbr,
        currency: "LRD".into(),
        phone: "231881234567".into(),
        payment_method_id: None,
        card: None,
        started_at_ms: 1_763_700_000_123.0,
    };
    let stored = to_json(&attempt).expect("written");
    assert_eq!(from_json::<Attempt>(&stored).expect("read back"), attempt);

    // A card attempt keeps the card's name across a reload.
    let card = Attempt {
        method: dollr_api::PaymentMethod::CreditCard,
        currency: "USD".into(),
        phone: String::new(),
        payment_method_id: Some("pm_card_mastercard".into()),
        card: CardSummary::new("mastercard", "4444"),
        ..attempt
    };
    assert!(card.card.is_some());
    let stored = to_json(&card).expect("written");
    assert_eq!(from_json::<Attempt>(&stored).expect("read back"), card);
    // A damaged name, or none (stored before cards were named), loses the name, not the attempt.
    for broken in [
        stored.replace(r#""card_last4":"4444""#, r#""card_last4":"44x4""#),
        stored.replace(r#""card_last4":"4444""#, r#""card_last4":4444"#),
        stored.replace(r#","card_last4":"4444""#, ""),
    ] {
        assert_ne!(broken, stored, "the test changed nothing");
        let read = from_json::<Attempt>(&broken).expect(&broken);
        assert_eq!(read.card, None, "{broken}");
        assert_eq!(read.payment_method_id, card.payment_method_id);
    }
    // A network this build does not know still has its last four digits.
    let other = from_json::<Attempt>(&stored.replace("mastercard", "newnetwork")).expect("read");
    assert_eq!(other.card, CardSummary::new("unknown", "4444"));
    assert_eq!(other.card.map(|c| c.brand), Some(None));
}
