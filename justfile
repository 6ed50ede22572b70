# sapland tasks. `just --list` is the menu; every recipe is a thin line over cargo or scripts/.

set shell := ["bash", "-euo", "pipefail", "-c"]

_default:
    @just --list --unsorted

# Build every crate and test target (debug)
build:
    cargo build --workspace --all-targets

# Format all code in place
fmt:
    cargo fmt --all

# Check formatting and run clippy with warnings denied
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

# Run every test: unit, integration and all Gherkin scenarios (same as `cargo test --workspace`)
test:
    cargo test --workspace

# Run the Gherkin scenarios only; cucumber options go after, e.g. `just e2e --name "retry"`
e2e *ARGS:
    cargo test -p sapland-scenarios --test scenarios -- {{ARGS}}

# Show an IPS system export with its effective properties, e.g. `just show examples/systems/ias-target.json --secrets examples/systems/secrets.example.toml`
show EXPORT *ARGS:
    cargo run -q -p sapland -- systems show {{EXPORT}} {{ARGS}}

# Exactly what CI runs after installing its tools: lint, then every test
ci: lint test
