//! The one `#[wasm_bindgen]` surface: `mount(element, options)` returns a handle with
//! `unmount()`. Options are parsed and validated here, once; bad ones render a clear message in
//! the element and name the field in the console.

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::error::WidgetError;
use crate::i18n::{text, Key};
use crate::interop::json::Obj;
use crate::interop::{console_error, console_warn, Prefetch, Refusals, Shadow};
use crate::options::{invalid, RawOptions};
use crate::ui::Checkout;

/// One mounted widget: its view, its shadow-root corner and its host.
struct Mounted {
    view: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
    shadow: Option<Shadow>,
    host: HtmlElement,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        // The view first (its cleanup stops timers, listeners, requests, card fields), then
        // what the widget added to the host page.
        self.view.take();
        self.shadow.take();
        if let Ok(Some(slot)) = self
            .host
            .query_selector(&format!(":scope > [slot='{}']", crate::ui::CARD_SLOT))
        {
            slot.remove();
        }
    }
}

thread_local! {
    /// Every mounted widget, by id. The JS handle only names its entry, so a page that drops
    /// (or never keeps) the handle does not unmount the widget when the garbage collector runs.
    /// A short list (a page mounts a handful of widgets), so no hash map is linked in for it.
    static MOUNTED: std::cell::RefCell<Vec<(u32, Mounted)>> = const { std::cell::RefCell::new(Vec::new()) };
}

static NEXT_ID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

/// A mounted widget; `unmount()` removes everything it added.
#[wasm_bindgen]
pub struct CheckoutHandle {
    id: u32,
}

#[wasm_bindgen]
impl CheckoutHandle {
    /// Removes the widget and its listeners, timers and requests. Calling it again does nothing.
    pub fn unmount(&mut self) {
        let removed = MOUNTED.with(|m| {
            let mut mounted = m.borrow_mut();
            let index = mounted.iter().position(|(id, _)| *id == self.id);
            index.map(|i| mounted.swap_remove(i))
        });
        // Dropped outside the borrow: unmounting may run cleanup code.
        drop(removed);
    }

    /// Puts the keyboard's focus in the widget, where its screen takes it: the chosen payment
    /// method on the form, the heading or message of any other screen.
    pub fn focus(&self) {
        let host = MOUNTED.with(|m| {
            m.borrow()
                .iter()
                .find(|(id, _)| *id == self.id)
                .map(|(_, mounted)| mounted.host.clone())
        });
        if let Some(host) = host {
            crate::ui::focus_screen(&host);
        }
    }
}

fn register(mounted: Mounted) -> CheckoutHandle {
    let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    MOUNTED.with(|m| m.borrow_mut().push((id, mounted)));
    CheckoutHandle { id }
}

fn parse_options(value: JsValue) -> Result<RawOptions, WidgetError> {
    if value.is_undefined() || value.is_null() {
        return Ok(RawOptions::default());
    }
    let Some(object) = Obj::new(value) else {
        return Err(invalid("options", "must be an object"));
    };
    let mut raw = RawOptions::read(&object)?;
    raw.unknown = object
        .keys()
        .into_iter()
        .filter(|key| !crate::options::is_known(key))
        .collect();
    raw.languages = crate::interop::browser_languages();
    Ok(raw)
}

/// Reports a panic (a bug) in the console with its message, instead of a bare `unreachable`.
/// Development and test builds only: the release build's standard library is built with
/// `panic=immediate-abort` (`scripts/build-release.sh`), where a panic traps without running a
/// hook, so none is linked there (0.4 KB brotli).
#[cfg(not(panic = "immediate-abort"))]
fn install_panic_hook() {
    static INSTALLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !INSTALLED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        std::panic::set_hook(Box::new(|info| {
            console_error(&format!("dollr-checkout: internal error: {info}"))
        }));
    }
}

/// Nothing to install where a panic is a bare trap (see above).
#[cfg(panic = "immediate-abort")]
fn install_panic_hook() {}

/// Mounts the checkout into `element` with `options` (`{ proxy, grant, locale?,
/// timeLimitMinutes?, stylesheet?, stylesheetIntegrity? }`), inside an open shadow root of
/// `element`. `summary` is optional: the loader's `{ url, grant, response }` for the order
/// request it started at mount, in parallel with the wasm download (used once, and only if it
/// asked the URL the widget would). `refused` is optional too: the loader's function that
/// names the proxy's origin when the page's Content-Security-Policy refused to connect to it
/// (see [`Refusals`]).
#[wasm_bindgen]
pub fn mount(
    element: HtmlElement,
    options: JsValue,
    summary: JsValue,
    refused: JsValue,
) -> CheckoutHandle {
    install_panic_hook();
    let raw = parse_options(options);
    // The payer reads even a misconfigured checkout in the language the page asked for.
    let locale = raw
        .as_ref()
        .ok()
        .and_then(|raw| raw.locale().ok())
        .unwrap_or_default();
    let validated = raw.and_then(|raw| raw.validate());
    let valid = validated.as_ref().ok();
    for note in valid.map(|o| o.notes.as_slice()).unwrap_or_default() {
        console_warn(&["dollr-checkout: ", note].concat());
    }
    let shadow = Shadow::attach(
        &element,
        valid.and_then(|o| o.stylesheet.as_deref()),
        valid.and_then(|o| o.stylesheet_integrity.as_deref()),
        locale,
    );
    let target = shadow
        .as_ref()
        .map(Shadow::container)
        .unwrap_or_else(|| element.clone());
    let host = element.clone();
    let prefetch = Prefetch::from_js(&summary);
    let refusals = Refusals::from_js(refused);
    let view = match validated {
        Ok(options) => mount_to(target, move || {
            view! { <Checkout options=options host=host prefetch=prefetch refusals=refusals /> }
                .into_any()
        }),
        Err(error) => {
            console_error(&format!("dollr-checkout: {error}"));
            crate::interop::dispatch_event(
                &element,
                "error",
                &crate::ui::error_detail("InvalidOptions", &error.to_string()),
            );
            mount_to(target, move || {
                view! {
                    <div class="dollr-error" role="alert" data-testid="error">
                        <p>{text(locale, Key::ErrorMisconfigured)}</p>
                    </div>
                }
                .into_any()
            })
        }
    };
    register(Mounted {
        view: Some(view),
        shadow,
        host: element,
    })
}
