//! `encode` and `decode` (`reference/ips-ias.md` §1.8): base32 (RFC 4648 alphabet) and base64
//! (the standard alphabet, as Java's `Base64.getEncoder()`). A byte array is a JSON array of
//! numbers from 0 to 255.
//!
//! `encode` takes a byte array or anything with a text (UTF-8); `skipPadding` drops the `=`
//! padding. `decode` takes a text, or — as SAP's AS ABAP default transformation does with
//! `$.members[*].value` — an array of texts, decoding each. **Proposed**: decoding accepts
//! input with or without padding whatever `skipPadding` says, base32 in either case.

use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};
use serde_json::Value;

use super::fault::{Fault, Outcome};
use super::params::Params;
use super::values::kind;
use super::values::{byte_array, bytes, not_text, text};

/// The encodings `algorithm` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Algorithm {
    Base32,
    Base64,
}

/// `encode` or `decode`, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Codec {
    algorithm: Algorithm,
    skip_padding: bool,
}

/// Base64 decoding that takes padded and unpadded input.
const BASE64_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

impl Codec {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        let algorithm = match params.choice("algorithm", &["base32", "base64"])? {
            "base32" => Algorithm::Base32,
            _ => Algorithm::Base64,
        };
        Ok(Self {
            algorithm,
            skip_padding: params.boolean("skipPadding")?.unwrap_or(false),
        })
    }

    /// `encode`: a byte array or a text → the encoded text.
    pub(crate) fn encode(&self, value: &Value) -> Outcome<Option<Value>> {
        let data = match bytes(value) {
            Some(bytes) => bytes,
            None => match value {
                Value::Array(_) => {
                    return Err(Fault::value(format!(
                        "expects text or a byte array (numbers 0 to 255), got {}; set \"applyOnElements\": true to encode each element",
                        kind(value)
                    )));
                }
                other => text(other)?.as_bytes().to_vec(),
            },
        };
        let mut encoded = match self.algorithm {
            Algorithm::Base32 => base32_encode(&data),
            Algorithm::Base64 => general_purpose::STANDARD.encode(&data),
        };
        if self.skip_padding {
            let kept = encoded.trim_end_matches('=').len();
            encoded.truncate(kept);
        }
        Ok(Some(Value::String(encoded)))
    }

    /// `decode`: a text → a byte array; an array of texts → an array of byte arrays.
    pub(crate) fn decode(&self, value: &Value) -> Outcome<Option<Value>> {
        match value {
            Value::String(text) => Ok(Some(byte_array(&self.decode_text(text)?))),
            Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    Value::String(text) => Ok(byte_array(&self.decode_text(text)?)),
                    other => Err(not_text(other)),
                })
                .collect::<Outcome<Vec<_>>>()
                .map(|decoded| Some(Value::Array(decoded))),
            other => Err(not_text(other)),
        }
    }

    fn decode_text(&self, text: &str) -> Outcome<Vec<u8>> {
        match self.algorithm {
            Algorithm::Base32 => base32_decode(text),
            Algorithm::Base64 => BASE64_ANY_PADDING
                .decode(text)
                .map_err(|err| Fault::value(base64_problem(&err))),
        }
    }
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let bits = block.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let symbols = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < symbols {
                let index = (bits >> (35 - 5 * i)) & 0x1f;
                out.push(char::from(BASE32[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base32_decode(text: &str) -> Outcome<Vec<u8>> {
    let symbols = text.trim_end_matches('=');
    if !matches!(symbols.len() % 8, 0 | 2 | 4 | 5 | 7) {
        return Err(Fault::value(format!(
            "not valid base32: {} symbols cannot end a block",
            symbols.len() % 8
        )));
    }
    let mut out = Vec::with_capacity(symbols.len() * 5 / 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for (i, c) in symbols.chars().enumerate() {
        let value = match c.to_ascii_uppercase() {
            upper @ 'A'..='Z' => upper as u32 - 'A' as u32,
            digit @ '2'..='7' => digit as u32 - '2' as u32 + 26,
            _ => {
                return Err(Fault::value(format!(
                    "not valid base32: the character at position {i} is not in the alphabet A–Z, 2–7"
                )));
            }
        };
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// What is wrong with base64 input, without quoting it.
fn base64_problem(err: &base64::DecodeError) -> String {
    match err {
        base64::DecodeError::InvalidByte(at, _) => {
            format!("not valid base64: the character at position {at} is not in the alphabet")
        }
        base64::DecodeError::InvalidLength(length) => {
            format!("not valid base64: {length} symbols cannot end a block")
        }
        base64::DecodeError::InvalidLastSymbol(at, _) => {
            format!("not valid base64: the last symbol, at position {at}, has bits left over")
        }
        base64::DecodeError::InvalidPadding => "not valid base64: wrong padding".to_string(),
    }
}
