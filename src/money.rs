//! Money for people: amounts with the currency's own number of decimals (RWF has none). The
//! browser's `Intl.NumberFormat` does the locale-aware formatting (see `interop`); this is the
//! exact, locale-free fallback and the rounding rule both share.

use dollr_api::validate::minor_units;
use dollr_api::Decimal;

/// The amount as a plain decimal string with the currency's minor units, e.g. `25.00`, `15375`.
pub fn fixed(amount: Decimal, currency: &str) -> String {
    amount.to_fixed(minor_units(currency))
}

/// `25.00 USD`: used when the browser cannot format the currency.
pub fn plain(amount: Decimal, currency: &str) -> String {
    format!("{} {currency}", fixed(amount, currency))
}

/// An exchange rate as a payer reads it, `1 USD = 190 LRD`: each amount on one line with its
/// currency (no-break spaces), so a narrow screen breaks the line only around `=`.
pub fn rate(from: &str, rate: Decimal, to: &str) -> String {
    format!("1\u{a0}{from} = {rate}\u{a0}{to}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_each_currency_minor_unit() {
        let amount: Decimal = "15375.4".parse().unwrap_or(Decimal::ZERO);
        assert_eq!(plain(amount, "RWF"), "15375 RWF");
        assert_eq!(plain(amount, "USD"), "15375.40 USD");
        assert_eq!(fixed(Decimal::from_int(25), "LRD"), "25.00");
    }

    #[test]
    fn keeps_each_side_of_a_rate_on_one_line() {
        let rate_in: Decimal = "190".parse().unwrap_or(Decimal::ZERO);
        assert_eq!(rate("USD", rate_in, "LRD"), "1\u{a0}USD = 190\u{a0}LRD");
    }
}
