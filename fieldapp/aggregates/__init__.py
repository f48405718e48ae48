"""Aggregate tables kept exact in the same transaction as every record write."""
