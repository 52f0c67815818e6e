"""The case-file reference (docs/case-reference.md), generated from the schema.

    python -m interface.case.reference > docs/case-reference.md

A test checks that the committed file equals this output.
"""

from __future__ import annotations

from interface.case.load import COMMON_OPTIONAL, MODEL_SECTIONS, MODEL_TABLES, SECTIONS
from interface.schema import describe

HEADER = """# Case-file reference

Generated from the schema in `interface/` by `python -m interface.case.reference`;
a test keeps this file and the code in step.

Case files are TOML.  Every physical quantity is a string with units
(`"5 MPa"`, `"60 um"`, `"4.87 g/cm^3"`, `"3 mAh/cm^2"`), converted to SI once
when the file is read; bare numbers are accepted only for dimensionless values
(fractions may also be written `"70 %"`).  Unknown keys are errors.  Any value
can be overridden with a dotted key path, on the command line
(`--set fixture.preload=2MPa`), in Python
(`load_case(path, overrides={"fixture.preload": "2 MPa"})`) and in sweeps;
entries of a list of tables are addressed by their `name`
(`stack.layers.cathode.thickness`) or their index (`stack.layers.1.thickness`).

Temperatures: an absolute temperature (unit `K`) may be written in K, degC or
degF (`"25 degC"` is 298.15 K); a temperature *difference* (unit `delta_K`,
e.g. `stack.temperature_change`) is written in K or delta_degC, and degC is
refused there (`"10 degC"` would be 283.15 K); a coefficient per kelvin is
written in `1/K` or `1/delta_degC`, never `1/degC`.  Exponents (`"m^3"`,
`"10**3 Pa"`) are plain numbers of magnitude at most 100.

## Models and their tables

| model | required tables | optional tables |
|---|---|---|
"""


def render() -> str:
    """The whole reference as markdown."""
    lines = [HEADER.rstrip("\n")]
    for model, (req, opt) in MODEL_SECTIONS.items():
        lines.append(f"| `{model}` | {', '.join(f'`[{s}]`' for s in sorted(req | {'case'}))} | "
                     f"{', '.join(f'`[{s}]`' for s in sorted(opt | COMMON_OPTIONAL))} |")
    lines += ["", "## Tables", ""]
    for name, cls in SECTIONS.items():
        title = "[materials.<name>]" if name == "materials" else f"[{name}]"
        lines += describe(cls, title)
    for model, tables in MODEL_TABLES.items():
        lines += [f"## Tables of model `{model}`", ""]
        for name, cls in tables.items():
            lines += describe(cls, f"[{name}]")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
