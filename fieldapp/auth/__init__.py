"""Accounts, roles, login sessions and access decorators."""
