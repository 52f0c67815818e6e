"""Figures from result objects (matplotlib, Agg backend); nothing here computes physics."""
