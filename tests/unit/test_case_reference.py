"""docs/case-reference.md is generated from the schema and must stay in step with it."""

from interface.case.reference import render
from tests.conftest import ROOT


def test_case_reference_is_up_to_date():
    committed = (ROOT / "docs" / "case-reference.md").read_text()
    assert committed == render(), ("docs/case-reference.md is stale: run "
                                   "python -m interface.case.reference > docs/case-reference.md")
