//! The end screens: success with the receipt, failure with a plain reason and a way to try
//! again, and "already paid".

use leptos::prelude::*;

use crate::flow::{Attempt, CardSummary, Event, Lookup, Phase};
use crate::i18n::{text, Key, Locale};
use crate::interop::{format_money, format_rate};
use crate::phone;
use crate::ui::Dispatcher;

/// A card in the payer's words: "Visa ending in 4242"; "Card" when Stripe did not say.
pub fn card_name(locale: Locale, card: Option<&CardSummary>) -> String {
    let generic = text(locale, Key::MethodCard);
    match card {
        Some(c) => text(locale, Key::CardEnding)
            .replace("{brand}", c.brand.map_or(generic, |b| b.name))
            .replace("{last4}", &c.last4),
        None => generic.to_owned(),
    }
}

/// How the payer paid: "MTN · +231 88 123 1111", or the card.
fn paid_with(locale: Locale, attempt: &Attempt) -> String {
    if attempt.is_card() {
        return card_name(locale, attempt.card.as_ref());
    }
    let method = attempt
        .method
        .operator_name()
        .unwrap_or(attempt.method.as_str());
    match phone::display(&attempt.phone) {
        Some(number) => format!("{method} · {number}"),
        None => method.to_owned(),
    }
}

/// Paid: the receipt.
#[component]
pub fn SuccessPanel(
    /// Where the model comes from.
    dispatcher: Dispatcher,
    /// Locale for text and money.
    locale: Locale,
) -> impl IntoView {
    let model = dispatcher.model();
    let body = move || {
        model.with(|m| {
            let Phase::Succeeded {
                attempt,
                payment,
                receipt,
            } = &m.phase
            else {
                return None;
            };
            let paid = format_money(locale, payment.payer_amount, &payment.payer_currency);
            let mut rows: Vec<(Key, String, &'static str)> =
                vec![(Key::ReceiptPaid, paid, "receipt-paid")];
            if let Lookup::Ready(r) = receipt {
                rows.push((
                    Key::ReceiptTotal,
                    format_money(locale, r.total, &r.currency),
                    "receipt-total",
                ));
                // Each fee in the currency Dollr names for it, and none when the merchant bore
                // them (the payer paid the total).
                let payer_paid_fees = crate::flow::payer_pays_fees(m);
                let fee = |amount: Option<dollr_api::Decimal>, currency: &str| {
                    amount
                        .filter(|a| payer_paid_fees && !a.is_zero())
                        .map(|a| format_money(locale, a, currency))
                };
                let platform = r.platform_currency.as_deref().unwrap_or(&r.currency);
                if let Some(f) = fee(r.platform_fee, platform) {
                    rows.push((Key::ReceiptPlatformFee, f, "receipt-platform-fee"));
                }
                if let Some(f) = fee(
                    r.gateway_fee,
                    r.gateway_currency.as_deref().unwrap_or(platform),
                ) {
                    // The gateway is Stripe for a card, the mobile network for a wallet.
                    let key = if attempt.is_card() {
                        Key::ReceiptCardFee
                    } else {
                        Key::ReceiptGatewayFee
                    };
                    rows.push((key, f, "receipt-gateway-fee"));
                }
                if let Some(f) = fee(r.fx_fee, &r.currency) {
                    rows.push((Key::ReceiptFxFee, f, "receipt-fx-fee"));
                }
                if let (Some(rate), Some(to)) = (r.fx_rate, r.payer_currency.as_ref()) {
                    if to != &r.currency {
                        rows.push((
                            Key::ReceiptRate,
                            format_rate(locale, &r.currency, rate, to),
                            "receipt-rate",
                        ));
                    }
                }
            }
            rows.push((
                Key::ReceiptOperator,
                paid_with(locale, attempt),
                "receipt-operator",
            ));
            rows.push((
                Key::ReceiptReference,
                attempt.reference_id.clone(),
                "receipt-reference",
            ));
            let loading = matches!(receipt, Lookup::Loading);
            Some((rows, loading))
        })
    };
    view! {
        <div class="dollr-success" data-testid="success">
            <h3 class="dollr-subheading" tabindex="-1">{text(locale, Key::SuccessTitle)}</h3>
            {move || body().map(|(rows, loading)| view! {
                <h4 class="dollr-receipt-title">{text(locale, Key::ReceiptTitle)}</h4>
                <dl class="dollr-receipt" data-testid="receipt">
                    {rows.into_iter().map(|(key, value, testid)| view! {
                        <div><dt>{text(locale, key)}</dt><dd data-testid=testid>{value}</dd></div>
                    }).collect_view()}
                </dl>
                {loading.then(|| view! { <p class="dollr-hint">{text(locale, Key::ReceiptLoading)}</p> })}
            })}
        </div>
    }
}

/// Failed: why, and a way to try again (a new attempt).
#[component]
pub fn FailurePanel(
    /// Where events go and the model comes from.
    dispatcher: Dispatcher,
    /// Locale for text.
    locale: Locale,
) -> impl IntoView {
    let reason = dispatcher.model().with_untracked(|m| match m.phase {
        Phase::Failed { reason, .. } => reason,
        _ => Key::FailureGeneric,
    });
    view! {
        <div class="dollr-failure" data-testid="failure">
            <h3 class="dollr-subheading" tabindex="-1">{text(locale, Key::FailureTitle)}</h3>
            <p data-testid="failure-reason">{text(locale, reason)}</p>
            <button type="button" class="dollr-button" data-testid="try-again" on:click=move |_| dispatcher.send(Event::TryAgainPressed)>
                {text(locale, Key::TryAgain)}
            </button>
        </div>
    }
}

/// The order was paid already.
#[component]
pub fn AlreadyPaid(
    /// Locale for text.
    locale: Locale,
) -> impl IntoView {
    view! {
        <div class="dollr-success" data-testid="already-paid">
            <h3 class="dollr-subheading" tabindex="-1">{text(locale, Key::AlreadyPaidTitle)}</h3>
            <p>{text(locale, Key::ErrorAlreadyPaid)}</p>
        </div>
    }
}
