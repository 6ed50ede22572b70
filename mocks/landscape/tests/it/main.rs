//! Integration tests of the landscape: what `sapland up` starts and what `landscape.json` says.

mod calm;
mod landscape;
