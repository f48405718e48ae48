"""Closed periods: a commune's month or year closed with a snapshot of its figures."""
