//! Stripe.js, reached only through these typed functions: load the script (on demand, with a
//! time limit), make the card element, turn it into a PaymentMethod id, run 3-D Secure. Card
//! numbers stay inside Stripe's fields; this code only ever sees `pm_…` ids, a card's brand and
//! last four digits (what Stripe returns to name a card), and error codes.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::Listener;
use crate::flow::{CardSummary, Tokenized};

/// The card field's `style` (Stripe's Style object), read from `element`'s computed style: the
/// field draws in Stripe's iframe, where the widget's stylesheet and theme (a dark theme, the
/// merchant's font and colours) cannot reach, so its text would otherwise be Stripe's dark
/// default on a dark background.
fn card_style(element: &web_sys::Element) -> Object {
    let computed = call_method(&js_sys::global(), "getComputedStyle", &[element.as_ref()]).ok();
    let read = |property: &str| {
        let value = call_method(computed.as_ref()?, "getPropertyValue", &[&property.into()])
            .ok()?
            .as_string()?;
        let value = value.trim();
        (!value.is_empty()).then(|| JsValue::from_str(value))
    };
    let variant = |properties: &[(&str, Option<JsValue>)]| {
        let object = Object::new();
        for (name, value) in properties {
            if let Some(value) = value {
                let _ = Reflect::set(&object, &JsValue::from_str(name), value);
            }
        }
        object
    };
    let muted = read("--_muted");
    let danger = read("--_danger");
    let base = variant(&[
        ("color", read("color")),
        ("fontFamily", read("font-family")),
        ("fontSize", read("font-size")),
        ("iconColor", muted.clone()),
    ]);
    let placeholder = variant(&[("color", muted)]);
    let _ = Reflect::set(&base, &"::placeholder".into(), &placeholder);
    variant(&[
        ("base", Some(base.into())),
        (
            "invalid",
            Some(variant(&[("color", danger.clone()), ("iconColor", danger)]).into()),
        ),
    ])
}

/// Gives the mounted card `element` the style `styled_like` has now (Stripe merges an update
/// into the element's options).
fn restyle(element: &JsValue, styled_like: &web_sys::Element) {
    let options = Object::new();
    let _ = Reflect::set(&options, &"style".into(), &card_style(styled_like));
    let _ = call_method(element, "update", &[&options]);
}

/// Longest wait for Stripe.js to load.
const LOAD_TIMEOUT_MS: u32 = 15_000;

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

fn call_method(target: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let method: Function = get(target, name)
        .ok_or_else(|| JsValue::from_str(name))?
        .dyn_into()?;
    let list = js_sys::Array::new();
    for arg in args {
        list.push(arg);
    }
    method.apply(target, &list)
}

fn stripe_constructor() -> Option<Function> {
    get(&js_sys::global(), "Stripe").and_then(|f| f.dyn_into().ok())
}

/// True when Stripe.js is on the page (`window.Stripe`).
pub fn is_loaded() -> bool {
    stripe_constructor().is_some()
}

/// Stripe.js on its way: settles when the script has loaded or failed, or after 15 s. Dropping
/// it clears that deadline, so a checkout removed meanwhile leaves no timer behind.
pub struct Loading {
    script: web_sys::HtmlScriptElement,
    /// The script's `load` or `error`, whenever it comes.
    arrived: Promise,
    settled: Promise,
    _deadline: super::Timeout,
}

/// Said in the console when the page's Trusted Types refuse Stripe.js's URL.
const TRUSTED_TYPES_REFUSED: &str = "dollr-checkout: this page's Trusted Types refused Stripe.js's URL; for card payments, allow the policy named dollr-checkout (trusted-types dollr-checkout) or let the page's default policy pass the URL";

/// The Trusted Types policy through which the widget gives a script tag Stripe.js's URL, on a
/// page that enforces Trusted Types: a page naming the policies it allows lists this one.
const POLICY_NAME: &str = "dollr-checkout";

thread_local! {
    /// The widget's Trusted Types policy, made once (a second policy of one name is refused).
    static POLICY: std::cell::Cell<Option<JsValue>> = const { std::cell::Cell::new(None) };
}

/// `url` made a TrustedScriptURL by the widget's policy, where the browser has Trusted Types and
/// the page allows the policy; `None` elsewhere, where the plain URL is tried. The policy passes
/// its input as it is (`String`), and only this module holds it: it is handed the URL the
/// proxy named for Stripe.js, nothing from the page.
fn trusted_script_url(url: &str) -> Option<JsValue> {
    let global = js_sys::global();
    let types = get(&global, "trustedTypes")?;
    let policy = match POLICY.take() {
        Some(policy) => policy,
        None => {
            let rules = Object::new();
            Reflect::set(&rules, &"createScriptURL".into(), &get(&global, "String")?).ok()?;
            call_method(&types, "createPolicy", &[&POLICY_NAME.into(), &rules]).ok()?
        }
    };
    let trusted = call_method(&policy, "createScriptURL", &[&url.into()]).ok();
    POLICY.set(Some(policy));
    trusted
}

/// Marks the script tags this module adds, so that one that fails while its checkout waits is
/// removed ("Try again" adds another; every tag is also marked DONE_MARK as it ends); a second
/// checkout on the page waits for the first one's load instead of adding Stripe.js again.
const SCRIPT_MARK: &str = "data-dollr-stripe";

/// Marks a tag whose download is over, loaded or failed: the page's own that failed (left in
/// place), or any the widget waited on, marked by its own `load` and `error` listeners. A try is
/// made only while Stripe.js is not on the page, so such a tag has failed, or ran without defining
/// `Stripe` (a network's sign-in page served in its place): the try adds the widget's own tag
/// instead of waiting on one whose events have passed.
const DONE_MARK: &str = "data-dollr-stripe-done";

/// True when a script tag whose `src` attribute is `src` loads Stripe.js from `url`: the same URL,
/// give or take a trailing slash and a query (a page's own tag may ask for
/// `https://js.stripe.com/v3/?advancedFraudSignals=false`).
fn loads_from(src: &str, url: &str) -> bool {
    src.strip_prefix(url.trim_end_matches('/'))
        .map(|rest| rest.strip_prefix('/').unwrap_or(rest))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('?'))
}

/// How long after its download ended a tag of the page's is taken to have failed, Stripe.js
/// still not being there: a script runs within moments of arriving.
const RUNS_WITHIN_MS: f64 = 1_000.0;

/// True when the browser finished fetching the script at `src` (an absolute URL) over a second
/// ago (its resource timing entry says so). Called while Stripe.js is not on the page, that means
/// the tag failed before the checkout looked (a request blocked or dropped as the page loaded)
/// and no event of its is still to come. False where the browser keeps no entry for a failed
/// request: the 15 s deadline holds.
fn failed_already(src: &str) -> bool {
    let Some(performance) = get(&js_sys::global(), "performance") else {
        return false;
    };
    let (Ok(now), Ok(entries)) = (
        call_method(&performance, "now", &[]),
        call_method(&performance, "getEntriesByName", &[&src.into()]),
    ) else {
        return false;
    };
    // The first entry is the URL's earliest download.
    get(&entries, "0")
        .and_then(|first| get(&first, "responseEnd")?.as_f64())
        .zip(now.as_f64())
        .is_some_and(|(end, now)| end < now - RUNS_WITHIN_MS)
}

/// The script tag on the page that is loading Stripe.js from `url`: one another checkout added,
/// or the page's own, which a checkout joins rather than run Stripe.js twice. A tag of the
/// page's that failed already is marked and passed over, so the widget adds its own at once.
fn tag_on_the_way(document: &web_sys::Document, url: &str) -> Option<web_sys::HtmlScriptElement> {
    let tags = document
        .query_selector_all(&format!("script[src]:not([{DONE_MARK}])"))
        .ok()?;
    (0..tags.length())
        .filter_map(|i| tags.item(i)?.dyn_into::<web_sys::HtmlScriptElement>().ok())
        .find(|tag| {
            // A matching `src` is as absolute as `url`, so it names the tag's resource entry.
            let Some(src) = tag.get_attribute("src").filter(|src| loads_from(src, url)) else {
                return false;
            };
            if tag.has_attribute(SCRIPT_MARK) || !failed_already(&src) {
                return true;
            }
            let _ = tag.set_attribute(DONE_MARK, "");
            false
        })
}

/// Starts loading Stripe.js from `url`, or joins the load another checkout or the page itself
/// started; `None` when the page takes no script.
pub fn start(url: &str) -> Option<Loading> {
    let document = web_sys::window()?.document()?;
    let (script, new) = match tag_on_the_way(&document, url) {
        Some(script) => (script, false),
        None => {
            let script: web_sys::HtmlScriptElement =
                document.create_element("script").ok()?.dyn_into().ok()?;
            // A page enforcing Trusted Types takes the URL through the widget's policy, or a
            // plain one its default policy lets through; refused both ways, card payments say
            // they couldn't load, and the widget goes on.
            let src = trusted_script_url(url).unwrap_or_else(|| url.into());
            if Reflect::set(&script, &"src".into(), &src).is_err() {
                super::console_error(TRUSTED_TYPES_REFUSED);
                return None;
            }
            script.set_async(true);
            script.set_attribute(SCRIPT_MARK, "").ok()?;
            (script, true)
        }
    };
    // A tag given up at a checkout's deadline may still arrive, and the next try waits on it
    // (Loading::finished); one that fails, or loads, is marked at once, waited on or not, so that
    // no later try waits for an event that has passed.
    let tag: &JsValue = &script;
    let mark = [tag, &DONE_MARK.into(), &JsValue::from_str("")];
    let done = call_method(&get(tag, "setAttribute")?, "bind", &mark).ok()?;
    for event in ["error", "load"] {
        script
            .add_event_listener_with_callback(event, done.unchecked_ref())
            .ok()?;
    }
    let arrived = Promise::new(&mut |resolve, reject| {
        let _ = script.add_event_listener_with_callback("load", &resolve);
        let _ = script.add_event_listener_with_callback("error", &reject);
    });
    let mut give_up = None;
    let settled = Promise::new(&mut |resolve, reject| {
        let _ = call_method(&arrived, "then", &[&resolve, &reject]);
        give_up = Some(reject);
    });
    let give_up = give_up?;
    let deadline = super::Timeout::new(LOAD_TIMEOUT_MS, move || {
        let _ = give_up.call0(&JsValue::UNDEFINED);
    });
    if new {
        document.head()?.append_child(&script).ok()?;
    }
    Some(Loading {
        script,
        arrived,
        settled,
        _deadline: deadline,
    })
}

impl Loading {
    /// True once the script has loaded, however late, and `window.Stripe` is there; false
    /// once it failed. No deadline: for a checkout that gave up waiting to take a late arrival.
    pub fn arrival(&self) -> impl std::future::Future<Output = bool> + 'static {
        let arrived = JsFuture::from(self.arrived.clone());
        async move { arrived.await.is_ok() && is_loaded() }
    }

    /// True once the script has loaded and `window.Stripe` is there. A failed tag of the
    /// widget's is removed, and one of the page's left marked, so that "Try again" loads afresh;
    /// one given up at the deadline stays, its download going on (a slow network's), and "Try
    /// again" waits on it rather than download and run Stripe.js a second time. Any number of
    /// callers may wait on one load.
    pub fn finished(&self) -> impl std::future::Future<Output = bool> + 'static {
        let (script, settled) = (self.script.clone(), JsFuture::from(self.settled.clone()));
        async move {
            let outcome = settled.await;
            // The deadline rejects with nothing, an `error` event with the event.
            let timed_out = matches!(&outcome, Err(reason) if reason.is_undefined());
            let ok = outcome.is_ok() && is_loaded();
            // The tag's own listeners marked it; the widget's own goes too.
            if !ok && !timed_out && script.has_attribute(SCRIPT_MARK) {
                script.remove();
            }
            ok
        }
    }
}

/// A Stripe.js instance for one publishable key.
#[derive(Clone)]
pub struct Stripe {
    instance: JsValue,
}

/// The mounted card element; destroyed (and its fields removed) when dropped.
pub struct CardElement {
    element: JsValue,
    _on_change: Closure<dyn FnMut(JsValue)>,
    _on_recolour: Listener,
}

impl CardElement {
    /// Stripe's element itself, for [`Stripe::create_payment_method`].
    pub fn handle(&self) -> JsValue {
        self.element.clone()
    }

    /// Puts the keyboard's focus in the card number.
    pub fn focus(&self) {
        let _ = call_method(&self.element, "focus", &[]);
    }
}

impl Drop for CardElement {
    fn drop(&mut self) {
        let _ = call_method(&self.element, "destroy", &[]);
    }
}

/// Reads `{ error: { code } }` from a Stripe result.
fn error_code(result: &JsValue) -> Option<Option<String>> {
    get(result, "error").map(|error| get(&error, "code").and_then(|c| c.as_string()))
}

impl Stripe {
    /// `Stripe(publishable_key)`; `None` if Stripe.js is not loaded or refuses the key.
    pub fn new(publishable_key: &str) -> Option<Stripe> {
        let constructor = stripe_constructor()?;
        let instance = constructor
            .call1(&JsValue::NULL, &JsValue::from_str(publishable_key))
            .ok()?;
        Some(Stripe { instance })
    }

    /// Creates the card element inside `host`, its text styled like `styled_like` and its
    /// labels in `locale` (a BCP 47 tag: Stripe's default follows the browser's language, not
    /// the checkout's); `on_change(complete, error_code)` follows the payer's typing.
    pub fn mount_card(
        &self,
        host: &web_sys::Element,
        styled_like: &web_sys::Element,
        locale: &str,
        mut on_change: impl FnMut(bool, Option<String>) + 'static,
    ) -> Option<CardElement> {
        let settings = Object::new();
        let _ = Reflect::set(&settings, &"locale".into(), &locale.into());
        let elements = call_method(&self.instance, "elements", &[&settings]).ok()?;
        let options = Object::new();
        let _ = Reflect::set(&options, &"hidePostalCode".into(), &JsValue::TRUE);
        let _ = Reflect::set(&options, &"style".into(), &card_style(styled_like));
        let element = call_method(&elements, "create", &[&"card".into(), &options]).ok()?;
        let closure = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let complete = get(&event, "complete")
                .and_then(|c| c.as_bool())
                .unwrap_or(false);
            let code = get(&event, "error")
                .and_then(|e| get(&e, "code"))
                .and_then(|c| c.as_string());
            on_change(complete, code);
        });
        call_method(&element, "on", &[&"change".into(), closure.as_ref()]).ok()?;
        call_method(&element, "mount", &[host.as_ref()]).ok()?;
        // The widget's text colour changing while the field shows (its `theme` attribute, the
        // system's scheme under `theme="auto"`, the page's own tokens) ends the 1 ms colour
        // transition the stylesheet gives `styled_like`: the field is restyled from it then, or
        // its text would keep the old colour, unreadable on a new background.
        let on_recolour = {
            let (element, styled) = (element.clone(), styled_like.clone());
            Listener::new(
                vec![(styled_like.clone().into(), "transitionend")],
                move |event| {
                    if get(&event, "propertyName")
                        .and_then(|p| p.as_string())
                        .as_deref()
                        == Some("color")
                    {
                        restyle(&element, &styled);
                    }
                },
            )
        };
        Some(CardElement {
            element,
            _on_change: closure,
            _on_recolour: on_recolour,
        })
    }

    /// `createPaymentMethod({ type: "card", card })`: the `pm_…` id with the card's brand and
    /// last four digits, or Stripe's error code.
    pub async fn create_payment_method(&self, card: &JsValue) -> Result<Tokenized, Option<String>> {
        let args = Object::new();
        let _ = Reflect::set(&args, &"type".into(), &"card".into());
        let _ = Reflect::set(&args, &"card".into(), card);
        let promise: Promise = call_method(&self.instance, "createPaymentMethod", &[&args])
            .and_then(JsCast::dyn_into)
            .map_err(|_| None)?;
        let result = JsFuture::from(promise)
            .await
            .map_err(|_| Some("api_connection_error".to_owned()))?;
        if let Some(code) = error_code(&result) {
            return Err(code);
        }
        let made = get(&result, "paymentMethod").ok_or(None)?;
        let payment_method_id = get(&made, "id")
            .and_then(|id| id.as_string())
            .filter(|id| id.starts_with("pm_"))
            .ok_or(None)?;
        let text = |of: &JsValue, key| get(of, key).and_then(|v| v.as_string());
        let card = get(&made, "card")
            .and_then(|c| CardSummary::new(&text(&c, "brand")?, &text(&c, "last4")?));
        Ok(Tokenized {
            payment_method_id,
            card,
        })
    }

    /// `confirmCardPayment(client_secret)`: runs 3-D Secure; `Err` with Stripe's code if it
    /// failed or was refused.
    pub async fn confirm_card_payment(&self, client_secret: &str) -> Result<(), Option<String>> {
        let promise: Promise = call_method(
            &self.instance,
            "confirmCardPayment",
            &[&client_secret.into()],
        )
        .and_then(JsCast::dyn_into)
        .map_err(|_| None)?;
        let result = JsFuture::from(promise)
            .await
            .map_err(|_| Some("api_connection_error".to_owned()))?;
        match error_code(&result) {
            Some(code) => Err(code),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::loads_from;

    #[test]
    fn a_tag_loads_stripe_js_from_the_url_give_or_take_a_slash_and_a_query() {
        let url = "https://js.stripe.com/v3/";
        for src in [
            "https://js.stripe.com/v3/",
            "https://js.stripe.com/v3",
            "https://js.stripe.com/v3/?advancedFraudSignals=false",
            "https://js.stripe.com/v3?advancedFraudSignals=false",
        ] {
            assert!(loads_from(src, url), "{src}");
        }
        for src in [
            "https://js.stripe.com/v2/",
            "https://js.stripe.com/v30",
            "https://js.stripe.com/v3/stripe.js",
            "https://js.stripe.com/",
            "/shop.js",
        ] {
            assert!(!loads_from(src, url), "{src}");
        }
        let sandbox = "http://127.0.0.1:18788/__sandbox/stripe.js";
        assert!(loads_from(sandbox, sandbox));
        assert!(!loads_from(
            "http://127.0.0.1:18788/__sandbox/stripe.json",
            sandbox
        ));
    }
}
