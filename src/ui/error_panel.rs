//! A plain-language error with an optional "Try again".

use leptos::prelude::*;

use crate::flow::Event;
use crate::i18n::{text, Key, Locale};
use crate::ui::Dispatcher;

/// Shows `message`; offers a retry button when `retry` is given.
#[component]
pub fn ErrorPanel(
    /// The sentence for the payer.
    message: &'static str,
    /// Where "Try again" sends [`Event::RetryPressed`]; `None` hides the button.
    retry: Option<Dispatcher>,
    /// Locale of the button text.
    locale: Locale,
) -> impl IntoView {
    view! {
        <div class="dollr-error" role="alert" data-testid="error">
            <p tabindex="-1">{message}</p>
            {retry.map(|dispatcher| view! {
                <button type="button" class="dollr-button" data-testid="retry" on:click=move |_| dispatcher.send(Event::RetryPressed)>
                    {text(locale, Key::TryAgain)}
                </button>
            })}
        </div>
    }
}
