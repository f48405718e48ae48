"""Monthly figures (số liệu định kỳ) from external systems, for targets g and i, with month closing."""
