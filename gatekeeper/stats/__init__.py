"""Statistics for evidence: intervals and agreement figures, each in a small module."""
