"""Backups of the database (flask backup, flask restore) and their log."""
