//! The waiting screen: approve on your phone, the number the request went to, the time waited
//! and the time left; for a card, that the payment is being confirmed and with which card. Past
//! the limit it says the payment is still pending and what to do: never a false failure.

use leptos::prelude::*;

use crate::flow::{self, Attempt, Phase};
use crate::i18n::{text, Key, Locale};
use crate::interop::format_money;
use crate::phone;
use crate::ui::outcome::card_name;
use crate::ui::Dispatcher;

/// The waiting screen's heading, also what the live region says: a card payer has nothing to
/// approve on a phone.
pub fn title(attempt: &Attempt) -> Key {
    if attempt.is_card() {
        Key::WaitingCardTitle
    } else {
        Key::WaitingTitle
    }
}

/// What a payer still waiting past the time limit is told: a card payer approved nothing.
pub fn overdue_key(card: bool) -> Key {
    if card {
        Key::WaitingCardOverdue
    } else {
        Key::WaitingOverdue
    }
}

fn clock(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// Shown while the payment is being sent and approved.
#[component]
pub fn WaitingPanel(
    /// Where the model comes from.
    dispatcher: Dispatcher,
    /// Locale for text and money.
    locale: Locale,
) -> impl IntoView {
    let model = dispatcher.model();
    // The attempt a waiting screen follows does not change while it shows: what it says about
    // it is read once. The number is the one the request went to, so a payer who mistyped it
    // sees why no prompt comes; a card is named, so a payer with several sees which one.
    let (heading, card, paying) = model.with_untracked(|m| match &m.phase {
        Phase::Waiting { attempt, .. } if attempt.is_card() => (
            title(attempt),
            true,
            attempt.card.as_ref().map(|c| {
                (
                    Key::WaitingPayingWith,
                    card_name(locale, Some(c)),
                    "paying-with",
                )
            }),
        ),
        Phase::Waiting { attempt, .. } => (
            title(attempt),
            false,
            phone::display(&attempt.phone).map(|n| (Key::WaitingSentTo, n, "sent-to")),
        ),
        _ => (Key::WaitingTitle, false, None),
    });
    let instruction = if card {
        Key::WaitingCardInstruction
    } else {
        Key::WaitingInstruction
    };
    let times = move || {
        model.with(|m| match &m.phase {
            Phase::Waiting { attempt, .. } => flow::timing(m, attempt),
            _ => (0, 0),
        })
    };
    let amount = move || {
        model.with(|m| match &m.phase {
            Phase::Waiting {
                payment: Some(p), ..
            } => Some(format_money(locale, p.payer_amount, &p.payer_currency)),
            _ => None,
        })
    };
    let trouble = move || {
        model.with(|m| {
            matches!(
                m.phase,
                Phase::Waiting {
                    connection_trouble: true,
                    ..
                }
            )
        })
    };
    let overdue = move || model.with(flow::is_overdue);
    view! {
        <div class="dollr-waiting" data-testid="waiting">
            // Not a string literal: Leptos writes a wholly static element as an HTML string
            // (`innerHTML`), which a page enforcing Trusted Types refuses, and the widget stops.
            <div class="dollr-spinner" aria-hidden={"true"}></div>
            <h3 class="dollr-subheading" tabindex="-1">{text(locale, heading)}</h3>
            {move || amount().map(|a| view! { <p class="dollr-amount" data-testid="waiting-amount">{a}</p> })}
            <p>{text(locale, instruction)}</p>
            {paying.map(|(label, value, testid)| view! {
                <dl class="dollr-timers">
                    <div>
                        <dt>{text(locale, label)}</dt>
                        <dd data-testid=testid>{value}</dd>
                    </div>
                </dl>
            })}
            <dl class="dollr-timers">
                <div>
                    <dt>{text(locale, Key::WaitingElapsed)}</dt>
                    <dd data-testid="elapsed">{move || clock(times().0)}</dd>
                </div>
                {(!card).then(|| view! {
                    <div>
                        <dt>{text(locale, Key::WaitingRemaining)}</dt>
                        <dd data-testid="remaining">{move || clock(times().1)}</dd>
                    </div>
                })}
            </dl>
            {move || trouble().then(|| view! { <p class="dollr-hint" data-testid="connection-trouble">{text(locale, Key::WaitingConnection)}</p> })}
            {move || overdue().then(|| view! { <p class="dollr-notice" data-testid="overdue">{text(locale, overdue_key(card))}</p> })}
        </div>
    }
}
