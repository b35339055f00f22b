"""The decision: verdict, reasons with rule metadata, conditions, exit codes."""
