"""`python -m gatekeeper.cli` runs the CLI (what tests use, so no console script is needed)."""

from gatekeeper.cli.main import main

main()
