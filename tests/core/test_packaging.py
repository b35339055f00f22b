"""A non-editable install carries policies, schemas and examples, and evaluate stays light."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO


def test_wheel_carries_policies_schemas_and_evidence(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(tmp_path), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "gatekeeper/_data/policies/gatekeeper/decision.rego",
        "gatekeeper/_data/policies/gatekeeper/thresholds/data.yaml",
        "gatekeeper/_data/schemas/evidence-bundle.schema.json",
        "gatekeeper/_data/schemas/release-plan.schema.json",
    ):
        assert required in names, f"{required} missing from {wheel.name}"
    assert any(n.startswith("gatekeeper/_data/evidence/examples/") for n in names)


def test_evaluate_path_never_imports_litellm() -> None:
    # Importing litellm costs seconds and may try the network; evaluate must not touch it.
    probe = (
        "import sys, gatekeeper.cli.main, gatekeeper.evaluation, gatekeeper.engines.opa_private;"
        "import gatekeeper.engines.regopy_engine;"
        "import gatekeeper.report.registry as r; [r.renderer(f) for f in r.formats()];"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('litellm', 'openai')))"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, cwd=REPO)
    assert output.stdout.strip() == "[]"
