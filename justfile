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

# Check formatting, run clippy with warnings denied, and check that the agent builds without the mocks
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings
    cargo clippy -p sapland --no-default-features -- -D warnings

# Run every test: unit, integration and all Gherkin scenarios (same as `cargo test --workspace`)
test:
    cargo test --workspace

# Run the Gherkin scenarios only; cucumber options go after, e.g. `just e2e --name "retry"`
e2e *ARGS:
    cargo test -p sapland-scenarios --test scenarios -- {{ARGS}}

# Start the mock landscape (IAS tenants source and target) until Ctrl-C; extra flags pass through
up *ARGS:
    cargo run -q -p sapland -- up {{ARGS}}

# Run the external SCIM conformance suite (scim2-tester, pinned, in a venv) against the mock IAS
scim-suite:
    bash scripts/scim-suite.sh

# Benchmarks against DESIGN.md's budgets, as ratios to baselines measured in the same run
bench:
    cargo build --release -p sapland
    cargo run --release -p sapland-bench -- all

# Mock IAS benchmarks only; options go after, e.g. `just bench-ias --rounds 5`
bench-ias *ARGS:
    cargo run --release -p sapland-bench -- ias {{ARGS}}

# SAP's IAS v2 default transformation over 100 000 seeded users, sapland against jq; e.g. `just bench-transform --rounds 5`
bench-transform *ARGS:
    cargo build --release -p sapland
    cargo run --release -p sapland-bench -- transform {{ARGS}}

# sapland provision run: 10 000 users from a file vs the mock's raw POST ingest, a 1 % delta, the pace with SAP throttling; e.g. `just bench-provision --rounds 5`
bench-provision *ARGS:
    cargo build --release -p sapland
    cargo run --release -p sapland-bench -- provision {{ARGS}}

# Show an IPS system export with its effective properties, e.g. `just show examples/systems/ias-target.json --secrets examples/systems/secrets.example.toml`
show EXPORT *ARGS:
    cargo run -q -p sapland -- systems show {{EXPORT}} {{ARGS}}

# Exactly what CI runs after installing its tools: lint, every test, the external SCIM suite
ci: lint test scim-suite
