//! A plain-language error with an optional "Try again".

use leptos::prelude::*;

use crate::i18n::{text, Key, Locale};

/// Shows `message`; offers a retry button when `on_retry` is given.
#[component]
pub fn ErrorPanel(
    /// The sentence for the payer.
    message: &'static str,
    /// Called when "Try again" is pressed; `None` hides the button.
    on_retry: Option<Callback<()>>,
    /// Locale of the button text.
    locale: Locale,
) -> impl IntoView {
    view! {
        <div class="dollr-error" role="alert" data-testid="error">
            <p tabindex="-1">{message}</p>
            {on_retry.map(|retry| view! {
                <button type="button" class="dollr-button" data-testid="retry" on:click=move |_| retry.run(())>
                    {text(locale, Key::TryAgain)}
                </button>
            })}
        </div>
    }
}
