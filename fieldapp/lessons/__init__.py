"""Schools and the DVCTT lessons their teachers give."""
