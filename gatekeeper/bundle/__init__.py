"""The evidence bundle and release plan: typed models, schemas, loading and integrity."""
