//! Grants: short-lived HS256 JWTs that the merchant's backend mints for one payment source. The
//! proxy verifies one on every call and acts only within it. The claims are plain JSON so any
//! language can mint them (see the README).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use dollr_api::{Decimal, SourceType};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// What a grant allows: paying one source, of one amount, until `exp`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrantClaims {
    /// `INVOICE` or `ORDER`.
    pub source_type: SourceType,
    /// The source's id.
    pub source_id: u64,
    /// The payer's party id (payment accounts are created for this party).
    pub party_id: u64,
    /// The amount due, as a decimal string.
    pub amount: Decimal,
    /// ISO 4217 of `amount`.
    pub currency: String,
    /// Issued at (Unix seconds; 0 when the grant does not say: the claim is optional, as in
    /// RFC 7519, and `jose` writes it only when asked). Nothing is decided on it.
    #[serde(default)]
    pub iat: u64,
    /// Expires at (Unix seconds).
    pub exp: u64,
}

/// Why a grant was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    /// Not three base64url parts, bad JSON, another algorithm, or claims that do not read: what
    /// is wrong is said, for the developer of the server that minted it (it is their token).
    #[error("the grant is malformed: {0}")]
    Malformed(String),
    /// The signature does not verify: tampered, or signed with another secret.
    #[error("the grant's signature does not verify")]
    BadSignature,
    /// `exp` is in the past.
    #[error("the grant has expired")]
    Expired,
}

/// A JWT's header. `typ` is optional (RFC 7519, section 5.1): libraries that leave it out (`jose`'s
/// `SignJWT` with `{ alg: "HS256" }`, say) make grants as good as those that write it.
#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    typ: Option<String>,
}

/// The key grants are signed and checked with.
#[derive(Clone)]
pub struct GrantKey {
    secret: Vec<u8>,
}

impl std::fmt::Debug for GrantKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GrantKey(<redacted>)")
    }
}

impl GrantKey {
    /// A key from the shared secret (at least 32 bytes is recommended).
    pub fn new(secret: impl Into<Vec<u8>>) -> GrantKey {
        GrantKey {
            secret: secret.into(),
        }
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC accepts keys of any length, so this cannot fail.
        match HmacSha256::new_from_slice(&self.secret) {
            Ok(mac) => mac,
            Err(_) => unreachable_mac(),
        }
    }

    /// Mints a grant: `base64url(header).base64url(claims).base64url(HMAC-SHA256)`.
    pub fn mint(&self, claims: &GrantClaims) -> String {
        let header = Header {
            alg: "HS256".into(),
            typ: Some("JWT".into()),
        };
        let header = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).unwrap_or_default());
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
        let signing_input = format!("{header}.{body}");
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }

    /// Verifies signature (in constant time) and expiry at `now` (Unix seconds).
    pub fn verify(&self, token: &str, now: u64) -> Result<GrantClaims, GrantError> {
        let mut parts = token.split('.');
        let (Some(header), Some(body), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed(
                "a grant is a JWT of three base64url parts, header.claims.signature",
            ));
        };
        let header: Header = URL_SAFE_NO_PAD
            .decode(header)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| malformed("its header is not base64url-encoded JSON with `alg`"))?;
        // Only HS256: refusing `none` and every other algorithm closes the classic JWT holes.
        if header.alg != "HS256" {
            return Err(malformed(&format!(
                "its algorithm is {:?}; only HS256 is accepted",
                header.alg
            )));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| malformed("its signature is not base64url"))?;
        let mut mac = self.mac();
        mac.update(header_and_body(token).as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| GrantError::BadSignature)?;
        // Read only once signed with this key: the reason names the minting server's mistake.
        let claims = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| malformed("its claims are not base64url"))?;
        let claims: GrantClaims = serde_json::from_slice(&claims).map_err(|error| {
            malformed(&format!(
                "its claims do not read: {error} (they are source_type, source_id, party_id, amount, currency, exp, and optionally iat)"
            ))
        })?;
        // JavaScript's clock counts milliseconds: `Date.now() + 3600` would make a grant that
        // runs for ever, and `Date.now() / 1000` an `exp` with a fraction (refused above).
        if claims.exp > LAST_SECOND {
            return Err(malformed(&format!(
                "its exp, {}, is milliseconds, not seconds: JWT times are seconds since 1970 (in JavaScript, Math.floor(Date.now() / 1000))",
                claims.exp
            )));
        }
        if claims.exp <= now {
            return Err(GrantError::Expired);
        }
        Ok(claims)
    }
}

/// The last `exp` taken for seconds: the year 2286. A later one is a time in milliseconds.
const LAST_SECOND: u64 = 9_999_999_999;

fn malformed(reason: &str) -> GrantError {
    GrantError::Malformed(reason.to_owned())
}

fn header_and_body(token: &str) -> &str {
    match token.rfind('.') {
        Some(i) => &token[..i],
        None => token,
    }
}

#[cold]
fn unreachable_mac() -> HmacSha256 {
    // new_from_slice only fails for fixed-size-key MACs; HMAC takes any key length.
    #[allow(clippy::expect_used)]
    HmacSha256::new_from_slice(b"k").expect("HMAC accepts any key length")
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: u64) -> GrantClaims {
        GrantClaims {
            source_type: SourceType::Invoice,
            source_id: 7,
            party_id: 3,
            amount: "25.00".parse().unwrap_or(Decimal::ZERO),
            currency: "USD".into(),
            iat: 1000,
            exp,
        }
    }

    #[test]
    fn minted_grants_verify() {
        let key = GrantKey::new("a-long-enough-secret-for-tests-0123456789");
        let token = key.mint(&claims(2000));
        assert_eq!(key.verify(&token, 1500), Ok(claims(2000)));
    }

    #[test]
    fn refuses_expired_tampered_foreign_and_malformed() {
        let key = GrantKey::new("secret-one-secret-one-secret-one");
        let other = GrantKey::new("secret-two-secret-two-secret-two");
        let token = key.mint(&claims(2000));
        assert_eq!(key.verify(&token, 2000), Err(GrantError::Expired));
        assert_eq!(other.verify(&token, 1500), Err(GrantError::BadSignature));
        let mut parts: Vec<String> = token.split('.').map(String::from).collect();
        let mut forged = claims(2000);
        forged.amount = "0.01".parse().unwrap_or(Decimal::ZERO);
        parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap_or_default());
        assert_eq!(
            key.verify(&parts.join("."), 1500),
            Err(GrantError::BadSignature)
        );
        assert_eq!(
            key.verify("abc", 1500),
            Err(malformed(
                "a grant is a JWT of three base64url parts, header.claims.signature"
            ))
        );
        let none_alg = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
            parts[1]
        );
        assert_eq!(
            key.verify(&none_alg, 1500),
            Err(malformed(
                "its algorithm is \"none\"; only HS256 is accepted"
            ))
        );
    }

    /// Signs `header` and `claims` (JSON) with `key`'s secret, as another JWT library would.
    fn signed(key: &GrantKey, header: &str, claims: &str) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(claims)
        );
        let mut mac = key.mac();
        mac.update(input.as_bytes());
        format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        )
    }

    #[test]
    fn an_exp_in_milliseconds_is_refused_and_said_to_be() {
        let key = GrantKey::new("a-long-enough-secret-for-tests-0123456789");
        // A time of December 2025, in seconds.
        let seconds = 1_765_000_000;
        assert_eq!(
            key.verify(&key.mint(&claims(seconds + 900)), seconds),
            Ok(claims(seconds + 900))
        );
        let refused = key.verify(&key.mint(&claims(seconds * 1000 + 900)), seconds);
        let reason = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            reason.starts_with("the grant is malformed: its exp, 1765000000900, is milliseconds"),
            "{reason}"
        );
        assert!(reason.contains("Math.floor(Date.now() / 1000)"), "{reason}");
        // A fraction of a second is not a JWT time either, and is named.
        let fractional = r#"{"source_type":"INVOICE","source_id":7,"party_id":3,"amount":"25.00","currency":"USD","exp":1765000900.25}"#;
        let refused = key.verify(&signed(&key, r#"{"alg":"HS256"}"#, fractional), seconds);
        let reason = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            reason.contains("floating point `1765000900.25`"),
            "{reason}"
        );
    }

    #[test]
    fn a_header_without_typ_or_claims_without_iat_make_a_grant_and_a_bad_claim_is_named() {
        let key = GrantKey::new("a-long-enough-secret-for-tests-0123456789");
        let claims_json = r#"{"source_type":"INVOICE","source_id":7,"party_id":3,"amount":"25.00","currency":"USD","iat":1000,"exp":2000}"#;
        // `jose`'s SignJWT with setProtectedHeader({ alg: "HS256" }) writes no `typ`.
        let token = signed(&key, r#"{"alg":"HS256"}"#, claims_json);
        assert_eq!(key.verify(&token, 1500), Ok(claims(2000)));
        let as_text = claims_json.replace(r#""source_id":7"#, r#""source_id":"7""#);
        let refused = key.verify(&signed(&key, r#"{"alg":"HS256"}"#, &as_text), 1500);
        let reason = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            reason.starts_with("the grant is malformed: its claims do not read: invalid type: string \"7\", expected u64"),
            "{reason}"
        );
        // `iat` may be left out; `exp` may not.
        let no_iat = claims_json.replace(r#""iat":1000,"#, "");
        let read = key.verify(&signed(&key, r#"{"alg":"HS256"}"#, &no_iat), 1500);
        assert_eq!(read.map(|c| c.iat), Ok(0));
        let no_exp = claims_json.replace(r#","exp":2000"#, "");
        let refused = key.verify(&signed(&key, r#"{"alg":"HS256"}"#, &no_exp), 1500);
        let reason = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(reason.contains("missing field `exp`"), "{reason}");
        let missing = claims_json.replace(r#""party_id":3,"#, "");
        let refused = key.verify(
            &signed(&key, r#"{"alg":"HS256","typ":"JWT"}"#, &missing),
            1500,
        );
        let reason = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(reason.contains("missing field `party_id`"), "{reason}");
    }
}
