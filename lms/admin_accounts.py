"""One-time password admin view (being written)."""
