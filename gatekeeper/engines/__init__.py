"""Policy engines behind one small interface: embedded regopy, an OPA server, or both."""
