//! All JavaScript glue of the widget: timers, `Intl`, crypto. The only module with `JsCast`,
//! `Reflect` or `Closure`; everything here is a safe Rust function or a value that undoes
//! itself on drop.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use dollr_api::Decimal;

use crate::i18n::Locale;
use crate::money;

/// A `setTimeout` that is cleared when dropped.
pub struct Timeout {
    id: Option<i32>,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    /// Calls `callback` once after `millis`.
    pub fn new(millis: u32, callback: impl FnOnce() + 'static) -> Timeout {
        let mut once = Some(callback);
        let closure = Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = once.take() {
                f();
            }
        });
        let id = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                closure.as_ref().unchecked_ref(),
                i32::try_from(millis).unwrap_or(i32::MAX),
            )
            .ok()
        });
        Timeout {
            id,
            _callback: closure,
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let (Some(id), Some(window)) = (self.id, web_sys::window()) {
            window.clear_timeout_with_handle(id);
        }
    }
}

/// Formats money with the browser's `Intl.NumberFormat` (currency style, the currency's own
/// decimals); falls back to `25.00 USD` if the browser refuses the currency.
pub fn format_money(locale: Locale, amount: Decimal, currency: &str) -> String {
    let digits = dollr_api::validate::minor_units(currency);
    let options = js_sys::Object::new();
    let set = |key: &str, value: JsValue| {
        js_sys::Reflect::set(&options, &JsValue::from_str(key), &value).is_ok()
    };
    let ok = set("style", "currency".into())
        && set("currency", currency.into())
        && set("minimumFractionDigits", digits.into())
        && set("maximumFractionDigits", digits.into());
    if !ok {
        return money::plain(amount, currency);
    }
    let locales = js_sys::Array::of1(&JsValue::from_str(locale.tag()));
    // Intl throws a RangeError for an unknown currency: catch it instead of letting it escape.
    let format = js_sys::Reflect::get(&js_sys::global(), &"Intl".into())
        .and_then(|intl| js_sys::Reflect::get(&intl, &"NumberFormat".into()))
        .and_then(|ctor| {
            let ctor: js_sys::Function = ctor.dyn_into()?;
            js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&locales, &options))
        })
        .and_then(|formatter| {
            let method: js_sys::Function =
                js_sys::Reflect::get(&formatter, &"format".into())?.dyn_into()?;
            // A decimal string keeps full precision (Intl.NumberFormat v3).
            method.call1(
                &formatter,
                &JsValue::from_str(&money::fixed(amount, currency)),
            )
        });
    match format.ok().and_then(|v| v.as_string()) {
        Some(text) => text,
        None => money::plain(amount, currency),
    }
}

/// Logs an error to the browser console (for the merchant's developer, not the payer).
pub fn console_error(message: &str) {
    web_sys::console::error_1(&JsValue::from_str(message));
}
