//! Redaction: what the journal and logs keep of a request or response, with every secret
//! replaced by `****` before it is stored.

use serde_json::Value;

const MASK: &str = "****";

/// Member and parameter names whose values are secret (matched case-insensitively, as parts).
const SECRET_NAMES: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "assertion",
    "privatekey",
    "private_key",
    "private-key",
];

/// Whether a JSON member, form field or query parameter of this name holds a secret.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_NAMES.iter().any(|word| lower.contains(word))
}

/// The words that mark a secret, matched case-insensitively in one pass.
static SECRET_WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        let words = SECRET_NAMES.iter().copied().chain(["private key"]);
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .expect("fixed ASCII words build an automaton")
    });

/// Whether a body names a secret member or holds a private key, letter case ignored. A body that
/// does not is kept as it is, without being parsed or copied: that keeps the journal cheap.
fn mentions_secret(bytes: &[u8]) -> bool {
    SECRET_WORDS.is_match(bytes)
}

fn is_pem_private_key(text: &str) -> bool {
    text.contains("-----BEGIN") && text.contains("PRIVATE KEY")
}

/// A header value as it may be stored: credentials in `Authorization` keep only their scheme.
pub fn header(name: &str, value: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower == "authorization" || lower == "proxy-authorization" {
        return match value.split_once(' ') {
            Some((scheme, _)) => format!("{scheme} {MASK}"),
            None => MASK.to_string(),
        };
    }
    if lower == "cookie" || lower == "set-cookie" || is_secret_name(&lower) {
        return MASK.to_string();
    }
    value.to_string()
}

/// A JSON value with the values of secret members, and PEM private keys anywhere, masked.
pub fn json(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(name, member)| {
                    let masked = if is_secret_name(name) && !member.is_null() {
                        Value::String(MASK.to_string())
                    } else {
                        json(member)
                    };
                    (name.clone(), masked)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(json).collect()),
        Value::String(text) if is_pem_private_key(text) => Value::String(MASK.to_string()),
        other => other.clone(),
    }
}

/// A form body or query string (`a=1&client_secret=x`) with secret fields masked.
pub fn form(text: &str) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_name(&crate::form::decode(name)) => {
                format!("{name}={MASK}")
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A body as the journal keeps it: the same bytes, shared, when nothing needs masking (the
/// common case), else the redacted text.
pub fn body_shared(content_type: Option<&str>, bytes: &axum::body::Bytes) -> axum::body::Bytes {
    let form_encoded = content_type.is_some_and(|c| {
        c.to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    if !form_encoded && !mentions_secret(bytes) {
        return bytes.clone();
    }
    axum::body::Bytes::from(body(content_type, bytes))
}

/// A request or response body, redacted by its content type. JSON that does not parse but
/// mentions a secret name is withheld whole; it cannot be masked field by field.
pub fn body(content_type: Option<&str>, bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let content_type = content_type.unwrap_or("").to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return form(&text);
    }
    if !mentions_secret(bytes) {
        return text.into_owned();
    }
    if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
        return json(&value).to_string();
    }
    let lower = text.to_ascii_lowercase();
    if is_pem_private_key(&text) || SECRET_NAMES.iter().any(|word| lower.contains(word)) {
        return format!(
            "<{} bytes withheld: unparsed body that mentions a secret>",
            bytes.len()
        );
    }
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn authorization_keeps_only_its_scheme() {
        assert_eq!(header("Authorization", "Basic dXNlcjpwYXNz"), "Basic ****");
        assert_eq!(header("authorization", "Bearer eyJhbGciOi"), "Bearer ****");
        assert_eq!(header("Authorization", "opaque"), "****");
        assert_eq!(
            header("Content-Type", "application/scim+json"),
            "application/scim+json"
        );
        assert_eq!(header("X-CSRF-Token", "abc"), "****");
    }

    #[test]
    fn secret_members_are_masked_at_any_depth() {
        let body = json!({
            "userName": "amy",
            "password": "Hunter2!",
            "uaa": {"clientid": "sb-1", "clientsecret": "s3cret", "url": "https://x"},
            "tokens": [{"access_token": "eyJ"}],
            "key": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----",
            "certificate": "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----"
        });
        let masked = json(&body);
        let text = masked.to_string();
        for secret in ["Hunter2!", "s3cret", "eyJ", "MIIE"] {
            assert!(!text.contains(secret), "{secret} leaked: {text}");
        }
        assert_eq!(masked["uaa"]["clientid"], "sb-1");
        assert!(text.contains("MIIC"), "certificates are not secret");
    }

    #[test]
    fn form_bodies_and_queries_mask_secret_fields() {
        assert_eq!(
            form("grant_type=client_credentials&client_id=abc&client_secret=s%2F3"),
            "grant_type=client_credentials&client_id=abc&client_secret=****"
        );
        assert_eq!(form("client%5Fsecret=x"), "client%5Fsecret=****");
        assert_eq!(
            form("%é=1&%=2&a%"),
            "%é=1&%=2&a%",
            "odd escapes pass unharmed"
        );
        assert_eq!(
            body(Some("application/x-www-form-urlencoded"), b"password=p"),
            "password=****"
        );
    }

    #[test]
    fn unparsed_bodies_that_mention_secrets_are_withheld() {
        let malformed = br#"{"userName": "a", "password": "Hunter2!""#;
        let kept = body(Some("application/scim+json"), malformed);
        assert!(!kept.contains("Hunter2"), "{kept}");
        assert!(kept.contains("withheld"));
        assert_eq!(body(None, b"{\"userName\": "), "{\"userName\": ");
    }
}
