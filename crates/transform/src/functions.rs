//! The mapping functions of a transformation (`reference/ips-ias.md` §1.8): `concatString`,
//! `putIfAbsent`, `resolveEntityIds`, `manipulateDate` and the rest, with the parameters every
//! function takes (`condition`, `applyOnElements`, `applyOnAttribute`, `assignToAttribute`).
//!
//! A function is compiled once ([`CompiledFunction::compile`]: parameters checked, regexes and
//! conditions compiled) and applied to many values ([`CompiledFunction::apply`]). `${variable}`
//! placeholders in parameters are replaced by the engine before it compiles a function.

mod arrays;
mod case;
mod codec;
mod compiled;
mod countries;
mod dates;
mod fault;
mod ids;
mod kernel;
mod locales;
mod maps;
mod params;
mod password;
mod regex;
mod table;
mod text;
mod timezones;
mod values;

use std::fmt;

use serde_json::Value;

pub use compiled::CompiledFunction;

use crate::condition::Properties;

/// What a function sees besides the value it transforms.
pub struct Env<'a> {
    /// The entity being transformed (`$` in function conditions and JSONPath parameters).
    pub document: &'a Value,
    /// The system properties (`%key%` is already substituted; conditional functions read some).
    pub properties: &'a dyn Properties,
    /// Resolves source ids to target ids for `resolveEntityIds`.
    pub ids: &'a dyn IdResolver,
    /// The randomness of `randomPassword`, seeded by the caller (the crate does no IO).
    pub random: &'a mut Random,
}

impl std::fmt::Debug for Env<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("document", self.document)
            .finish_non_exhaustive()
    }
}

/// One id for `resolveEntityIds` to resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdRequest<'a> {
    /// `user` or `group` (the function's `entityType`, `user` when absent).
    pub entity_type: &'a str,
    /// The id in the source system.
    pub source_id: &'a str,
    /// `sourceSystemName`: resolve against another source system's relations.
    pub source_system: Option<&'a str>,
    /// `targetSystemName`: resolve against another target system's relations.
    pub target_system: Option<&'a str>,
}

/// The relations between source and target ids that `resolveEntityIds` reads (the agent's
/// operational data; a map given on the command line).
pub trait IdResolver {
    /// The id in the target system of the entity `request` names, if it was provisioned.
    fn resolve(&self, request: &IdRequest<'_>) -> Option<String>;
}

impl IdResolver for () {
    fn resolve(&self, _request: &IdRequest<'_>) -> Option<String> {
        None
    }
}

/// A small deterministic random source (SplitMix64): the same seed gives the same passwords.
#[derive(Debug, Clone)]
pub struct Random {
    state: u64,
}

impl Random {
    /// A source seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniformly chosen number below `bound` (which must not be 0).
    pub fn below(&mut self, bound: usize) -> usize {
        let bound = bound as u64;
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let n = self.next_u64();
            if n < zone {
                return (n % bound) as usize;
            }
        }
    }
}

/// A function that could not be compiled or applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FunctionError {
    /// The function's name.
    pub function: String,
    /// The parameter at fault, if one is.
    pub parameter: Option<String>,
    /// What went wrong, for a person.
    pub message: String,
}

impl fmt::Display for FunctionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.parameter {
            Some(parameter) => write!(f, "{} ({}): {}", self.function, parameter, self.message),
            None => write!(f, "{}: {}", self.function, self.message),
        }
    }
}
