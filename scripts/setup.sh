#!/usr/bin/env bash
# Set up a development machine: a project venv with every dependency from the hashed lock,
# and the real OPA CLI built from source (needs Go; without Go the OPA tests are skipped with
# a loud reason). Idempotent: re-running reuses what is already installed.
set -euo pipefail
root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"

python="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
  "$python" -m venv .venv
fi
# Every file is checked against the lock's hashes (scripts/lock.sh writes it). Wheels only,
# downloaded once into a wheelhouse that the packaging test installs the core lock from,
# offline; the project itself is built by the locked hatchling, so nothing goes unhashed.
lock=requirements/dev.txt
wheels=.tools/wheelhouse
stamp=.venv/.gatekeeper-deps
want="$(cat pyproject.toml "$lock" | sha256sum | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -d "$wheels" ]]; then
  pip=(.venv/bin/python -m pip --quiet --disable-pip-version-check)
  "${pip[@]}" download --require-hashes --only-binary :all: --dest "$wheels" -r "$lock" >&2
  "${pip[@]}" install --require-hashes --no-index --find-links "$wheels" -r "$lock" >&2
  "${pip[@]}" install --no-deps --no-build-isolation --no-index --editable . >&2
  printf '%s\n' "$want" > "$stamp"
fi

if command -v go >/dev/null 2>&1; then
  bash scripts/install-opa.sh >/dev/null
else
  echo "setup: Go not found: OPA-dependent tests will be SKIPPED (install Go to run them)" >&2
fi
echo "setup: ready (.venv, .tools/bin/opa)" >&2
