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
    /// The checkout is already paid.
    ErrorAlreadyPaid,
    /// The service is busy.
    ErrorRateLimited,
    /// Something unexpected went wrong.
    ErrorGeneric,
    /// The host page configured the widget wrongly.
    ErrorMisconfigured,
    /// Sandbox badge.
    SandboxBadge,
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
        Key::ErrorAlreadyPaid => "This order has already been paid.",
        Key::ErrorRateLimited => "The payment service is busy. Please wait a moment and try again.",
        Key::ErrorGeneric => "Something went wrong on our side. Please try again.",
        Key::ErrorMisconfigured => {
            "This checkout is not set up correctly. Please contact the shop."
        }
        Key::SandboxBadge => "Test mode: no real money moves",
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
}
