//! The translation table: every sentence a payer reads comes from here, looked up by key and
//! locale. Each locale has every sentence: a table is a `match` over every key, so a key
//! added without its sentences does not compile.

/// A supported locale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// French (Rwanda's payers, among others).
    Fr,
}

/// The tags of every locale with a table, as the `locale` option takes them.
pub const SUPPORTED: &str = "en, fr";

impl Locale {
    /// Reads a BCP 47 tag (`en`, `en-LR`, `fr-RW`, …) by its language; `None` when no table
    /// exists for it.
    pub fn parse(tag: &str) -> Option<Locale> {
        let language = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match language.as_str() {
            "en" => Some(Locale::En),
            "fr" => Some(Locale::Fr),
            _ => None,
        }
    }

    /// The first of the browser's languages (`navigator.languages`, in the payer's order of
    /// preference) that has a table; English when none has.
    pub fn preferred(languages: &[String]) -> Locale {
        languages
            .iter()
            .find_map(|tag| Locale::parse(tag))
            .unwrap_or_default()
    }

    /// The BCP 47 tag used for the `lang` attribute and for number formatting.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
        }
    }

    /// The direction the locale is written in (`ltr` or `rtl`), for the `dir` attribute.
    pub fn dir(self) -> &'static str {
        match self {
            Locale::En | Locale::Fr => "ltr",
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
    /// Exchange rate line: `{rate}` is filled in (`1 USD = 190 LRD`).
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

/// The sentence for `key` in `locale`. Kept out of line: one lookup serves every place that
/// asks (49 B less brotli in the release wasm than inlined).
#[inline(never)]
pub fn text(locale: Locale, key: Key) -> &'static str {
    match locale {
        Locale::En => english(key),
        Locale::Fr => french(key),
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
        Key::QuoteRate => "Exchange rate: {rate}",
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

/// French. Before `:`, `;` and `?` stands a narrow no-break space (U+202F), as French
/// typography has it, so the sign never starts a line; the apostrophe is the typographic one.
fn french(key: Key) -> &'static str {
    match key {
        Key::WidgetLabel => "Paiement",
        Key::OrderSummary => "Récapitulatif de la commande",
        Key::Total => "Total",
        Key::Quantity => "×",
        Key::Loading => "Chargement de votre commande…",
        Key::TryAgain => "Réessayer",
        Key::ErrorNetwork => {
            "Impossible de joindre le service de paiement. Vérifiez votre connexion et réessayez."
        }
        Key::ErrorGrantExpired => {
            "Ce paiement a expiré. Rechargez la page pour recommencer."
        }
        Key::ErrorGrantInvalid => {
            "Ce lien de paiement n’est pas valide. Revenez à la boutique et réessayez."
        }
        Key::Renewing => "Reconnexion de votre paiement…",
        Key::ErrorAlreadyPaid => "Cette commande a déjà été payée.",
        Key::ErrorRateLimited => "Le service de paiement est très sollicité. Patientez un instant, puis réessayez.",
        Key::ErrorGeneric => "Un problème est survenu de notre côté. Réessayez.",
        Key::ErrorMisconfigured => {
            "Ce paiement n’est pas configuré correctement. Contactez la boutique."
        }
        Key::Crashed => {
            "Ce paiement a cessé de fonctionner. Rechargez la page\u{202f}: un paiement déjà effectué ne sera pas débité une seconde fois."
        }
        Key::SandboxBadge => "Mode test\u{202f}: aucun argent réel n’est débité",
        Key::PayWithMobileMoney => "Payer par Mobile Money",
        Key::CountryLabel => "Pays",
        Key::CountryLiberia => "Liberia (+231)",
        Key::CountryRwanda => "Rwanda (+250)",
        Key::PhoneLabel => "Numéro Mobile Money",
        Key::PhoneHintLiberia => "Le numéro du compte qui paie, p.\u{a0}ex.\u{a0}088\u{a0}123\u{a0}4567.",
        Key::PhoneHintRwanda => "Le numéro du compte qui paie, p.\u{a0}ex.\u{a0}078\u{a0}123\u{a0}4567.",
        Key::PhoneInvalidCharacters => "Saisissez uniquement des chiffres, comme dans l’exemple ci-dessous.",
        Key::PhoneNotMobile => "Ce n’est pas un numéro de mobile. Comparez-le à l’exemple ci-dessous.",
        Key::PhoneTooLong => "Ce numéro a trop de chiffres. Vérifiez-le et réessayez.",
        Key::PhoneOtherCountry => "Ce numéro est d’un autre pays. Choisissez d’abord son pays.",
        Key::PhoneCountryNotOffered => "Le Mobile Money du pays de ce numéro ne peut pas payer cette commande.",
        Key::PhoneIncomplete => "Ce numéro est trop court\u{202f}: un numéro de mobile a 9 chiffres après l’indicatif du pays.",
        Key::PhoneRequired => "Saisissez le numéro Mobile Money qui va payer.",
        Key::OperatorDetecting => "Recherche de votre réseau…",
        Key::OperatorLabel => "Réseau",
        Key::OperatorUnknown => "Nous ne reconnaissons pas le réseau de ce numéro. Vérifiez le numéro, ou choisissez le réseau ci-dessous.",
        Key::OperatorFailed => "Impossible de trouver le réseau. Choisissez-le ci-dessous.",
        Key::OperatorChoose => "Choisissez votre réseau",
        Key::CurrencyLabel => "Payer en",
        Key::QuoteLoading => "Calcul du montant exact…",
        Key::QuoteYouPay => "Vous payez",
        Key::QuoteFees => "dont des frais de",
        Key::And => " et ",
        Key::QuoteRate => "Taux de change\u{202f}: {rate}",
        Key::PayButton => "Payer",
        Key::PayButtonBusy => "Envoi…",
        Key::NoticeDetailsRefused => "Le service de paiement n’a pas accepté ces informations. Vérifiez le numéro et le réseau, puis réessayez.",
        Key::NoticeCardRefused => "Le service de paiement n’a pas accepté cette carte. Vérifiez ses informations ou utilisez une autre carte, puis réessayez.",
        Key::NoticePaymentInProgress => "Un autre paiement de cette commande est déjà en cours, peut-être dans une autre fenêtre. Rien n’a été débité ici\u{202f}; attendez qu’il se termine.",
        Key::NoticeOtherPaymentEnded => "L’autre paiement de cette commande n’a pas abouti. Vous pouvez payer maintenant.",
        Key::WaitingTitle => "Approuvez le paiement sur votre téléphone",
        Key::WaitingInstruction => "Nous avons envoyé une demande de paiement à votre téléphone. Saisissez-y votre code PIN Mobile Money pour l’approuver. Gardez cette page ouverte.",
        Key::WaitingCardTitle => "Confirmation de votre paiement par carte",
        Key::WaitingCardInstruction => "Votre paiement par carte est en cours de confirmation. Cela prend en général quelques secondes. Gardez cette page ouverte.",
        Key::WaitingElapsed => "En attente depuis",
        Key::WaitingRemaining => "Temps restant pour approuver",
        Key::WaitingSentTo => "Demande envoyée au",
        Key::WaitingPayingWith => "Paiement avec",
        Key::WaitingConnection => "Problème de connexion\u{202f}: nous vérifions toujours votre paiement…",
        Key::WaitingOverdue => "Votre paiement est toujours en attente. Si vous l’avez approuvé, il aboutira sous peu\u{202f}: vous pouvez fermer cette page, la boutique vous le confirmera par message. Ne payez pas une seconde fois.",
        Key::WaitingCardOverdue => "Votre paiement par carte est toujours en cours de confirmation. Il aboutit en général sous peu\u{202f}: vous pouvez fermer cette page, la boutique vous le confirmera par message. Ne payez pas une seconde fois.",
        Key::Sending => "Envoi de la demande de paiement…",
        Key::SuccessTitle => "Paiement effectué",
        Key::ReceiptTitle => "Reçu",
        Key::ReceiptPaid => "Montant payé",
        Key::ReceiptTotal => "Total de la commande",
        Key::ReceiptPlatformFee => "Frais de service",
        Key::ReceiptGatewayFee => "Frais de réseau",
        Key::ReceiptCardFee => "Frais de traitement de la carte",
        Key::ReceiptFxFee => "Frais de change",
        Key::ReceiptRate => "Taux de change",
        Key::ReceiptOperator => "Payé avec",
        Key::ReceiptReference => "Référence",
        Key::ReceiptLoading => "Chargement de votre reçu…",
        Key::FailureTitle => "Paiement non effectué",
        Key::FailureDeclined => "Le paiement a été refusé sur le téléphone. Aucun argent n’a été débité.",
        Key::FailureInsufficientFunds => "Le solde du compte était insuffisant. Aucun argent n’a été débité. Rechargez-le, puis réessayez.",
        Key::FailureAuthentication => "La carte n’a pas pu être vérifiée. Aucun argent n’a été débité.",
        Key::FailureNotApproved => "Le paiement n’a pas pu être approuvé sur le téléphone. Aucun argent n’a été débité.",
        Key::CardInsufficientFunds => "Le solde de votre carte est insuffisant. Aucun argent n’a été débité. Essayez une autre carte ou payez par Mobile Money.",
        Key::FailureGeneric => "Le paiement n’a pas abouti. Aucun argent n’a été débité.",
        Key::AlreadyPaidTitle => "Cette commande est payée",
        Key::MethodLabel => "Comment souhaitez-vous payer\u{202f}?",
        Key::MethodMobileMoney => "Mobile Money",
        Key::MethodCard => "Carte",
        Key::CardLabel => "Informations de la carte",
        Key::CardEnding => "{brand} se terminant par {last4}",
        Key::CardLoading => "Chargement des champs de carte sécurisés…",
        Key::CardLoadFailed => "Le paiement par carte n’a pas pu se charger. Vérifiez votre connexion ou autorisez cette page dans votre bloqueur de publicité, puis réessayez, ou payez par Mobile Money.",
        Key::CardDeclined => "Votre carte a été refusée. Aucun argent n’a été débité. Essayez une autre carte ou payez par Mobile Money.",
        Key::CardNumber => "Ce numéro de carte est incorrect. Vérifiez-le et réessayez.",
        Key::CardExpiry => "Vérifiez la date d’expiration de la carte.",
        Key::CardCvc => "Vérifiez le code de sécurité de la carte\u{202f}: 3 chiffres au dos, ou 4 au recto d’une carte American Express.",
        Key::CardGeneric => "Cette carte n’a pas pu être utilisée. Réessayez ou utilisez une autre carte.",
        Key::CardIncomplete => "Saisissez le numéro, la date d’expiration et le code de sécurité de la carte.",
        Key::Authenticating => "Confirmez le paiement auprès de votre banque…",
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
        assert_eq!(Locale::parse("fr-RW"), Some(Locale::Fr));
        assert_eq!(Locale::parse("fr_FR"), Some(Locale::Fr));
        assert_eq!(Locale::parse("rw-RW"), None);
    }

    #[test]
    fn every_supported_tag_reads_as_its_locale() {
        for tag in SUPPORTED.split(", ") {
            assert_eq!(Locale::parse(tag).map(Locale::tag), Some(tag));
        }
        for locale in [Locale::En, Locale::Fr] {
            // A new locale does not compile here until it is in the list above.
            match locale {
                Locale::En | Locale::Fr => {}
            }
            assert!(SUPPORTED.split(", ").any(|tag| tag == locale.tag()));
        }
    }

    #[test]
    fn the_browser_languages_give_the_first_with_a_table() {
        let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            Locale::preferred(&tags(&["rw-RW", "fr-RW", "en"])),
            Locale::Fr
        );
        assert_eq!(Locale::preferred(&tags(&["en-LR", "fr"])), Locale::En);
        assert_eq!(Locale::preferred(&tags(&["rw", "sw"])), Locale::En);
        assert_eq!(Locale::preferred(&[]), Locale::En);
    }

    #[test]
    fn every_locale_fills_in_the_same_blanks() {
        for locale in [Locale::En, Locale::Fr] {
            assert!(text(locale, Key::QuoteRate).contains("{rate}"));
            let card = text(locale, Key::CardEnding);
            assert!(card.contains("{brand}") && card.contains("{last4}"));
        }
    }

    #[test]
    fn french_punctuation_never_starts_a_line() {
        // Every literal of the French table, as written in this file: a sign that French
        // typography spaces stands after a narrow no-break space.
        let source = include_str!("i18n.rs");
        let start = source.find("fn french(").expect("the French table");
        let end = start + source[start..].find("\n}\n").expect("its end");
        let literals: Vec<&str> = source[start..end].split('"').skip(1).step_by(2).collect();
        assert!(literals.len() > 90, "{}", literals.len());
        for literal in literals {
            for (i, _) in literal.match_indices([':', ';', '?', '!']) {
                assert!(literal[..i].ends_with("\\u{202f}"), "{literal}");
            }
        }
    }

    #[test]
    fn each_locale_has_its_own_sentences() {
        for key in [
            Key::WidgetLabel,
            Key::PayButton,
            Key::ErrorNetwork,
            Key::SandboxBadge,
        ] {
            assert!(!text(Locale::En, key).is_empty());
            assert!(!text(Locale::Fr, key).is_empty());
            assert_ne!(text(Locale::En, key), text(Locale::Fr, key));
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
