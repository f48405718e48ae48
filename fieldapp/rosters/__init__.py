"""Rosters (danh sách): commune staff and community digital team members per thôn."""
