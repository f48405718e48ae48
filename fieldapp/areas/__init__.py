"""Administrative areas: province → commune → thôn, and scope checks."""
