"""Test support shipped with the package: a loopback OpenAI-compatible server."""
