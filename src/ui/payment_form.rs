//! The mobile-money form: country, phone number (checked as typed), the detected network (which
//! the payer can correct), the currency where there is a choice, the exact amount, and Pay.

use dollr_api::PaymentMethod;
use leptos::prelude::*;

use crate::flow::{self, Card, Event, Lookup, Model, Operator, PayKind, Phase};
use crate::i18n::{text, Key, Locale};
use crate::interop::{format_money, format_rate};
use crate::phone::{Country, PhoneCheck};
use crate::ui::Dispatcher;

/// The payment form.
#[component]
pub fn PaymentForm(
    /// Where events go and the model comes from.
    dispatcher: Dispatcher,
    /// Locale for text and money.
    locale: Locale,
    /// Prefix for element ids, unique per widget on the page.
    id: String,
) -> impl IntoView {
    let model = dispatcher.model();
    let country_id = format!("{id}-country");
    let phone_id = format!("{id}-phone");
    let hint_id = format!("{id}-phone-hint");
    let error_id = format!("{id}-phone-error");
    let operator_id = format!("{id}-operator");
    let card_label_id = format!("{id}-card-label");
    let submitting = sent(model);
    // A memo, so the card fields are rebuilt only when the payer switches method, never while
    // they type into them.
    let is_card = Memo::new(move |_| model.with(|m| m.form.kind == PayKind::Card));
    // Each section below is rebuilt only when its shape changes (which choices exist); what is
    // checked, selected or disabled follows the model reactively instead of rebuilding the DOM.
    let offers_card = Memo::new(move |_| model.with(flow::offers_card));
    let currencies = Memo::new(move |_| {
        model.with(|m| match (m.summary.as_deref(), &m.form.method) {
            (Some(summary), Some(method)) => flow::currencies_for(summary, method),
            _ => Vec::new(),
        })
    });
    let operator_shape = Memo::new(move |_| {
        model.with(|m| {
            let status = match m.form.operator {
                Operator::None => None,
                Operator::Detecting(_) => Some(OperatorShape::Detecting),
                Operator::Detected(_) => Some(OperatorShape::Choose(None)),
                Operator::Unknown => Some(OperatorShape::Choose(Some(Key::OperatorUnknown))),
                Operator::Failed => Some(OperatorShape::Choose(Some(Key::OperatorFailed))),
            };
            let methods = m
                .summary
                .as_deref()
                .map(|s| flow::methods_in(s, m.form.country))
                .unwrap_or_default();
            status.map(|status| (status, methods))
        })
    });
    let countries = model.with_untracked(|m| {
        m.summary
            .as_deref()
            .map(flow::countries)
            .unwrap_or_default()
    });
    let phone_error = move || {
        model.with(|m| match (&m.form.phone, m.form.show_phone_error) {
            (PhoneCheck::Invalid(key), true) => Some(*key),
            (PhoneCheck::Incomplete, true) => Some(Key::PhoneIncomplete),
            (PhoneCheck::Empty, true) => Some(Key::PhoneRequired),
            _ => None,
        })
    };
    let describedby = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            if phone_error().is_some() {
                format!("{error_id} {hint_id}")
            } else {
                hint_id.clone()
            }
        }
    };
    let dialing = move || model.with(|m| format!("+{}", m.form.country.dialing_code()));

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match crate::interop::random_uuid() {
            Some(reference_id) => dispatcher.send(Event::PayPressed { reference_id }),
            None => crate::interop::console_error(
                "dollr-checkout: this browser cannot make a secure random id",
            ),
        }
    };

    view! {
        <form class="dollr-form" novalidate on:submit=on_submit data-testid="payment-form" aria-busy=move || submitting().to_string()>
            {move || kind_section(dispatcher, locale, offers_card.get())}
            <div class="dollr-mobile-money" hidden=move || is_card.get()>
            <div class="dollr-field">
                <label for=country_id.clone()>{text(locale, Key::CountryLabel)}</label>
                <select
                    id=country_id
                    data-testid="country"
                    prop:disabled=submitting
                    on:change=move |ev| {
                        if let Some(country) = Country::from_iso(&event_target_value(&ev)) {
                            dispatcher.send(Event::CountryChosen(country));
                        }
                    }
                >
                    {countries.into_iter().map(|country| view! {
                        <option value=country.iso_code() prop:selected=move || model.with(|m| m.form.country == country)>
                            {text(locale, country.name_key())}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <div class="dollr-field">
                <label for=phone_id.clone()>{text(locale, Key::PhoneLabel)}</label>
                <div class="dollr-phone">
                    <span class="dollr-prefix" aria-hidden="true">{dialing}</span>
                    <input
                        id=phone_id
                        data-testid="phone"
                        type="tel"
                        inputmode="tel"
                        autocomplete="tel-national"
                        prop:value=move || model.with(|m| m.form.phone_input.clone())
                        prop:disabled=submitting
                        aria-invalid=move || phone_error().is_some().to_string()
                        aria-describedby=describedby
                        on:input=move |ev| dispatcher.send(Event::PhoneEdited(event_target_value(&ev)))
                        on:blur=move |_| dispatcher.send(Event::PhoneLeft)
                    />
                </div>
                {move || phone_error().map(|key| view! {
                    <p id=error_id.clone() class="dollr-field-error" data-testid="phone-error">{text(locale, key)}</p>
                })}
                // A `String`, like the form's other reactive texts: a `&'static str` here would
                // instantiate Leptos's text rendering once more (0.5 KB brotli, measured).
                <p id=hint_id class="dollr-hint">{move || text(locale, model.with(|m| m.form.country.hint_key())).to_owned()}</p>
            </div>
            {move || (!is_card.get()).then(|| operator_section(dispatcher, locale, operator_id.clone(), operator_shape.get())).flatten()}
            </div>
            {move || is_card.get().then(|| view! { <CardFields dispatcher=dispatcher locale=locale label_id=card_label_id.clone() /> })}
            {move || currency_section(dispatcher, locale, currencies.get())}
            {move || quote_section(dispatcher, locale)}
            {move || model.with(|m| m.form.notice).map(|key| view! {
                <p class="dollr-notice" role="alert" data-testid="notice">{text(locale, key)}</p>
            })}
            <button
                type="submit"
                class="dollr-button dollr-pay"
                data-testid="pay"
                prop:disabled=move || !model.with(flow::pay_pressable)
            >
                {move || pay_label(dispatcher, locale)}
            </button>
        </form>
    }
}

/// Whether the payment is on its way (the form's controls are disabled then). One closure type
/// for every control: Leptos builds its attribute code once per type.
fn sent(model: RwSignal<Model>) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    move || model.with(|m| !matches!(m.phase, Phase::Editing))
}

/// Mobile money or card, when the order offers cards.
fn kind_section(dispatcher: Dispatcher, locale: Locale, offered: bool) -> AnyView {
    let model = dispatcher.model();
    if !offered {
        return view! { <h3 class="dollr-subheading" tabindex="-1">{text(locale, Key::PayWithMobileMoney)}</h3> }
            .into_any();
    }
    let choice = move |value: PayKind, key: Key, testid: &'static str| {
        view! {
            <label class="dollr-choice dollr-kind">
                <input
                    type="radio"
                    name="dollr-kind"
                    data-testid=testid
                    prop:checked=move || model.with(|m| m.form.kind == value)
                    prop:disabled=sent(model)
                    on:change=move |_| dispatcher.send(Event::KindChosen(value))
                />
                <span>{text(locale, key)}</span>
            </label>
        }
    };
    view! {
        <fieldset class="dollr-field dollr-kinds">
            <legend>{text(locale, Key::MethodLabel)}</legend>
            {choice(PayKind::MobileMoney, Key::MethodMobileMoney, "kind-mobile-money")}
            {choice(PayKind::Card, Key::MethodCard, "kind-card")}
        </fieldset>
    }
    .into_any()
}

/// Stripe's card fields, in the light DOM, with their loading and error states.
#[component]
fn CardFields(
    /// Where events go and the model comes from.
    dispatcher: Dispatcher,
    /// Locale for text.
    locale: Locale,
    /// Id of the label, unique per widget on the page.
    label_id: String,
) -> impl IntoView {
    let model = dispatcher.model();
    on_cleanup(move || dispatcher.unmount_card());
    let state = move || model.with(|m| m.form.card.clone());
    view! {
        <div class="dollr-field dollr-card">
            <p class="dollr-label" id=label_id.clone()>{text(locale, Key::CardLabel)}</p>
            <div class="dollr-card-host" data-testid="card-host" role="group" aria-labelledby=label_id>
                <slot name=crate::ui::CARD_SLOT></slot>
            </div>
            {move || match state() {
                Card::Loading | Card::Unloaded => Some(view! { <p class="dollr-hint" data-testid="card-loading">{text(locale, Key::CardLoading)}</p> }.into_any()),
                Card::Failed => Some(view! {
                    <div class="dollr-failed">
                        <p class="dollr-field-error" role="alert" data-testid="card-load-failed">{text(locale, Key::CardLoadFailed)}</p>
                        <button type="button" class="dollr-button" data-testid="card-retry" on:click=move |_| dispatcher.send(Event::RetryStripePressed)>
                            {text(locale, Key::TryAgain)}
                        </button>
                    </div>
                }.into_any()),
                Card::Ready { error, .. } => {
                    // Stripe's field goes in once the box it takes its style from is drawn.
                    dispatcher.mount_card_when_drawn(locale);
                    error.map(|key| view! { <p class="dollr-field-error" role="alert" data-testid="card-error">{text(locale, key)}</p> }.into_any())
                }
            }}
        </div>
    }
}

fn pay_label(dispatcher: Dispatcher, locale: Locale) -> String {
    dispatcher.model().with(|m| {
        if matches!(m.phase, Phase::Authenticating { .. }) {
            return text(locale, Key::Authenticating).to_owned();
        }
        if !matches!(m.phase, Phase::Editing) {
            return text(locale, Key::PayButtonBusy).to_owned();
        }
        match &m.form.quote {
            Lookup::Ready(quote) => format!(
                "{} {}",
                text(locale, Key::PayButton),
                format_money(locale, quote.payer_amount, &quote.payer_currency)
            ),
            _ => text(locale, Key::PayButton).to_owned(),
        }
    })
}

/// What the operator section shows, apart from the current choice.
#[derive(Clone, Debug, PartialEq)]
enum OperatorShape {
    /// Asking the proxy.
    Detecting,
    /// A select, with a message when detection did not settle it.
    Choose(Option<Key>),
}

fn operator_section(
    dispatcher: Dispatcher,
    locale: Locale,
    operator_id: String,
    shape: Option<(OperatorShape, Vec<PaymentMethod>)>,
) -> Option<AnyView> {
    let model = dispatcher.model();
    let (shape, methods) = shape?;
    let message = match shape {
        OperatorShape::Detecting => {
            return Some(view! { <p class="dollr-hint" data-testid="operator-status">{text(locale, Key::OperatorDetecting)}</p> }.into_any())
        }
        OperatorShape::Choose(message) => message,
    };
    // Read with the select, so a payer taken there by Pay hears why.
    let message_id = format!("{operator_id}-message");
    let described = message.map(|_| message_id.clone()).unwrap_or_default();
    let options = methods
        .into_iter()
        .map(|method| {
            let name = method.operator_name().unwrap_or(method.as_str()).to_owned();
            view! { <option value=method.as_str().to_owned()>{name}</option> }
        })
        .collect_view();
    Some(
        view! {
            <div class="dollr-field">
                {message.map(|key| view! { <p id=message_id class="dollr-field-error" data-testid="operator-message">{text(locale, key)}</p> })}
                <label for=operator_id.clone()>{text(locale, Key::OperatorLabel)}</label>
                <select
                    id=operator_id
                    data-testid="operator"
                    aria-describedby=described
                    prop:disabled=sent(model)
                    prop:value=move || model.with(|m| m.form.method.as_ref().map(|x| x.as_str().to_owned()).unwrap_or_default())
                    on:change=move |ev| dispatcher.send(Event::MethodChosen(PaymentMethod::parse(&event_target_value(&ev))))
                >
                    <option value="" disabled>{text(locale, Key::OperatorChoose)}</option>
                    {options}
                </select>
            </div>
        }
        .into_any(),
    )
}

fn currency_section(
    dispatcher: Dispatcher,
    locale: Locale,
    currencies: Vec<String>,
) -> Option<AnyView> {
    let model = dispatcher.model();
    if currencies.len() < 2 {
        return None;
    }
    let radios = currencies
        .into_iter()
        .map(|currency| {
            let value = currency.clone();
            let mine = currency.clone();
            view! {
                <label class="dollr-choice">
                    <input
                        type="radio"
                        name="dollr-currency"
                        data-testid=format!("currency-{currency}")
                        value=currency.clone()
                        prop:checked=move || model.with(|m| m.form.currency.as_deref() == Some(mine.as_str()))
                        prop:disabled=sent(model)
                        on:change=move |_| dispatcher.send(Event::CurrencyChosen(value.clone()))
                    />
                    <span>{currency.clone()}</span>
                </label>
            }
        })
        .collect_view();
    Some(
        view! {
            <fieldset class="dollr-field dollr-currencies">
                <legend>{text(locale, Key::CurrencyLabel)}</legend>
                {radios}
            </fieldset>
        }
        .into_any(),
    )
}

fn quote_section(dispatcher: Dispatcher, locale: Locale) -> Option<AnyView> {
    let quote = dispatcher.model().with(|m| m.form.quote.clone());
    match quote {
        Lookup::Idle => None,
        Lookup::Loading => Some(view! { <p class="dollr-hint" data-testid="quote-loading">{text(locale, Key::QuoteLoading)}</p> }.into_any()),
        Lookup::Failed(key) => {
            let retry = dispatcher.model().with(flow::quote_retryable).then(|| view! {
                <button type="button" class="dollr-button" data-testid="quote-retry" on:click=move |_| dispatcher.send(Event::QuoteRetryPressed)>
                    {text(locale, Key::TryAgain)}
                </button>
            });
            Some(view! {
                <div class="dollr-failed">
                    <p class="dollr-field-error" data-testid="quote-error">{text(locale, key)}</p>
                    {retry}
                </div>
            }.into_any())
        }
        Lookup::Ready(quote) => {
            // The fees are read only when they are the payer's to pay (not the merchant's).
            let payer_pays = dispatcher.model().with(crate::flow::payer_pays_fees);
            let fee_text = payer_pays.then(|| {
                let ((fee, currency), other) = crate::money::quote_fees(&quote);
                let mut fees = format!(" {} {}", text(locale, Key::QuoteFees), format_money(locale, fee, currency));
                if let Some((fee, currency)) = other {
                    fees.push_str(text(locale, Key::And));
                    fees.push_str(&format_money(locale, fee, currency));
                }
                fees
            });
            let amount = format_money(locale, quote.payer_amount, &quote.payer_currency);
            let rate = quote.fx_rate.filter(|_| quote.payer_currency != quote.payee_currency).map(|rate| {
                text(locale, Key::QuoteRate).replace("{rate}", &format_rate(locale, &quote.payee_currency, rate, &quote.payer_currency))
            });
            Some(
                view! {
                    <div class="dollr-quote" data-testid="quote">
                        <p>
                            {text(locale, Key::QuoteYouPay)}" "
                            <strong data-testid="quote-amount">{amount}</strong>
                            {fee_text}"."
                        </p>
                        {rate.map(|r| view! { <p class="dollr-hint" data-testid="quote-rate">{r}</p> })}
                    </div>
                }
                .into_any(),
            )
        }
    }
}
