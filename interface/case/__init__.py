"""Case files: TOML with units, validated into frozen dataclasses in SI units."""

from interface.case.load import Case, apply_override, build_case, load_case, parse_override_value

__all__ = ["Case", "apply_override", "build_case", "load_case", "parse_override_value"]
