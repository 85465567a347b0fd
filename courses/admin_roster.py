"""Roster import admin views (being written)."""
