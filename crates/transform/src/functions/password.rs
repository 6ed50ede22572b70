//! `randomPassword` (`reference/ips-ias.md` §1.8): a password of `passwordLength` characters
//! with at least the given number of lowercase letters, uppercase letters, digits and special
//! symbols (`specialSymbols`, default `~!@#$%^&*()_+`), drawn from [`super::Random`] so that a
//! seed gives the same passwords.
//!
//! As SAP documents: minima adding up to more than the length are an error; a set whose
//! minimum is 0 is not used at all; the remaining characters come from the sets in use;
//! custom `specialSymbols` need a `minimumNumberOfSpecialSymbols` other than 0. The characters
//! are then shuffled, so the required ones are not always first. **Proposed**: a length above
//! 4096 is an error, and so is a positive length with every minimum 0 (no set to draw from).

use serde_json::Value;

use super::Random;
use super::fault::{Fault, Outcome};
use super::params::Params;

const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";
/// SAP's default special symbols.
const SPECIAL: &str = "~!@#$%^&*()_+";
const MAX_LENGTH: usize = 4096;

/// `randomPassword`, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Password {
    length: usize,
    /// Each set in use with its minimum.
    sets: Vec<(Vec<char>, usize)>,
}

fn count(params: &Params<'_>, name: &str) -> Outcome<usize> {
    let value = params.required_integer(name)?;
    usize::try_from(value)
        .map_err(|_| Fault::parameter(name, format!("{name} must not be negative, found {value}")))
}

impl Password {
    pub(crate) fn compile(params: &Params<'_>) -> Outcome<Self> {
        let length = count(params, "passwordLength")?;
        if length > MAX_LENGTH {
            return Err(Fault::parameter(
                "passwordLength",
                format!("passwordLength {length} is above the supported {MAX_LENGTH}"),
            ));
        }
        let lower = count(params, "minimumNumberOfLowercaseLetters")?;
        let upper = count(params, "minimumNumberOfUppercaseLetters")?;
        let digits = count(params, "minimumNumberOfDigits")?;
        let special = count(params, "minimumNumberOfSpecialSymbols")?;
        let symbols = match params.text("specialSymbols")? {
            Some(custom) if special == 0 => {
                return Err(Fault::parameter(
                    "minimumNumberOfSpecialSymbols",
                    format!(
                        "custom specialSymbols {custom:?} need a minimumNumberOfSpecialSymbols other than 0"
                    ),
                ));
            }
            Some(custom) if custom.is_empty() => {
                return Err(Fault::parameter(
                    "specialSymbols",
                    "specialSymbols must name at least one symbol",
                ));
            }
            Some(custom) => custom,
            None => SPECIAL.to_string(),
        };
        let minima = lower
            .checked_add(upper)
            .and_then(|n| n.checked_add(digits))
            .and_then(|n| n.checked_add(special));
        if minima.is_none_or(|sum| sum > length) {
            return Err(Fault::parameter(
                "passwordLength",
                format!(
                    "the minimum numbers of characters add up to more than passwordLength {length} ({lower} lowercase + {upper} uppercase + {digits} digits + {special} special symbols)"
                ),
            ));
        }
        let sets: Vec<(Vec<char>, usize)> = [
            (LOWER, lower),
            (UPPER, upper),
            (DIGITS, digits),
            (symbols.as_str(), special),
        ]
        .into_iter()
        .filter(|(_, minimum)| *minimum > 0)
        .map(|(set, minimum)| (set.chars().collect(), minimum))
        .collect();
        if sets.is_empty() && length > 0 {
            return Err(Fault::parameter(
                "passwordLength",
                "every minimum is 0, so no character set may be used; set at least one minimum above 0",
            ));
        }
        Ok(Self { length, sets })
    }

    pub(crate) fn run(&self, random: &mut Random) -> Value {
        let mut chars = Vec::with_capacity(self.length);
        for (set, minimum) in &self.sets {
            for _ in 0..*minimum {
                chars.push(set[random.below(set.len())]);
            }
        }
        let total: usize = self.sets.iter().map(|(set, _)| set.len()).sum();
        while chars.len() < self.length {
            let mut pick = random.below(total);
            for (set, _) in &self.sets {
                if pick < set.len() {
                    chars.push(set[pick]);
                    break;
                }
                pick -= set.len();
            }
        }
        for i in (1..chars.len()).rev() {
            chars.swap(i, random.below(i + 1));
        }
        Value::String(chars.into_iter().collect())
    }
}
