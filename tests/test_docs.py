"""The documentation stays in sync with the code: docs/inputs.md holds the column reference generated from the schema."""

from __future__ import annotations

import importlib.util
import re
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


# -- docs/data.md §9 and §10: generated from the shipped dataset by docs/gen_data_checks.py ------------------------
def _data_generator():
    import sys

    if "gen_data_checks" not in sys.modules:  # registered: its dataclasses look their module up while being made
        spec = importlib.util.spec_from_file_location("gen_data_checks", DOCS / "gen_data_checks.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["gen_data_checks"] = module
        spec.loader.exec_module(module)
    return sys.modules["gen_data_checks"]


@pytest.fixture(scope="module")
def data_parts():
    """The generated parts of docs/data.md and the runs they come from (nine solves and one diagnosis, ≈10 s)."""
    gen = _data_generator()
    if not gen.DATA.exists():
        pytest.skip("shipped dataset not present")
    runs = gen.solve_all(gen.DATA)
    data = gen.Data.from_raw(runs.raw)
    return gen, runs, {"scenarios": gen.scenarios_part(runs, data), "checks": gen.checks_part(runs, data)}


@pytest.mark.slow
def test_data_md_scenarios_and_checks_are_current(data_parts):
    gen, _, parts = data_parts
    doc = (DOCS / "data.md").read_text(encoding="utf-8")
    assert gen.splice(doc, parts) == doc, "docs/data.md §9/§10 are out of date: run python docs/gen_data_checks.py"
    assert "baseline_trend" not in doc


@pytest.mark.slow
def test_data_md_scenario_figures_are_the_measured_ones(data_parts):
    """The figures the lead measured on the shipped workbook (t CO2e cumulative 2020–2035; t CO2e/yr in 2035)."""
    _, runs, parts = data_parts
    expected = {
        "base": (148_089_447, 12_896_728), "ecological_priority": (126_536_772, 10_415_225),
        "development_priority": (144_630_729, 12_223_170), "strict_grazing_ban": (151_530_242, 12_264_831),
        "compact_development": (142_808_904, 11_472_886), "ecological_retirement": (148_305_739, 12_910_162),
        "land_output_growth": (148_068_155, 12_893_572), "forest_stock_growth": (143_340_844, 12_891_892),
    }
    assert list(runs.plans) == ["base", "ecological_priority", "development_priority", "strict_grazing_ban",
                                "grazing_conflict", "compact_development", "ecological_retirement",
                                "land_output_growth", "forest_stock_growth"]
    assert runs.plans["grazing_conflict"].status == "infeasible"
    for name, (cumulative, annual) in expected.items():
        m = runs.plans[name].metadata
        assert round(m["cumulative_t_co2e"]) == cumulative, name
        assert round(m["annual_target_t_co2e_per_yr"]) == annual, name
        assert f"| `{name}` |" in parts["scenarios"]
    assert ("| `ecological_priority` |  | 生态优先：造林潜力增加50%，湿地和草地面积下限高于基期，禁牧休牧草地增加30%，"
            "沙化土地治理面积增加50%（防沙治沙）。 Ecology first: 50% more afforestation potential, wetland and grassland floors "
            "above baseline, 30% more grassland under grazing ban/rest, 50% more sandy land restored (防沙治沙). | "
            "optimal | 126,536,772 | −21,552,675 | 10,415,225 | 草地 grassland −2,810,666; "
            "退化草地 degraded_grassland +2,440,972 | grazing ban/rest +4.98; sandy→forest +3.70 |") in parts["scenarios"]
    assert ("| `grazing_conflict` |  | 有意设置为不可行：那曲市牲畜存栏下限提高到3倍，超出其草地的理论载畜量。 "
            "Deliberately infeasible") in parts["scenarios"]
    assert "| **infeasible** | — | — | — | — | — |" in parts["scenarios"]
    assert "redevelopment of inefficient construction land +1.31" in parts["scenarios"]  # development_priority
    assert "`livestock_floor[Nagqu,2025]` by 5,382,914 SU" in parts["checks"]


@pytest.mark.slow
def test_model_md_instance_table_shows_the_measured_tibet_optima(data_parts):
    """docs/model.md §10 prints every shipped run's optimum to two decimals: it must be today's."""
    _, runs, _ = data_parts
    doc = (DOCS / "model.md").read_text(encoding="utf-8")
    assert f"**{runs.plans['base'].objective:,.6f} t CO2e**" in doc
    for name, plan in runs.plans.items():
        if name not in ("base", "grazing_conflict"):
            assert f"{plan.objective:,.2f}" in doc, name


@pytest.mark.slow
def test_data_md_flags_what_is_wrong_in_the_data(data_parts):
    """The checks say what does not hold. Two findings of the first run were fixed in the data: development_priority
    scaled a blank column (it now scales the province PV target, and a scale of blanks is an error), and
    ecological_priority's grassland floors counted good grassland only (they now count good + degraded, as the floor
    does, and lie above the 2019 area). The degenerate PV placement stays, and is said."""
    _, _, parts = data_parts
    assert "**changes nothing**" not in parts["scenarios"]
    assert "`province_targets.pv_capacity_min_mw` scale 1.2 (all rows)" in parts["scenarios"]
    assert "**below the 2019 area**" not in parts["checks"]
    assert "| `ecological_priority` | `grassland_min_ha` | Lhasa | 1,736,786 | 1,739,067 | +2,281 |" in parts["checks"]
    assert "| `ecological_priority` | `wetland_min_ha` | Lhasa | 41,186 | 41,642 | +456 |" in parts["checks"]
    # which prefecture takes the PV beyond the bases is a tie even in the least-change plan (docs/model.md §8.1): the
    # region the check names is whichever the solver's vertex fills most, and the check says the placement is a tie
    assert re.search(r"The base plan puts [\d,]+ MW of PV in \w+, \d+% of its PV-suitable land\. That placement is "
                     r"\*\*degenerate\*\*", parts["checks"])
    # every arithmetic requirement holds for the shipped data (a failing one is marked ✗)
    assert "✗" not in parts["checks"]


def test_data_checks_formatting_and_capacity():
    gen = _data_generator()
    checks = gen._checks
    assert (checks.fmt(-1234.5), checks.fmt(0.2), checks.fmt(-0.2), checks.fmt(None)) == ("−1,234", "0", "0", "—")
    assert (checks.signed(35_954_169.4), checks.signed(-3.6), checks.signed(0.0)) == ("+35,954,169", "−4", "0")
    # capacity: 100 ha good at 657 kg, 50 ha degraded at 328.5 kg, utilisation 0.5, intake 657 kg/SU/yr:
    # rest 30 ha from good first -> (70 * 657 + 50 * 328.5) * 0.5 / 657 = 35 + 12.5 = 47.5 SU;
    # rest 120 ha (more than the good land) -> (0 + 30 * 328.5) * 0.5 / 657 = 7.5 SU
    data = checks.Data(raw=None, regions=["A"], totals={"A": 150.0}, land_uses=["g", "d"],
                       roles={"g": "grassland", "d": "degraded_grassland"}, name_zh={},
                       baseline=__import__("pandas").DataFrame({"g": [100.0], "d": [50.0]}, index=["A"]),
                       years=[2030], base_year=2020)
    row = __import__("pandas").Series({"forage_yield_kg_per_ha": 657.0, "degraded_yield_kg_per_ha": 328.5,
                                       "utilisation_rate": 0.5, "intake_kg_per_su_yr": 657.0})
    assert checks.capacity(data, row, "A", 30.0) == pytest.approx(47.5)
    assert checks.capacity(data, row, "A", 120.0) == pytest.approx(7.5)


def test_the_readme_quotes_the_plans_shadow_price_sentences_word_for_word():
    """The README's example sentences are said to come from the constraints sheet: each is one of the plan's
    sentences, word for word (they had drifted: 'One more yuan of budget in 2025 …', '+257')."""
    import re

    import landopt
    from landopt.report.brief import binding_measures

    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("word for word\nfrom the constraints sheet"):]
    quoted = [" ".join(q.split()) for q in re.findall(r'\*"(One more .*?)"\*', part[:2000], flags=re.S)]
    assert len(quoted) == 5
    res = landopt.optimize(landopt.read(DOCS.parent / "inputs" / "tibet_2035.xlsx"), with_ranging=False)
    sentences = set(binding_measures(res, "en")["sentence"])
    for q in quoted:
        assert q in sentences, q
