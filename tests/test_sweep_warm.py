"""Warm re-solves in batches (:mod:`landopt.sweep.warm`): only what changed reaches HiGHS, and the answers are
the cold answers — for single models, for a whole sweep (see also tests/test_sweep.py) and for ``compare``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_sweep import SAMPLES, SEED, sweep_tables
from test_workflow import workbook_with_an_impossible_scenario

from landopt.api import build_and_solve, spec_with_overrides
from landopt.reader import from_tables, read_workbook
from landopt.scenarios import Override
from landopt.sweep import OBJECTIVE, run_sweep
from landopt.sweep.warm import WarmModel

TIBET = Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx"


def ov(sheet: str, column: str, where: dict[str, str], operation: str, value: object) -> tuple[str, Override]:
    return ("test", Override(sheet=sheet, column=column, where=where, operation=operation, value=value,
                             origin="test", where_text=""))


OFF_GRAZING = ov("families", "grazing_balance", {}, "off", "")


@pytest.fixture(scope="module")
def raw():
    return from_tables(sweep_tables(None), name="warm_test")


def cold(raw, pairs):
    return build_and_solve(spec_with_overrides(raw, pairs), threads=1, backend="highs")


@pytest.mark.parametrize("pairs, changes", [
    # forest's carbon flux: the objective coefficient of forest area in each of the 2 regions
    ([ov("land_uses", "carbon_flux_tC_per_ha_yr", {"land_use": "forest"}, "set", -0.55)], (2, 0, 0)),
    # region B's cropland red line: the right-hand side of one row
    ([ov("targets", "cropland_min_ha", {"region": "B"}, "set", 190.0)], (0, 1, 0)),
    # region A's PV density: the coefficient of PV area in A's clean-capacity row
    ([ov("energy", "pv_mw_per_ha", {"region": "A"}, "set", 0.35)], (0, 0, 1)),
    # forage yield in both regions: the coefficient of grazed area in each region's grazing-capacity row
    ([ov("grazing", "forage_yield_kg_per_ha", {}, "scale", 1.1)], (0, 0, 2)),
])
def test_warm_model_hands_highs_only_what_changed(raw, pairs, changes):
    wm = WarmModel(threads=1)
    build_and_solve(spec_with_overrides(raw, []), warm=wm)
    assert wm.last_start == "cold"
    lm, out = build_and_solve(spec_with_overrides(raw, pairs), warm=wm)
    assert wm.last_start == "warm" and wm.counts == {"cold": 1, "warm": 1, "warm→cold": 0}
    ch = wm.last_changes
    assert (ch.costs, ch.row_bounds, ch.coefficients) == changes
    _, ref = cold(raw, pairs)
    assert out.status == ref.status == "optimal"
    assert out.objective == pytest.approx(ref.objective, rel=1e-9)
    np.testing.assert_allclose(out.x, ref.x, atol=1e-7)


def test_a_structure_change_is_solved_cold_and_both_structures_are_kept(raw):
    wm = WarmModel(threads=1, keep=2)
    for pairs, start in [([], "cold"), ([OFF_GRAZING], "cold"), ([], "warm"), ([OFF_GRAZING], "warm")]:
        lm, out = build_and_solve(spec_with_overrides(raw, pairs), warm=wm)
        assert wm.last_start == start
        assert out.objective == pytest.approx(cold(raw, pairs)[1].objective, rel=1e-9)
    one = WarmModel(threads=1, keep=1)  # keeping one instance: every switch of structure starts cold again
    for pairs in ([], [OFF_GRAZING], []):
        build_and_solve(spec_with_overrides(raw, pairs), warm=one)
    assert one.counts == {"cold": 3, "warm": 0, "warm→cold": 0}


@pytest.mark.skipif(not TIBET.exists(), reason="the shipped Tibet workbook is not in this checkout")
def test_coefficient_changes_on_the_tibet_workbook_give_the_cold_optimum():
    """PV density is a matrix coefficient (MW per ha of PV in the clean-capacity rows); it moves the optimum, and a
    forage yield halved makes the plan infeasible (the region-wide herd no longer fits): the warm solve fails, is
    retried cold and says so."""
    raw = read_workbook(TIBET)
    wm = WarmModel(threads=1)
    base = build_and_solve(spec_with_overrides(raw, []), warm=wm)[1].objective
    seen = set()
    # (a low density: PV then needs more land than the unused land outside the red line holds in some prefectures)
    for pairs, start in [([ov("energy", "pv_mw_per_ha", {}, "set", 0.1)], "warm"),
                         ([ov("grazing", "forage_yield_kg_per_ha", {}, "scale", 0.5)], "warm→cold"),
                         ([ov("energy", "pv_mw_per_ha", {}, "set", 0.12)], "warm")]:
        lm, out = build_and_solve(spec_with_overrides(raw, pairs), warm=wm)
        _, ref = cold(raw, pairs)
        assert wm.last_start == start and wm.last_changes.coefficients > 0
        assert out.status == ref.status
        if ref.status == "optimal":
            assert out.objective == pytest.approx(ref.objective, rel=1e-9)
            assert abs(out.objective - base) > 100.0  # the coefficient mattered (t CO2e/yr)
            seen.add(round(out.objective))
    assert len(seen) == 2


def test_warm_and_cold_sweeps_give_the_same_runs(raw):
    """The same sweep (a scenario that changes right-hand sides crossed with the samples) warm and cold: every run's
    status, net sink (1e-9 relative) and target-year areas agree; only how the runs were solved differs."""
    t = sweep_tables()
    r = from_tables(t, name="sweep_test")
    kw = dict(seed=SEED, workers=1, scenarios="base,more_urban", progress=False)
    warm = run_sweep(r, SAMPLES, **kw)
    cold_ = run_sweep(r, SAMPLES, warm=False, **kw)
    w, c = warm.records, cold_.records
    assert len(w) == 2 * (SAMPLES + 1)
    pd.testing.assert_series_equal(w["status"], c["status"])
    np.testing.assert_allclose(w[OBJECTIVE], c[OBJECTIVE], rtol=1e-9, equal_nan=True)
    assert w[OBJECTIVE].notna().sum() >= 6
    pd.testing.assert_frame_equal(warm.areas, cold_.areas, check_exact=False, atol=1e-6, rtol=0)
    assert (c["solve_start"] == "cold").all()
    # one worker: its first run builds the HiGHS instance, every later run of the same structure starts warm
    assert list(w["solve_start"]).count("cold") == 1 and w.loc[0, "solve_start"] == "cold"
    infeasible = w["status"] == "infeasible"
    assert (w.loc[infeasible, "solve_start"] == "warm→cold").all()
    assert (w.loc[~infeasible & (w["run_id"] > 0), "solve_start"] == "warm").all()
    assert warm.metadata["warm_starts"] == int((w["solve_start"] == "warm").sum())
    pd.testing.assert_frame_equal(warm.comparable(), cold_.comparable(), check_exact=False, rtol=1e-9)


def test_compare_runs_scenarios_warm_where_the_structure_allows(tmp_path):
    from landopt.compare import compare

    path = workbook_with_an_impossible_scenario(tmp_path)
    warm = compare(path, progress=False)
    cold_ = compare(path, progress=False, warm=False)
    # base builds the instance; 'nocrop' switches the cropland family off (another structure: cold); the others
    # change right-hand sides or carbon coefficients; 'impossible' starts warm, is infeasible and is retried cold
    assert {r.name: r.solve_start for r in warm.runs} == {
        "base": "cold", "tight": "warm", "tight_double": "warm", "nocrop": "cold", "allyears": "warm",
        "impossible": "warm→cold"}
    assert all(r.solve_start == "cold" for r in cold_.runs)
    for a, b in zip(warm.runs, cold_.runs):
        assert (a.name, a.status) == (b.name, b.status)
        if a.status == "optimal":
            assert a.result.objective == pytest.approx(b.result.objective, rel=1e-9)
            pd.testing.assert_series_equal(a.result.allocation["area_ha"], b.result.allocation["area_ha"],
                                           check_exact=False, atol=1e-6, rtol=0)
    assert warm.runs[-1].diagnosis == cold_.runs[-1].diagnosis and warm.runs[-1].diagnosis


# ------------------------------------------------------------------ stock-change accounting (review R20)
def stock_raw(uncertainty: list[dict] | None = None):
    """The afforestation instance of tests/test_carbon_accounting.py (stock change, 2020→2025→2030): 20 ha of
    standing forest removing 0.15 t C/ha/yr, up to 10 ha (2025) and 30 ha (2030) of unused land planted, young
    forest gaining 1 t C/ha/yr biomass + 0.2 t C/ha/yr soil.  Objective 30 K (standing) + 150 K (cohorts)."""
    from test_carbon_accounting import afforestation

    t = afforestation()
    if uncertainty is not None:
        t["uncertainty"] = pd.DataFrame(uncertainty)
    return from_tables(t, name="stock_warm_test")


def test_stock_change_data_changes_are_solved_warm_with_the_objective_constant_handed_to_highs():
    """Under stock-change accounting the objective's constant (the standing land's removals) depends on the carbon
    data; it is data, not structure.  Before the fix a changed constant made every sampled run 'cold', and a warm
    re-solve that changed costs dropped the constant (the objective came back 30 K short)."""
    from conftest import K

    raw_ = stock_raw()
    wm = WarmModel(threads=1)
    lm, out = build_and_solve(spec_with_overrides(raw_, []), warm=wm)
    assert wm.last_start == "cold" and out.objective == pytest.approx(180 * K, rel=1e-12)
    # forest matures in 35 years instead of 70: young forest gains 2 + 0.2 t C/ha/yr; the constant stays 30 K
    # cohorts 10 ha × 2.2 × 7.5 yr + 20 ha × 2.2 × 2.5 yr = 275 t C
    mature = [ov("carbon_stocks", "maturity_years", {"land_use": "forest"}, "set", 35)]
    lm, out = build_and_solve(spec_with_overrides(raw_, mature), warm=wm)
    assert wm.last_start == "warm" and wm.last_changes.costs > 0 and not wm.last_changes.offset
    assert out.objective == pytest.approx((30 + 275) * K, rel=1e-12)
    # standing forest removes 0.3 t C/ha/yr instead of 0.15: the constant changes (20 ha × 0.3 × 10 yr = 60 t C)
    flux = [ov("carbon_stocks", "remaining_flux_tC_per_ha_yr", {"land_use": "forest"}, "set", -0.3)]
    lm, out = build_and_solve(spec_with_overrides(raw_, flux), warm=wm)
    assert wm.last_start == "warm" and wm.last_changes.offset
    _, ref = cold(raw_, flux)
    assert lm.terms.constant() == pytest.approx(60 * K, rel=1e-12)
    assert out.objective == pytest.approx(ref.objective, rel=1e-12)
    assert wm.counts == {"cold": 1, "warm": 2, "warm→cold": 0}


STOCK_UNCERTAINTY = [
    {"parameter": "forest_flux", "sheet": "carbon_stocks", "column": "remaining_flux_tC_per_ha_yr",
     "where": "land_use=forest", "low": -0.3, "high": -0.1},
    {"parameter": "forest_maturity", "sheet": "carbon_stocks", "column": "maturity_years", "where": "land_use=forest",
     "low": 35, "high": 70},
]


def test_a_stock_change_sweep_runs_warm_and_reports_the_terms_of_its_accounting(tmp_path):
    """Review R20: every sampled run of a stock-change sweep was 'cold' (the objective's constant was taken for
    structure) and the runs sheet showed the four flux-accounting terms, blank.  Now one worker builds the instance
    once and re-solves every later run warm, the answers are the cold ones, and the runs carry the stock-change
    terms, in t CO2e (cumulative), summing to the net sink."""
    from openpyxl import load_workbook

    from landopt.model.carbon import STOCK_TERMS
    from landopt.sweep import write_sweep_workbook

    r = stock_raw(STOCK_UNCERTAINTY)
    warm = run_sweep(r, 4, seed=3, workers=1, progress=False)
    cold_ = run_sweep(r, 4, seed=3, workers=1, progress=False, warm=False)
    w = warm.records
    assert list(w["status"]) == ["optimal"] * 5
    assert list(w["solve_start"]) == ["cold", "warm", "warm", "warm", "warm"]
    assert warm.metadata["warm_starts"] == 4 and warm.metadata["solves_from_scratch"] == 1
    np.testing.assert_allclose(w[OBJECTIVE], cold_.records[OBJECTIVE], rtol=1e-12)
    assert w.loc[0, OBJECTIVE] == pytest.approx(180 * 44 / 12, rel=1e-12)  # 30 + 150 t C, as in the base solve
    assert warm.metadata["objective_unit"] == "t CO2e"
    terms = [c for c in w.columns if c.startswith("term_")]
    assert terms == [f"term_{t}" for t in STOCK_TERMS]
    signed = sum(STOCK_TERMS[t][0] * w[f"term_{t}"] for t in STOCK_TERMS)
    np.testing.assert_allclose(signed, w[OBJECTIVE], rtol=1e-12)
    assert w["term_standing_land"].notna().all() and w["term_biomass_growth"].gt(0).all()
    wb = load_workbook(write_sweep_workbook(warm, tmp_path / "sweep.xlsx"))
    heads = [c.value for c in wb["运行记录 runs"][1]]
    i = heads.index("净碳汇（目标函数值） net sink (t CO2e)")
    assert heads[i + 1:i + 3] == ["保持原地类土地的净碳汇（含甲烷） standing land (t CO2e)",
                                  "地类转换损失的生物量碳 biomass loss (t CO2e)"]
    assert not any("t CO2e/yr" in str(h) for h in heads)
    assert all(wb["运行记录 runs"].cell(row=2, column=i + 2 + k).value is not None for k in range(len(terms)))
    # the years the cumulative net sink covers, in the title of the distribution and on the about sheet
    assert warm.metadata["horizon"] == "2021–2030"  # baseline 2020 (its end), target 2030
    assert "(t CO2e, 2021–2030; positive = net sink)" in wb["净碳汇分布 net_sink"]["A1"].value
    ns = [c.value for c in wb["净碳汇分布 net_sink"][4]]
    assert "中位数 P50 (t CO2e)" in ns and not any("/yr" in str(h) for h in ns)
