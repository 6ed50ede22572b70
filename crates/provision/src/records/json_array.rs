//! A JSON array of objects, read element by element so that a non-object or one record too
//! many stops the parse at once.

use std::fmt;

use sapland_core::json::{JsonPath, locate};
use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
use serde_json::Value;

use sapland_core::json::kind;

use super::error::{RecordError, json_message};
use super::limits::Limits;

/// Why the visitor stopped early.
enum Stop {
    NotObject { index: usize, kind: &'static str },
    TooMany,
}

struct Records<'a> {
    limit: usize,
    out: &'a mut Vec<Value>,
    stop: &'a mut Option<Stop>,
}

impl<'de> DeserializeSeed<'de> for Records<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Records<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            if self.out.len() == self.limit {
                *self.stop = Some(Stop::TooMany);
                return Err(de::Error::custom("too many records"));
            }
            if !value.is_object() {
                *self.stop = Some(Stop::NotObject {
                    index: self.out.len(),
                    kind: kind(&value),
                });
                return Err(de::Error::custom("not an object"));
            }
            self.out.push(value);
        }
        Ok(())
    }
}

pub(super) fn parse(text: &str, origin: &str, limits: Limits) -> Result<Vec<Value>, RecordError> {
    let start = text.trim_start_matches([' ', '\t', '\r', '\n']);
    match start.chars().next() {
        None => {
            return Err(RecordError::file(
                origin,
                "the file is empty; expected a JSON array of objects",
            ));
        }
        Some('{') => {
            let (line, column) = position(text, text.len() - start.len());
            return Err(RecordError::at(
                origin,
                line,
                "expected a JSON array of objects, found an object",
            )
            .column(column));
        }
        _ => {}
    }
    let mut records = Vec::new();
    let mut stop = None;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result = Records {
        limit: limits.records,
        out: &mut records,
        stop: &mut stop,
    }
    .deserialize(&mut deserializer)
    .and_then(|()| deserializer.end());
    match (result, stop) {
        (Ok(()), _) => Ok(records),
        (Err(err), Some(Stop::NotObject { index, kind })) => {
            let (line, column) =
                locate(text, &JsonPath::root().index(index)).unwrap_or((err.line(), 0));
            let message = format!(
                "expected a JSON object as record {} ($[{index}]), found {kind}",
                index + 1
            );
            Err(RecordError::at(origin, line, message).column(column))
        }
        (Err(err), Some(Stop::TooMany)) => Err(limits.too_many(origin, err.line())),
        (Err(err), None) => {
            Err(RecordError::at(origin, err.line(), json_message(&err)).column(err.column()))
        }
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(offset, |nl| offset - nl - 1) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_non_object_is_located() {
        let text = "[\n  {\"a\": 1},\n  [1, 2]\n]";
        let err = parse(text, "x.json", Limits::DEFAULT).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.json:3:3: expected a JSON object as record 2 ($[1]), found an array"
        );
    }

    #[test]
    fn an_object_instead_of_an_array() {
        let err = parse("\n  {\"Resources\": []}", "x.json", Limits::DEFAULT).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.json:2:3: expected a JSON array of objects, found an object"
        );
    }

    #[test]
    fn trailing_text_and_syntax_errors() {
        let err = parse("[] x", "x.json", Limits::DEFAULT).unwrap_err();
        assert_eq!(err.to_string(), "x.json:1:4: trailing characters");
        let err = parse("[{\"a\": tru}]", "x.json", Limits::DEFAULT).unwrap_err();
        assert_eq!(err.line, Some(1));
        assert_eq!(
            parse("[]", "x.json", Limits::DEFAULT).unwrap(),
            Vec::<Value>::new()
        );
        let err = parse("\"users\"", "x.json", Limits::DEFAULT).unwrap_err();
        assert!(
            err.message.contains("expected a JSON array of objects"),
            "{err}"
        );
    }
}
