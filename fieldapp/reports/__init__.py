"""What the commune reports and publishes: dashboard, public page, monthly report."""
