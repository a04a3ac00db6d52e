"""The documentation stays in sync with the code: docs/inputs.md holds the column reference generated from the schema."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from landopt.schema import SETTINGS_KEYS, SHEETS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_inputs", DOCS / "gen_inputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_inputs_md_contains_the_generated_column_reference():
    gen = _generator()
    doc = (DOCS / "inputs.md").read_text(encoding="utf-8")
    assert gen.render() in doc, "docs/inputs.md is out of date with src/landopt/schema/: run python docs/gen_inputs.py"
    assert gen.splice(doc, gen.render()) == doc


def test_reference_covers_every_sheet_column_and_setting():
    text = _generator().render()
    for sheet in SHEETS.values():
        assert f"### Sheet `{sheet.name}`" in text
        for col in sheet.columns:
            assert f"| `{col.name}` |" in text, f"{sheet.name}.{col.name} missing"
    for key in SETTINGS_KEYS:
        assert f"| `{key}` |" in text


def test_optional_numbers_say_what_blank_means():
    gen = _generator()
    for sheet in SHEETS.values():
        for col in sheet.columns:
            if not col.required and col.kind in ("number", "int"):
                assert (sheet.name, col.name) in gen.BLANK, f"say what a blank {sheet.name}.{col.name} means in docs/gen_inputs.py"


@pytest.mark.parametrize("page", ["inputs.md", "scenarios.md"])
def test_pages_link_to_existing_docs(page):
    import re

    text = (DOCS / page).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([\w./-]+\.md)\)", text):
        assert (DOCS / target).exists() or (DOCS.parent / target).exists(), f"{page} links to missing {target}"


def test_scenarios_md_lists_the_shipped_scenarios():
    import pandas as pd

    csv = DOCS.parent / "inputs" / "tibet_2035" / "scenarios.csv"
    if not csv.exists():
        pytest.skip("shipped scenarios not present")
    text = (DOCS / "scenarios.md").read_text(encoding="utf-8")
    for name in pd.read_csv(csv)["scenario"].unique():
        assert f"`{name}`" in text, f"docs/scenarios.md does not mention scenario {name}"
