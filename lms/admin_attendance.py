"""Attendance admin views (being written)."""
