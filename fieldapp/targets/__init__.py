"""Targets (chỉ tiêu) per indicator, area and year, with the plan's 2025 and 2030 defaults."""
