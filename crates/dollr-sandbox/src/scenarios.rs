//! The deterministic rules that decide outcomes from inputs (the contract in the README's
//! "Sandbox test numbers and cards" table): operator by phone prefix, outcome by the last four
//! digits or by Stripe's test PaymentMethod id, and the fee and FX schedule.

use dollr_api::validate::minor_units;
use dollr_api::{Decimal, FeeBearer, PaymentMethod, Provider};

/// An operator found for a phone number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operator {
    /// Method to use.
    pub method: PaymentMethod,
    /// Operator's brand.
    pub carrier: &'static str,
    /// ISO 3166 alpha-2.
    pub country: &'static str,
    /// Currencies its wallets hold.
    pub currencies: &'static [&'static str],
}

/// Operator detection by E.164 prefix.
pub fn operator_for(phone: &str) -> Option<Operator> {
    let prefix = phone.get(..5)?;
    let (method, carrier, country, currencies): (_, _, _, &'static [&'static str]) = match prefix {
        "23177" | "23178" => (
            PaymentMethod::OrangeMoneyLbr,
            "Orange",
            "LR",
            &["USD", "LRD"],
        ),
        "23188" | "23155" => (PaymentMethod::MtnMomoLbr, "MTN", "LR", &["USD", "LRD"]),
        "25078" | "25079" => (PaymentMethod::MtnMomoRwa, "MTN", "RW", &["RWF"]),
        "25072" | "25073" => (PaymentMethod::AirtelRwa, "Airtel", "RW", &["RWF"]),
        _ => return None,
    };
    Some(Operator {
        method,
        carrier,
        country,
        currencies,
    })
}

/// Currencies a method can pay in.
pub fn method_currencies(method: &PaymentMethod) -> &'static [&'static str] {
    match method {
        PaymentMethod::MtnMomoLbr | PaymentMethod::OrangeMoneyLbr => &["USD", "LRD"],
        PaymentMethod::MtnMomoRwa | PaymentMethod::AirtelRwa | PaymentMethod::OrangeMoneyRwa => {
            &["RWF"]
        }
        PaymentMethod::CreditCard => &["USD"],
        PaymentMethod::Wallet => &["USD", "LRD", "RWF"],
        PaymentMethod::Unrecognised(_) => &[],
    }
}

/// How an execution ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// `COMPLETED` after the short delay.
    Complete,
    /// `COMPLETED` after the long delay.
    CompleteSlowly,
    /// Never leaves `PROCESSING`.
    Stuck,
    /// `FAILED` with this gateway message.
    Fail(&'static str),
    /// Card needing 3-D Secure: waits for the challenge, then completes or fails.
    ChallengeThenComplete,
}

/// Gateway message for a payer who declined the prompt.
pub const DECLINED_BY_PAYER: &str = "Payer declined the payment request";
/// Gateway message for an empty wallet.
pub const INSUFFICIENT_FUNDS: &str = "Insufficient funds in the payer's wallet";
/// Gateway message for a declined card.
pub const CARD_DECLINED: &str = "Your card was declined";
/// Gateway message for a card without the funds (Stripe's sentence for `insufficient_funds`).
pub const CARD_INSUFFICIENT_FUNDS: &str = "Your card has insufficient funds.";
/// Gateway message for a refused 3-D Secure challenge.
pub const AUTHENTICATION_FAILED: &str = "Card authentication failed";

/// Mobile-money outcome by the phone number's last four digits.
pub fn mobile_money_outcome(phone: &str) -> Outcome {
    match phone.get(phone.len().saturating_sub(4)..) {
        Some("2222") => Outcome::Fail(DECLINED_BY_PAYER),
        Some("3333") => Outcome::Fail(INSUFFICIENT_FUNDS),
        Some("4444") => Outcome::CompleteSlowly,
        Some("5555") => Outcome::Stuck,
        _ => Outcome::Complete,
    }
}

/// Stripe test PaymentMethod ids this sandbox knows, with their brand.
pub fn card_brand(payment_method_id: &str) -> Option<&'static str> {
    match payment_method_id {
        "pm_card_visa"
        | "pm_card_threeDSecure2Required"
        | "pm_card_authenticationRequired"
        | "pm_card_authenticationRequiredOnSetup"
        | "pm_card_chargeDeclined"
        | "pm_card_chargeDeclinedInsufficientFunds" => Some("visa"),
        "pm_card_mastercard" => Some("mastercard"),
        _ => None,
    }
}

/// Card outcome by Stripe test PaymentMethod id.
pub fn card_outcome(payment_method_id: &str) -> Outcome {
    match payment_method_id {
        // Stripe's ids for cards that ask the payer to authenticate on a payment made while
        // they are there: "3DS required", "always authenticate", "authenticate unless set up".
        "pm_card_threeDSecure2Required"
        | "pm_card_authenticationRequired"
        | "pm_card_authenticationRequiredOnSetup" => Outcome::ChallengeThenComplete,
        "pm_card_chargeDeclined" => Outcome::Fail(CARD_DECLINED),
        "pm_card_chargeDeclinedInsufficientFunds" => Outcome::Fail(CARD_INSUFFICIENT_FUNDS),
        _ => Outcome::Complete,
    }
}

/// Units of `to` per one unit of `from` (fixed sandbox rates; documented in the README).
pub fn fx_rate(from: &str, to: &str) -> Option<Decimal> {
    fn per_usd(code: &str) -> Option<Decimal> {
        match code {
            "USD" => Some(Decimal::from_int(1)),
            "LRD" => Some(Decimal::from_int(190)),
            "RWF" => Some(Decimal::from_int(1300)),
            _ => None,
        }
    }
    if from == to {
        return Some(Decimal::from_int(1));
    }
    let from_rate = per_usd(from)?;
    let to_rate = per_usd(to)?;
    // to/from, to six places: exact for the USD pairs, rounded for LRD↔RWF.
    let scaled = to_rate.units() * 1_000_000 / from_rate.units();
    Some(Decimal::new(scaled, 6).normalized())
}

/// A fee and FX computation for one source, method and payer currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pricing {
    /// What the payer pays, in `payer_currency`.
    pub payer_amount: Decimal,
    /// Payer's currency.
    pub payer_currency: String,
    /// What the merchant receives, in `payee_currency`.
    pub payee_amount: Decimal,
    /// The source's currency.
    pub payee_currency: String,
    /// Dollr's fee (source currency).
    pub platform_fee: Decimal,
    /// The gateway's fee, in `gateway_currency`.
    pub gateway_fee: Decimal,
    /// The gateway fee's currency: the payer's for mobile money paid in another currency (the
    /// operator charges in the money it carries), the source's otherwise.
    pub gateway_currency: String,
    /// The FX fee (source currency); zero without conversion.
    pub fx_fee: Decimal,
    /// Payer currency units per source currency unit.
    pub fx_rate: Decimal,
}

fn percent(amount: Decimal, basis_points: i64, currency: &str) -> Decimal {
    amount
        .checked_mul(Decimal::new(i128::from(basis_points), 4))
        .unwrap_or(Decimal::ZERO)
        .round_dp(minor_units(currency))
}

/// Platform fee 1.5 %; gateway fee 1 % for mobile money, 2.9 % for cards; FX fee 1 % when the
/// payer pays in another currency. Fees are computed in the source currency and rounded to its
/// minor unit; the payer amount is rounded to the payer currency's minor unit. A mobile-money
/// gateway fee paid in another currency is reported converted to it, as the operator charges.
pub fn price(
    total: Decimal,
    source_currency: &str,
    payer_currency: &str,
    method: &PaymentMethod,
    fee_bearer: &FeeBearer,
) -> Option<Pricing> {
    let rate = fx_rate(source_currency, payer_currency)?;
    let platform_fee = percent(total, 150, source_currency);
    let gateway_bp = if method.provider() == Some(Provider::Stripe) {
        290
    } else {
        100
    };
    let gateway_fee = percent(total, gateway_bp, source_currency);
    let fx_fee = if source_currency == payer_currency {
        Decimal::ZERO
    } else {
        percent(total, 100, source_currency)
    };
    let fees = platform_fee.checked_add(gateway_fee)?.checked_add(fx_fee)?;
    let (gross, payee_amount) = match fee_bearer {
        FeeBearer::Payee => (total, total.checked_sub(fees)?),
        _ => (total.checked_add(fees)?, total),
    };
    let payer_amount = gross
        .checked_mul(rate)?
        .round_dp(minor_units(payer_currency));
    let (gateway_fee, gateway_currency) =
        if method.provider() == Some(Provider::Stripe) || source_currency == payer_currency {
            (gateway_fee, source_currency)
        } else {
            let converted = gateway_fee
                .checked_mul(rate)?
                .round_dp(minor_units(payer_currency));
            (converted, payer_currency)
        };
    Some(Pricing {
        payer_amount,
        payer_currency: payer_currency.to_owned(),
        payee_amount,
        payee_currency: source_currency.to_owned(),
        platform_fee,
        gateway_fee,
        gateway_currency: gateway_currency.to_owned(),
        fx_fee,
        fx_rate: rate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or(Decimal::ZERO)
    }

    #[test]
    fn operators_by_prefix() {
        let orange = operator_for("231771234567");
        assert_eq!(
            orange.map(|o| o.method),
            Some(PaymentMethod::OrangeMoneyLbr)
        );
        let airtel = operator_for("250731234567");
        assert_eq!(airtel.map(|o| o.carrier), Some("Airtel"));
        assert_eq!(operator_for("233241234567"), None);
        assert_eq!(operator_for("2317"), None);
    }

    #[test]
    fn outcomes_by_last_digits() {
        assert_eq!(mobile_money_outcome("231771111111"), Outcome::Complete);
        assert_eq!(
            mobile_money_outcome("231770002222"),
            Outcome::Fail(DECLINED_BY_PAYER)
        );
        assert_eq!(
            mobile_money_outcome("231770003333"),
            Outcome::Fail(INSUFFICIENT_FUNDS)
        );
        assert_eq!(
            mobile_money_outcome("231770004444"),
            Outcome::CompleteSlowly
        );
        assert_eq!(mobile_money_outcome("231770005555"), Outcome::Stuck);
        assert_eq!(mobile_money_outcome("231770009876"), Outcome::Complete);
        assert_eq!(
            card_outcome("pm_card_chargeDeclined"),
            Outcome::Fail(CARD_DECLINED)
        );
        assert_eq!(
            card_outcome("pm_card_chargeDeclinedInsufficientFunds"),
            Outcome::Fail(CARD_INSUFFICIENT_FUNDS)
        );
    }

    #[test]
    fn rates_are_fixed() {
        assert_eq!(fx_rate("USD", "LRD"), Some(d("190")));
        assert_eq!(fx_rate("LRD", "USD"), Some(d("0.005263")));
        assert_eq!(fx_rate("USD", "XYZ"), None);
    }

    #[test]
    fn payer_bears_fees_in_their_currency() {
        // 25.00 USD paid in LRD by mobile money: fees 0.38 + 0.25 + 0.25 = 0.88 → 25.88 × 190.
        let p = price(
            d("25"),
            "USD",
            "LRD",
            &PaymentMethod::MtnMomoLbr,
            &FeeBearer::Payer,
        );
        let p = p.unwrap_or_else(|| panic!("priced"));
        assert_eq!(p.platform_fee, d("0.38"));
        // The operator's 0.25 USD, charged in Liberian dollars.
        assert_eq!(
            (p.gateway_fee, p.gateway_currency.as_str()),
            (d("47.50"), "LRD")
        );
        assert_eq!(p.fx_fee, d("0.25"));
        assert_eq!(p.payer_amount, d("4917.20"));
        assert_eq!(p.payee_amount, d("25"));
    }

    #[test]
    fn rwf_has_no_minor_unit() {
        let p = price(
            d("15000"),
            "RWF",
            "RWF",
            &PaymentMethod::MtnMomoRwa,
            &FeeBearer::Payer,
        );
        let p = p.unwrap_or_else(|| panic!("priced"));
        assert_eq!(p.platform_fee, d("225"));
        assert_eq!(
            (p.gateway_fee, p.gateway_currency.as_str()),
            (d("150"), "RWF")
        );
        assert_eq!(p.payer_amount, d("15375"));
        assert_eq!(p.payer_amount.scale(), 0);
    }

    #[test]
    fn payee_bears_fees() {
        let p = price(
            d("100"),
            "USD",
            "USD",
            &PaymentMethod::CreditCard,
            &FeeBearer::Payee,
        );
        let p = p.unwrap_or_else(|| panic!("priced"));
        assert_eq!(p.payer_amount, d("100"));
        assert_eq!(p.payee_amount, d("95.60"));
    }
}
