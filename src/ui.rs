//! Leptos components: they render the flow's [`State`] and dispatch [`Event`]s; no payment logic
//! lives here. [`Checkout`] is the root; each child sits in its own file under `ui/`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Client;
use crate::flow::{self, Command, Event, State};
use crate::i18n::{text, Key, Locale};
use crate::options::Options;

mod error_panel;
mod order_summary;
mod status_region;

use error_panel::ErrorPanel;
use order_summary::OrderSummary;
use status_region::StatusRegion;

/// Sends events into the flow and runs the commands that come out.
#[derive(Clone, Copy)]
pub struct Dispatcher {
    state: RwSignal<State>,
    client: StoredValue<Client>,
}

impl Dispatcher {
    /// Applies one event.
    pub fn send(&self, event: Event) {
        let current = self.state.get_untracked();
        let (next, commands) = flow::step(current, event);
        self.state.set(next);
        for command in commands {
            self.run(command);
        }
    }

    fn run(&self, command: Command) {
        let this = *self;
        match command {
            Command::FetchSummary => {
                let client = self.client.get_value();
                spawn_local(async move {
                    let event = match client.checkout().await {
                        Ok(summary) => Event::SummaryLoaded(summary),
                        Err(error) => {
                            crate::interop::console_error(&format!("dollr-checkout: {error}"));
                            Event::SummaryFailed(error)
                        }
                    };
                    // The widget may have been unmounted meanwhile: then the signal is gone.
                    if !this.state.is_disposed() {
                        this.send(event);
                    }
                });
            }
        }
    }
}

/// The whole checkout.
#[component]
pub fn Checkout(
    /// Validated options from the host page.
    options: Options,
) -> impl IntoView {
    let locale = options.locale;
    let (initial, commands) = flow::start();
    let dispatcher = Dispatcher {
        state: RwSignal::new(initial),
        client: StoredValue::new(Client::new(&options)),
    };
    for command in commands {
        dispatcher.run(command);
    }
    let state = dispatcher.state;
    let status = Signal::derive(move || status_text(locale, &state.get()));
    view! {
        <section class="dollr-checkout" role="region" aria-label=text(locale, Key::WidgetLabel) data-testid="dollr-checkout">
            <StatusRegion message=status />
            {move || match state.get() {
                State::Loading => view! {
                    <p class="dollr-loading" data-testid="loading" aria-busy="true">{text(locale, Key::Loading)}</p>
                }.into_any(),
                State::Ready { summary } => view! { <OrderSummary summary=*summary locale=locale /> }.into_any(),
                State::LoadFailed { message, retryable } => view! {
                    <ErrorPanel
                        message=text(locale, message)
                        on_retry=retryable.then_some(Callback::new(move |_| dispatcher.send(Event::RetryPressed)))
                        locale=locale
                    />
                }.into_any(),
            }}
        </section>
    }
}

/// What the live region announces for a state.
fn status_text(locale: Locale, state: &State) -> String {
    match state {
        State::Loading => text(locale, Key::Loading).to_owned(),
        State::Ready { .. } => String::new(),
        State::LoadFailed { message, .. } => text(locale, *message).to_owned(),
    }
}
