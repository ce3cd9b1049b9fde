//! The order: its lines and the total due.

use std::sync::Arc;

use dollr_api::widget::CheckoutSummary;
use leptos::prelude::*;

use crate::i18n::{text, Key, Locale};
use crate::interop::format_money;

/// Lists the items and the total.
#[component]
pub fn OrderSummary(
    /// What is being paid.
    summary: Arc<CheckoutSummary>,
    /// Locale for text and money.
    locale: Locale,
) -> impl IntoView {
    let currency = summary.currency.clone();
    let lines = summary
        .items
        .iter()
        .map(|item| {
            let amount = format_money(locale, item.amount, &currency);
            let qty =
                (item.qty > 1).then(|| format!(" {} {}", text(locale, Key::Quantity), item.qty));
            view! {
                <li class="dollr-line" data-testid="line-item">
                    <span class="dollr-line-name">{item.name.clone()}{qty}</span>
                    <span class="dollr-line-amount">{amount}</span>
                </li>
            }
        })
        .collect_view();
    let total = format_money(locale, summary.total, &currency);
    view! {
        <div class="dollr-summary" data-testid="order-summary">
            {summary.sandbox.then(|| view! { <p class="dollr-badge" data-testid="sandbox-badge">{text(locale, Key::SandboxBadge)}</p> })}
            // The order's number goes to the next line whole rather than split at its hyphen.
            <h2 class="dollr-heading">{text(locale, Key::OrderSummary)}" · "<span class="dollr-id">{summary.source_number.clone()}</span></h2>
            <ul class="dollr-lines">{lines}</ul>
            <p class="dollr-total">
                <span>{text(locale, Key::Total)}</span>
                <strong data-testid="total">{total}</strong>
            </p>
        </div>
    }
}
