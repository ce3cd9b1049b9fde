//! The persistent live region: always in the DOM, so screen readers announce every change.

use leptos::prelude::*;

/// A visually hidden `role="status"` region.
#[component]
pub fn StatusRegion(
    /// The sentence to announce; empty for silence.
    message: Memo<String>,
) -> impl IntoView {
    view! {
        <div class="dollr-visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="status">
            {move || message.get()}
        </div>
    }
}
