//! What goes wrong inside a function, before it is named.

/// A problem found while compiling or applying a function; [`super::CompiledFunction`] adds the
/// function's name to make a [`super::FunctionError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    /// The parameter at fault, if one is.
    pub(crate) parameter: Option<String>,
    /// What went wrong, for a person.
    pub(crate) message: String,
}

impl Fault {
    /// A problem with the value the function was given.
    pub(crate) fn value(message: impl Into<String>) -> Self {
        Self {
            parameter: None,
            message: message.into(),
        }
    }

    /// A problem with one of the function's parameters.
    pub(crate) fn parameter(name: &str, message: impl Into<String>) -> Self {
        Self {
            parameter: Some(name.to_string()),
            message: message.into(),
        }
    }
}

/// What compiling or applying one function yields.
pub(crate) type Outcome<T> = Result<T, Fault>;
