//! Phone numbers as payers type them: a country, then the national number with or without its
//! leading zero, spaces or dashes; or the full international number. Checked as typed, with a
//! sentence for each way it can be wrong.

use dollr_api::validate::is_valid_phone;

use crate::i18n::Key;

/// A mobile-money market.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Country {
    /// Liberia (+231).
    Liberia,
    /// Rwanda (+250).
    Rwanda,
}

impl Country {
    /// Every market, in display order.
    pub const ALL: &'static [Country] = &[Country::Liberia, Country::Rwanda];

    /// ISO 3166 alpha-2.
    pub fn iso_code(self) -> &'static str {
        match self {
            Country::Liberia => "LR",
            Country::Rwanda => "RW",
        }
    }

    /// International dialling code, digits only.
    pub fn dialing_code(self) -> &'static str {
        match self {
            Country::Liberia => "231",
            Country::Rwanda => "250",
        }
    }

    /// Digits of a mobile number after the dialling code.
    pub fn national_length(self) -> usize {
        9
    }

    /// The hint under the phone field, with an example number of this country.
    pub fn hint_key(self) -> Key {
        match self {
            Country::Liberia => Key::PhoneHintLiberia,
            Country::Rwanda => Key::PhoneHintRwanda,
        }
    }

    /// The country's name, from the translation table.
    pub fn name_key(self) -> Key {
        match self {
            Country::Liberia => Key::CountryLiberia,
            Country::Rwanda => Key::CountryRwanda,
        }
    }

    /// Reads an ISO code.
    pub fn from_iso(code: &str) -> Option<Country> {
        Country::ALL.iter().copied().find(|c| c.iso_code() == code)
    }
}

/// What the phone field holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneCheck {
    /// Nothing typed.
    Empty,
    /// Fine so far, not long enough yet.
    Incomplete,
    /// Cannot become valid; the sentence says why.
    Invalid(Key),
    /// A complete number: E.164 digits without `+`.
    Valid(String),
}

/// Checks `input` for `country`.
pub fn check_phone(country: Country, input: &str) -> PhoneCheck {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return PhoneCheck::Empty;
    }
    // What people type around the digits: spaces, dashes, dots, brackets, a leading +.
    let separators = |c: char| matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}');
    let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
    if !body.chars().all(|c| c.is_ascii_digit() || separators(c)) {
        return PhoneCheck::Invalid(Key::PhoneInvalidCharacters);
    }
    let mut digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let international = trimmed.starts_with('+') || trimmed.starts_with("00");
    if trimmed.starts_with("00") {
        digits.drain(..2);
    }
    if digits.is_empty() {
        return PhoneCheck::Incomplete;
    }
    let code = country.dialing_code();
    let national = if international {
        match digits.strip_prefix(code) {
            Some(rest) => rest.to_owned(),
            None if digits.len() >= code.len() => {
                return PhoneCheck::Invalid(Key::PhoneOtherCountry)
            }
            None => return PhoneCheck::Incomplete,
        }
    } else if digits.len() > country.national_length() + 1 && digits.starts_with(code) {
        digits[code.len()..].to_owned()
    } else {
        digits
            .strip_prefix('0')
            .map(str::to_owned)
            .unwrap_or(digits)
    };
    let wanted = country.national_length();
    if national.len() < wanted {
        return PhoneCheck::Incomplete;
    }
    if national.len() > wanted {
        return PhoneCheck::Invalid(Key::PhoneTooLong);
    }
    let full = format!("{code}{national}");
    if is_valid_phone(&full) && !national.starts_with('0') {
        PhoneCheck::Valid(full)
    } else {
        PhoneCheck::Invalid(Key::PhoneNotMobile)
    }
}

/// A stored number (E.164 digits) as a payer reads it: `+231 88 123 4567`, its groups joined by
/// no-break spaces so that a narrow screen never splits it across lines; a number of no known
/// market keeps its digits whole; `None` for no number (a card attempt).
pub fn display(e164: &str) -> Option<String> {
    if e164.is_empty() {
        return None;
    }
    let grouped = Country::ALL.iter().find_map(|country| {
        let national = e164.strip_prefix(country.dialing_code())?;
        let shaped = national.len() == country.national_length()
            && national.bytes().all(|b| b.is_ascii_digit());
        shaped.then(|| {
            let (head, rest) = national.split_at(2);
            let (middle, tail) = rest.split_at(3);
            format!(
                "+{}\u{a0}{head}\u{a0}{middle}\u{a0}{tail}",
                country.dialing_code()
            )
        })
    });
    Some(grouped.unwrap_or_else(|| format!("+{e164}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_ways_people_type_numbers() {
        let valid = |country, input: &str| check_phone(country, input);
        let lr = PhoneCheck::Valid("231881231111".into());
        for input in [
            "881231111",
            "0881231111",
            "088 123 1111",
            "+231 88 123 1111",
            "00231881231111",
            "231881231111",
            "88-123-1111",
        ] {
            assert_eq!(valid(Country::Liberia, input), lr, "{input}");
        }
        assert_eq!(
            valid(Country::Rwanda, "078 123 1111"),
            PhoneCheck::Valid("250781231111".into())
        );
    }

    #[test]
    fn shows_a_stored_number_as_payers_write_it() {
        assert_eq!(
            display("231881234567").as_deref(),
            Some("+231\u{a0}88\u{a0}123\u{a0}4567")
        );
        assert_eq!(
            display("250781231111").as_deref(),
            Some("+250\u{a0}78\u{a0}123\u{a0}1111")
        );
        assert_eq!(display("4915112345678").as_deref(), Some("+4915112345678"));
        assert_eq!(display("2318812345").as_deref(), Some("+2318812345"));
        assert_eq!(display(""), None);
    }

    #[test]
    fn explains_what_is_wrong() {
        assert_eq!(check_phone(Country::Liberia, ""), PhoneCheck::Empty);
        assert_eq!(
            check_phone(Country::Liberia, "0881"),
            PhoneCheck::Incomplete
        );
        assert_eq!(check_phone(Country::Liberia, "+23"), PhoneCheck::Incomplete);
        assert_eq!(
            check_phone(Country::Liberia, "08812311112"),
            PhoneCheck::Invalid(Key::PhoneTooLong)
        );
        assert_eq!(
            check_phone(Country::Liberia, "0881x"),
            PhoneCheck::Invalid(Key::PhoneInvalidCharacters)
        );
        assert_eq!(
            check_phone(Country::Liberia, "+250781231111"),
            PhoneCheck::Invalid(Key::PhoneOtherCountry)
        );
        assert_eq!(
            check_phone(Country::Rwanda, "0 000 000 000"),
            PhoneCheck::Invalid(Key::PhoneNotMobile)
        );
    }
}
