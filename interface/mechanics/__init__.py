"""Mechanics: laminate closed forms, FE models (DOLFINx), contact-law contract."""
