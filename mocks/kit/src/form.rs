//! `application/x-www-form-urlencoded` text, as token requests and query strings carry it.

/// The decoded `name=value` pairs of a form body or query string, in order. Malformed escapes
/// are kept literally rather than rejected, as browsers and servers commonly do.
pub fn parse(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// Percent-decodes one component (`+` is a space).
pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 3 <= bytes.len())
            .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (escaped, bytes[i]) {
            (Some(byte), _) => {
                out.push(byte);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, byte) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs_escapes_and_plus() {
        assert_eq!(
            parse("grant_type=client_credentials&scope=a+b&x=%2F%3D&flag"),
            [
                ("grant_type".into(), "client_credentials".into()),
                ("scope".into(), "a b".into()),
                ("x".into(), "/=".into()),
                ("flag".into(), String::new()),
            ]
        );
    }

    #[test]
    fn malformed_escapes_pass_through_without_panicking() {
        assert_eq!(decode("%é%4"), "%é%4");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
    }
}
