//! All JavaScript glue of the widget: timers, event listeners, focus, `Intl`, crypto, storage,
//! and Stripe.js (in `interop::stripe`). The only module with `JsCast`, `Reflect` or `Closure`;
//! everything here is a safe Rust function or a value that undoes itself on drop.

pub mod json;
pub mod stripe;

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use dollr_api::Decimal;

use crate::i18n::{text, Key, Locale};
use crate::money;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The page's `setTimeout`. Its handle is kept as the page's function made it: one that a
    /// page or a test tool put in its place may hand out handles past 32 bits (Playwright's
    /// clock starts at 10¹²), which web-sys would cut to an `i32` that clears nothing.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, millis: i32) -> JsValue;
    /// The page's `clearTimeout`.
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
}

/// A `setTimeout` that is cleared when dropped.
pub struct Timeout {
    handle: JsValue,
    fired: Rc<Cell<bool>>,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    /// Calls `callback` once after `millis`.
    pub fn new(millis: u32, callback: impl FnOnce() + 'static) -> Timeout {
        let mut once = Some(callback);
        let fired = Rc::new(Cell::new(false));
        let flag = fired.clone();
        let closure = Closure::<dyn FnMut()>::new(move || {
            flag.set(true);
            if let Some(f) = once.take() {
                f();
            }
        });
        let handle = set_timeout(
            closure.as_ref().unchecked_ref(),
            i32::try_from(millis).unwrap_or(i32::MAX),
        );
        Timeout {
            handle,
            fired,
            _callback: closure,
        }
    }

    /// True once the callback has run.
    pub fn fired(&self) -> bool {
        self.fired.get()
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        clear_timeout(&self.handle);
    }
}

/// Formats money with the browser's `Intl.NumberFormat` (currency style, the currency's own
/// decimals); falls back to `25.00 USD` if the browser refuses the currency.
pub fn format_money(locale: Locale, amount: Decimal, currency: &str) -> String {
    let digits = dollr_api::validate::minor_units(currency);
    let style = [
        ("style", JsValue::from_str("currency")),
        ("currency", currency.into()),
        ("minimumFractionDigits", digits.into()),
        ("maximumFractionDigits", digits.into()),
    ];
    let fixed = money::fixed(amount, currency);
    number_format(locale, &style, &fixed).unwrap_or_else(|| money::plain(amount, currency))
}

/// An exchange rate as the payer reads it in `locale`, `1 USD = 190 LRD` (see
/// [`money::rate`]): the rate with every decimal Dollr gave, written the locale's way
/// (`191,5` in French); as Dollr wrote it if the browser cannot.
pub fn format_rate(locale: Locale, from: &str, rate: Decimal, to: &str) -> String {
    let written = rate.to_string();
    // 20 is the most every browser of the floor takes (Intl.NumberFormat v3 takes 100).
    let style = [("maximumFractionDigits", JsValue::from(20))];
    let number = number_format(locale, &style, &written).unwrap_or(written);
    money::rate(from, &number, to)
}

/// `value` (a decimal string, so no precision is lost: Intl.NumberFormat v3) through the
/// browser's `Intl.NumberFormat` for `locale` with the options `style`; `None` when the browser
/// refuses (an unknown currency throws a RangeError, caught here).
fn number_format(locale: Locale, style: &[(&str, JsValue)], value: &str) -> Option<String> {
    let options = js_sys::Object::new();
    for (key, setting) in style {
        js_sys::Reflect::set(&options, &JsValue::from_str(key), setting).ok()?;
    }
    let locales = js_sys::Array::of1(&JsValue::from_str(locale.tag()));
    js_sys::Reflect::get(&js_sys::global(), &"Intl".into())
        .and_then(|intl| js_sys::Reflect::get(&intl, &"NumberFormat".into()))
        .and_then(|ctor| {
            let ctor: js_sys::Function = ctor.dyn_into()?;
            js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&locales, &options))
        })
        .and_then(|formatter| {
            let method: js_sys::Function =
                js_sys::Reflect::get(&formatter, &"format".into())?.dyn_into()?;
            method.call1(&formatter, &JsValue::from_str(value))
        })
        .ok()
        .and_then(|v| v.as_string())
}

/// The browser's languages in the payer's order of preference: `navigator.languages`, or
/// `navigator.language` where only that exists; none outside a browser window.
pub fn browser_languages() -> Vec<String> {
    let read = |key: &str| {
        js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
            .and_then(|navigator| js_sys::Reflect::get(&navigator, &key.into()))
            .unwrap_or(JsValue::UNDEFINED)
    };
    let languages: Vec<String> = match read("languages").dyn_into::<js_sys::Array>() {
        Ok(list) => list.iter().filter_map(|tag| tag.as_string()).collect(),
        Err(_) => Vec::new(),
    };
    if languages.is_empty() {
        return read("language").as_string().into_iter().collect();
    }
    languages
}

/// Logs an error to the browser console (for the merchant's developer, not the payer).
pub fn console_error(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(message));
}

/// Writes `message` to the browser console as a warning: something set aside, not a failure.
pub fn console_warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}

/// Milliseconds since the Unix epoch (`Date.now()`).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A fresh UUID v4 from the browser's CSPRNG (`crypto.randomUUID`, or `getRandomValues` where
/// only that exists, e.g. outside a secure context). `None` if neither is available.
pub fn random_uuid() -> Option<String> {
    let crypto = web_sys::window()?.crypto().ok()?;
    if let Ok(f) = js_sys::Reflect::get(&crypto, &"randomUUID".into()) {
        if f.is_function() {
            return Some(crypto.random_uuid());
        }
    }
    let mut bytes = [0u8; 16];
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut uuid = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            uuid.push('-');
        }
        uuid.push(char::from(HEX[usize::from(b >> 4)]));
        uuid.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    Some(uuid)
}

fn local_storage() -> Option<web_sys::Storage> {
    // Access can throw (blocked cookies, sandboxed iframes): treat as "no storage".
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a stored string.
pub fn storage_get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores a string; false when storage is unavailable or full.
pub fn storage_set(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Removes a stored string.
pub fn storage_remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// One callback listening for events on the window, the document or an element, removed when
/// dropped.
pub struct Listener {
    targets: Vec<(web_sys::EventTarget, &'static str)>,
    closure: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    /// Calls `callback` for each event of a `(target, kind)` pair.
    fn new(
        targets: Vec<(web_sys::EventTarget, &'static str)>,
        callback: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        let closure = Closure::<dyn FnMut(web_sys::Event)>::new(callback);
        for (target, kind) in &targets {
            let _ = target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref());
        }
        Listener { targets, closure }
    }

    /// Calls `callback` with the new value whenever another tab sets `key`.
    pub fn storage(key: String, mut callback: impl FnMut(String) + 'static) -> Option<Listener> {
        let window = web_sys::window()?;
        Some(Listener::new(
            vec![(window.into(), "storage")],
            move |event| {
                // Listening for "storage" only: every event here is a StorageEvent.
                let event = event.unchecked_ref::<web_sys::StorageEvent>();
                if event.key().as_deref() == Some(key.as_str()) {
                    if let Some(value) = event.new_value() {
                        callback(value);
                    }
                }
            },
        ))
    }

    /// Calls `callback` whenever the focus enters `element` or anything in it (its shadow root
    /// too).
    pub fn focus_in(element: &web_sys::HtmlElement, callback: impl Fn() + 'static) -> Listener {
        Listener::new(vec![(element.clone().into(), "focusin")], move |_| {
            callback()
        })
    }

    /// Calls `callback` whenever the payer may be back: the page shown again after it was
    /// hidden (they approved in their mobile-money app, say), or the browser online again
    /// while the page shows.
    pub fn payer_back(callback: impl Fn() + 'static) -> Option<Listener> {
        let window = web_sys::window()?;
        let document = window.document()?;
        let targets = vec![
            (window.into(), "online"),
            (document.clone().into(), "visibilitychange"),
        ];
        Some(Listener::new(targets, move |_| {
            if !document.hidden() {
                callback();
            }
        }))
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        for (target, kind) in &self.targets {
            let _ = target
                .remove_event_listener_with_callback(kind, self.closure.as_ref().unchecked_ref());
        }
    }
}

/// Moves the focus to the first element matching `selector` in `host`'s shadow root, unless
/// something else on the page holds the focus: only a focus that is in the widget, or that fell
/// to the page's body when the element holding it went away with the last screen, is moved. The
/// page scrolls only when that element is out of view, as the browser does for any focus: on a
/// phone, the screen after Pay is shorter than the form, and its heading would otherwise sit
/// above the viewport with the shop's footer in view.
pub fn focus_first(host: &web_sys::HtmlElement, selector: &str) {
    let Some(document) = host.owner_document() else {
        return;
    };
    let free = match document.active_element() {
        None => true,
        Some(active) => {
            active == *host.as_ref() || document.body().is_some_and(|body| active == *body)
        }
    };
    if free {
        focus_match(host, selector);
    }
}

/// Moves the focus to the first element matching `selector` in `host`'s shadow root, wherever
/// the focus is (the page asked for it).
pub fn focus_match(host: &web_sys::HtmlElement, selector: &str) {
    let target = in_shadow(host, selector)
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(target) = target {
        let _ = target.focus();
    }
}

/// The first element matching `selector` in `host`'s shadow root.
pub fn in_shadow(host: &web_sys::HtmlElement, selector: &str) -> Option<web_sys::Element> {
    host.shadow_root()?.query_selector(selector).ok().flatten()
}

/// The unverified claims of a grant (the proxy verifies it; the widget only needs a stable
/// storage key per order): `source_type:source_id`.
pub fn grant_source_key(grant: &str) -> Option<String> {
    let payload = grant.split('.').nth(1)?;
    let mut base64 = payload.replace('-', "+").replace('_', "/");
    while base64.len() % 4 != 0 {
        base64.push('=');
    }
    let decoded = web_sys::window()?.atob(&base64).ok()?;
    let claims = js_sys::JSON::parse(&decoded).ok()?;
    let source_type = js_sys::Reflect::get(&claims, &"source_type".into())
        .ok()?
        .as_string()?;
    // The id as JS writes it (`42`), not through Rust's float formatting.
    let source_id = json::number_text(&js_sys::Reflect::get(&claims, &"source_id".into()).ok()?)?;
    Some([source_type.as_str(), ":", &source_id].concat())
}

/// The widget's own corner of the host element: an open shadow root (created once) holding
/// the widget's stylesheet link and a container to render into. Style isolation: the page's
/// CSS cannot reach inside, and the widget's cannot leak out.
pub struct Shadow {
    link: Option<web_sys::Element>,
    container: web_sys::HtmlElement,
}

impl Shadow {
    /// Attaches (or reuses) the shadow root of `host`, links `stylesheet` into it when given
    /// (checked against `integrity` when given: fetched with CORS, refused if its bytes differ),
    /// and adds a fresh container marked as written in `locale` (see [`mark_language`]) and as
    /// not for page translators.
    pub fn attach(
        host: &web_sys::HtmlElement,
        stylesheet: Option<&str>,
        integrity: Option<&str>,
        locale: Locale,
    ) -> Option<Shadow> {
        let document = web_sys::window()?.document()?;
        let root = match host.shadow_root() {
            Some(root) => root,
            None => host
                .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
                .ok()?,
        };
        let link = match stylesheet {
            Some(href) => {
                let link = document.create_element("link").ok()?;
                link.set_attribute("rel", "stylesheet").ok()?;
                if let Some(digest) = integrity {
                    link.set_attribute("integrity", digest).ok()?;
                    link.set_attribute("crossorigin", "anonymous").ok()?;
                }
                link.set_attribute("href", href).ok()?;
                root.append_child(&link).ok()?;
                Some(link)
            }
            None => None,
        };
        let container: web_sys::HtmlElement =
            document.create_element("div").ok()?.dyn_into().ok()?;
        container.set_class_name("dollr-root");
        mark_language(&container, locale);
        // Not for a page translator (a browser's, an extension's): it swaps each text for its
        // own, so the text the widget then updates in place (the Pay button's amount, a
        // receipt's rows, a field's error) would no longer be the text shown, and the payer
        // would read a stale amount or a figure under another's label. Its language is the
        // `locale` option's.
        let _ = container.set_attribute("translate", "no");
        // What the loader shows the payer in the checkout's place if its wasm stops (a trap):
        // written here, while the widget runs, so the sentence comes from the table and is in
        // the checkout's language (`showCrashed` in the loader).
        let _ = container.set_attribute("data-crashed", text(locale, Key::Crashed));
        root.append_child(&container).ok()?;
        Some(Shadow { link, container })
    }

    /// Where the widget renders.
    pub fn container(&self) -> web_sys::HtmlElement {
        self.container.clone()
    }
}

impl Drop for Shadow {
    fn drop(&mut self) {
        self.container.remove();
        if let Some(link) = &self.link {
            link.remove();
        }
    }
}

/// Dispatches `dollr:<name>` on `host`: bubbling and composed, so it crosses the shadow
/// boundary and reaches listeners anywhere on the page. `detail` is a plain JS object. Only
/// `dollr:error` is cancelable (a page renewing a refused grant says so with
/// `preventDefault()`); false when a listener cancelled it.
pub fn dispatch_event(host: &web_sys::HtmlElement, name: &str, detail: &JsValue) -> bool {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(name == "error");
    init.set_detail(detail);
    web_sys::CustomEvent::new_with_event_init_dict(&["dollr:", name].concat(), &init)
        .and_then(|event| host.dispatch_event(&event))
        .unwrap_or(true)
}

/// Marks `element` as written in `locale`: its language (`lang`), so a screen reader reads it
/// with the right voice, and its direction (`dir`), so the text runs and the fields line up as
/// the locale reads, whatever the page's own language and direction (a shadow root inherits the
/// page's direction, and `all: initial` does not reset it).
pub fn mark_language(element: &web_sys::Element, locale: Locale) {
    let _ = element.set_attribute("lang", locale.tag());
    let _ = element.set_attribute("dir", locale.dir());
}

/// A light-DOM child of `host` carrying `slot=name`, created on first use: third-party fields
/// that cannot live in a shadow root (Stripe Elements) are mounted here and shown through a
/// `<slot>` in the widget.
pub fn light_slot(host: &web_sys::HtmlElement, name: &str) -> Option<web_sys::Element> {
    if let Ok(Some(existing)) = host.query_selector(&format!(":scope > [slot='{name}']")) {
        return Some(existing);
    }
    let element = web_sys::window()?.document()?.create_element("div").ok()?;
    element.set_attribute("slot", name).ok()?;
    host.append_child(&element).ok()?;
    Some(element)
}

/// An order request the loader started at mount, in parallel with the wasm download: the URL it
/// asked, the grant it carried and a promise of the answer, body already read:
/// `{ status, retryAfter, body }` (see [`crate::api::Client::checkout`]). When that answer had
/// arrived before the widget started, the loader also puts it in `answer`, and the widget uses
/// it at once: the form is its first screen, with no "Loading" drawn and replaced.
pub struct Prefetch {
    /// The URL requested.
    pub url: String,
    /// The grant it carried.
    pub grant: String,
    response: js_sys::Promise,
    settled: Option<Answer>,
}

impl Prefetch {
    /// Reads the loader's `{ url, grant, response, answer? }`; `None` for anything else.
    pub fn from_js(value: &JsValue) -> Option<Prefetch> {
        let text = |key: &str| js_sys::Reflect::get(value, &key.into()).ok()?.as_string();
        let response = js_sys::Reflect::get(value, &"response".into())
            .ok()?
            .dyn_into::<js_sys::Promise>()
            .ok()?;
        let settled = js_sys::Reflect::get(value, &"answer".into())
            .ok()
            .filter(JsValue::is_object)
            .and_then(|answer| read_answer(&answer).ok());
        Some(Prefetch {
            url: text("url")?,
            grant: text("grant")?,
            response,
            settled,
        })
    }

    /// The answer, when it had arrived before the widget started.
    pub fn take_settled(&mut self) -> Option<Answer> {
        self.settled.take()
    }

    /// The answer the loader read, or the reason the request failed (for the console).
    pub async fn answer(self) -> Result<Answer, String> {
        let value = wasm_bindgen_futures::JsFuture::from(self.response)
            .await
            .map_err(|e| {
                js_sys::Reflect::get(&e, &"message".into())
                    .ok()
                    .and_then(|m| m.as_string())
                    .unwrap_or_else(|| "the request failed".to_owned())
            })?;
        read_answer(&value)
    }
}

/// The loader's `{ status, retryAfter, body }`.
fn read_answer(value: &JsValue) -> Result<Answer, String> {
    let field = |key: &str| js_sys::Reflect::get(value, &key.into()).ok();
    let status = field("status")
        .and_then(|s| s.as_f64())
        .filter(|s| (100.0..=599.0).contains(s))
        .ok_or_else(|| "not an answer".to_owned())?;
    Ok(Answer {
        // Checked to be 100..=599 just above.
        status: status as u16,
        retry_after: field("retryAfter").and_then(|r| r.as_string()),
        body: field("body")
            .and_then(|b| b.as_string())
            .ok_or_else(|| "not an answer".to_owned())?,
    })
}

/// An HTTP answer whose body has been read.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The `Retry-After` header, if any.
    pub retry_after: Option<String>,
    /// The body, as text.
    pub body: String,
}

/// The loader's record of the requests the page's Content-Security-Policy refused: the browser
/// fails such a request as if the network had, and tells only the page (a
/// `securitypolicyviolation` event, which the loader listens for from its start). Without the
/// loader (the wasm mounted by other means) nothing is known and every failure is the network's.
#[derive(Clone, Debug, Default)]
pub struct Refusals(Option<js_sys::Function>);

impl Refusals {
    /// Reads the loader's `refused()` for this checkout's proxy; anything else knows of none.
    pub fn from_js(value: JsValue) -> Refusals {
        Refusals(value.dyn_into().ok())
    }

    /// The proxy's origin, when the page's policy refused to connect to it. Asked after a
    /// request failed; the loader answers a task later, as engines fail the request first and
    /// report the refusal in a task of its own (Chromium and Firefox; WebKit the other way round).
    pub async fn refused(&self) -> Option<String> {
        let promise = self.0.as_ref()?.call0(&JsValue::NULL).ok()?;
        wasm_bindgen_futures::JsFuture::from(promise.dyn_into::<js_sys::Promise>().ok()?)
            .await
            .ok()?
            .as_string()
            .filter(|origin| !origin.is_empty())
    }
}
