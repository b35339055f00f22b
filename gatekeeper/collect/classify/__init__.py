"""Normaliser: turn a provider's reply into a stance, or `unscored` with a reason."""
