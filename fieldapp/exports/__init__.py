"""Exports: every record list and the aggregate table as CSV and XLSX, scoped, safe, logged."""
