"""Results: typed result objects and their writers (results.h5, summary.json)."""

from interface.results.result import Result, Table

__all__ = ["Result", "Table"]
