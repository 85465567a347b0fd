"""Trainer and manager progress views (being written)."""
