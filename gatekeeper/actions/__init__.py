"""GitHub Actions integration: environment files, event payloads, the sticky PR comment."""
