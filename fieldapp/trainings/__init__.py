"""Training sessions (hội nghị, tập huấn, bồi dưỡng) and their attendance from the rosters."""
