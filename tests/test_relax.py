"""What relaxing a binding requirement by 1 % really adds (landopt.analysis.relax, docs/model.md §9): re-solved
gains against solving the changed workbook from scratch, and the bounds they must sit between."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import landopt
from landopt.reader import read_workbook
from landopt.api import spec_from_raw
from landopt.report.brief import binding_measures

WORKBOOK = Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx"


@pytest.fixture(scope="module")
def tibet():
    return landopt.optimize(landopt.read(WORKBOOK), backend="highs")


def _solve_with(sheet: str, column: str, year: int, factor: float) -> float:
    raw = read_workbook(WORKBOOK)
    t = raw.tables[sheet]
    t.loc[t["year"].astype(int) == year, column] = t.loc[t["year"].astype(int) == year, column].astype(float) * factor
    res = landopt.optimize(spec_from_raw(raw), backend="highs", with_ranging=False)
    assert res.optimal
    return float(res.objective)


def test_the_forest_cover_target_relaxed_by_one_percent_is_re_solved(tibet):
    """The 2030 forest-cover target (森林覆盖率 12.71 %): its shadow price promises 557.4 万 t CO2e for 1 % less,
    the part where the price holds 11.4; lowering the target to 12.71 × 0.99 % and solving again gains 112.1 — the
    figure the brief shows and ranks by."""
    b = binding_measures(tibet, "en", 8, exact_first=True).set_index("label")
    row = b.loc["forest_cover[2030]"]
    assert row["effect"] == pytest.approx(5_573_636.4, rel=1e-6)  # the upper bound, 557.4 万 t
    assert row["effect_low"] == pytest.approx(113_624.0, rel=1e-6)  # the lower bound, 11.4 万 t
    again = _solve_with("province_targets", "forest_cover_min_pct", 2030, 0.99) - tibet.objective
    assert row["effect_exact"] == pytest.approx(again, rel=1e-6)
    assert row["effect_exact"] == pytest.approx(1_121_253, rel=1e-4)


def test_the_budget_relaxed_by_one_percent_is_re_solved(tibet):
    """A cap: the 2025 budget (18×10⁹ yuan) raised by 1 % and solved again gives the re-solved gain."""
    b = binding_measures(tibet, "en", 8, exact_first=True).set_index("label")
    again = _solve_with("province_targets", "budget_yuan", 2025, 1.01) - tibet.objective
    assert b.loc["budget[2025]", "effect_exact"] == pytest.approx(again, rel=1e-6)


def test_re_solved_gains_sit_between_the_bounds_and_the_top_is_complete(tibet):
    b = binding_measures(tibet, "en")
    done = b[b["effect_exact"].notna()]
    assert len(done) >= 10
    # concavity: the re-solved gain is at most the price's promise and at least the part where the price holds
    assert (done["effect_exact"] <= done["effect"] * (1 + 1e-9) + 1e-6).all()
    assert (done["effect_exact"] >= done["effect_low"] * (1 - 1e-9) - 1e-6).all()
    # no row left out could enter the ten best: its upper bound is at most the tenth re-solved gain
    tenth = done["effect_exact"].nlargest(10).iloc[-1]
    assert (b.loc[b["effect_exact"].isna(), "effect"] <= tenth + 1e-6).all()
    # ranked by the re-solved gain, the forest-cover targets come first, 2035 then 2030 (2025's binds no more since
    # restoration earns soil carbon on meadow only), then the budget of 2025 and 2030
    top = binding_measures(tibet, "en", 8, exact_first=True)
    assert list(top["label"][:4]) == ["forest_cover[2035]", "forest_cover[2030]", "budget[2025]", "budget[2030]"]
    assert np.all(np.diff(top["effect_exact"].to_numpy()) <= 0)


def test_without_ranging_or_for_a_large_model_the_bounds_stay(tibet, monkeypatch):
    from landopt.analysis import relax

    plain = landopt.optimize(landopt.read(WORKBOOK), backend="highs", with_ranging=False)
    assert plain.relax_exact.empty and binding_measures(plain, "en")["effect_exact"].isna().all()
    monkeypatch.setattr(relax, "MAX_COLUMNS", 100)
    big = landopt.optimize(landopt.read(WORKBOOK), backend="highs")
    assert big.relax_exact.empty
    top = binding_measures(big, "en", 8, exact_first=True)
    assert list(top["label"][:2]) == ["forest_cover[2030]", "forest_cover[2035]"]  # ranked by the upper bound


def test_the_brief_shows_the_re_solved_gain(tibet, tmp_path):
    from openpyxl import load_workbook

    from landopt.report.pdf import from_workbook
    from landopt.report.plan import write_plan_workbook

    path = write_plan_workbook(tibet, tmp_path / "plan.xlsx", lang="en", maps=False)
    ws = load_workbook(path).worksheets[0]  # the brief
    table = ws.tables["BriefBinding"]
    cells = [[c.value for c in row] for row in ws[table.ref]]
    assert cells[0][3].startswith("sink gained by relaxing 1% (re-solved)")
    assert cells[1][0] == 1 and cells[1][3] == pytest.approx(425.9, abs=0.05)
    assert from_workbook(path).binding[0][3] == "425.87"  # the PDF brief reads the same figure back


def test_both_backends_re_solve_the_same_gains(tibet):
    """The Pyomo backend's HiGHS instance (the model compiled in landopt's row order) gives the same re-solved gains."""
    other = landopt.optimize(landopt.read(WORKBOOK), backend="pyomo")
    a = tibet.relax_exact.set_index("label")["gain_exact"]
    b = other.relax_exact.set_index("label")["gain_exact"]
    top_a = a.sort_values(ascending=False).head(8)
    assert np.allclose(b.reindex(top_a.index).to_numpy(), top_a.to_numpy(), rtol=1e-6)


def test_a_conversion_rate_limit_counts_its_one_percent_of_the_limit_the_plan_sets(tibet):
    """A rate limit is written as flow − share × the previous area ≤ 0 (rhs 0); its requirement value is
    share × the previous area at this plan, and relaxing it by 1 % adds 1 % of that (it ranked last with 'no 1 %'
    before).  Shigatse sandy → grassland, 2030: the limit is max_pct_per_period × the 2025 sandy land."""
    label = "conversion_rate[Shigatse,sandy,grassland,2030]"
    c = tibet.constraints.set_index("label").loc[label]
    tr = tibet.spec.transitions
    pct = float(tr[(tr["from_land_use"] == "sandy") & (tr["to_land_use"] == "grassland")]["max_pct_per_period"].iloc[0])
    sandy_2025 = float(tibet.allocation.loc[("Shigatse", "sandy", 2025), "area_ha"])
    assert c["rhs"] == 0.0
    assert c["limit"] == pytest.approx(pct / 100 * sandy_2025, rel=1e-9)
    assert c["value"] == pytest.approx(tibet.conversions["area_ha"][("Shigatse", "sandy", "grassland", 2030)], rel=1e-9)
    b = binding_measures(tibet, "en").set_index("label")
    assert b.loc[label, "effect"] == pytest.approx(abs(c["shadow_price"]) * 0.01 * c["limit"], rel=1e-9)
    assert b.loc[label, "effect"] > 500.0  # t CO2e: it ranks among the measures, not last with 0


# -- how the plan adjusts to a relaxed requirement (PlanResult.relax_response) -----------------------------------------

def _response(res, label: str) -> dict:
    r = res.relax_response
    r = r[r["label"] == label]
    return {(w, i): (c, d) for w, i, c, d in zip(r["what"], r["item"], r["change"], r["direct"])}


def test_how_the_plan_adjusts_to_a_relaxed_requirement_hand_computed():
    """tests/test_landcover_families.sandy_tables(6): 6 ha of sandy land restored to grass (500 yuan/ha), the rest of
    the 10,000-yuan budget on unused→forest (1,000 yuan/ha); 2030 areas: sandy 44, unused 23, forest 17, grass 16.

    * The target lowered by 1 % (6 → 5.94 ha): 0.06 ha less sandy→grass frees 30 yuan = 0.03 ha more forest.
      Areas in 2030: sandy +0.06, grass −0.06, unused −0.03, forest +0.03.  Carbon by 2030 (t C): biomass
      growth 0.03 × 40 − 0.06 × 2 = +1.08, soil 0.06 × (10 − 30) × 5/10 = −0.6 (forest's soil equals unused land's);
      together +0.48 t C = 0.06 ha × the −8 t C/ha shadow price, the re-solved gain.
    * The budget raised by 1 % (+100 yuan): 0.1 ha more unused→forest, +4 t C, all biomass growth."""
    from conftest import K, run_tables
    from landopt.report.brief import names_of
    from landopt.report.responses import response_words
    from test_landcover_families import sandy_tables

    _, _, res = run_tables(sandy_tables(6.0))
    gains = res.relax_exact.set_index("label")["gain_exact"]
    assert gains["desertification_control[A,2030]"] == pytest.approx(0.48 * K, rel=1e-9)
    assert gains["budget[2030]"] == pytest.approx(4.0 * K, rel=1e-9)

    d = _response(res, "desertification_control[A,2030]")
    assert {k: v[0] for k, v in d.items() if k[0] == "area"} == pytest.approx(
        {("area", "sandy"): 0.06, ("area", "grass"): -0.06, ("area", "unused"): -0.03, ("area", "forest"): 0.03})
    assert {k: v[0] for k, v in d.items() if k[0] == "term"} == pytest.approx(
        {("term", "biomass_growth"): 1.08 * K, ("term", "soil_dom_change"): -0.6 * K})
    r = res.relax_response
    assert set(r.loc[r["what"] == "area", "year"]) == {2030}

    b = _response(res, "budget[2030]")
    assert {k: v[0] for k, v in b.items()} == pytest.approx(
        {("area", "unused"): -0.1, ("area", "forest"): 0.1, ("term", "biomass_growth"): 4.0 * K})
    words = response_words(r[r["label"] == "budget[2030]"], names_of(res), "en", res.metadata["objective_unit"], "2021–2030")
    assert words.startswith("End of 2030: ") and "forest +0.1 ha" in words and "unused −0.1 ha" in words
    assert "(all in A in this solution)" in words
    assert words.endswith("Net removals 2021–2030, cumulative, change by (t CO2e, + more sink): biomass growth of "
                          "converted land (cohorts) +14.7; total +14.7")  # 0.1 ha × 40 t C × 44/12
    zh = response_words(r[r["label"] == "desertification_control[A,2030]"], names_of(res), "zh", "t CO2e", "2021–2030")
    # every land use listed (they add up to nothing), the terms and their total (= the re-solved gain, 0.48 × 44/12)
    assert zh == ("2030年末：沙化土地 +0.06 公顷（本解中全部在A）、草地 −0.06 公顷、其他土地/未利用地 −0.03 公顷、林地 +0.03 公顷。"
                  "2021–2030年累计净碳汇变化（吨CO2e，正值为增汇）：转换后新地类的生物量碳增长 +4.0、"
                  "转换土地的土壤及枯落物碳变化 −2.2；合计 +1.8")


def test_the_tibet_forest_cover_relaxation_frees_budget_for_grassland_restoration(tibet):
    """The 2030 forest-cover target lowered by 1 %: the plan grows less forest (the row's own land use, listed first)
    and spends the budget so freed on restoring degraded grassland; the land uses' changes add up to nothing (the
    regions' area is fixed) but for the changes too small to list (|Δ| ≤ 1e-7 × the largest area, docs/model.md §9:
    Lhasa's 2035 urban demand moves one land use by 0.95 ha, under Tibet's 2.3 ha), and the carbon terms add up to
    the re-solved gain."""
    r = tibet.relax_response
    gain = tibet.relax_exact.set_index("label")["gain_exact"]
    noise = 1e-7 * max(1.0, float(tibet.allocation["area_ha"].abs().max()))  # a change left out is at most this
    n_uses = len(tibet.spec.land_uses)
    for label, g in r.groupby("label"):
        assert g.loc[g["what"] == "term", "change"].sum() == pytest.approx(gain[label], rel=1e-6, abs=1e-3)
        listed = g.loc[g["what"] == "area"]
        assert abs(listed["change"].sum()) <= (n_uses - len(listed)) * noise + 1e-3  # hectares
    d = _response(tibet, "forest_cover[2030]")
    forest, direct = d[("area", "forest")]
    assert direct and forest < -1_000.0
    assert d[("area", "degraded_grassland")][0] < -100_000.0 < d[("area", "grassland")][0]
    b = binding_measures(tibet, "zh", 8, exact_first=True).set_index("label")
    assert b.loc["forest_cover[2030]", "response"].startswith("2030年末：林地 −")


def test_the_brief_says_how_the_plan_adjusts(tibet, tmp_path):
    """Page one: under the binding measures, a paragraph per measure (the first three re-solved) — its heading, then
    the plan's response in Chinese and in English."""
    from openpyxl import load_workbook

    from landopt.report.plan import write_plan_workbook

    path = write_plan_workbook(tibet, tmp_path / "plan.xlsx", maps=False)
    ws = load_workbook(path).worksheets[0]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    at = texts.index("放宽约束后方案如何调整（前3项，重新求解） How this plan adjusts when a measure is relaxed by 1% (first 3, re-solved)")
    paragraphs = [t for t in texts[at + 1:] if t[:3] in {f"{i}. " for i in range(1, 4)}]
    assert len(paragraphs) == 3
    head, zh, en = paragraphs[0].split("\n")
    assert head == ("1. 全区 2035年 森林覆盖率目标（放宽1%：约束值 15,528,148 → 15,372,867 公顷） forest-cover target, all regions "
                    "(2035) (relaxed 1%: value 15,528,148 → 15,372,867 ha)")
    assert zh.startswith("2035年末：林地 −") and "2020–2035年累计净碳汇变化（万吨CO2e，正值为增汇）：" in zh
    assert zh.endswith("；合计 +425.9")  # the table's re-solved gain, 万吨
    assert en.startswith("End of 2035: forest −") and "Net removals 2020–2035, cumulative, change by (10 kt CO2e, + more sink): " in en
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # page one is still one page wide
    # the constraints sheet: a column beside the re-solved gain, filled for the rows re-solved
    wb = load_workbook(path)
    cs = next(w for w in wb.worksheets if "BindingConstraints" in w.tables)
    cells = [[c.value for c in row] for row in cs[cs.tables["BindingConstraints"].ref]]
    at = cells[0].index("放宽后方案如何调整 how this plan adjusts")
    assert cells[1][at].startswith("2035年末：林地 −") and "\nEnd of 2035: forest −" in cells[1][at]  # the brief's order
    assert sum(1 for row in cells[1:] if row[at]) == len(tibet.relax_exact)


def test_the_pdf_brief_carries_the_same_paragraphs(tibet, tmp_path):
    """The PDF brief reads the paragraphs back from the workbook (or makes them from the result): the same three."""
    from landopt.report.pdf import from_result, from_workbook
    from landopt.report.plan import write_plan_workbook

    path = write_plan_workbook(tibet, tmp_path / "plan.xlsx", maps=False)
    a, b = from_workbook(path), from_result(tibet)
    assert len(a.responses) == 3 and a.responses == b.responses
    assert a.responses[0].startswith("1. 全区 2035年 森林覆盖率目标（放宽1%：约束值 15,528,148 → 15,372,867 公顷） "
                                     "forest-cover target, all regions (2035) (relaxed 1%: value 15,528,148 → 15,372,867 ha)"
                                     "\n2035年末：林地 −")
    assert a.responses_title == b.responses_title == ("放宽约束后方案如何调整（前3项，重新求解） How this plan adjusts when a "
                                                      "measure is relaxed by 1% (first 3, re-solved)")
