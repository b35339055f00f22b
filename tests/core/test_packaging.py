"""Packaging as a product: a self-contained wheel, a core install without the collector, and
hashed locks that agree with pyproject.toml."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, expected
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from gatekeeper.cli.main import main
from gatekeeper.errors import COLLECT_EXTRA

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
LOCKS = REPO / "requirements"
WHEELHOUSE = REPO / ".tools" / "wheelhouse"  # scripts/setup.sh downloads the lock into it
EXAMPLE = REPO / "evidence" / "examples" / "approve-with-conditions"
NEVER_STALE = REPO / "tests" / "data" / "examples-never-stale.yaml"
CARD = REPO / "tests" / "card" / "cards" / "valid" / "gated.md"
OPA = REPO / ".tools" / "bin" / "opa"
# What the collector brings (and what litellm imports first): no core command may load them.
COLLECTOR_MODULES = sorted({*COLLECT_EXTRA, "openai"})
OPA_ENV = {"GATEKEEPER_OPA": str(OPA)} if OPA.exists() else {}  # else the regopy fallback


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built offline by the locked hatchling."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-q", "-w", str(out), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    return next(out.glob("*.whl"))


def test_wheel_carries_policies_schemas_evidence_and_types(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "gatekeeper/py.typed",
        "gatekeeper/_data/policies/gatekeeper/decision.rego",
        "gatekeeper/_data/policies/gatekeeper/thresholds/data.yaml",
        "gatekeeper/_data/schemas/evidence-bundle.schema.json",
        "gatekeeper/_data/schemas/release-plan.schema.json",
    ):
        assert required in names, f"{required} missing from {wheel.name}"
    assert any(n.startswith("gatekeeper/_data/evidence/examples/") for n in names)


def _weights(folder: Path) -> Path:
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    return folder


Run = Callable[[list[str]], subprocess.CompletedProcess[str]]


def _run_core_commands(folder: Path, run: Run) -> dict[str, subprocess.CompletedProcess[str]]:
    """Each core command on an example; evaluate writes the ledger that the others read."""
    ledger = folder / "ledger.jsonl"
    done = {"evaluate": run(["evaluate", str(EXAMPLE / "bundle.json"), "--release-plan",
                             str(EXAMPLE / "release-plan.yaml"), "--data", str(NEVER_STALE),
                             "--ledger", str(ledger), "--format", "json",
                             "--reports-dir", str(folder / "reports")])}  # every format
    assert done["evaluate"].returncode == 0, done["evaluate"].stderr
    decision = json.loads(ledger.read_text().splitlines()[0])["decision_id"]
    for name, argv in {
        "verify": ["verify", str(ledger)],
        "replay": ["replay", decision, "--ledger", str(ledger)],
        "report": ["report", decision, "--ledger", str(ledger), "--format", "html"],
        "card check": ["card", "check", str(CARD)],
        "weights digest": ["weights", "digest", str(_weights(folder / "weights"))],
    }.items():
        done[name] = run(argv)
        assert done[name].returncode == 0, f"{name}: {done[name].stderr}"
    return done


PROBE = """
import json, sys
from gatekeeper.cli.main import cli
try:
    cli(sys.argv[1:])
except SystemExit as end:
    code = end.code
print(json.dumps({"exit": code, "loaded": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def test_core_commands_never_import_the_collector(tmp_path: Path) -> None:
    # Importing litellm costs seconds and may try the network; the core commands run
    # without the `collect` extra, so they must not even try.
    def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True,
                              text=True, cwd=tmp_path, env={**os.environ, **OPA_ENV},
                              timeout=120, check=False)
        outcome = json.loads(done.stdout.splitlines()[-1])
        loaded = sorted(set(outcome["loaded"]) & set(COLLECTOR_MODULES))
        assert loaded == [], f"{argv[0]} imported {loaded}"
        done.returncode = outcome["exit"] or 0
        return done

    _run_core_commands(tmp_path, run)


@pytest.mark.slow  # a long integration run; the fast loop skips it, CI does not
def test_core_install_from_the_lock_runs_without_the_collector(
    wheel: Path, tmp_path: Path
) -> None:
    """`pip install .` without extras, from the hashed core lock, offline: every core
    command works, and litellm is not installed."""
    if not any(WHEELHOUSE.glob("*.whl")):
        pytest.fail(f"no wheelhouse at {WHEELHOUSE}: run `bash scripts/setup.sh`")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
           "--disable-pip-version-check", "--no-index", "--find-links", str(WHEELHOUSE)]
    for arguments in (["--require-hashes", "-r", str(LOCKS / "core.txt")],
                      ["--no-deps", str(wheel)]):
        installing = subprocess.run([*pip, *arguments], capture_output=True, text=True,
                                    timeout=600, check=False)
        assert installing.returncode == 0, installing.stderr
    installed = subprocess.run(
        [str(python), "-c", "import importlib.util as u, gatekeeper; print(gatekeeper.__file__);"
         f"print([m for m in {COLLECTOR_MODULES!r} if u.find_spec(m)])"],
        capture_output=True, text=True, cwd=tmp_path, check=True,
    ).stdout.splitlines()
    assert installed[0].startswith(str(venv)), installed  # the wheel, not the checkout
    assert installed[1] == "[]", f"the core install brought the collector: {installed[1]}"

    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), **OPA_ENV}

    def run(argv: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(venv / "bin" / "gatekeeper"), *argv], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=120, check=False)

    done = _run_core_commands(tmp_path, run)
    assert json.loads(done["evaluate"].stdout)["verdict"] == expected(EXAMPLE)["verdict"]
    assert "reproduced exactly" in done["replay"].stdout
    assert "<svg" in done["report"].stdout  # the auditor's charts come with the core install

    listing = run(["--help"])
    assert listing.returncode == 0, listing.stderr
    assert re.search(r"collect\s+\(not installed: needs the collect extra", listing.stdout)
    for argv in (["collect", "--model", "scripted/objector", "--out", "b.json"],
                 ["review", "--help"]):
        refused = run(argv)
        assert refused.returncode == 2, refused.stderr
        assert "pip install 'gatekeeper-release[collect]'" in refused.stderr


def _requirements(*extras: str) -> list[Requirement]:
    declared = [*PROJECT["dependencies"]]
    for extra in extras:
        declared += PROJECT["optional-dependencies"][extra]
    return [Requirement(r) for r in declared]


def _lock(name: str) -> dict[str, tuple[str, frozenset[str]]]:
    """name → (version, hashes) of one lock under requirements/."""
    text = (LOCKS / name).read_text(encoding="utf-8")
    assert "bash scripts/lock.sh" in text.splitlines()[1], f"{name} was not written by lock.sh"
    pins: dict[str, tuple[str, frozenset[str]]] = {}
    for entry in re.split(r"\n(?=\S)", text):
        match = re.match(r"([A-Za-z0-9._-]+)==([^\s;]+)", entry)
        if match:
            hashes = frozenset(re.findall(r"--hash=(sha256:[0-9a-f]{64})", entry))
            assert hashes, f"{name}: {match[1]} has no hash"
            pins[canonicalize_name(match[1])] = (match[2], hashes)
    return pins


@pytest.mark.parametrize(("lock", "extras"), [
    ("core.txt", ()), ("collect.txt", ("collect",)), ("dev.txt", ("collect", "dev")),
])
def test_each_lock_pins_every_declared_range(lock: str, extras: tuple[str, ...]) -> None:
    pins = _lock(lock)
    for requirement in _requirements(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{lock} lacks {name}: run `bash scripts/lock.sh`"
        assert requirement.specifier.contains(pins[name][0]), (
            f"{lock} pins {name}=={pins[name][0]}, outside {requirement}: run scripts/lock.sh")


def test_locks_agree_and_the_core_one_has_no_collector() -> None:
    core, collect, dev = _lock("core.txt"), _lock("collect.txt"), _lock("dev.txt")
    for narrow, wide in ((core, collect), (collect, dev)):
        assert narrow.items() <= wide.items(), "a package differs between the locks"
    assert not {canonicalize_name(m) for m in COLLECTOR_MODULES} & core.keys()
    for name in ("hatchling", "editables", "pip"):  # setup builds offline with these
        assert name in dev


def test_collect_extra_is_what_the_cli_names() -> None:
    declared = {canonicalize_name(r.name) for r in _requirements("collect")} - {
        canonicalize_name(r.name) for r in _requirements()}
    assert declared == COLLECT_EXTRA


def test_cli_refuses_a_non_posix_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "name", "nt")
    with pytest.raises(SystemExit, match="needs a POSIX system"):
        main()
