//! The host page's options, validated once into a [`Options`] value. Raw input arrives as
//! strings (element attributes or a JS object). What the checkout cannot run without (`proxy`,
//! `grant`) or a field of the wrong type stops it with an error that names the field; what only
//! shapes it (an unsupported `locale`, an out-of-range `timeLimitMinutes`, an unknown option)
//! is set aside with a note naming the field and the default used, so the payer can still pay.

use crate::error::WidgetError;
use crate::i18n::Locale;

/// The options a host page gives (the loader handles the `on…` callbacks itself).
pub const PAGE_OPTIONS: &[&str] = &["proxy", "grant", "locale", "timeLimitMinutes", "phone"];

/// The options the loader adds: the widget's stylesheet and that stylesheet's digest.
pub const LOADER_OPTIONS: &[&str] = &["stylesheet", "stylesheetIntegrity"];

/// Whether the widget reads option `name`.
pub fn is_known(name: &str) -> bool {
    PAGE_OPTIONS.contains(&name) || LOADER_OPTIONS.contains(&name)
}

/// Options exactly as the host page gave them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawOptions {
    /// URL of the merchant's proxy (absolute, or a path on this origin).
    pub proxy: Option<String>,
    /// The grant minted by the merchant's backend.
    pub grant: Option<String>,
    /// BCP 47 locale, default `en`.
    pub locale: Option<String>,
    /// Minutes a payer waits for approval before being told the payment is still pending
    /// (default 15).
    pub time_limit_minutes: Option<f64>,
    /// The payer's mobile-money number, when the shop already knows it: entered in the form
    /// for them.
    pub phone: Option<String>,
    /// URL of the widget's stylesheet, linked inside its shadow root (the loader sets it).
    pub stylesheet: Option<String>,
    /// Subresource Integrity digest of that stylesheet (the loader sets it): the browser
    /// refuses a stylesheet with other bytes.
    pub stylesheet_integrity: Option<String>,
    /// Names the host page gave that are not options (a typo, or an option of a newer version).
    pub unknown: Vec<String>,
    /// The browser's languages in the payer's order of preference (`navigator.languages`),
    /// which `locale: "auto"` chooses from.
    pub languages: Vec<String>,
}

/// Validated options.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Proxy base URL without a trailing slash.
    pub proxy: String,
    /// The grant.
    pub grant: String,
    /// Locale for text and numbers.
    pub locale: Locale,
    /// Waiting time limit in milliseconds.
    pub time_limit_ms: f64,
    /// The number to enter in the form, trimmed (checked there, as if the payer typed it).
    pub phone: Option<String>,
    /// Stylesheet URL for the shadow root.
    pub stylesheet: Option<String>,
    /// The stylesheet's Subresource Integrity digest (`sha384-…`).
    pub stylesheet_integrity: Option<String>,
    /// What was set aside and why, one sentence each, for the console.
    pub notes: Vec<String>,
}

/// The error for option `field`, saying why it is refused.
pub fn invalid(field: &str, reason: &str) -> WidgetError {
    WidgetError::InvalidOptions {
        field: field.to_owned(),
        reason: reason.to_owned(),
    }
}

impl RawOptions {
    /// The locale the payer reads: English by default, the browser's first language with a
    /// table for `auto`. A tag with no table is the note saying English is used instead.
    pub fn locale(&self) -> Result<Locale, String> {
        match given(&self.locale) {
            None => Ok(Locale::En),
            Some(tag) if tag.eq_ignore_ascii_case("auto") => Ok(Locale::preferred(&self.languages)),
            Some(tag) => Locale::parse(tag).ok_or_else(|| {
                [
                    "option `locale`: \"",
                    tag,
                    "\" has no translation yet (supported: ",
                    crate::i18n::SUPPORTED,
                    ", or auto for the browser's language); English is used",
                ]
                .concat()
            }),
        }
    }

    /// Checks every field.
    pub fn validate(&self) -> Result<Options, WidgetError> {
        let proxy = self.proxy.as_deref().map(str::trim).unwrap_or_default();
        if proxy.is_empty() {
            return Err(invalid(
                "proxy",
                "is required: the URL of your dollr-proxy, e.g. /api/dollr",
            ));
        }
        let is_url =
            proxy.starts_with('/') || proxy.starts_with("https://") || proxy.starts_with("http://");
        if !is_url || proxy.starts_with("//") || proxy.chars().any(char::is_whitespace) {
            return Err(invalid(
                "proxy",
                "must be an absolute http(s) URL or a path starting with /",
            ));
        }
        let grant = self.grant.as_deref().map(str::trim).unwrap_or_default();
        if grant.is_empty() {
            return Err(invalid(
                "grant",
                "is required: mint one on your server for this payment",
            ));
        }
        if grant.split('.').count() != 3 || grant.len() > 4096 {
            return Err(invalid(
                "grant",
                "is not a grant token (expected a JWT minted by your server)",
            ));
        }
        let mut notes: Vec<String> = self
            .unknown
            .iter()
            .map(|key| {
                [
                    "`",
                    key,
                    "` is not an option and is ignored (options: ",
                    &PAGE_OPTIONS.join(", "),
                    ")",
                ]
                .concat()
            })
            .collect();
        let locale = self.locale().unwrap_or_else(|note| {
            notes.push(note);
            Locale::En
        });
        let time_limit_ms = match self.time_limit_minutes {
            None => crate::flow::DEFAULT_TIME_LIMIT_MS,
            Some(minutes) if minutes.is_finite() && (1.0..=120.0).contains(&minutes) => {
                minutes * 60_000.0
            }
            Some(_) => {
                notes.push(
                    "option `timeLimitMinutes` must be a number of minutes from 1 to 120; 15 is used"
                        .to_owned(),
                );
                crate::flow::DEFAULT_TIME_LIMIT_MS
            }
        };
        let stylesheet = optional(
            &self.stylesheet,
            |url| {
                !url.chars().any(char::is_whitespace)
                    && !url.to_ascii_lowercase().starts_with("javascript:")
            },
            "stylesheet",
            "must be the URL of dollr-checkout.css",
        )?;
        let stylesheet_integrity = optional(
            &self.stylesheet_integrity,
            is_integrity_digest,
            "stylesheetIntegrity",
            "must be a Subresource Integrity digest of dollr-checkout.css (sha384-…)",
        )?;
        Ok(Options {
            proxy: proxy.trim_end_matches('/').to_owned(),
            grant: grant.to_owned(),
            locale,
            time_limit_ms,
            phone: given(&self.phone).map(str::to_owned),
            stylesheet,
            stylesheet_integrity,
            notes,
        })
    }
}

/// A text option as given, trimmed; absent or blank is `None`.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// An optional text option: absent or blank is `None`; otherwise trimmed, and refused with
/// `reason` for `field` unless `valid`.
fn optional(
    value: &Option<String>,
    valid: fn(&str) -> bool,
    field: &str,
    reason: &str,
) -> Result<Option<String>, WidgetError> {
    match given(value) {
        None => Ok(None),
        Some(text) if valid(text) => Ok(Some(text.to_owned())),
        Some(_) => Err(invalid(field, reason)),
    }
}

/// Whether `digest` is one Subresource Integrity value: `sha256-`, `sha384-` or `sha512-`
/// followed by base64.
fn is_integrity_digest(digest: &str) -> bool {
    ["sha256-", "sha384-", "sha512-"].iter().any(|prefix| {
        digest.strip_prefix(prefix).is_some_and(|b64| {
            !b64.is_empty()
                && b64
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(proxy: Option<&str>, grant: Option<&str>, locale: Option<&str>) -> RawOptions {
        RawOptions {
            proxy: proxy.map(Into::into),
            grant: grant.map(Into::into),
            locale: locale.map(Into::into),
            time_limit_minutes: None,
            phone: None,
            stylesheet: None,
            stylesheet_integrity: None,
            unknown: Vec::new(),
            languages: Vec::new(),
        }
    }

    fn field_of(result: Result<Options, WidgetError>) -> Option<String> {
        match result {
            Err(WidgetError::InvalidOptions { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn a_known_phone_is_passed_on_trimmed_and_a_blank_one_is_none() {
        let mut options = raw(Some("/api"), Some("a.b.c"), None);
        assert_eq!(options.validate().map(|o| o.phone), Ok(None));
        options.phone = Some("  ".into());
        assert_eq!(options.validate().map(|o| o.phone), Ok(None));
        options.phone = Some(" +231 88 123 1111 ".into());
        assert_eq!(
            options.validate().map(|o| o.phone),
            Ok(Some("+231 88 123 1111".to_owned()))
        );
    }

    #[test]
    fn accepts_paths_and_urls() {
        let ok = raw(Some("/api/dollr/"), Some("a.b.c"), None).validate();
        assert_eq!(ok.map(|o| o.proxy), Ok("/api/dollr".to_owned()));
        assert!(raw(
            Some("https://shop.example/api"),
            Some("a.b.c"),
            Some("en-LR")
        )
        .validate()
        .is_ok());
    }

    #[test]
    fn names_the_bad_field() {
        assert_eq!(
            field_of(raw(None, Some("a.b.c"), None).validate()).as_deref(),
            Some("proxy")
        );
        assert_eq!(
            field_of(raw(Some("api"), Some("a.b.c"), None).validate()).as_deref(),
            Some("proxy")
        );
        assert_eq!(
            field_of(raw(Some("//evil.example"), Some("a.b.c"), None).validate()).as_deref(),
            Some("proxy")
        );
        assert_eq!(
            field_of(raw(Some("/api"), None, None).validate()).as_deref(),
            Some("grant")
        );
        assert_eq!(
            field_of(raw(Some("/api"), Some("nope"), None).validate()).as_deref(),
            Some("grant")
        );
    }

    #[test]
    fn presentation_options_fall_back_with_a_note() {
        let english = raw(Some("/api"), Some("a.b.c"), Some("en-LR")).validate();
        assert_eq!(
            english.map(|o| (o.locale, o.notes)),
            Ok((Locale::En, vec![]))
        );
        let options = raw(Some("/api"), Some("a.b.c"), Some("rw-RW"))
            .validate()
            .expect("an unsupported locale does not stop the checkout");
        assert_eq!(options.locale, Locale::En);
        assert_eq!(
            options.notes,
            ["option `locale`: \"rw-RW\" has no translation yet (supported: en, fr, or auto for the browser's language); English is used"]
        );
        let french = raw(Some("/api"), Some("a.b.c"), Some("fr-RW")).validate();
        assert_eq!(
            french.map(|o| (o.locale, o.notes)),
            Ok((Locale::Fr, vec![]))
        );
        // `auto` takes the browser's first language with a table, English if none has one,
        // and is no mistake to note.
        let mut auto = raw(Some("/api"), Some("a.b.c"), Some(" AUTO "));
        auto.languages = vec!["rw-RW".into(), "fr-FR".into(), "en-US".into()];
        assert_eq!(
            auto.validate().map(|o| (o.locale, o.notes)),
            Ok((Locale::Fr, vec![]))
        );
        auto.languages = vec!["de-DE".into()];
        assert_eq!(
            auto.validate().map(|o| (o.locale, o.notes)),
            Ok((Locale::En, vec![]))
        );
        let mut unknown = raw(Some("/api"), Some("a.b.c"), None);
        unknown.unknown = vec!["colour".into()];
        let notes = unknown.validate().map(|o| o.notes).unwrap_or_default();
        assert_eq!(notes.len(), 1);
        assert_eq!(
            notes[0],
            "`colour` is not an option and is ignored (options: proxy, grant, locale, timeLimitMinutes, phone)"
        );
        assert!(is_known("stylesheetIntegrity") && !is_known("colour"));
    }

    #[test]
    fn time_limit_is_bounded() {
        let mut options = raw(Some("/api"), Some("a.b.c"), None);
        assert_eq!(
            options.validate().map(|o| o.time_limit_ms),
            Ok(900_000.0),
            "15 minutes by default"
        );
        options.time_limit_minutes = Some(5.0);
        assert_eq!(options.validate().map(|o| o.time_limit_ms), Ok(300_000.0));
        for bad in [0.0, 600.0, f64::NAN] {
            options.time_limit_minutes = Some(bad);
            let validated = options.validate().map(|o| (o.time_limit_ms, o.notes));
            assert_eq!(
                validated,
                Ok((
                    900_000.0,
                    vec!["option `timeLimitMinutes` must be a number of minutes from 1 to 120; 15 is used".to_owned()]
                )),
                "{bad}"
            );
        }
    }

    #[test]
    fn stylesheet_integrity_is_one_digest() {
        let mut options = raw(Some("/api"), Some("a.b.c"), None);
        for good in [
            "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC",
            " sha256-abc= ",
        ] {
            options.stylesheet_integrity = Some(good.into());
            assert_eq!(
                options.validate().map(|o| o.stylesheet_integrity),
                Ok(Some(good.trim().to_owned()))
            );
        }
        for bad in ["sha1-abc", "sha384-", "sha384-abc def", "md5-abc", "abc"] {
            options.stylesheet_integrity = Some(bad.into());
            assert_eq!(
                field_of(options.validate()).as_deref(),
                Some("stylesheetIntegrity"),
                "{bad}"
            );
        }
    }
}
