//! Money for people: amounts with the currency's own number of decimals (RWF has none). The
//! browser's `Intl.NumberFormat` does the locale-aware formatting (see `interop`); this is the
//! exact, locale-free fallback and the rounding rule both share.

use dollr_api::validate::minor_units;
use dollr_api::widget::Quote;
use dollr_api::Decimal;

/// The amount as a plain decimal string with the currency's minor units, e.g. `25.00`, `15375`.
pub fn fixed(amount: Decimal, currency: &str) -> String {
    amount.to_fixed(minor_units(currency))
}

/// `25.00 USD`: used when the browser cannot format the currency.
pub fn plain(amount: Decimal, currency: &str) -> String {
    format!("{} {currency}", fixed(amount, currency))
}

/// An exchange rate as a payer reads it, `1 USD = 190 LRD`, from the rate as the payer's locale
/// writes it: each amount on one line with its currency (no-break spaces), so a narrow screen
/// breaks the line only around `=`.
pub fn rate(from: &str, rate: &str, to: &str) -> String {
    format!("1\u{a0}{from} = {rate}\u{a0}{to}")
}

/// A quote's fees as the payer reads them: Dollr's fee and the exchange fee summed in the
/// platform's currency, with the gateway's fee added when it is in that currency too, or given
/// as a second amount when Dollr names another (never one sum across two currencies).
pub fn quote_fees(quote: &Quote) -> ((Decimal, &str), Option<(Decimal, &str)>) {
    let platform = quote.platform_currency.as_str();
    let add =
        |sum: Decimal, fee: Option<Decimal>| fee.and_then(|f| sum.checked_add(f)).unwrap_or(sum);
    let sum = add(quote.platform_fee, quote.fx_fee);
    match (quote.gateway_fee, quote.gateway_currency.as_deref()) {
        (Some(fee), Some(other)) if other != platform => (
            (sum, platform),
            Some((fee, other)).filter(|_| !fee.is_zero()),
        ),
        (fee, _) => ((add(sum, fee), platform), None),
    }
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
        assert_eq!(rate("USD", "190", "LRD"), "1\u{a0}USD = 190\u{a0}LRD");
        // A French group separator (U+202F) stays: it is no-break already.
        assert_eq!(
            rate("USD", "1\u{202f}436,5", "RWF"),
            "1\u{a0}USD = 1\u{202f}436,5\u{a0}RWF"
        );
    }

    #[test]
    fn sums_fees_only_within_a_currency() {
        let d = |s: &str| s.parse::<Decimal>().ok();
        let quote = |gateway: Option<Decimal>, currency: Option<&str>| Quote {
            method: dollr_api::PaymentMethod::MtnMomoLbr,
            payer_amount: Decimal::ZERO,
            payer_currency: "LRD".into(),
            payee_amount: Decimal::ZERO,
            payee_currency: "USD".into(),
            platform_fee: Decimal::new(38, 2),
            platform_currency: "USD".into(),
            gateway_fee: gateway,
            gateway_currency: currency.map(Into::into),
            fx_fee: d("0.25"),
            fx_rate: None,
        };
        let read = |q: &Quote| {
            let ((sum, currency), other) = quote_fees(q);
            (plain(sum, currency), other.map(|(fee, c)| plain(fee, c)))
        };
        // In one currency, named or not: one sum.
        let one = ("0.88 USD".to_owned(), None);
        assert_eq!(read(&quote(d("0.25"), Some("USD"))), one);
        assert_eq!(read(&quote(d("0.25"), None)), one);
        // The operator's fee in the payer's currency: a second amount.
        assert_eq!(
            read(&quote(d("47.50"), Some("LRD"))),
            ("0.63 USD".to_owned(), Some("47.50 LRD".to_owned()))
        );
        // No gateway fee, or a zero one in another currency: nothing more to read.
        let without = ("0.63 USD".to_owned(), None);
        assert_eq!(read(&quote(None, Some("LRD"))), without);
        assert_eq!(read(&quote(d("0"), Some("LRD"))), without);
    }
}
