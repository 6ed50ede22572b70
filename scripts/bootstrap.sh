#!/usr/bin/env bash
# Installs the tools sapland's recipes need on a machine that has only Rust and Python:
# `just` (pinned, from PyPI) and the rustfmt/clippy components when rustup can add them.
set -euo pipefail

JUST_VERSION=1.59.0

if ! command -v just >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check "rust-just==${JUST_VERSION}"
  if ! command -v just >/dev/null 2>&1; then
    scripts_dir=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
    echo "just was installed into ${scripts_dir}; add it to PATH" >&2
  fi
fi

for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    rustup component add "$component"
  fi
done
