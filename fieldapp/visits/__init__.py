"""Door-to-door visits (lượt hỗ trợ tại nhà) and the team member's worklist."""
