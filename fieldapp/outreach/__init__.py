"""Mass organizations, their branches and outreach to members."""
