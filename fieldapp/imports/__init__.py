"""Importing the office's spreadsheets: one engine (reader, headers, preview, log) for every record type."""
