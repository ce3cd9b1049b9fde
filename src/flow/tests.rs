//! Table-driven tests of every phase and event of the checkout flow, and of the money rules.

use dollr_api::widget::{CheckoutSummary, ErrorCode, MethodOffer, OperatorInfo, Payment, Quote};
use dollr_api::{Decimal, ExecutionStatus, PaymentMethod, Provider, SourceStatus, SourceType};

use super::*;

const NOW: f64 = 1_000_000.0;
const REF: &str = "550e8400-e29b-41d4-a716-446655440000";
const REF2: &str = "6ba7b810-9dad-41d1-80b4-00c04fd430c8";
const PHONE: &str = "231881231111";

fn offer(method: PaymentMethod, country: &str, currencies: &[&str]) -> MethodOffer {
    MethodOffer {
        provider: Provider::Pawapay,
        country: Some(country.into()),
        currencies: currencies.iter().map(|c| (*c).to_owned()).collect(),
        method,
    }
}

fn summary(status: SourceStatus) -> CheckoutSummary {
    CheckoutSummary {
        source_type: SourceType::Invoice,
        source_id: 1,
        source_number: "INV-000001".into(),
        status,
        currency: "USD".into(),
        total: Decimal::from_int(25),
        fee_bearer: Some(dollr_api::FeeBearer::Payer),
        items: vec![],
        methods: vec![
            offer(PaymentMethod::MtnMomoLbr, "LR", &["USD", "LRD"]),
            offer(PaymentMethod::OrangeMoneyLbr, "LR", &["USD", "LRD"]),
            offer(PaymentMethod::MtnMomoRwa, "RW", &["RWF"]),
        ],
        stripe: None,
        sandbox: true,
    }
}

fn card_summary() -> CheckoutSummary {
    let mut summary = summary(SourceStatus::Active);
    summary.methods.push(MethodOffer {
        provider: Provider::Stripe,
        country: None,
        currencies: vec!["USD".into()],
        method: PaymentMethod::CreditCard,
    });
    summary.stripe = Some(dollr_api::widget::StripeConfig {
        publishable_key: "pk_test_x".into(),
        js_url: "https://js.example/v3".into(),
    });
    summary
}

fn card_attempt() -> Attempt {
    Attempt {
        method: PaymentMethod::CreditCard,
        phone: String::new(),
        payment_method_id: Some("pm_card_visa".into()),
        card: CardSummary::new("visa", "4242"),
        ..attempt()
    }
}

/// Stripe's PaymentMethod for the Visa test card.
fn visa() -> Tokenized {
    Tokenized {
        payment_method_id: "pm_card_visa".into(),
        card: CardSummary::new("visa", "4242"),
    }
}

/// A card form paid, and Stripe's answer for its fields.
fn card_paid(result: Result<Tokenized, Option<String>>) -> Vec<Event> {
    with(
        card_ready(),
        vec![
            pay(),
            Event::CardTokenized {
                reference_id: REF.into(),
                result,
            },
        ],
    )
}

fn card_ready() -> Vec<Event> {
    vec![
        Event::SummaryLoaded(card_summary()),
        Event::KindChosen(PayKind::Card),
        Event::StripeLoaded(true),
        Event::CardChanged {
            complete: true,
            error_code: None,
        },
        Event::QuoteAnswered {
            method: PaymentMethod::CreditCard,
            currency: "USD".into(),
            result: Ok(quote("USD")),
        },
    ]
}

fn three_ds(reference: &str) -> Payment {
    Payment {
        requires_action: true,
        client_secret: Some("pi_x_secret_y".into()),
        ..payment(reference, ExecutionStatus::Pending, None)
    }
}

#[test]
fn card_loads_stripe_only_when_chosen() {
    let (model, commands) = run(None, vec![Event::SummaryLoaded(card_summary())]);
    assert_eq!(
        (model.form.card.clone(), commands),
        (Card::Unloaded, vec![]),
        "mobile-money payers never load Stripe.js"
    );
    let (model, commands) = step(model, Event::KindChosen(PayKind::Card), NOW);
    assert_eq!(model.form.card, Card::Loading);
    assert_eq!(
        commands,
        vec![
            Command::LoadStripe,
            Command::FetchQuote {
                method: PaymentMethod::CreditCard,
                currency: "USD".into()
            }
        ]
    );
    // Stripe.js failing to load: a retry, and mobile money still works.
    let (model, _) = step(model, Event::StripeLoaded(false), NOW);
    assert_eq!(model.form.card, Card::Failed);
    let (model, commands) = step(model, Event::RetryStripePressed, NOW);
    assert_eq!(
        (model.form.card.clone(), commands),
        (Card::Loading, vec![Command::LoadStripe])
    );
    let (model, _) = step(model, Event::StripeLoaded(false), NOW);
    let (model, _) = step(model, Event::KindChosen(PayKind::MobileMoney), NOW);
    let (model, _) = step(model, Event::PhoneEdited("0881231111".into()), NOW);
    let (model, _) = step(
        model,
        Event::OperatorAnswered {
            phone: PHONE.into(),
            result: Ok(operator(PaymentMethod::MtnMomoLbr)),
        },
        NOW,
    );
    assert_eq!(model.form.method, Some(PaymentMethod::MtnMomoLbr));
    // No card choice when the order offers none.
    let (model, commands) = run(
        None,
        vec![
            Event::SummaryLoaded(summary(SourceStatus::Active)),
            Event::KindChosen(PayKind::Card),
        ],
    );
    assert_eq!((model.form.kind, commands), (PayKind::MobileMoney, vec![]));
}

#[test]
fn card_pay_tokenizes_stores_then_sends() {
    let (model, commands) = run(None, with(card_ready(), vec![pay()]));
    assert_eq!(
        model.phase,
        Phase::Tokenizing {
            reference_id: REF.into()
        }
    );
    assert_eq!(
        commands,
        vec![Command::CreateCardPaymentMethod {
            reference_id: REF.into()
        }]
    );
    let (model, commands) = step(
        model,
        Event::PayPressed {
            reference_id: REF2.into(),
        },
        NOW,
    );
    assert_eq!(
        commands,
        vec![],
        "a double click while tokenizing does nothing"
    );
    let (model, commands) = step(
        model,
        Event::CardTokenized {
            reference_id: REF.into(),
            result: Ok(visa()),
        },
        NOW,
    );
    assert_eq!(
        commands,
        vec![
            Command::StoreAttempt(card_attempt()),
            Command::CreatePayment {
                attempt: card_attempt(),
                delay_ms: 0
            }
        ]
    );
    assert_eq!(
        model.phase,
        Phase::Submitting {
            attempt: card_attempt()
        }
    );
    // A refused card goes back to the form with Stripe's reason.
    let (model, _) = run(None, card_paid(Err(Some("incorrect_number".into()))));
    assert_eq!(model.phase, Phase::Editing);
    assert_eq!(
        model.form.card,
        Card::Ready {
            complete: true,
            error: Some(Key::CardNumber)
        }
    );
}

#[test]
fn three_d_secure_runs_once_per_attempt() {
    let submitted = card_paid(Ok(visa()));
    let (model, commands) = run(
        None,
        with(
            submitted,
            vec![Event::PaymentAnswered {
                reference_id: REF.into(),
                result: Ok(three_ds(REF)),
            }],
        ),
    );
    assert_eq!(
        model.phase,
        Phase::Authenticating {
            attempt: card_attempt()
        }
    );
    assert_eq!(
        commands,
        vec![Command::ConfirmCard {
            reference_id: REF.into(),
            client_secret: "pi_x_secret_y".into()
        }]
    );
    let (model, commands) = step(
        model,
        Event::PayPressed {
            reference_id: REF2.into(),
        },
        NOW,
    );
    assert_eq!(commands, vec![], "Pay does nothing during 3-D Secure");
    let (model, commands) = step(
        model,
        Event::CardAuthenticated {
            reference_id: REF.into(),
            result: Ok(()),
        },
        NOW,
    );
    assert!(matches!(model.phase, Phase::Waiting { .. }));
    assert_eq!(
        commands,
        vec![Command::PollStatus {
            reference_id: REF.into(),
            delay_ms: 0
        }]
    );
    // The status still says "requires action" (not yet updated): poll, never a second challenge.
    let (model, commands) = step(
        model,
        Event::StatusAnswered {
            reference_id: REF.into(),
            result: Ok(three_ds(REF)),
        },
        NOW,
    );
    assert!(matches!(model.phase, Phase::Waiting { .. }));
    assert_eq!(
        commands,
        vec![Command::PollStatus {
            reference_id: REF.into(),
            delay_ms: 2000
        }]
    );
    let (model, _) = step(
        model,
        Event::StatusAnswered {
            reference_id: REF.into(),
            result: Ok(payment(
                REF,
                ExecutionStatus::Failed,
                Some("Card authentication failed"),
            )),
        },
        NOW,
    );
    assert_eq!(
        model.phase,
        Phase::Failed {
            attempt: card_attempt(),
            reason: Key::FailureAuthentication
        }
    );
}

#[test]
fn card_errors_read_plainly() {
    assert_eq!(card_error(Some("card_declined")), Key::CardDeclined);
    assert_eq!(card_error(Some("incomplete_cvc")), Key::CardCvc);
    assert_eq!(
        card_error(Some("invalid_expiry_year_past")),
        Key::CardExpiry
    );
    assert_eq!(
        card_error(Some("payment_intent_authentication_failure")),
        Key::FailureAuthentication
    );
    assert_eq!(card_error(None), Key::CardGeneric);
}

#[test]
fn a_card_is_named_only_from_what_can_name_it() {
    let named = |brand: &str| CardSummary::new(brand, "0005").and_then(|c| c.brand.map(|b| b.name));
    assert_eq!(named("visa"), Some("Visa"));
    assert_eq!(named("amex"), Some("American Express"));
    assert_eq!(named("cartes_bancaires"), Some("Cartes Bancaires"));
    // A brand Stripe may add later, or `unknown`, is still a card, named by its last digits.
    for brand in ["newnetwork", "unknown", "", "Visa"] {
        let card = CardSummary::new(brand, "0005").expect("four digits");
        assert_eq!(
            (card.brand, card.last4.as_str()),
            (None, "0005"),
            "{brand:?}"
        );
    }
    for last4 in ["424", "42424", "42a2", "４２", ""] {
        assert_eq!(CardSummary::new("visa", last4), None, "{last4:?}");
    }
}

/// Stripe says nothing about the card: the attempt goes ahead unnamed.
#[test]
fn a_card_stripe_did_not_describe_still_pays() {
    let (model, commands) = run(
        None,
        card_paid(Ok(Tokenized {
            card: None,
            ..visa()
        })),
    );
    let unnamed = Attempt {
        card: None,
        ..card_attempt()
    };
    assert_eq!(commands[0], Command::StoreAttempt(unnamed.clone()));
    assert_eq!(model.phase, Phase::Submitting { attempt: unnamed });
}

fn operator(method: PaymentMethod) -> OperatorInfo {
    OperatorInfo {
        phone: PHONE.into(),
        method,
        provider: Provider::Pawapay,
        country: "LR".into(),
        currencies: vec!["USD".into(), "LRD".into()],
    }
}

fn quote(currency: &str) -> Quote {
    Quote {
        method: PaymentMethod::MtnMomoLbr,
        payer_amount: "25.63".parse().unwrap_or(Decimal::ZERO),
        payer_currency: currency.into(),
        payee_amount: Decimal::from_int(25),
        payee_currency: "USD".into(),
        platform_fee: Decimal::ZERO,
        platform_currency: "USD".into(),
        gateway_fee: None,
        gateway_currency: None,
        fx_fee: None,
        fx_rate: None,
    }
}

fn payment(reference: &str, status: ExecutionStatus, reason: Option<&str>) -> Payment {
    Payment {
        reference_id: reference.into(),
        status,
        payer_amount: Decimal::from_int(25),
        payer_currency: "USD".into(),
        failure_reason: reason.map(Into::into),
        requires_action: false,
        client_secret: None,
    }
}

fn attempt() -> Attempt {
    Attempt {
        reference_id: REF.into(),
        method: PaymentMethod::MtnMomoLbr,
        currency: "USD".into(),
        phone: PHONE.into(),
        payment_method_id: None,
        card: None,
        started_at_ms: NOW,
    }
}

fn api(status: u16, code: Option<ErrorCode>, retry_after: Option<u32>) -> WidgetError {
    WidgetError::Api {
        status,
        code,
        message: String::new(),
        retry_after,
    }
}

/// Runs events from a fresh start, returning the model and the commands of the last event.
fn run(stored: Option<Attempt>, events: Vec<Event>) -> (Model, Vec<Command>) {
    run_knowing(None, stored, events)
}

/// [`run`], the shop having given the payer's number (option `phone`).
fn run_knowing(
    phone: Option<&str>,
    stored: Option<Attempt>,
    events: Vec<Event>,
) -> (Model, Vec<Command>) {
    let (mut model, mut commands) = start(
        stored,
        NOW,
        DEFAULT_TIME_LIMIT_MS,
        phone.map(|phone| Prefill::phone(phone.to_owned())),
    );
    for event in events {
        (model, commands) = step(model, event, NOW);
    }
    (model, commands)
}

/// A form filled in and quoted, ready to pay.
fn ready_events() -> Vec<Event> {
    vec![
        Event::SummaryLoaded(summary(SourceStatus::Active)),
        Event::PhoneEdited("088 123 1111".into()),
        Event::OperatorAnswered {
            phone: PHONE.into(),
            result: Ok(operator(PaymentMethod::MtnMomoLbr)),
        },
        Event::QuoteAnswered {
            method: PaymentMethod::MtnMomoLbr,
            currency: "USD".into(),
            result: Ok(quote("USD")),
        },
    ]
}

fn with(mut events: Vec<Event>, more: Vec<Event>) -> Vec<Event> {
    events.extend(more);
    events
}

fn pay() -> Event {
    Event::PayPressed {
        reference_id: REF.into(),
    }
}

fn waiting() -> Vec<Event> {
    with(
        ready_events(),
        vec![
            pay(),
            Event::PaymentAnswered {
                reference_id: REF.into(),
                result: Ok(payment(REF, ExecutionStatus::Processing, None)),
            },
        ],
    )
}

#[test]
fn loading_and_load_failures() {
    let cases: Vec<(Vec<Event>, Phase, Vec<Command>)> = vec![
        (vec![], Phase::Loading, vec![Command::FetchSummary]),
        (
            vec![Event::SummaryLoaded(summary(SourceStatus::Active))],
            Phase::Editing,
            vec![],
        ),
        (
            vec![Event::SummaryLoaded(summary(SourceStatus::Paid))],
            Phase::AlreadyPaid,
            vec![],
        ),
        (
            vec![Event::SummaryFailed(WidgetError::Timeout)],
            Phase::LoadFailed {
                message: Key::ErrorNetwork,
                retryable: true,
            },
            vec![],
        ),
        (
            vec![Event::SummaryFailed(api(
                401,
                Some(ErrorCode::GrantExpired),
                None,
            ))],
            Phase::LoadFailed {
                message: Key::ErrorGrantExpired,
                retryable: false,
            },
            vec![],
        ),
        (
            vec![Event::SummaryFailed(WidgetError::BadResponse(
                "garbage".into(),
            ))],
            Phase::LoadFailed {
                message: Key::ErrorGeneric,
                retryable: true,
            },
            vec![],
        ),
        (
            vec![
                Event::SummaryFailed(WidgetError::Timeout),
                Event::RetryPressed,
            ],
            Phase::Loading,
            vec![Command::FetchSummary],
        ),
        (
            vec![
                Event::SummaryFailed(api(403, Some(ErrorCode::Forbidden), None)),
                Event::RetryPressed,
            ],
            Phase::LoadFailed {
                message: Key::ErrorGrantInvalid,
                retryable: false,
            },
            vec![],
        ),
        // The proxy's credentials refused: the shop's to fix, so the payer is told the
        // checkout is not set up, and may try again once it is.
        (
            vec![Event::SummaryFailed(api(
                503,
                Some(ErrorCode::Misconfigured),
                None,
            ))],
            Phase::LoadFailed {
                message: Key::ErrorMisconfigured,
                retryable: true,
            },
            vec![],
        ),
        (
            vec![
                Event::SummaryFailed(api(503, Some(ErrorCode::Misconfigured), None)),
                Event::RetryPressed,
            ],
            Phase::Loading,
            vec![Command::FetchSummary],
        ),
        // No proxy where the `proxy` option points (an address not found, not in the proxy's
        // words), and an order Dollr does not have, are the shop's setup too.
        (
            vec![Event::SummaryFailed(api(404, None, None))],
            Phase::LoadFailed {
                message: Key::ErrorMisconfigured,
                retryable: true,
            },
            vec![],
        ),
        (
            vec![Event::SummaryFailed(api(405, None, None))],
            Phase::LoadFailed {
                message: Key::ErrorMisconfigured,
                retryable: true,
            },
            vec![],
        ),
        (
            vec![Event::SummaryFailed(api(
                404,
                Some(ErrorCode::NotFound),
                None,
            ))],
            Phase::LoadFailed {
                message: Key::ErrorMisconfigured,
                retryable: true,
            },
            vec![],
        ),
        // The page's own policy refusing to connect to the proxy is the shop's setup too, and
        // is not asked again when the payer is back online, as a network failure is.
        (
            vec![Event::SummaryFailed(WidgetError::Refused(
                "https://pay.example".into(),
            ))],
            Phase::LoadFailed {
                message: Key::ErrorMisconfigured,
                retryable: true,
            },
            vec![],
        ),
        (
            vec![
                Event::SummaryFailed(WidgetError::Refused("https://pay.example".into())),
                Event::PayerBack,
            ],
            Phase::LoadFailed {
                message: Key::ErrorMisconfigured,
                retryable: true,
            },
            vec![],
        ),
        // A refusal of what was asked is not the setup's; its sentence asks the payer to try
        // again, which they can.
        (
            vec![Event::SummaryFailed(api(
                400,
                Some(ErrorCode::InvalidRequest),
                None,
            ))],
            Phase::LoadFailed {
                message: Key::ErrorGeneric,
                retryable: true,
            },
            vec![],
        ),
        // A late failure never replaces a shown order.
        (
            vec![
                Event::SummaryLoaded(summary(SourceStatus::Active)),
                Event::SummaryFailed(WidgetError::Timeout),
            ],
            Phase::Editing,
            vec![],
        ),
    ];
    for (index, (events, phase, commands)) in cases.into_iter().enumerate() {
        let (model, out) = run(None, events);
        assert_eq!(model.phase, phase, "case {index}");
        assert_eq!(out, commands, "case {index}");
    }
}

#[test]
fn the_form_detects_the_operator_and_quotes() {
    let (model, commands) = run(
        None,
        vec![
            Event::SummaryLoaded(summary(SourceStatus::Active)),
            Event::PhoneEdited("0881231111".into()),
        ],
    );
    assert_eq!(model.form.phone, PhoneCheck::Valid(PHONE.into()));
    assert_eq!(
        commands,
        vec![Command::DetectOperator {
            phone: PHONE.into()
        }]
    );
    let (model, commands) = step(
        model,
        Event::OperatorAnswered {
            phone: PHONE.into(),
            result: Ok(operator(PaymentMethod::MtnMomoLbr)),
        },
        NOW,
    );
    assert_eq!(model.form.method, Some(PaymentMethod::MtnMomoLbr));
    assert_eq!(
        model.form.currency.as_deref(),
        Some("USD"),
        "the order's currency is preferred"
    );
    assert_eq!(
        commands,
        vec![Command::FetchQuote {
            method: PaymentMethod::MtnMomoLbr,
            currency: "USD".into()
        }]
    );
    assert!(!can_pay(&model), "not before the quote");
    // Choosing LRD asks for a new quote; a late USD quote is ignored.
    let (model, commands) = step(model, Event::CurrencyChosen("LRD".into()), NOW);
    assert_eq!(
        commands,
        vec![Command::FetchQuote {
            method: PaymentMethod::MtnMomoLbr,
            currency: "LRD".into()
        }]
    );
    let (model, _) = step(
        model,
        Event::QuoteAnswered {
            method: PaymentMethod::MtnMomoLbr,
            currency: "USD".into(),
            result: Ok(quote("USD")),
        },
        NOW,
    );
    assert_eq!(model.form.quote, Lookup::Loading);
    let (model, _) = step(
        model,
        Event::QuoteAnswered {
            method: PaymentMethod::MtnMomoLbr,
            currency: "LRD".into(),
            result: Ok(quote("LRD")),
        },
        NOW,
    );
    assert!(can_pay(&model));
    // A currency the method cannot pay in is refused.
    let (model, commands) = step(model, Event::CurrencyChosen("RWF".into()), NOW);
    assert_eq!(
        (model.form.currency.as_deref(), commands),
        (Some("LRD"), vec![])
    );
    // The payer corrects the operator: new quote, in the currency they chose.
    let (model, commands) = step(
        model,
        Event::MethodChosen(PaymentMethod::OrangeMoneyLbr),
        NOW,
    );
    assert_eq!(
        commands,
        vec![Command::FetchQuote {
            method: PaymentMethod::OrangeMoneyLbr,
            currency: "LRD".into()
        }]
    );
    // A method of another country is not offered here.
    let (model, commands) = step(model, Event::MethodChosen(PaymentMethod::MtnMomoRwa), NOW);
    assert_eq!(
        (model.form.method, commands),
        (Some(PaymentMethod::OrangeMoneyLbr), vec![])
    );
}

#[test]
fn operator_answers_that_do_not_fit() {
    let base = vec![
        Event::SummaryLoaded(summary(SourceStatus::Active)),
        Event::PhoneEdited("0881231111".into()),
    ];
    let cases: Vec<(Result<OperatorInfo, WidgetError>, Operator)> = vec![
        (
            Err(api(422, Some(ErrorCode::UnknownOperator), None)),
            Operator::Unknown,
        ),
        (Err(WidgetError::Timeout), Operator::Failed),
        (Ok(operator(PaymentMethod::AirtelRwa)), Operator::Unknown),
    ];
    for (result, expected) in cases {
        let (model, commands) = run(
            None,
            with(
                base.clone(),
                vec![Event::OperatorAnswered {
                    phone: PHONE.into(),
                    result,
                }],
            ),
        );
        assert_eq!(model.form.operator, expected);
        assert_eq!((model.form.method, commands), (None, vec![]));
    }
    // A stale answer for a number no longer in the field is ignored.
    let (model, _) = run(
        None,
        with(
            base,
            vec![
                Event::PhoneEdited("0881231112".into()),
                Event::OperatorAnswered {
                    phone: PHONE.into(),
                    result: Ok(operator(PaymentMethod::MtnMomoLbr)),
                },
            ],
        ),
    );
    assert_eq!(
        model.form.operator,
        Operator::Detecting("231881231112".into())
    );
}

#[test]
fn phone_errors_show_when_they_help() {
    let loaded = vec![Event::SummaryLoaded(summary(SourceStatus::Active))];
    let (model, _) = run(
        None,
        with(loaded.clone(), vec![Event::PhoneEdited("0881".into())]),
    );
    assert_eq!(
        (model.form.phone.clone(), model.form.show_phone_error),
        (PhoneCheck::Incomplete, false),
        "not while typing"
    );
    let (model, _) = step(model, Event::PhoneLeft, NOW);
    assert!(
        model.form.show_phone_error,
        "once the payer leaves the field"
    );
    let (model, _) = run(
        None,
        with(loaded.clone(), vec![Event::PhoneEdited("0881x".into())]),
    );
    assert!(
        model.form.show_phone_error,
        "an impossible character shows at once"
    );
    // Pay on an incomplete form sends nothing: it shows the error and takes the payer there.
    let (model, commands) = run(
        None,
        with(loaded, vec![Event::PhoneEdited("0881".into()), pay()]),
    );
    assert_eq!(
        (model.phase, commands),
        (Phase::Editing, vec![Command::ShowProblem(Problem::Phone)])
    );
    assert!(model.form.show_phone_error);
}

#[test]
fn pay_on_a_form_not_ready_says_what_is_missing() {
    let loaded = vec![Event::SummaryLoaded(summary(SourceStatus::Active))];
    // Pressable from the start: an empty number is asked for, and leaving the field keeps the
    // request in view; typing answers it, so "too short" waits for the payer again.
    let (model, _) = run(None, loaded.clone());
    assert!(pay_pressable(&model) && !can_pay(&model));
    let (model, commands) = step(model, pay(), NOW);
    assert_eq!(commands, vec![Command::ShowProblem(Problem::Phone)]);
    assert_eq!(
        (model.form.phone.clone(), model.form.show_phone_error),
        (PhoneCheck::Empty, true)
    );
    let (model, _) = step(model, Event::PhoneLeft, NOW);
    assert!(model.form.show_phone_error, "still asked for after leaving");
    let (model, _) = step(model, Event::PhoneEdited("0".into()), NOW);
    assert!(
        !model.form.show_phone_error,
        "not \"too short\" at the first digit"
    );
    let (model, _) = step(model, Event::PhoneLeft, NOW);
    assert!(model.form.show_phone_error);
    // Leaving an empty field untouched by Pay says nothing.
    let (model, _) = run(None, with(loaded.clone(), vec![Event::PhoneLeft]));
    assert!(!model.form.show_phone_error);
    // While the network or the amount is on its way, Pay waits for it.
    let (model, _) = run(
        None,
        with(
            loaded.clone(),
            vec![Event::PhoneEdited("0881231111".into())],
        ),
    );
    assert!(!pay_pressable(&model), "detecting the network");
    let unknown = with(
        loaded.clone(),
        vec![
            Event::PhoneEdited("0881231111".into()),
            Event::OperatorAnswered {
                phone: PHONE.into(),
                result: Err(api(422, Some(ErrorCode::UnknownOperator), None)),
            },
        ],
    );
    let (model, _) = run(None, unknown);
    assert_eq!(model.form.method, None);
    assert!(pay_pressable(&model));
    let (model, commands) = step(model, pay(), NOW);
    assert_eq!(commands, vec![Command::ShowProblem(Problem::Operator)]);
    let (model, _) = step(
        model,
        Event::MethodChosen(PaymentMethod::OrangeMoneyLbr),
        NOW,
    );
    assert_eq!(model.form.quote, Lookup::Loading);
    assert!(!pay_pressable(&model), "the amount is on its way");
    // A quote lost to the network: Pay leads to its "Try again".
    let (model, _) = step(
        model,
        Event::QuoteAnswered {
            method: PaymentMethod::OrangeMoneyLbr,
            currency: "USD".into(),
            result: Err(WidgetError::Timeout),
        },
        NOW,
    );
    assert!(quote_retryable(&model) && pay_pressable(&model));
    let (model, commands) = step(model, pay(), NOW);
    assert_eq!(commands, vec![Command::ShowProblem(Problem::Retry)]);
    assert_eq!(model.phase, Phase::Editing);
}

#[test]
fn pay_on_card_fields_not_ready_says_what_is_missing() {
    let card = vec![
        Event::SummaryLoaded(card_summary()),
        Event::KindChosen(PayKind::Card),
        Event::QuoteAnswered {
            method: PaymentMethod::CreditCard,
            currency: "USD".into(),
            result: Ok(quote("USD")),
        },
    ];
    let (model, _) = run(None, card.clone());
    assert!(!pay_pressable(&model), "the card fields are on their way");
    let (model, _) = step(model, Event::StripeLoaded(false), NOW);
    assert!(pay_pressable(&model));
    let (_, commands) = step(model, pay(), NOW);
    assert_eq!(commands, vec![Command::ShowProblem(Problem::Retry)]);
    // Fields left empty: asked for, and the focus goes to them.
    let (model, _) = run(None, with(card.clone(), vec![Event::StripeLoaded(true)]));
    let (model, commands) = step(model, pay(), NOW);
    assert_eq!(
        (model.phase.clone(), commands),
        (Phase::Editing, vec![Command::ShowProblem(Problem::Card)])
    );
    assert_eq!(
        model.form.card,
        Card::Ready {
            complete: false,
            error: Some(Key::CardIncomplete)
        }
    );
    // What Stripe said about a field is kept rather than replaced.
    let (model, _) = run(
        None,
        with(
            card,
            vec![
                Event::StripeLoaded(true),
                Event::CardChanged {
                    complete: false,
                    error_code: Some("invalid_expiry_year_past".into()),
                },
                pay(),
            ],
        ),
    );
    assert_eq!(
        model.form.card,
        Card::Ready {
            complete: false,
            error: Some(Key::CardExpiry)
        }
    );
    // Typing clears the request.
    let (model, _) = step(
        model,
        Event::CardChanged {
            complete: false,
            error_code: None,
        },
        NOW,
    );
    assert_eq!(
        model.form.card,
        Card::Ready {
            complete: false,
            error: None
        }
    );
}

#[test]
fn a_number_with_its_country_code_chooses_its_country() {
    let loaded = vec![Event::SummaryLoaded(summary(SourceStatus::Active))];
    let typed = |inputs: &[&str]| {
        let edits = inputs.iter().map(|i| Event::PhoneEdited((*i).into()));
        run(None, with(loaded.clone(), edits.collect()))
    };
    // Pasted, or typed key by key: Rwanda once "+250" is there, its network looked up.
    for inputs in [
        &["+250 78 123 1111"][..],
        &["+", "+2", "+25", "+250", "+250 78 123 1111"],
        &["00250781231111"],
        &["250781231111"],
    ] {
        let (model, commands) = typed(inputs);
        assert_eq!(
            (model.form.country, model.form.phone),
            (Country::Rwanda, PhoneCheck::Valid("250781231111".into())),
            "{inputs:?}"
        );
        assert_eq!(
            commands,
            vec![Command::DetectOperator {
                phone: "250781231111".into()
            }]
        );
    }
    // Its code decides even when something else is wrong with it.
    let (model, _) = typed(&["+250 78 123 11111"]);
    assert_eq!(
        (model.form.country, model.form.phone),
        (Country::Rwanda, PhoneCheck::Invalid(Key::PhoneTooLong))
    );
    // A national number stays in the chosen country, right or wrong.
    for input in ["0881231111", "08812311112", "0781231111"] {
        assert_eq!(typed(&[input]).0.form.country, Country::Liberia, "{input}");
    }
    // A country the payer chooses by hand is kept, and the number is explained against it.
    let (model, _) = typed(&["+250 78 123 1111"]);
    let (model, commands) = step(model, Event::CountryChosen(Country::Liberia), NOW);
    assert_eq!(
        (
            model.form.country,
            model.form.phone,
            model.form.show_phone_error
        ),
        (
            Country::Liberia,
            PhoneCheck::Invalid(Key::PhoneOtherCountry),
            true
        )
    );
    assert_eq!(commands, vec![]);
    // A country whose wallets this order does not take: said so, not "choose its country".
    let (model, _) = typed(&["+254 712 345 678"]);
    assert_eq!(
        (model.form.country, model.form.phone),
        (
            Country::Liberia,
            PhoneCheck::Invalid(Key::PhoneCountryNotOffered)
        )
    );
    let mut liberia_only = summary(SourceStatus::Active);
    liberia_only
        .methods
        .retain(|o| o.country.as_deref() == Some("LR"));
    let (model, _) = run(
        None,
        vec![
            Event::SummaryLoaded(liberia_only),
            Event::PhoneEdited("+250 78 123 1111".into()),
        ],
    );
    assert_eq!(
        (model.form.country, model.form.phone),
        (
            Country::Liberia,
            PhoneCheck::Invalid(Key::PhoneCountryNotOffered)
        )
    );
}

#[test]
fn a_number_the_shop_knows_is_entered_for_the_payer() {
    let loaded = |status| vec![Event::SummaryLoaded(summary(status))];
    // Entered once the order is in, its network looked up, as if typed.
    let (model, commands) = run_knowing(Some("088 123 1111"), None, vec![]);
    assert_eq!(
        (model.phase, commands),
        (Phase::Loading, vec![Command::FetchSummary])
    );
    let (model, commands) = run_knowing(Some("088 123 1111"), None, loaded(SourceStatus::Active));
    assert_eq!(
        (
            model.form.phone_input.as_str(),
            model.form.phone,
            model.form.show_phone_error
        ),
        ("088 123 1111", PhoneCheck::Valid(PHONE.into()), false)
    );
    assert_eq!(
        commands,
        vec![Command::DetectOperator {
            phone: PHONE.into()
        }]
    );
    // With its country code it chooses its country.
    let (model, _) = run_knowing(Some("+250 78 123 1111"), None, loaded(SourceStatus::Active));
    assert_eq!(model.form.country, Country::Rwanda);
    // What is wrong with it shows at once: the payer did not type it.
    let (model, commands) = run_knowing(Some("0881"), None, loaded(SourceStatus::Active));
    assert_eq!(
        (model.form.phone, model.form.show_phone_error, commands),
        (PhoneCheck::Incomplete, true, vec![])
    );
    for impossible in ["0881x", "+254 712 345 678"] {
        let (model, _) = run_knowing(Some(impossible), None, loaded(SourceStatus::Active));
        assert!(
            matches!(model.form.phone, PhoneCheck::Invalid(_)) && model.form.show_phone_error,
            "{impossible}"
        );
    }
    // Another payment running on the order is still told.
    let (model, _) = run_knowing(Some("088 123 1111"), None, loaded(SourceStatus::Processing));
    assert_eq!(model.form.notice, Some(Key::NoticePaymentInProgress));
    assert_eq!(model.form.phone, PhoneCheck::Valid(PHONE.into()));
    // A stored attempt resumes with its own number; a paid order shows no form.
    let (model, _) = run_knowing(
        Some("088 123 9999"),
        Some(attempt()),
        loaded(SourceStatus::Processing),
    );
    assert!(matches!(model.phase, Phase::Waiting { .. }));
    assert_eq!(model.form.phone, PhoneCheck::Valid(attempt().phone));
    let (model, commands) = run_knowing(Some("088 123 1111"), None, loaded(SourceStatus::Paid));
    assert_eq!((model.phase, commands), (Phase::AlreadyPaid, vec![]));
    // Entered once: a payer who clears it is not given it back.
    let (model, _) = run_knowing(
        Some("088 123 1111"),
        None,
        with(
            loaded(SourceStatus::Active),
            vec![Event::PhoneEdited(String::new())],
        ),
    );
    assert_eq!(model.form.phone, PhoneCheck::Empty);
}

#[test]
fn what_the_payer_typed_comes_back_in_a_rebuilt_checkout() {
    let loaded = |summary| vec![Event::SummaryLoaded(summary)];
    let rwanda = "078 123 1111";
    let typed = with(
        loaded(summary(SourceStatus::Active)),
        vec![
            Event::CountryChosen(Country::Rwanda),
            Event::PhoneEdited(rwanda.into()),
        ],
    );
    let (model, _) = run(None, typed.clone());
    let kept = draft(&model);
    assert_eq!(
        kept,
        Some(Prefill {
            country: Some(Country::Rwanda),
            phone: rwanda.into(),
            kind: PayKind::MobileMoney,
            wallet: None,
        })
    );
    // The rebuilt checkout: the country chosen, the number as typed, its network looked up.
    let (rebuilt, _) = start(None, NOW, DEFAULT_TIME_LIMIT_MS, kept.clone());
    let (rebuilt, commands) = step(
        rebuilt,
        loaded(summary(SourceStatus::Active)).remove(0),
        NOW,
    );
    assert_eq!(
        (rebuilt.form.country, rebuilt.form.phone_input.as_str()),
        (Country::Rwanda, rwanda)
    );
    assert_eq!(
        commands,
        vec![Command::DetectOperator {
            phone: "250781231111".into()
        }]
    );
    // Kept from a form ended for want of a grant; not once the payment is on its way, where the
    // stored attempt resumes, nor from an empty field or before the order is in.
    let refused = Event::OperatorAnswered {
        phone: "250781231111".into(),
        result: Err(api(401, Some(ErrorCode::GrantExpired), None)),
    };
    let (model, _) = run(None, with(typed, vec![refused]));
    assert!(matches!(model.phase, Phase::Fatal { .. }));
    assert!(draft(&model).is_some());
    for (name, events) in [
        ("waiting", waiting()),
        ("loading", vec![]),
        (
            "emptied",
            with(ready_events(), vec![Event::PhoneEdited("  ".into())]),
        ),
    ] {
        assert_eq!(draft(&run(None, events).0), None, "{name}");
    }
}

#[test]
fn pay_stores_the_attempt_before_sending_it() {
    let (model, commands) = run(None, with(ready_events(), vec![pay()]));
    let expected = Attempt {
        currency: "USD".into(),
        ..attempt()
    };
    assert_eq!(
        commands,
        vec![
            Command::StoreAttempt(expected.clone()),
            Command::CreatePayment {
                attempt: expected.clone(),
                delay_ms: 0
            }
        ]
    );
    assert_eq!(model.phase, Phase::Submitting { attempt: expected });
}

#[test]
fn pay_cannot_fire_twice() {
    let (model, _) = run(None, with(ready_events(), vec![pay()]));
    let (model, commands) = step(
        model,
        Event::PayPressed {
            reference_id: REF2.into(),
        },
        NOW,
    );
    assert_eq!(commands, vec![], "a double click sends nothing");
    assert!(
        matches!(model.phase, Phase::Submitting { ref attempt } if attempt.reference_id == REF)
    );
    // Nor while waiting, nor after success.
    let (model, commands) = run(
        None,
        with(
            waiting(),
            vec![Event::PayPressed {
                reference_id: REF2.into(),
            }],
        ),
    );
    assert!(matches!(model.phase, Phase::Waiting { .. }));
    assert_eq!(commands, vec![]);
}

#[test]
fn answers_of_the_create_request() {
    let submitted = with(ready_events(), vec![pay()]);
    let answer = |result| Event::PaymentAnswered {
        reference_id: REF.into(),
        result,
    };
    let cases: Vec<(Result<Payment, WidgetError>, &str, Vec<Command>)> = vec![
        (
            Ok(payment(REF, ExecutionStatus::Pending, None)),
            "waiting",
            vec![Command::PollStatus {
                reference_id: REF.into(),
                delay_ms: 2000,
            }],
        ),
        (
            Ok(payment(REF, ExecutionStatus::Completed, None)),
            "succeeded",
            vec![Command::FetchReceipt],
        ),
        (
            Ok(payment(
                REF,
                ExecutionStatus::Failed,
                Some("Payer declined the payment request"),
            )),
            "failed",
            vec![],
        ),
        // Lost answers: the same attempt is sent again, never a new reference.
        (
            Err(WidgetError::Network("reset".into())),
            "waiting",
            vec![Command::CreatePayment {
                attempt: attempt(),
                delay_ms: RESEND_MS,
            }],
        ),
        (
            Err(api(502, Some(ErrorCode::Upstream), None)),
            "waiting",
            vec![Command::CreatePayment {
                attempt: attempt(),
                delay_ms: RESEND_MS,
            }],
        ),
        // The proxy's credentials refused: nothing was executed, and the same attempt is sent
        // again until the shop fixes them.
        (
            Err(api(503, Some(ErrorCode::Misconfigured), None)),
            "waiting",
            vec![Command::CreatePayment {
                attempt: attempt(),
                delay_ms: RESEND_MS,
            }],
        ),
        // The page's policy refused to send it: nothing left the browser, and the same attempt
        // is sent again (never another reference).
        (
            Err(WidgetError::Refused("https://pay.example".into())),
            "waiting",
            vec![Command::CreatePayment {
                attempt: attempt(),
                delay_ms: RESEND_MS,
            }],
        ),
        (
            Err(api(429, Some(ErrorCode::RateLimited), Some(5))),
            "waiting",
            vec![Command::CreatePayment {
                attempt: attempt(),
                delay_ms: 5000,
            }],
        ),
        (
            Err(WidgetError::BadResponse("<html>".into())),
            "waiting",
            vec![Command::CreatePayment {
                attempt: attempt(),
                delay_ms: RESEND_MS,
            }],
        ),
        // Refusals before anything moved.
        (
            Err(api(400, Some(ErrorCode::InvalidRequest), None)),
            "editing",
            vec![Command::ForgetAttempt(REF.into())],
        ),
        (
            Err(api(409, Some(ErrorCode::AlreadyPaid), None)),
            "already paid",
            vec![Command::ForgetAttempt(REF.into())],
        ),
        // Another attempt for the order may land: ours was never sent; follow the other one.
        (
            Err(api(409, Some(ErrorCode::PaymentInProgress), None)),
            "editing",
            vec![
                Command::ForgetAttempt(REF.into()),
                Command::FollowStoredAttempt { except: REF.into() },
                Command::RecheckOrder {
                    delay_ms: RECHECK_MS,
                },
            ],
        ),
        (
            Err(api(401, Some(ErrorCode::GrantExpired), None)),
            "fatal",
            vec![],
        ),
        // An unknown status is never success.
        (
            Ok(payment(
                REF,
                ExecutionStatus::Unrecognised("SETTLED".into()),
                None,
            )),
            "waiting",
            vec![Command::PollStatus {
                reference_id: REF.into(),
                delay_ms: 2000,
            }],
        ),
        // An answer about another payment is not trusted.
        (
            Ok(payment(REF2, ExecutionStatus::Completed, None)),
            "waiting",
            vec![Command::PollStatus {
                reference_id: REF.into(),
                delay_ms: 2000,
            }],
        ),
    ];
    for (index, (result, phase, commands)) in cases.into_iter().enumerate() {
        let (model, out) = run(None, with(submitted.clone(), vec![answer(result)]));
        let name = match model.phase {
            Phase::Waiting { .. } => "waiting",
            Phase::Succeeded { .. } => "succeeded",
            Phase::Failed { .. } => "failed",
            Phase::Editing => "editing",
            Phase::AlreadyPaid => "already paid",
            Phase::Fatal { .. } => "fatal",
            _ => "other",
        };
        assert_eq!((name, out), (phase, commands), "case {index}");
    }
    let (model, _) = run(
        None,
        with(
            submitted.clone(),
            vec![answer(Err(api(400, Some(ErrorCode::InvalidRequest), None)))],
        ),
    );
    assert_eq!(model.form.notice, Some(Key::NoticeDetailsRefused));
    // A card refused the same way is told about the card, not a number and network.
    let (model, _) = run(
        None,
        with(
            card_paid(Ok(visa())),
            vec![answer(Err(api(400, Some(ErrorCode::InvalidRequest), None)))],
        ),
    );
    assert_eq!(
        (model.phase, model.form.notice),
        (Phase::Editing, Some(Key::NoticeCardRefused))
    );
    let (model, _) = run(
        None,
        with(
            submitted,
            vec![answer(Err(api(
                409,
                Some(ErrorCode::PaymentInProgress),
                None,
            )))],
        ),
    );
    assert_eq!(model.form.notice, Some(Key::NoticePaymentInProgress));
}

#[test]
fn status_polling_and_outcomes() {
    let answer = |result| Event::StatusAnswered {
        reference_id: REF.into(),
        result,
    };
    let (model, commands) = run(
        None,
        with(
            waiting(),
            vec![answer(Ok(payment(REF, ExecutionStatus::Processing, None)))],
        ),
    );
    assert!(matches!(
        model.phase,
        Phase::Waiting {
            connection_trouble: false,
            ..
        }
    ));
    assert_eq!(
        commands,
        vec![Command::PollStatus {
            reference_id: REF.into(),
            delay_ms: 2000
        }]
    );
    // A network blip never becomes a failure: keep polling, say we are still checking.
    let (model, commands) = run(
        None,
        with(
            waiting(),
            vec![answer(Err(WidgetError::Network("offline".into())))],
        ),
    );
    assert!(matches!(
        model.phase,
        Phase::Waiting {
            connection_trouble: true,
            ..
        }
    ));
    assert_eq!(
        commands,
        vec![Command::PollStatus {
            reference_id: REF.into(),
            delay_ms: 2000
        }]
    );
    // Retry-After is honoured.
    let (_, commands) = run(
        None,
        with(
            waiting(),
            vec![answer(Err(api(429, Some(ErrorCode::RateLimited), Some(8))))],
        ),
    );
    assert_eq!(
        commands,
        vec![Command::PollStatus {
            reference_id: REF.into(),
            delay_ms: 8000
        }]
    );
    // Not found: the first request never landed, so the same attempt is sent again.
    let (_, commands) = run(
        None,
        with(
            waiting(),
            vec![answer(Err(api(404, Some(ErrorCode::NotFound), None)))],
        ),
    );
    assert_eq!(
        commands,
        vec![Command::CreatePayment {
            attempt: attempt(),
            delay_ms: 0
        }]
    );
    // Final statuses.
    let (model, commands) = run(
        None,
        with(
            waiting(),
            vec![answer(Ok(payment(REF, ExecutionStatus::Completed, None)))],
        ),
    );
    assert!(matches!(
        model.phase,
        Phase::Succeeded {
            receipt: Lookup::Loading,
            ..
        }
    ));
    assert_eq!(commands, vec![Command::FetchReceipt]);
    let (model, _) = run(
        None,
        with(
            waiting(),
            vec![answer(Ok(payment(
                REF,
                ExecutionStatus::Failed,
                Some("Insufficient funds in the payer's wallet"),
            )))],
        ),
    );
    assert_eq!(
        model.phase,
        Phase::Failed {
            attempt: attempt(),
            reason: Key::FailureInsufficientFunds
        }
    );
    // An answer about an attempt no longer followed is ignored.
    let (model, commands) = run(
        None,
        with(
            waiting(),
            vec![Event::StatusAnswered {
                reference_id: REF2.into(),
                result: Ok(payment(REF2, ExecutionStatus::Completed, None)),
            }],
        ),
    );
    assert!(matches!(model.phase, Phase::Waiting { .. }));
    assert_eq!(commands, vec![]);
}

#[test]
fn polling_backs_off_after_the_first_minute() {
    assert_eq!(poll_delay(0.0, 30_000.0, None), 2000);
    assert_eq!(poll_delay(0.0, 59_999.0, None), 2000);
    assert_eq!(poll_delay(0.0, 90_000.0, None), 5000);
    assert_eq!(
        poll_delay(0.0, 600_000.0, None),
        10_000,
        "at most every 10 s"
    );
    assert_eq!(
        poll_delay(0.0, 30_000.0, Some(4)),
        4000,
        "Retry-After wins when longer"
    );
    assert_eq!(poll_delay(0.0, 600_000.0, Some(4)), 10_000);
}

#[test]
fn the_fees_are_the_payers_to_read_unless_the_order_says_the_merchant_bears_them() {
    let (before, _) = run(None, vec![]);
    assert!(payer_pays_fees(&before), "no order yet: the fees are said");
    let (usual, _) = run(
        None,
        vec![Event::SummaryLoaded(summary(SourceStatus::Active))],
    );
    assert!(payer_pays_fees(&usual));
    let mut on_the_merchant = summary(SourceStatus::Active);
    on_the_merchant.fee_bearer = Some(dollr_api::FeeBearer::Payee);
    let (model, _) = run(None, vec![Event::SummaryLoaded(on_the_merchant)]);
    assert!(!payer_pays_fees(&model));
}

#[test]
fn past_the_time_limit_is_still_pending_never_failed() {
    let (model, _) = run(None, waiting());
    let later = NOW + DEFAULT_TIME_LIMIT_MS + 1000.0;
    let (model, commands) = step(
        model,
        Event::StatusAnswered {
            reference_id: REF.into(),
            result: Ok(payment(REF, ExecutionStatus::Processing, None)),
        },
        later,
    );
    assert!(is_overdue(&model));
    assert!(
        matches!(model.phase, Phase::Waiting { .. }),
        "still waiting, not failed"
    );
    assert_eq!(
        commands,
        vec![Command::PollStatus {
            reference_id: REF.into(),
            delay_ms: 10_000
        }]
    );
    if let Phase::Waiting { attempt, .. } = &model.phase {
        assert_eq!(timing(&model, attempt), (901, 0));
    }
}

#[test]
fn a_new_attempt_only_after_failed() {
    let failed = with(
        waiting(),
        vec![Event::StatusAnswered {
            reference_id: REF.into(),
            result: Ok(payment(REF, ExecutionStatus::Failed, Some("declined"))),
        }],
    );
    let (model, commands) = run(
        None,
        with(
            failed.clone(),
            vec![Event::PayPressed {
                reference_id: REF2.into(),
            }],
        ),
    );
    assert!(
        matches!(model.phase, Phase::Failed { .. }),
        "Pay does nothing on the failure screen"
    );
    assert_eq!(commands, vec![]);
    let (model, commands) = run(None, with(failed, vec![Event::TryAgainPressed]));
    assert_eq!(
        (model.phase.clone(), commands),
        (Phase::Editing, vec![Command::ForgetAttempt(REF.into())])
    );
    assert!(
        can_pay(&model),
        "the form keeps the number, network and quote"
    );
    let (model, commands) = step(
        model,
        Event::PayPressed {
            reference_id: REF2.into(),
        },
        NOW + 5000.0,
    );
    assert!(matches!(&commands[0], Command::StoreAttempt(a) if a.reference_id == REF2));
    assert!(matches!(model.phase, Phase::Submitting { .. }));
    // TryAgain anywhere else does nothing.
    let (model, commands) = run(None, with(waiting(), vec![Event::TryAgainPressed]));
    assert!(matches!(model.phase, Phase::Waiting { .. }));
    assert_eq!(commands, vec![]);
}

#[test]
fn a_reload_resumes_the_stored_attempt() {
    let (model, commands) = run(
        Some(attempt()),
        vec![Event::SummaryLoaded(summary(SourceStatus::Processing))],
    );
    assert_eq!(
        model.phase,
        Phase::Waiting {
            attempt: attempt(),
            payment: None,
            connection_trouble: false
        }
    );
    assert_eq!(
        commands,
        vec![Command::PollStatus {
            reference_id: REF.into(),
            delay_ms: 0
        }]
    );
    assert_eq!(model.form.phone_input, "881231111");
    assert_eq!(model.form.method, Some(PaymentMethod::MtnMomoLbr));
    // Even if the order already shows as paid, the stored attempt is asked about (it is ours).
    let (model, _) = run(
        Some(attempt()),
        vec![Event::SummaryLoaded(summary(SourceStatus::Paid))],
    );
    assert!(matches!(model.phase, Phase::Waiting { .. }));
}

#[test]
fn another_tab_attempt_is_followed_not_raced() {
    let other = Attempt {
        reference_id: REF2.into(),
        ..attempt()
    };
    let (model, commands) = run(
        None,
        with(
            ready_events(),
            vec![Event::AttemptSeenElsewhere(other.clone())],
        ),
    );
    assert!(
        matches!(model.phase, Phase::Waiting { ref attempt, .. } if attempt.reference_id == REF2)
    );
    assert_eq!(
        commands,
        vec![Command::PollStatus {
            reference_id: REF2.into(),
            delay_ms: 0
        }]
    );
    let (model, commands) = run(
        None,
        with(waiting(), vec![Event::AttemptSeenElsewhere(other.clone())]),
    );
    assert!(
        matches!(model.phase, Phase::Waiting { ref attempt, .. } if attempt.reference_id == REF),
        "our own attempt stays"
    );
    // The other tab's write replaced ours in storage: ours is stored again, once.
    assert_eq!(commands, vec![Command::StoreAttempt(attempt())]);
    let (model, commands) = run(
        None,
        with(
            waiting(),
            vec![
                Event::AttemptSeenElsewhere(other.clone()),
                Event::AttemptSeenElsewhere(other.clone()),
            ],
        ),
    );
    assert!(matches!(model.phase, Phase::Waiting { .. }));
    assert_eq!(commands, vec![], "two tabs never trade writes forever");
    // Our own write echoed back changes nothing.
    let (_, commands) = run(
        None,
        with(waiting(), vec![Event::AttemptSeenElsewhere(attempt())]),
    );
    assert_eq!(commands, vec![]);
    // Refused because the other tab's attempt runs: the notice, then following it.
    let refused = with(
        ready_events(),
        vec![
            pay(),
            Event::PaymentAnswered {
                reference_id: REF.into(),
                result: Err(api(409, Some(ErrorCode::PaymentInProgress), None)),
            },
        ],
    );
    let (model, _) = run(None, refused.clone());
    assert_eq!(
        (model.phase, model.form.notice),
        (Phase::Editing, Some(Key::NoticePaymentInProgress))
    );
    let (model, commands) = run(
        None,
        with(refused, vec![Event::AttemptSeenElsewhere(other)]),
    );
    assert!(
        matches!(model.phase, Phase::Waiting { ref attempt, .. } if attempt.reference_id == REF2)
    );
    assert_eq!(model.form.notice, None);
    assert_eq!(
        commands,
        vec![Command::PollStatus {
            reference_id: REF2.into(),
            delay_ms: 0
        }]
    );
}

#[test]
fn form_edits_are_ignored_while_paying() {
    for event in [
        Event::PhoneEdited("0771231111".into()),
        Event::CountryChosen(Country::Rwanda),
        Event::MethodChosen(PaymentMethod::OrangeMoneyLbr),
        Event::CurrencyChosen("LRD".into()),
    ] {
        let (model, commands) = run(None, with(waiting(), vec![event]));
        assert_eq!(model.form.phone, PhoneCheck::Valid(PHONE.into()));
        assert_eq!(model.form.method, Some(PaymentMethod::MtnMomoLbr));
        assert_eq!(commands, vec![]);
    }
}

#[test]
fn receipts_and_failure_reasons() {
    let succeeded = with(
        waiting(),
        vec![Event::StatusAnswered {
            reference_id: REF.into(),
            result: Ok(payment(REF, ExecutionStatus::Completed, None)),
        }],
    );
    let (model, _) = run(
        None,
        with(
            succeeded,
            vec![Event::ReceiptAnswered(Err(WidgetError::Timeout))],
        ),
    );
    assert!(matches!(
        model.phase,
        Phase::Succeeded {
            receipt: Lookup::Failed(Key::ErrorNetwork),
            ..
        }
    ));
    assert_eq!(
        failure_reason(Some("Payer declined the payment request")),
        Key::FailureDeclined
    );
    assert_eq!(
        failure_reason(Some("Insufficient funds in the payer's wallet")),
        Key::FailureInsufficientFunds
    );
    assert_eq!(
        failure_reason(Some("Card authentication failed")),
        Key::FailureAuthentication
    );
    assert_eq!(failure_reason(None), Key::FailureGeneric);
}

#[test]
fn failures_are_told_in_the_words_of_the_way_the_payer_paid() {
    let cases = [
        (
            card_attempt(),
            Some("Your card was declined"),
            Key::CardDeclined,
        ),
        (
            card_attempt(),
            Some("Your card has insufficient funds."),
            Key::CardInsufficientFunds,
        ),
        (
            card_attempt(),
            Some("Card authentication failed"),
            Key::FailureAuthentication,
        ),
        (card_attempt(), None, Key::FailureGeneric),
        (
            attempt(),
            Some("Payer declined the payment request"),
            Key::FailureDeclined,
        ),
        (
            attempt(),
            Some("Insufficient funds in the payer's wallet"),
            Key::FailureInsufficientFunds,
        ),
        (
            attempt(),
            Some("PIN authentication failed"),
            Key::FailureNotApproved,
        ),
    ];
    for (stored, message, expected) in cases {
        let (model, _) = run(
            Some(stored.clone()),
            vec![
                Event::SummaryLoaded(card_summary()),
                Event::StatusAnswered {
                    reference_id: REF.into(),
                    result: Ok(payment(REF, ExecutionStatus::Failed, message)),
                },
            ],
        );
        assert_eq!(
            model.phase,
            Phase::Failed {
                attempt: stored,
                reason: expected
            },
            "{message:?}"
        );
    }
    // The page hears the same reasons whatever the words.
    assert_eq!(
        Key::CardInsufficientFunds.code(),
        Key::FailureInsufficientFunds.code()
    );
    assert_eq!(
        Key::FailureNotApproved.code(),
        Key::FailureAuthentication.code()
    );
}

#[test]
fn rwandan_orders_start_in_rwanda() {
    let mut rwf = summary(SourceStatus::Active);
    rwf.currency = "RWF".into();
    let (model, _) = run(None, vec![Event::SummaryLoaded(rwf)]);
    assert_eq!(model.form.country, Country::Rwanda);
}

#[test]
fn another_devices_payment_is_watched_until_it_ends() {
    let refused = with(
        ready_events(),
        vec![
            pay(),
            Event::PaymentAnswered {
                reference_id: REF.into(),
                result: Err(api(409, Some(ErrorCode::PaymentInProgress), None)),
            },
        ],
    );
    let recheck = vec![Command::RecheckOrder {
        delay_ms: RECHECK_MS,
    }];
    // Still running, or no answer: ask again later, the notice stays.
    for result in [
        Ok(SourceStatus::Processing),
        Err(WidgetError::Network("offline".into())),
    ] {
        let (model, commands) = run(
            None,
            with(refused.clone(), vec![Event::OrderRechecked(result)]),
        );
        assert_eq!(model.form.notice, Some(Key::NoticePaymentInProgress));
        assert_eq!(commands, recheck);
    }
    // Paid by the other attempt: the order is paid here too.
    let (model, commands) = run(
        None,
        with(
            refused.clone(),
            vec![Event::OrderRechecked(Ok(SourceStatus::Paid))],
        ),
    );
    assert_eq!((model.phase, commands), (Phase::AlreadyPaid, vec![]));
    // The other attempt ended unpaid: this payer may pay, and is told so.
    let (model, commands) = run(
        None,
        with(
            refused.clone(),
            vec![Event::OrderRechecked(Ok(SourceStatus::Active))],
        ),
    );
    assert_eq!(model.phase, Phase::Editing);
    assert_eq!(model.form.notice, Some(Key::NoticeOtherPaymentEnded));
    assert_eq!(commands, vec![]);
    assert!(can_pay(&model));
    // Once the payer has moved on (edited the number), a late answer changes nothing.
    let (model, commands) = run(
        None,
        with(
            refused,
            vec![
                Event::PhoneEdited("088 123 1112".into()),
                Event::OrderRechecked(Ok(SourceStatus::Paid)),
            ],
        ),
    );
    assert_eq!(model.phase, Phase::Editing);
    assert!(!commands.contains(&recheck[0]));
    // Opened while another device's attempt runs: told at once, and watched.
    let (model, commands) = run(
        None,
        vec![Event::SummaryLoaded(summary(SourceStatus::Processing))],
    );
    assert_eq!(model.phase, Phase::Editing);
    assert_eq!(model.form.notice, Some(Key::NoticePaymentInProgress));
    assert_eq!(commands, recheck);
    // The payer back (the page shown again, the network back): asked at once, not in 5 s.
    let (model, commands) = step(model, Event::PayerBack, NOW);
    assert_eq!(model.form.notice, Some(Key::NoticePaymentInProgress));
    assert_eq!(commands, vec![Command::RecheckOrder { delay_ms: 0 }]);
    // Once the other attempt has ended, being back asks nothing.
    let (model, _) = step(model, Event::OrderRechecked(Ok(SourceStatus::Active)), NOW);
    assert_eq!(step(model, Event::PayerBack, NOW).1, vec![]);
}

#[test]
fn overwritten_while_sending_is_stored_again_only_once_accepted() {
    let other = Attempt {
        reference_id: REF2.into(),
        ..attempt()
    };
    let sending = with(
        ready_events(),
        vec![pay(), Event::AttemptSeenElsewhere(other)],
    );
    let (model, commands) = run(None, sending.clone());
    assert!(matches!(model.phase, Phase::Submitting { .. }));
    assert_eq!(commands, vec![], "which attempt runs is not known yet");
    // Accepted: ours goes back in storage, then polling as usual.
    let (_, commands) = run(
        None,
        with(
            sending.clone(),
            vec![Event::PaymentAnswered {
                reference_id: REF.into(),
                result: Ok(payment(REF, ExecutionStatus::Processing, None)),
            }],
        ),
    );
    assert_eq!(commands.first(), Some(&Command::StoreAttempt(attempt())));
    assert!(matches!(commands.get(1), Some(Command::PollStatus { .. })));
    // Refused because the other runs: ours is not stored again.
    let (_, commands) = run(
        None,
        with(
            sending,
            vec![Event::PaymentAnswered {
                reference_id: REF.into(),
                result: Err(api(409, Some(ErrorCode::PaymentInProgress), None)),
            }],
        ),
    );
    assert!(!commands
        .iter()
        .any(|c| matches!(c, Command::StoreAttempt(_))));
}

#[test]
fn the_clock_ticks_just_after_each_whole_second_of_the_payment() {
    // (started at, now, next tick in ms): from any point of a second to 20 ms into the next,
    // so a late tick shows the second it landed in and the next one is back on time.
    let start = 10_000.0;
    for (now, delay) in [
        (10_000.0, 1020),
        (10_500.0, 520),
        (10_990.0, 30),
        (11_020.0, 1000),
        (11_300.0, 720),
        (12_999.0, 21),
        (9_000.0, 1020), // a clock set back: as at the start
    ] {
        assert_eq!(tick_delay_ms(Some(start), now), delay, "now {now}");
    }
    assert_eq!(
        tick_delay_ms(None, 12_345.0),
        1000,
        "no payment: once a second"
    );
    // Ticks that each land up to 900 ms late still show every second, once.
    let mut now = start;
    let mut shown = Vec::new();
    for late in [0.0, 900.0, 10.0, 450.0, 899.0, 0.0] {
        now += f64::from(tick_delay_ms(Some(start), now)) + late;
        shown.push(((now - start) / 1000.0) as u64);
    }
    assert_eq!(shown, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn the_clock_runs_while_a_payment_is_sent_or_awaited() {
    let (model, _) = run(None, waiting());
    assert_eq!(clock_start(&model), Some(attempt().started_at_ms));
    let (sending, _) = run(None, with(ready_events(), vec![pay()]));
    assert!(matches!(sending.phase, Phase::Submitting { .. }));
    assert_eq!(clock_start(&sending), Some(NOW));
    let (editing, _) = run(None, ready_events());
    assert_eq!(clock_start(&editing), None);
}

#[test]
fn a_payer_back_on_the_page_hurries_only_a_waiting_poll() {
    let answer = |result| Event::StatusAnswered {
        reference_id: REF.into(),
        result,
    };
    let rate_limited = || answer(Err(api(429, Some(ErrorCode::RateLimited), Some(8))));
    let processing = || answer(Ok(payment(REF, ExecutionStatus::Processing, None)));
    let completed = || answer(Ok(payment(REF, ExecutionStatus::Completed, None)));
    let cases: Vec<(&str, Vec<Event>, Vec<Command>)> = vec![
        ("waiting", waiting(), vec![Command::PollNow]),
        (
            "waiting after a network blip",
            with(
                waiting(),
                vec![answer(Err(WidgetError::Network("offline".into())))],
            ),
            vec![Command::PollNow],
        ),
        ("editing", ready_events(), vec![]),
        (
            "the create request on its way",
            with(ready_events(), vec![pay()]),
            vec![],
        ),
        (
            "the proxy asked for a pause",
            with(waiting(), vec![rate_limited()]),
            vec![],
        ),
        (
            "a pause that a later answer ended",
            with(waiting(), vec![rate_limited(), processing()]),
            vec![Command::PollNow],
        ),
        ("paid", with(waiting(), vec![completed()]), vec![]),
    ];
    for (name, events, expected) in cases {
        let (model, _) = run(None, events);
        let (_, commands) = step(model, Event::PayerBack, NOW);
        assert_eq!(commands, expected, "{name}");
    }
    // The pause ends with the Retry-After it was given.
    let (model, _) = run(None, with(waiting(), vec![rate_limited()]));
    let (model, commands) = step(model, Event::PayerBack, NOW + 7_999.0);
    assert_eq!(commands, vec![]);
    let (_, commands) = step(model, Event::PayerBack, NOW + 8_000.0);
    assert_eq!(commands, vec![Command::PollNow]);
}

#[test]
fn a_failed_quote_is_asked_for_again_on_try_again_or_when_the_network_is_back() {
    let failed = |error: WidgetError| {
        with(
            with(ready_events(), vec![Event::CurrencyChosen("LRD".into())]),
            vec![Event::QuoteAnswered {
                method: PaymentMethod::MtnMomoLbr,
                currency: "LRD".into(),
                result: Err(error),
            }],
        )
    };
    let again = vec![Command::FetchQuote {
        method: PaymentMethod::MtnMomoLbr,
        currency: "LRD".into(),
    }];
    let network = || WidgetError::Network("offline".into());
    // (what failed, the event, retryable shown, commands)
    let cases: Vec<(&str, WidgetError, Event, bool, Vec<Command>)> = vec![
        (
            "network, try again",
            network(),
            Event::QuoteRetryPressed,
            true,
            again.clone(),
        ),
        (
            "network, back",
            network(),
            Event::PayerBack,
            true,
            again.clone(),
        ),
        (
            "busy, try again",
            api(429, Some(ErrorCode::RateLimited), None),
            Event::QuoteRetryPressed,
            true,
            again.clone(),
        ),
        (
            "busy, back: not a network matter",
            api(429, Some(ErrorCode::RateLimited), None),
            Event::PayerBack,
            true,
            vec![],
        ),
        (
            "the proxy's credentials refused, try again once the shop fixed them",
            api(503, Some(ErrorCode::Misconfigured), None),
            Event::QuoteRetryPressed,
            true,
            again.clone(),
        ),
        (
            "the page's policy refused the proxy, try again once the shop allowed it",
            WidgetError::Refused("https://pay.example".into()),
            Event::QuoteRetryPressed,
            true,
            again.clone(),
        ),
    ];
    for (name, error, event, retryable, expected) in cases {
        let (model, _) = run(None, failed(error));
        assert_eq!(quote_retryable(&model), retryable, "{name}");
        let (model, commands) = step(model, event, NOW);
        assert_eq!(commands, expected, "{name}");
        if !expected.is_empty() {
            assert_eq!(model.form.quote, Lookup::Loading, "{name}");
        }
    }
    // Nothing to ask again once the quote is in.
    let (model, _) = run(None, ready_events());
    assert_eq!(step(model, Event::QuoteRetryPressed, NOW).1, vec![]);
}

#[test]
fn a_grant_refused_while_on_the_form_ends_the_checkout() {
    let expired = || api(401, Some(ErrorCode::GrantExpired), None);
    let invalid = || api(401, Some(ErrorCode::InvalidGrant), None);
    let forbidden = || api(403, Some(ErrorCode::Forbidden), None);
    let typed = vec![
        Event::SummaryLoaded(summary(SourceStatus::Active)),
        Event::PhoneEdited("088 123 1111".into()),
    ];
    let operator_answer = |error| Event::OperatorAnswered {
        phone: PHONE.into(),
        result: Err(error),
    };
    let quote_answer = |error| Event::QuoteAnswered {
        method: PaymentMethod::MtnMomoLbr,
        currency: "LRD".into(),
        result: Err(error),
    };
    let lrd = with(ready_events(), vec![Event::CurrencyChosen("LRD".into())]);
    let elsewhere = vec![Event::SummaryLoaded(summary(SourceStatus::Processing))];
    // (what the form asked, the refusal's answer, the sentence)
    let cases: Vec<(&str, Vec<Event>, Event, Key)> = vec![
        (
            "the network",
            typed.clone(),
            operator_answer(expired()),
            Key::ErrorGrantExpired,
        ),
        (
            "the network, not allowed",
            typed,
            operator_answer(forbidden()),
            Key::ErrorGrantInvalid,
        ),
        (
            "the amount",
            lrd.clone(),
            quote_answer(expired()),
            Key::ErrorGrantExpired,
        ),
        (
            "the amount, invalid",
            lrd,
            quote_answer(invalid()),
            Key::ErrorGrantInvalid,
        ),
        (
            "the order, another payment running",
            elsewhere,
            Event::OrderRechecked(Err(expired())),
            Key::ErrorGrantExpired,
        ),
    ];
    for (name, before, answer, message) in cases {
        let (model, _) = run(None, before);
        assert_eq!(model.phase, Phase::Editing, "{name}");
        let (model, commands) = step(model, answer, NOW);
        assert_eq!(
            (model.phase.clone(), commands),
            (Phase::Fatal { message }, vec![]),
            "{name}: nothing more is asked with it"
        );
        // Nothing the payer does, or being back, asks again with the refused grant.
        for event in [Event::PayerBack, pay(), Event::QuoteRetryPressed] {
            let (after, commands) = step(model.clone(), event, NOW);
            assert_eq!((&after.phase, commands), (&model.phase, vec![]), "{name}");
        }
    }
    // Other failures keep the form: the network lost is asked again, a busy service retried.
    for error in [
        WidgetError::Network("offline".into()),
        api(429, Some(ErrorCode::RateLimited), None),
        api(500, None, None),
    ] {
        let (model, _) = run(
            None,
            with(
                ready_events(),
                vec![
                    Event::CurrencyChosen("LRD".into()),
                    quote_answer(error.clone()),
                ],
            ),
        );
        assert_eq!(model.phase, Phase::Editing, "{error:?}");
    }
    // A refusal that comes after the form is gone changes nothing: the receipt of a payment
    // made is still shown as paid.
    let (model, _) = run(
        None,
        with(
            waiting(),
            vec![Event::StatusAnswered {
                reference_id: REF.into(),
                result: Ok(payment(REF, ExecutionStatus::Completed, None)),
            }],
        ),
    );
    let (after, _) = step(model.clone(), Event::ReceiptAnswered(Err(expired())), NOW);
    assert!(matches!(after.phase, Phase::Succeeded { .. }));
}

#[test]
fn an_order_that_failed_on_the_network_loads_when_the_network_is_back() {
    let (model, _) = run(
        None,
        vec![Event::SummaryFailed(WidgetError::Network("offline".into()))],
    );
    let (model, commands) = step(model, Event::PayerBack, NOW);
    assert_eq!(
        (model.phase, commands),
        (Phase::Loading, vec![Command::FetchSummary])
    );
    // An expired link stays as it is: being back changes nothing.
    let expired = api(401, Some(ErrorCode::GrantExpired), None);
    let (model, _) = run(None, vec![Event::SummaryFailed(expired)]);
    let before = model.phase.clone();
    let (model, commands) = step(model, Event::PayerBack, NOW);
    assert_eq!((model.phase, commands), (before, vec![]));
}

#[test]
fn a_page_renewing_a_refused_grant_keeps_the_payer_waiting_for_it_not_told_to_reload() {
    let expired = || api(401, Some(ErrorCode::GrantExpired), None);
    let invalid = api(401, Some(ErrorCode::InvalidGrant), None);
    let on_form = with(
        vec![Event::SummaryLoaded(summary(SourceStatus::Active))],
        vec![
            Event::PhoneEdited("088 123 1111".into()),
            Event::OperatorAnswered {
                phone: PHONE.into(),
                result: Err(expired()),
            },
        ],
    );
    let paying = with(
        waiting(),
        vec![Event::StatusAnswered {
            reference_id: REF.into(),
            result: Err(expired()),
        }],
    );
    // (how the grant was refused, the refusal, how it ends when no grant comes)
    let cases: Vec<(&str, Vec<Event>, Key, Phase)> = vec![
        (
            "on the form",
            on_form,
            Key::ErrorGrantExpired,
            Phase::Fatal {
                message: Key::ErrorGrantExpired,
            },
        ),
        (
            "while paying",
            paying,
            Key::ErrorGrantExpired,
            Phase::Fatal {
                message: Key::ErrorGrantExpired,
            },
        ),
        (
            "before the order came",
            vec![Event::SummaryFailed(invalid)],
            Key::ErrorGrantInvalid,
            Phase::LoadFailed {
                message: Key::ErrorGrantInvalid,
                retryable: false,
            },
        ),
    ];
    for (name, events, message, ended) in cases {
        let (model, _) = run(None, events);
        assert_eq!(model.phase, ended, "{name}: the refusal, as before");
        let (model, commands) = step(model, Event::RenewalPromised, NOW);
        assert_eq!(
            (&model.phase, commands),
            (
                &Phase::Renewing { message },
                vec![Command::AwaitRenewal {
                    delay_ms: RENEWAL_WAIT_MS
                }]
            ),
            "{name}"
        );
        // Nothing the payer does, or being back, asks anything with the refused grant.
        for event in [Event::PayerBack, pay(), Event::RetryPressed, Event::Tick] {
            let (after, commands) = step(model.clone(), event, NOW);
            assert_eq!((&after.phase, commands), (&model.phase, vec![]), "{name}");
        }
        // No grant came in time: the refusal shows after all, and is not promised away again.
        let (late, commands) = step(model, Event::RenewalLate, NOW);
        assert_eq!((&late.phase, commands), (&ended, vec![]), "{name}");
        let (again, commands) = step(late.clone(), Event::RenewalLate, NOW);
        assert_eq!((again.phase, commands), (ended, vec![]), "{name}");
    }
    // What the payer typed is kept for the rebuilt checkout while it reconnects.
    let (model, _) = run(
        None,
        vec![
            Event::SummaryLoaded(summary(SourceStatus::Active)),
            Event::PhoneEdited("088 123 1111".into()),
            Event::OperatorAnswered {
                phone: PHONE.into(),
                result: Err(expired()),
            },
            Event::RenewalPromised,
        ],
    );
    assert_eq!(draft(&model).map(|d| d.phone), Some("088 123 1111".into()));
    // A promise means nothing where no grant was refused: other failures and screens stay.
    for events in [
        vec![Event::SummaryFailed(WidgetError::Network("offline".into()))],
        ready_events(),
        waiting(),
    ] {
        let (model, _) = run(None, events);
        let (after, commands) = step(model.clone(), Event::RenewalPromised, NOW);
        assert_eq!((after.phase, commands), (model.phase.clone(), vec![]));
        let (after, _) = step(model.clone(), Event::RenewalLate, NOW);
        assert_eq!(after.phase, model.phase);
    }
}

#[test]
fn a_network_found_after_the_payer_picked_card_leaves_the_card_payment_alone() {
    // The number's lookup answers after the payer switched to card: the card's method, currency
    // and amount stay; the network found is the one chosen if the payer goes back.
    let typed_then_card = vec![
        Event::SummaryLoaded(card_summary()),
        Event::PhoneEdited("0881231111".into()),
        Event::KindChosen(PayKind::Card),
        Event::OperatorAnswered {
            phone: PHONE.into(),
            result: Ok(operator(PaymentMethod::OrangeMoneyLbr)),
        },
    ];
    let (model, commands) = run(None, typed_then_card);
    assert_eq!(model.form.method, Some(PaymentMethod::CreditCard));
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::FetchQuote { method, .. } if *method != PaymentMethod::CreditCard)),
        "{commands:?}"
    );
    let (model, commands) = step(model, Event::KindChosen(PayKind::MobileMoney), NOW);
    assert_eq!(model.form.method, Some(PaymentMethod::OrangeMoneyLbr));
    assert_eq!(
        commands,
        vec![Command::FetchQuote {
            method: PaymentMethod::OrangeMoneyLbr,
            currency: "USD".into()
        }]
    );
}

/// Liberia's 088 number found to be MTN, then Orange and Liberian dollars chosen by hand.
fn orange_in_lrd() -> Vec<Event> {
    vec![
        Event::SummaryLoaded(card_summary()),
        Event::PhoneEdited("0881231111".into()),
        Event::OperatorAnswered {
            phone: PHONE.into(),
            result: Ok(operator(PaymentMethod::MtnMomoLbr)),
        },
        Event::MethodChosen(PaymentMethod::OrangeMoneyLbr),
        Event::CurrencyChosen("LRD".into()),
    ]
}

fn chosen(model: &Model) -> (PayKind, Option<PaymentMethod>, Option<String>) {
    (
        model.form.kind,
        model.form.method.clone(),
        model.form.currency.clone(),
    )
}

#[test]
fn a_network_and_currency_chosen_by_hand_are_kept_through_card_and_back() {
    let orange = || {
        (
            PayKind::MobileMoney,
            Some(PaymentMethod::OrangeMoneyLbr),
            Some("LRD".to_owned()),
        )
    };
    let (model, _) = run(None, orange_in_lrd());
    assert_eq!(chosen(&model), orange());
    let (model, _) = step(model, Event::KindChosen(PayKind::Card), NOW);
    assert_eq!(
        chosen(&model),
        (
            PayKind::Card,
            Some(PaymentMethod::CreditCard),
            Some("USD".into())
        )
    );
    // Back on mobile money: the payer's choice, its amount asked again, not the network found.
    let (model, commands) = step(model, Event::KindChosen(PayKind::MobileMoney), NOW);
    assert_eq!(chosen(&model), orange());
    assert_eq!(
        commands,
        vec![Command::FetchQuote {
            method: PaymentMethod::OrangeMoneyLbr,
            currency: "LRD".into()
        }]
    );
    // Another number is another choice: its own network, in the order's currency.
    let (model, _) = run(
        None,
        with(
            orange_in_lrd(),
            vec![
                Event::KindChosen(PayKind::Card),
                Event::KindChosen(PayKind::MobileMoney),
                Event::PhoneEdited("0881231112".into()),
                Event::OperatorAnswered {
                    phone: "231881231112".into(),
                    result: Ok(operator(PaymentMethod::MtnMomoLbr)),
                },
            ],
        ),
    );
    assert_eq!(
        chosen(&model),
        (
            PayKind::MobileMoney,
            Some(PaymentMethod::MtnMomoLbr),
            Some("USD".into())
        )
    );
}

/// The rebuilt checkout of `kept`, with the order loaded and the number's network looked up.
fn rebuilt_with(kept: Option<Prefill>, found: Result<OperatorInfo, WidgetError>) -> Model {
    let (model, _) = start(None, NOW, DEFAULT_TIME_LIMIT_MS, kept);
    let (model, _) = step(model, Event::SummaryLoaded(card_summary()), NOW);
    let (model, commands) = step(
        model,
        Event::OperatorAnswered {
            phone: PHONE.into(),
            result: found,
        },
        NOW,
    );
    if model.form.kind == PayKind::MobileMoney {
        let quote = chosen(&model).1.zip(chosen(&model).2);
        assert_eq!(
            commands,
            quote
                .map(|(method, currency)| Command::FetchQuote { method, currency })
                .into_iter()
                .collect::<Vec<_>>(),
            "one amount asked for, the payer's"
        );
    }
    model
}

#[test]
fn a_rebuilt_checkout_chooses_again_what_the_payer_had_chosen() {
    let orange = (
        PayKind::MobileMoney,
        Some(PaymentMethod::OrangeMoneyLbr),
        Some("LRD".to_owned()),
    );
    let mtn = operator(PaymentMethod::MtnMomoLbr);
    // The network and currency picked by hand, not the network the lookup finds again.
    let (typed, _) = run(None, orange_in_lrd());
    let model = rebuilt_with(draft(&typed), Ok(mtn.clone()));
    assert_eq!(chosen(&model), orange);
    assert_eq!(model.form.operator, Operator::Detected(mtn.clone()));
    // Also where the lookup fails this time, or finds no network.
    for found in [
        Err(WidgetError::Network("offline".into())),
        Err(api(404, Some(ErrorCode::UnknownOperator), None)),
    ] {
        assert_eq!(chosen(&rebuilt_with(draft(&typed), found)), orange);
    }
    // A payer on card is back on card, Stripe's fields asked for again, and their mobile-money
    // choice waits for them.
    let (on_card, _) = step(typed, Event::KindChosen(PayKind::Card), NOW);
    let kept = draft(&on_card);
    assert_eq!(
        kept.as_ref().map(|k| (k.kind, k.wallet.clone())),
        Some((
            PayKind::Card,
            Some((PaymentMethod::OrangeMoneyLbr, "LRD".into()))
        ))
    );
    let model = rebuilt_with(kept, Ok(mtn.clone()));
    assert_eq!(
        (chosen(&model), &model.form.card),
        (
            (
                PayKind::Card,
                Some(PaymentMethod::CreditCard),
                Some("USD".into())
            ),
            &Card::Loading
        )
    );
    let (model, _) = step(model, Event::KindChosen(PayKind::MobileMoney), NOW);
    assert_eq!(chosen(&model), orange);
    // A card payer who typed no number is kept too.
    let (card_only, _) = run(
        None,
        vec![
            Event::SummaryLoaded(card_summary()),
            Event::KindChosen(PayKind::Card),
        ],
    );
    let (model, commands) = start(None, NOW, DEFAULT_TIME_LIMIT_MS, draft(&card_only));
    assert_eq!(commands, vec![Command::FetchSummary]);
    let (model, commands) = step(model, Event::SummaryLoaded(card_summary()), NOW);
    assert_eq!(
        (chosen(&model).0, commands[0].clone()),
        (PayKind::Card, Command::LoadStripe)
    );
    // A network this order no longer offers there is not forced: the network found is chosen.
    let mut typed = draft(&run(None, orange_in_lrd()).0);
    if let Some(kept) = typed.as_mut() {
        kept.wallet = Some((PaymentMethod::MtnMomoRwa, "RWF".into()));
    }
    assert_eq!(
        chosen(&rebuilt_with(typed, Ok(mtn))),
        (
            PayKind::MobileMoney,
            Some(PaymentMethod::MtnMomoLbr),
            Some("USD".into())
        )
    );
}
