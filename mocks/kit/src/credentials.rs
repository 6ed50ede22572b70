//! HTTP Basic credentials and comparing secrets, for every mock that checks them.

use base64::Engine as _;

/// The `id` and `secret` of a Basic credential (the part after `Basic `), as sent.
pub fn basic(encoded: &str) -> Option<(String, String)> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// Whether two secrets are equal, taking the same time wherever they differ.
pub fn same_secret(expected: &str, presented: &str) -> bool {
    expected.len() == presented.len()
        && expected
            .bytes()
            .zip(presented.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_splits_at_the_first_colon() {
        assert_eq!(basic("YTpiOmM="), Some(("a".into(), "b:c".into())));
        assert_eq!(basic("not base64!"), None);
        assert!(same_secret("s3cret", "s3cret"));
        assert!(!same_secret("s3cret", "s3creT"));
        assert!(!same_secret("s3cret", "s3cre"));
    }
}
