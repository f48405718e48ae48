"""Citizen feedback (ý kiến góp ý): received, answered by an officer, published."""
