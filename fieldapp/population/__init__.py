"""Official denominators: the adult population (and adults with VNeID level 2) per year and area."""
