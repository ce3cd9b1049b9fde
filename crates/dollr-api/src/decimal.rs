//! Exact decimal amounts. Dollr sends money both as JSON numbers and as strings; both are read
//! into [`Decimal`] (an integer count of units at a given scale), so no arithmetic on money ever
//! goes through binary floating point.
//!
//! What a server computing in binary floating point or with long decimals sends is read as the
//! amount it means: a JSON number to 15 significant digits, as many as a binary float keeps
//! (`25.632500000000004` is 25.6325, `12179.999999999998` is 12180), and any amount to
//! [`MAX_SCALE`] decimals (`0.005540166204986149584487534626`, a rate from Python's `Decimal`,
//! is 0.005540166205). A string amount from Dollr may also be in exponent notation, as Python's
//! `Decimal` writes some (`0E-8`, `2.5E+3`: [`Decimal::read`]); the text the widget and the proxy
//! exchange is plain.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Most digits after the decimal point an amount keeps: more are rounded half away from zero.
pub const MAX_SCALE: u32 = 12;

/// Significant digits a binary float (`f64`) carries: every decimal of this many digits or
/// fewer comes back the same from the nearest float (C's `DBL_DIG`), and the digits a float
/// prints beyond them are its own rounding error.
const FLOAT_DIGITS: usize = 15;

/// The largest count of units an amount may hold, at its scale.
const MAX_UNITS: i128 = 10i128.pow(30);

/// An exact decimal number: `units / 10^scale`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Decimal {
    units: i128,
    scale: u32,
}

/// Why a text could not be read as a [`Decimal`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecimalError {
    /// Empty text, stray characters, or more than one point.
    #[error("not a decimal number")]
    Syntax,
    /// Too large to hold, or not a finite number.
    #[error("decimal number out of range")]
    Range,
}

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal { units: 0, scale: 0 };

    /// Builds `units / 10^scale`.
    pub fn new(units: i128, scale: u32) -> Decimal {
        Decimal {
            units,
            scale: scale.min(MAX_SCALE),
        }
    }

    /// A whole number.
    pub fn from_int(value: i64) -> Decimal {
        Decimal {
            units: i128::from(value),
            scale: 0,
        }
    }

    /// The integer count of units at [`Decimal::scale`].
    pub fn units(&self) -> i128 {
        self.units
    }

    /// Digits after the point.
    pub fn scale(&self) -> u32 {
        self.scale
    }

    /// True when strictly above zero.
    pub fn is_positive(&self) -> bool {
        self.units > 0
    }

    /// True when equal to zero.
    pub fn is_zero(&self) -> bool {
        self.units == 0
    }

    fn rescaled_units(&self, scale: u32) -> Option<i128> {
        if scale >= self.scale {
            10i128
                .checked_pow(scale - self.scale)?
                .checked_mul(self.units)
        } else {
            None
        }
    }

    /// Whole part and fractional units (both carry the sign of the value).
    fn split(&self) -> (i128, i128) {
        match 10i128.checked_pow(self.scale) {
            Some(divisor) => (self.units / divisor, self.units % divisor),
            None => (0, self.units),
        }
    }

    /// Sum, or `None` on overflow.
    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let a = self.rescaled_units(scale)?;
        let b = other.rescaled_units(scale)?;
        Some(Decimal {
            units: a.checked_add(b)?,
            scale,
        })
    }

    /// Difference, or `None` on overflow.
    pub fn checked_sub(self, other: Decimal) -> Option<Decimal> {
        self.checked_add(Decimal {
            units: other.units.checked_neg()?,
            scale: other.scale,
        })
    }

    /// Product, rounded half away from zero to at most [`MAX_SCALE`] digits.
    pub fn checked_mul(self, other: Decimal) -> Option<Decimal> {
        let product = Decimal {
            units: self.units.checked_mul(other.units)?,
            scale: self.scale + other.scale,
        };
        Some(product.round_dp(MAX_SCALE))
    }

    /// Rounds half away from zero to `digits` after the point (no-op when already shorter).
    pub fn round_dp(self, digits: u32) -> Decimal {
        if self.scale <= digits {
            return self;
        }
        let drop = self.scale - digits;
        let Some(divisor) = 10i128.checked_pow(drop) else {
            return Decimal::ZERO;
        };
        let quotient = self.units / divisor;
        let remainder = self.units % divisor;
        let half = divisor / 2;
        let rounded = if remainder.abs() >= half && half > 0 {
            quotient + self.units.signum()
        } else {
            quotient
        };
        Decimal {
            units: rounded,
            scale: digits,
        }
    }

    /// The same value with trailing fractional zeros removed.
    pub fn normalized(self) -> Decimal {
        let mut out = self;
        while out.scale > 0 && out.units % 10 == 0 {
            out.units /= 10;
            out.scale -= 1;
        }
        out
    }

    /// Formats with exactly `digits` after the point (rounding half away from zero), or with
    /// fewer when padding it with zeros would not fit (never another value).
    pub fn to_fixed(self, digits: u32) -> String {
        let rounded = self.round_dp(digits);
        match rounded.rescaled_units(digits) {
            Some(units) => Decimal {
                units,
                scale: digits,
            }
            .render(),
            None => rounded.render(),
        }
    }

    fn render(&self) -> String {
        let negative = self.units < 0;
        let digits = self.units.unsigned_abs().to_string();
        let scale = self.scale as usize;
        let mut out = String::with_capacity(digits.len() + 3);
        if negative {
            out.push('-');
        }
        if scale == 0 {
            out.push_str(&digits);
        } else if digits.len() > scale {
            let (int, frac) = digits.split_at(digits.len() - scale);
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', scale - digits.len()));
            out.push_str(&digits);
        }
        out
    }

    /// Nearest binary float, for APIs whose wire format is a JSON number.
    pub fn to_f64(self) -> f64 {
        self.render().parse().unwrap_or(f64::NAN)
    }

    /// Reads a finite float as the decimal of [`FLOAT_DIGITS`] significant digits nearest to it,
    /// so `10.1` stays `10.1` and `0.1 + 0.2` is `0.3`, rounded to [`MAX_SCALE`] decimals.
    pub fn from_f64(value: f64) -> Result<Decimal, DecimalError> {
        if !value.is_finite() {
            return Err(DecimalError::Range);
        }
        // `d.dddddddddddddde±x`: the digits, then the power of ten of the first.
        let text = format!("{value:.*e}", FLOAT_DIGITS - 1);
        let (mantissa, exponent) = text.split_once('e').ok_or(DecimalError::Syntax)?;
        let exponent: i32 = exponent.parse().map_err(|_| DecimalError::Syntax)?;
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let mut units: i128 = digits.parse().map_err(|_| DecimalError::Syntax)?;
        if mantissa.starts_with('-') {
            units = -units;
        }
        // The value is `units × 10^shift`.
        let shift = exponent - (FLOAT_DIGITS as i32 - 1);
        let read = if shift >= 0 {
            let factor = 10i128
                .checked_pow(shift.unsigned_abs())
                .ok_or(DecimalError::Range)?;
            Decimal {
                units: units.checked_mul(factor).ok_or(DecimalError::Range)?,
                scale: 0,
            }
        } else {
            Decimal {
                units,
                scale: shift.unsigned_abs(),
            }
            .round_dp(MAX_SCALE)
        };
        if read.units.unsigned_abs() > MAX_UNITS.unsigned_abs() {
            return Err(DecimalError::Range);
        }
        Ok(read.normalized())
    }

    /// Reads an amount as Dollr's answers may write it: as plain text (`25.63`, read as
    /// [`FromStr`] reads it) or in exponent notation, as Python's `Decimal` writes a zero with
    /// decimals or an amount with a positive exponent (`0E-8`, `2.5E+3`).
    pub fn read(text: &str) -> Result<Decimal, DecimalError> {
        let text = text.trim();
        let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
            return text.parse();
        };
        let (sign, unsigned) = match mantissa.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", mantissa.strip_prefix('+').unwrap_or(mantissa)),
        };
        let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let exponent_digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if int.len() + frac.len() == 0
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
            || exponent_digits.is_empty()
            || !exponent_digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(DecimalError::Syntax);
        }
        let digits = format!("{int}{frac}");
        let Some(first) = digits.find(|c| c != '0') else {
            return Ok(Decimal::ZERO);
        };
        let significant = &digits[first..];
        // How many of the significant digits stand before the point: the exponent moves it.
        // An exponent too long for an i64 is far beyond any amount either way.
        let shift = exponent
            .parse::<i64>()
            .unwrap_or(if exponent.starts_with('-') {
                i64::MIN / 2
            } else {
                i64::MAX / 2
            });
        let before_point = (int.len() as i64 - first as i64).saturating_add(shift);
        if before_point > 31 {
            return Err(DecimalError::Range);
        }
        if before_point < -(MAX_SCALE as i64) {
            // Below a twelfth decimal's half: rounds to zero.
            return Ok(Decimal::ZERO);
        }
        let plain = if before_point >= 0 {
            let before = before_point as usize;
            let int_part = significant.get(..before).unwrap_or(significant);
            let frac_part = significant.get(before..).unwrap_or("");
            let zeros = before.saturating_sub(significant.len());
            format!("{sign}{int_part}{}.{frac_part}", "0".repeat(zeros))
        } else {
            let zeros = before_point.unsigned_abs() as usize;
            format!("{sign}0.{}{significant}", "0".repeat(zeros))
        };
        plain.parse()
    }
}

impl FromStr for Decimal {
    type Err = DecimalError;

    // Inlined where it is called: the widget's release wasm is 378 bytes (brotli) smaller so,
    // measured with `node scripts/size-report.mjs dist/cdn` (docs/budgets.md).
    #[inline]
    fn from_str(text: &str) -> Result<Decimal, DecimalError> {
        let text = text.trim();
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (int, frac) = match body.split_once('.') {
            Some((int, frac)) => (int, frac),
            None => (body, ""),
        };
        if (int.is_empty() && frac.is_empty())
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || (body.contains('.') && frac.is_empty() && int.is_empty())
        {
            return Err(DecimalError::Syntax);
        }
        let frac = frac.trim_end_matches('0');
        // Digits past MAX_SCALE round the last one kept, half away from zero: the first of them
        // alone says whether the rest is half a unit or more.
        let (kept, round_up) = match frac.as_bytes().get(MAX_SCALE as usize) {
            Some(first_dropped) => (&frac[..MAX_SCALE as usize], *first_dropped >= b'5'),
            None => (frac, false),
        };
        let mut units: i128 = 0;
        for b in int.bytes().chain(kept.bytes()) {
            units = units
                .checked_mul(10)
                .and_then(|u| u.checked_add(i128::from(b - b'0')))
                .ok_or(DecimalError::Range)?;
        }
        units = units
            .checked_add(i128::from(round_up))
            .ok_or(DecimalError::Range)?;
        if units > MAX_UNITS {
            return Err(DecimalError::Range);
        }
        Ok(Decimal {
            units: if negative { -units } else { units },
            scale: kept.len() as u32,
        })
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized().render())
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        let scale = self.scale.max(other.scale);
        match (self.rescaled_units(scale), other.rescaled_units(scale)) {
            (Some(a), Some(b)) => a.cmp(&b),
            // Too large to share a scale: whole parts first, then the fractions (each below
            // 10^scale, so they always fit). Exact, and no float code in the widget.
            _ => {
                let (a_whole, a_frac) = self.split();
                let (b_whole, b_frac) = other.split();
                a_whole.cmp(&b_whole).then_with(|| {
                    let a = Decimal {
                        units: a_frac,
                        scale: self.scale,
                    }
                    .rescaled_units(scale);
                    let b = Decimal {
                        units: b_frac,
                        scale: other.scale,
                    }
                    .rescaled_units(scale);
                    a.cmp(&b)
                })
            }
        }
    }
}

impl std::hash::Hash for Decimal {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let n = self.normalized();
        n.units.hash(state);
        n.scale.hash(state);
    }
}

/// Serialised as a string by default: exact, and what Dollr's predictions use.
impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

/// Serialises a [`Decimal`] as a JSON number, for Dollr fields whose schema says `number`.
pub fn serialize_as_number<S: Serializer>(
    value: &Decimal,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let n = value.normalized();
    if n.scale == 0 {
        if let Ok(whole) = i64::try_from(n.units) {
            return serializer.serialize_i64(whole);
        }
    }
    serializer.serialize_f64(value.to_f64())
}

/// [`serialize_as_number`] for an optional field.
pub fn serialize_option_as_number<S: Serializer>(
    value: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => serialize_as_number(v, serializer),
        None => serializer.serialize_none(),
    }
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal amount as a number or a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        Decimal::read(v).map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from_int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal {
            units: i128::from(v),
            scale: 0,
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        Decimal::from_f64(v).map_err(|_| E::invalid_value(de::Unexpected::Float(v), &self))
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    #[test]
    fn parses_and_prints_exactly() {
        for (input, shown) in [
            ("10.10", "10.1"),
            ("0.01", "0.01"),
            ("1500", "1500"),
            ("-2.5", "-2.5"),
            (".5", "0.5"),
            ("7.", "7"),
            ("  3.000 ", "3"),
        ] {
            assert_eq!(d(input).to_string(), shown, "{input}");
        }
    }

    #[test]
    fn rejects_non_numbers() {
        for bad in ["", ".", "1.2.3", "abc", "1e5", "--1", "0x10", "1,5"] {
            assert!(bad.parse::<Decimal>().is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            "1000000000000000000000000000001".parse::<Decimal>(),
            Err(DecimalError::Range)
        );
    }

    #[test]
    fn rounds_digits_past_the_scale_half_away_from_zero() {
        for (input, shown) in [
            // Python's `Decimal(1) / Decimal("180.5")`.
            ("0.005540166204986149584487534626", "0.005540166205"),
            ("25.6300000000000000000000001", "25.63"),
            ("0.0000000000001", "0"),
            ("0.0000000000005", "0.000000000001"),
            ("-0.0000000000005", "-0.000000000001"),
            ("0.99999999999999999", "1"),
            ("1.0000000000004999999999999", "1"),
        ] {
            assert_eq!(d(input).to_string(), shown, "{input}");
        }
        assert!("0.1234567890123x".parse::<Decimal>().is_err());
        // i128::MAX at scale 12, rounded up by the digit past it: out of range, not wrapped.
        assert_eq!(
            "170141183460469231731687303.7158841057275".parse::<Decimal>(),
            Err(DecimalError::Range)
        );
    }

    #[test]
    fn reads_exponents_as_pythons_decimal_writes_them() {
        let read = |text: &str| Decimal::read(text).map(|d| d.to_string());
        for (text, shown) in [
            ("0E-8", "0"),      // Decimal("0.00") * Decimal("0.000001")
            ("2.5E+3", "2500"), // Decimal(25) * Decimal("1E2")
            ("1E-7", "0.0000001"),
            ("-1.5e2", "-150"),
            ("0.00125E2", "0.125"),
            ("1.23456789012345678E+5", "123456.789012345678"),
            ("1E30", "1000000000000000000000000000000"),
            ("5E-13", "0.000000000001"),
            ("4E-13", "0"),
            ("1E-99999999999999999999", "0"),
            ("0E+99999999999999999999", "0"),
            (" 25.63 ", "25.63"),
        ] {
            let expected = shown.parse::<Decimal>().map(|d| d.to_string());
            assert_eq!(read(text), expected, "{text}");
        }
        for bad in [
            "E5", "1E", "1E+", "1e5e3", "1E+-5", "1 E5", ".E5", "Infinity", "NaN", "0x1E5",
        ] {
            assert_eq!(read(bad), Err(DecimalError::Syntax), "{bad:?}");
        }
        for large in ["1E31", "1E99999999999999999999", "9.9E9223372036854775807"] {
            assert_eq!(read(large), Err(DecimalError::Range), "{large:?}");
        }
        // Dollr's string amounts are read so; the text the widget and the proxy exchange is not.
        let amount: Result<Decimal, _> = serde_json::from_str("\"2.5E+3\"");
        assert_eq!(amount.ok(), Some(Decimal::from_int(2500)));
        assert!("2.5E+3".parse::<Decimal>().is_err());
    }

    #[test]
    fn reads_a_float_as_the_amount_it_means() {
        // Each as Python's `json.dumps` writes the float a computation left.
        for (json, shown) in [
            ("25.632500000000004", "25.6325"), // 25 * 1.0253
            ("12179.999999999998", "12180"),   // 12000 * 1.015
            ("0.30000000000000004", "0.3"),    // 0.1 + 0.2
            ("59.97", "59.97"),
            ("25.630000000000003", "25.63"), // the float after 25.63
            ("-7.1000000000000005", "-7.1"),
            ("1e-7", "0.0000001"),
            ("1e-13", "0"),
            ("1.5e20", "150000000000000000000"),
            ("123456789012.34", "123456789012.34"),
        ] {
            let read: Result<Decimal, _> = serde_json::from_str(json);
            assert_eq!(
                read.map(|d| d.to_string()).ok().as_deref(),
                Some(shown),
                "{json}"
            );
        }
        assert_eq!(Decimal::from_f64(1e31), Err(DecimalError::Range));
        assert_eq!(Decimal::from_f64(f64::NAN), Err(DecimalError::Range));
        assert_eq!(Decimal::from_f64(f64::MAX), Err(DecimalError::Range));
        assert_eq!(Decimal::from_f64(-0.0), Ok(Decimal::ZERO));
    }

    #[test]
    fn arithmetic_is_exact() {
        // 0.1 + 0.2 is the classic float trap.
        assert_eq!(d("0.1").checked_add(d("0.2")), Some(d("0.3")));
        assert_eq!(
            d("19.99").checked_mul(Decimal::from_int(3)),
            Some(d("59.97"))
        );
        assert_eq!(d("10").checked_sub(d("0.01")), Some(d("9.99")));
    }

    #[test]
    fn orders_exactly_even_when_scales_cannot_meet() {
        // 10^30 at scale 0 against a value at scale 12: 10^42 does not fit in i128.
        let big = Decimal::new(10i128.pow(30), 0);
        let small_frac = Decimal::new(10i128.pow(30) * 1000 + 1, 12);
        assert!(big.rescaled_units(12).is_none());
        assert!(small_frac < big);
        assert!(Decimal::new(-(10i128.pow(30)), 0) < Decimal::new(-1_000_000_000_000_001, 12));
        assert_eq!(d("-1.5").cmp(&d("-1.2")), Ordering::Less);
        assert_eq!(d("-0.5").cmp(&d("0.3")), Ordering::Less);
        let mut sorted = vec![d("2"), d("-1.5"), d("0.25"), d("-1.2"), d("0")];
        sorted.sort();
        assert_eq!(
            sorted,
            vec![d("-1.5"), d("-1.2"), d("0"), d("0.25"), d("2")]
        );
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(d("2.345").round_dp(2), d("2.35"));
        assert_eq!(d("2.344").round_dp(2), d("2.34"));
        assert_eq!(d("-2.345").round_dp(2), d("-2.35"));
        assert_eq!(d("1499.5").round_dp(0), d("1500"));
        assert_eq!(d("12.5").to_fixed(2), "12.50");
        assert_eq!(d("0.004").to_fixed(2), "0.00");
        // 10^30 padded to 12 decimals would not fit in i128: the value, unpadded.
        assert_eq!(
            Decimal::new(10i128.pow(30), 0).to_fixed(12),
            "1000000000000000000000000000000"
        );
    }

    #[test]
    fn reads_json_numbers_and_strings() {
        let from_number: Decimal = serde_json::from_str("10.1").unwrap_or_default();
        let from_string: Decimal = serde_json::from_str("\"10.10\"").unwrap_or_default();
        let from_int: Decimal = serde_json::from_str("1500").unwrap_or_default();
        assert_eq!(from_number, d("10.1"));
        assert_eq!(from_string, d("10.1"));
        assert_eq!(from_int, d("1500"));
        assert!(serde_json::from_str::<Decimal>("\"ten\"").is_err());
        assert!(serde_json::from_str::<Decimal>("true").is_err());
    }

    /// A small deterministic generator (xorshift64), so a failure names an input that fails
    /// again.
    fn numbers(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    #[test]
    fn every_amount_of_15_digits_comes_back_from_a_float_as_it_was() {
        let mut next = numbers(0x9e37_79b9_7f4a_7c15);
        for _ in 0..100_000 {
            let digits = 1 + next() % 15;
            let units = (next() % 10u64.pow(digits as u32)) as i128;
            let scale = (next() % u64::from(MAX_SCALE + 1)) as u32;
            let sign = if next().is_multiple_of(4) { -1 } else { 1 };
            let amount = Decimal::new(sign * units, scale);
            let text = amount.to_string();
            assert_eq!(Decimal::from_f64(amount.to_f64()), Ok(amount), "{text}");
            let from_json: Result<Decimal, _> = serde_json::from_str(&text);
            assert_eq!(from_json.ok(), Some(amount), "{text} as a JSON number");
        }
    }

    #[test]
    fn any_text_is_read_or_refused_and_what_is_read_prints_back_the_same_both_ways() {
        let mut next = numbers(0x2545_f491_4f6c_dd1d);
        let alphabet = b"0123456789012345678901234567890123456789.-+ eE";
        for _ in 0..100_000 {
            let length = next() % 40;
            let text: String = (0..length)
                .map(|_| char::from(alphabet[(next() % alphabet.len() as u64) as usize]))
                .collect();
            let plain = text.parse::<Decimal>();
            let any = Decimal::read(&text);
            if plain.is_ok() {
                assert_eq!(any, plain, "{text:?}: read as plain text");
            }
            if let Ok(read) = any {
                assert!(read.scale() <= MAX_SCALE, "{text:?}");
                assert!(
                    read.units().unsigned_abs() <= MAX_UNITS.unsigned_abs(),
                    "{text:?}"
                );
                assert_eq!(read.to_string().parse::<Decimal>(), Ok(read), "{text:?}");
            }
        }
    }

    #[test]
    fn writes_strings_or_numbers() {
        assert_eq!(
            serde_json::to_string(&d("12.50")).ok(),
            Some("\"12.5\"".into())
        );
        #[derive(Serialize)]
        struct N {
            #[serde(serialize_with = "serialize_as_number")]
            a: Decimal,
            #[serde(serialize_with = "serialize_as_number")]
            b: Decimal,
        }
        let text = serde_json::to_string(&N {
            a: d("12.50"),
            b: d("1500"),
        })
        .unwrap_or_default();
        assert_eq!(text, r#"{"a":12.5,"b":1500}"#);
    }
}
