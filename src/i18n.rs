//! The translation table: every sentence a payer reads comes from here, looked up by key and
//! locale. English is complete; a locale without a sentence falls back to English.

/// A supported locale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    /// English.
    #[default]
    En,
}

impl Locale {
    /// Reads a BCP 47 tag (`en`, `en-LR`, …); `None` when no table exists for it.
    pub fn parse(tag: &str) -> Option<Locale> {
        let language = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match language.as_str() {
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The BCP 47 tag used for number formatting.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
        }
    }

    /// The direction the locale is written in (`ltr` or `rtl`), for the `dir` attribute.
    pub fn dir(self) -> &'static str {
        match self {
            Locale::En => "ltr",
        }
    }
}

/// Keys of the translation table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// Accessible name of the whole widget.
    WidgetLabel,
    /// Heading of the order summary.
    OrderSummary,
    /// "Total".
    Total,
    /// Quantity prefix, e.g. "× 2".
    Quantity,
    /// Shown while the order loads.
    Loading,
    /// "Try again".
    TryAgain,
    /// The order could not be loaded (network).
    ErrorNetwork,
    /// The link to this checkout has expired.
    ErrorGrantExpired,
    /// The checkout is not valid (bad grant, forbidden).
    ErrorGrantInvalid,
    /// The grant was refused and the shop is getting another: the checkout comes back.
    Renewing,
    /// The checkout is already paid.
    ErrorAlreadyPaid,
    /// The service is busy.
    ErrorRateLimited,
    /// Something unexpected went wrong.
    ErrorGeneric,
    /// The host page configured the widget wrongly.
    ErrorMisconfigured,
    /// The widget's wasm stopped (shown by the loader in place of the checkout).
    Crashed,
    /// Sandbox badge.
    SandboxBadge,
    /// Heading of the payment form.
    PayWithMobileMoney,
    /// Country select label.
    CountryLabel,
    /// Liberia.
    CountryLiberia,
    /// Rwanda.
    CountryRwanda,
    /// Phone field label.
    PhoneLabel,
    /// Hint under the phone field, with a Liberian example.
    PhoneHintLiberia,
    /// Hint under the phone field, with a Rwandan example.
    PhoneHintRwanda,
    /// Characters that cannot be in a phone number.
    PhoneInvalidCharacters,
    /// Digits that cannot be a mobile number (a second leading zero).
    PhoneNotMobile,
    /// Too many digits.
    PhoneTooLong,
    /// A number of another country.
    PhoneOtherCountry,
    /// A number of a country whose wallets cannot pay this order.
    PhoneCountryNotOffered,
    /// Not complete when leaving the field.
    PhoneIncomplete,
    /// Pay pressed with the field empty.
    PhoneRequired,
    /// Operator being detected.
    OperatorDetecting,
    /// Operator label.
    OperatorLabel,
    /// The number's network was not recognised.
    OperatorUnknown,
    /// Detection failed; choose by hand.
    OperatorFailed,
    /// Placeholder of the operator select.
    OperatorChoose,
    /// Currency choice label.
    CurrencyLabel,
    /// Quote being fetched.
    QuoteLoading,
    /// "You pay".
    QuoteYouPay,
    /// "Includes fees of".
    QuoteFees,
    /// Between two amounts in a list, as " and " (fees in two currencies).
    And,
    /// Exchange rate line.
    QuoteRate,
    /// Pay button.
    PayButton,
    /// Pay button while sending.
    PayButtonBusy,
    /// The payment service refused the details.
    NoticeDetailsRefused,
    /// The payment service refused the card.
    NoticeCardRefused,
    /// Another payment for this order may still land, perhaps in another window.
    NoticePaymentInProgress,
    /// The other payment for this order ended without paying it.
    NoticeOtherPaymentEnded,
    /// Waiting heading.
    WaitingTitle,
    /// Waiting instruction.
    WaitingInstruction,
    /// Waiting heading for a card payment.
    WaitingCardTitle,
    /// Waiting instruction for a card payment.
    WaitingCardInstruction,
    /// Elapsed label.
    WaitingElapsed,
    /// Time left label.
    WaitingRemaining,
    /// Label of the number the request went to.
    WaitingSentTo,
    /// Label of the card a payment is being made with.
    WaitingPayingWith,
    /// Connection trouble while waiting.
    WaitingConnection,
    /// Past the time limit.
    WaitingOverdue,
    /// Past the time limit, for a card payment.
    WaitingCardOverdue,
    /// Sending the payment request.
    Sending,
    /// Success heading.
    SuccessTitle,
    /// Receipt heading.
    ReceiptTitle,
    /// Receipt: amount paid.
    ReceiptPaid,
    /// Receipt: order total.
    ReceiptTotal,
    /// Receipt: platform fee.
    ReceiptPlatformFee,
    /// Receipt: network fee.
    ReceiptGatewayFee,
    /// Receipt: the card payment gateway's fee.
    ReceiptCardFee,
    /// Receipt: FX fee.
    ReceiptFxFee,
    /// Receipt: exchange rate.
    ReceiptRate,
    /// Receipt: operator.
    ReceiptOperator,
    /// Receipt: reference.
    ReceiptReference,
    /// Receipt still loading.
    ReceiptLoading,
    /// Failure heading.
    FailureTitle,
    /// Payer declined.
    FailureDeclined,
    /// Not enough money.
    FailureInsufficientFunds,
    /// Card authentication failed.
    FailureAuthentication,
    /// A mobile-money payment the phone could not approve (reported as an authentication
    /// failure).
    FailureNotApproved,
    /// Any other failure.
    FailureGeneric,
    /// Already paid heading.
    AlreadyPaidTitle,
    /// Question above the method choice.
    MethodLabel,
    /// Mobile money choice.
    MethodMobileMoney,
    /// Card choice.
    MethodCard,
    /// Card fields label.
    CardLabel,
    /// A card named by its brand and last four digits: `{brand}` and `{last4}` are filled in.
    CardEnding,
    /// Stripe.js loading.
    CardLoading,
    /// Stripe.js could not load.
    CardLoadFailed,
    /// Card declined.
    CardDeclined,
    /// The card has not enough funds.
    CardInsufficientFunds,
    /// Card number problem.
    CardNumber,
    /// Expiry problem.
    CardExpiry,
    /// CVC problem.
    CardCvc,
    /// Any other card problem.
    CardGeneric,
    /// Pay pressed before the card fields were filled in.
    CardIncomplete,
    /// 3-D Secure running.
    Authenticating,
}

impl Key {
    /// The machine-readable name of a failure reason (`dollr:failure`'s `reason`) or an error
    /// (`dollr:error`'s `code`); `"Error"` for keys that are neither.
    pub fn code(self) -> &'static str {
        match self {
            Key::ErrorNetwork => "ErrorNetwork",
            Key::ErrorGrantExpired => "ErrorGrantExpired",
            Key::ErrorGrantInvalid => "ErrorGrantInvalid",
            Key::ErrorAlreadyPaid => "ErrorAlreadyPaid",
            Key::ErrorRateLimited => "ErrorRateLimited",
            Key::ErrorGeneric => "ErrorGeneric",
            Key::ErrorMisconfigured => "ErrorMisconfigured",
            Key::FailureDeclined => "FailureDeclined",
            Key::FailureInsufficientFunds | Key::CardInsufficientFunds => {
                "FailureInsufficientFunds"
            }
            Key::FailureAuthentication | Key::FailureNotApproved => "FailureAuthentication",
            Key::FailureGeneric => "FailureGeneric",
            Key::CardDeclined => "CardDeclined",
            Key::CardNumber => "CardNumber",
            Key::CardExpiry => "CardExpiry",
            Key::CardCvc => "CardCvc",
            Key::CardGeneric => "CardGeneric",
            _ => "Error",
        }
    }
}

/// The sentence for `key` in `locale`.
pub fn text(locale: Locale, key: Key) -> &'static str {
    match locale {
        Locale::En => english(key),
    }
}

fn english(key: Key) -> &'static str {
    match key {
        Key::WidgetLabel => "Checkout",
        Key::OrderSummary => "Order summary",
        Key::Total => "Total",
        Key::Quantity => "×",
        Key::Loading => "Loading your order…",
        Key::TryAgain => "Try again",
        Key::ErrorNetwork => {
            "We couldn't reach the payment service. Check your connection and try again."
        }
        Key::ErrorGrantExpired => {
            "This checkout has expired. Please reload the page to start again."
        }
        Key::ErrorGrantInvalid => {
            "This checkout link isn't valid. Please go back to the shop and try again."
        }
        Key::Renewing => "Reconnecting your checkout…",
        Key::ErrorAlreadyPaid => "This order has already been paid.",
        Key::ErrorRateLimited => "The payment service is busy. Please wait a moment and try again.",
        Key::ErrorGeneric => "Something went wrong on our side. Please try again.",
        Key::ErrorMisconfigured => {
            "This checkout is not set up correctly. Please contact the shop."
        }
        Key::Crashed => {
            "This checkout stopped working. Please reload the page: a payment already made is not charged again."
        }
        Key::SandboxBadge => "Test mode: no real money moves",
        Key::PayWithMobileMoney => "Pay with mobile money",
        Key::CountryLabel => "Country",
        Key::CountryLiberia => "Liberia (+231)",
        Key::CountryRwanda => "Rwanda (+250)",
        Key::PhoneLabel => "Mobile money number",
        // No-break spaces keep the example whole, with its "e.g.", on a narrow screen.
        Key::PhoneHintLiberia => "The number of the wallet that pays, e.g.\u{a0}088\u{a0}123\u{a0}4567.",
        Key::PhoneHintRwanda => "The number of the wallet that pays, e.g.\u{a0}078\u{a0}123\u{a0}4567.",
        Key::PhoneInvalidCharacters => "Use digits only, like the example below.",
        Key::PhoneNotMobile => "That isn't a mobile number. Check it against the example below.",
        Key::PhoneTooLong => "That number has too many digits. Check it and try again.",
        Key::PhoneOtherCountry => "That number is from another country. Choose its country first.",
        Key::PhoneCountryNotOffered => "Mobile money from that number's country can't pay for this order.",
        Key::PhoneIncomplete => "That number is too short: a mobile number has 9 digits after the country code.",
        Key::PhoneRequired => "Enter the mobile money number that will pay.",
        Key::OperatorDetecting => "Finding your network…",
        Key::OperatorLabel => "Network",
        Key::OperatorUnknown => "We don't recognise this number's network. Check the number, or choose the network below.",
        Key::OperatorFailed => "We couldn't look up the network. Choose it below.",
        Key::OperatorChoose => "Choose your network",
        Key::CurrencyLabel => "Pay in",
        Key::QuoteLoading => "Working out the exact amount…",
        Key::QuoteYouPay => "You pay",
        Key::QuoteFees => "including fees of",
        Key::And => " and ",
        Key::QuoteRate => "Exchange rate",
        Key::PayButton => "Pay",
        Key::PayButtonBusy => "Sending…",
        Key::NoticeDetailsRefused => "The payment service didn't accept these details. Check the number and network, then try again.",
        Key::NoticeCardRefused => "The payment service didn't accept this card. Check its details or use another card, then try again.",
        Key::NoticePaymentInProgress => "Another payment for this order is already in progress, perhaps in another window. Nothing was charged here; wait for it to finish.",
        Key::NoticeOtherPaymentEnded => "The other payment for this order didn't go through. You can pay now.",
        Key::WaitingTitle => "Approve the payment on your phone",
        Key::WaitingInstruction => "We sent a payment request to your phone. Enter your mobile money PIN there to approve it. Keep this page open.",
        Key::WaitingCardTitle => "Confirming your card payment",
        Key::WaitingCardInstruction => "Your card payment is being confirmed. This usually takes a few seconds. Keep this page open.",
        Key::WaitingElapsed => "Waiting for",
        Key::WaitingRemaining => "Time left to approve",
        Key::WaitingSentTo => "Request sent to",
        Key::WaitingPayingWith => "Paying with",
        Key::WaitingConnection => "Connection trouble: still checking your payment…",
        Key::WaitingOverdue => "Your payment is still pending. If you approved it, it will complete shortly: you can close this page and the shop will confirm by message. Don't pay again.",
        Key::WaitingCardOverdue => "Your card payment is still being confirmed. It usually completes shortly: you can close this page and the shop will confirm by message. Don't pay again.",
        Key::Sending => "Sending the payment request…",
        Key::SuccessTitle => "Payment complete",
        Key::ReceiptTitle => "Receipt",
        Key::ReceiptPaid => "Amount paid",
        Key::ReceiptTotal => "Order total",
        Key::ReceiptPlatformFee => "Service fee",
        Key::ReceiptGatewayFee => "Network fee",
        Key::ReceiptCardFee => "Card processing fee",
        Key::ReceiptFxFee => "Exchange fee",
        Key::ReceiptRate => "Exchange rate",
        Key::ReceiptOperator => "Paid with",
        Key::ReceiptReference => "Reference",
        Key::ReceiptLoading => "Loading your receipt…",
        Key::FailureTitle => "Payment not completed",
        Key::FailureDeclined => "The payment was declined on the phone. No money was taken.",
        Key::FailureInsufficientFunds => "There wasn't enough money in the wallet. No money was taken. Top up, then try again.",
        Key::FailureAuthentication => "The card could not be verified. No money was taken.",
        Key::FailureNotApproved => "The payment couldn't be approved on the phone. No money was taken.",
        Key::CardInsufficientFunds => "Your card doesn't have enough funds. No money was taken. Try another card or pay with mobile money.",
        Key::FailureGeneric => "The payment didn't go through. No money was taken.",
        Key::AlreadyPaidTitle => "This order is paid",
        Key::MethodLabel => "How would you like to pay?",
        Key::MethodMobileMoney => "Mobile money",
        Key::MethodCard => "Card",
        Key::CardLabel => "Card details",
        Key::CardEnding => "{brand} ending in {last4}",
        Key::CardLoading => "Loading secure card fields…",
        Key::CardLoadFailed => "Card payments couldn't load. Check your connection or allow this page in your ad blocker, then try again, or pay with mobile money.",
        Key::CardDeclined => "Your card was declined. No money was taken. Try another card or pay with mobile money.",
        Key::CardNumber => "That card number isn't right. Check it and try again.",
        Key::CardExpiry => "Check the card's expiry date.",
        Key::CardCvc => "Check the card's security code: 3 digits on the back, or 4 on the front of an American Express card.",
        Key::CardGeneric => "The card couldn't be used. Try again or use another card.",
        Key::CardIncomplete => "Enter the card's number, expiry date and security code.",
        Key::Authenticating => "Confirm the payment with your bank…",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_parse_by_language() {
        assert_eq!(Locale::parse("en-LR"), Some(Locale::En));
        assert_eq!(Locale::parse("EN"), Some(Locale::En));
        assert_eq!(Locale::parse("xx"), None);
    }

    #[test]
    fn every_key_has_english_text() {
        for key in [
            Key::WidgetLabel,
            Key::Total,
            Key::ErrorNetwork,
            Key::SandboxBadge,
        ] {
            assert!(!text(Locale::En, key).is_empty());
        }
    }

    #[test]
    fn reason_and_error_codes_are_the_key_names() {
        for key in [
            Key::ErrorNetwork,
            Key::ErrorGrantExpired,
            Key::ErrorGrantInvalid,
            Key::ErrorAlreadyPaid,
            Key::ErrorRateLimited,
            Key::ErrorGeneric,
            Key::ErrorMisconfigured,
            Key::FailureDeclined,
            Key::FailureInsufficientFunds,
            Key::FailureAuthentication,
            Key::FailureGeneric,
            Key::CardDeclined,
            Key::CardNumber,
            Key::CardExpiry,
            Key::CardCvc,
            Key::CardGeneric,
        ] {
            assert_eq!(key.code(), format!("{key:?}"));
        }
        assert_eq!(Key::PayButton.code(), "Error");
    }
}
