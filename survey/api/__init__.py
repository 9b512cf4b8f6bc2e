"""The JSON API for staff (statistics)."""
