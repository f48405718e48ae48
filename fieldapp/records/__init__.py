"""What every field record shares: owner, area, times, version, history and soft delete."""
