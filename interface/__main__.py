"""`python -m interface` is the `ssbi` command line."""

from interface.cli import console

console()
