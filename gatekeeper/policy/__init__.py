"""Policy sets: Rego modules plus threshold data, their digest, METADATA, and Rego tests."""
