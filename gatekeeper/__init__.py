"""Gatekeeper: a fail-closed pre-release gate for open-weights decisions."""

__version__ = "0.1.0"
