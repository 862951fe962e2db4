"""Report rendering: scan results aggregated into a model, then drawn as a PDF (en/nl)."""
