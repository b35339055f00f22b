#!/usr/bin/env bash
# Write the hashed locks under requirements/ from pyproject.toml's ranges (needs the network
# and the dev extra's uv). Run it after changing a dependency, and commit what it writes.
#   core.txt     the core install (no extras): what `pip install .` needs
#   collect.txt  the core install plus the `collect` extra
#   dev.txt      every extra, the build backend and pip: what scripts/setup.sh installs
# One resolution decides every version: core and collect are constrained by dev, so a
# package has the same version and hashes in all three. Universal: one lock for every
# platform and Python >= 3.11, with a hash for each of the release's files.
set -euo pipefail
cd "$(dirname "$0")/.."

uv=.venv/bin/uv
compile=("$uv" pip compile --quiet --universal --python-version 3.11 --generate-hashes
         --custom-compile-command "bash scripts/lock.sh" pyproject.toml)

# setup.sh builds the editable install without build isolation, so the build backend is
# locked too: hatchling, and the `editables` its editable build asks for.
.venv/bin/python -c 'import tomllib, pathlib
build = tomllib.loads(pathlib.Path("pyproject.toml").read_text())["build-system"]["requires"]
print("\n".join([*build, "editables", "pip"]))' |
  "${compile[@]}" --all-extras - --output-file requirements/dev.txt
"${compile[@]}" --extra collect --constraints requirements/dev.txt --output-file requirements/collect.txt
"${compile[@]}" --constraints requirements/dev.txt --output-file requirements/core.txt
