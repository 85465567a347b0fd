"""Models of lab nodes and their sync (see docs/decisions on sync)."""
