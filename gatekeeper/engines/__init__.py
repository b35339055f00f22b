"""Policy engines behind one seam (prepare once, evaluate many): a private OPA, an external
OPA server, regopy, or both."""
