//! dollr-checkout: an embeddable checkout widget for the Dollr payments API, in Rust compiled
//! to WebAssembly with Leptos. It talks only to the merchant's proxy; card data stays in
//! Stripe's fields; Dollr credentials never reach the browser.
//!
//! Modules: [`flow`] (the pure state machine), [`api`] (the proxy's endpoints), [`interop`] (all
//! JS glue), [`ui`] (components), [`embed`] (the `#[wasm_bindgen]` surface), [`wire`] (JSON shapes), plus
//! the translation table, money formatting, options and errors they share.

pub mod api;
pub mod embed;
pub mod error;
pub mod flow;
pub mod i18n;
pub mod interop;
pub mod money;
pub mod options;
pub mod phone;
pub mod ui;
pub mod wire;
