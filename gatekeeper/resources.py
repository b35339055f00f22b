"""Where the built-in policies, schemas and examples live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_root(name: str) -> Path:
    """`policies`, `schemas` or `evidence`: inside the wheel, else the checkout's top level."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def schema_path(file_name: str) -> Path:
    return data_root("schemas") / file_name


def default_policy_dir() -> Path:
    return data_root("policies")
