"""Report formats: one module per format behind one small interface (see registry)."""
