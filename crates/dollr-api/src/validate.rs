//! Input rules from Dollr's schemas, written once for the widget, the proxy and the sandbox.

/// Dollr's phone rule `^[1-9]\d{7,14}$`: E.164 digits, no `+`.
pub fn is_valid_phone(phone: &str) -> bool {
    let bytes = phone.as_bytes();
    (8..=15).contains(&bytes.len()) && bytes[0] != b'0' && bytes.iter().all(|b| b.is_ascii_digit())
}

/// ISO 4217 shape: three upper-case ASCII letters.
pub fn is_valid_currency(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// A UUID version 4 in its canonical lower- or upper-case hyphenated form.
pub fn is_uuid_v4(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 36 {
        return false;
    }
    for (i, b) in bytes.iter().enumerate() {
        let ok = match i {
            8 | 13 | 18 | 23 => *b == b'-',
            14 => *b == b'4',
            19 => matches!(b, b'8' | b'9' | b'a' | b'b' | b'A' | b'B'),
            _ => b.is_ascii_hexdigit(),
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Digits after the point a currency uses for amounts shown to people (ISO 4217 minor unit).
/// RWF has none; the currencies this project meets otherwise use two.
pub fn minor_units(currency: &str) -> u32 {
    match currency {
        "RWF" | "JPY" | "KRW" | "XOF" | "XAF" | "UGX" | "BIF" | "GNF" | "KMF" | "DJF" | "VND" => 0,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_rule_matches_dollr_pattern() {
        for good in ["231771234567", "25078123456", "12345678", "123456789012345"] {
            assert!(is_valid_phone(good), "{good}");
        }
        for bad in [
            "",
            "0231771234567",
            "+231771234567",
            "1234567",
            "1234567890123456",
            "23177abc",
        ] {
            assert!(!is_valid_phone(bad), "{bad}");
        }
    }

    #[test]
    fn currency_rule() {
        assert!(is_valid_currency("USD"));
        assert!(!is_valid_currency("usd"));
        assert!(!is_valid_currency("US"));
        assert!(!is_valid_currency("USDT"));
    }

    #[test]
    fn uuid_v4_rule() {
        assert!(is_uuid_v4("550e8400-e29b-41d4-a716-446655440000"));
        assert!(
            !is_uuid_v4("550e8400-e29b-11d4-a716-446655440000"),
            "version 1"
        );
        assert!(
            !is_uuid_v4("550e8400-e29b-41d4-c716-446655440000"),
            "bad variant"
        );
        assert!(!is_uuid_v4("550e8400e29b41d4a716446655440000"));
        assert!(!is_uuid_v4("not-a-uuid"));
    }

    #[test]
    fn minor_units_by_currency() {
        assert_eq!(minor_units("RWF"), 0);
        assert_eq!(minor_units("USD"), 2);
        assert_eq!(minor_units("LRD"), 2);
    }
}
