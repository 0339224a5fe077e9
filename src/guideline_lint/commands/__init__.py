"""Click commands that are loaded only when used (keeps start-up lean)."""
