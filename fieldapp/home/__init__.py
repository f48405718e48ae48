"""Each role's home screen: what to do next."""
