#!/usr/bin/env bash
# Set up a development machine: a project venv with pinned dependencies, and the real OPA
# CLI built from source (needs Go; without Go the OPA tests are skipped with a loud reason).
# Idempotent: re-running reuses what is already installed.
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"

python="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
  "$python" -m venv .venv
fi
stamp=.venv/.gatekeeper-deps
want="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  .venv/bin/python -m pip install --quiet --upgrade pip >&2
  .venv/bin/python -m pip install --quiet -e '.[dev]' >&2
  printf '%s\n' "$want" > "$stamp"
fi

if command -v go >/dev/null 2>&1; then
  bash scripts/install-opa.sh >/dev/null
else
  echo "setup: Go not found: OPA-dependent tests will be SKIPPED (install Go to run them)" >&2
fi
echo "setup: ready (.venv, .tools/bin/opa)" >&2
