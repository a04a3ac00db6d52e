"""Analyst workflow: scenarios, diagnosis, sensitivity (duals and ranging), trade-off curves, comparison.

All instances build on the conftest tiny instance (region A, 100 ha, 2020 → 2030):

    crop (+0.4 t C/ha/yr) 40 ha, forest (−0.6) 20 ha, urban (+10) 10 ha, unused (0) 30 ha;
    crop→forest and unused→forest allowed; cropland_min 30 ha.
    Optimum: crop 30, forest 60, urban 10, unused 0; Z = −44/12·76 = −278.667 t CO2e/yr.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import K, area, con, solve_tables, tiny_tables, write_xlsx
from landopt.reader import from_tables
from landopt.scenarios import ScenarioError, apply_scenario
from landopt.validate import load_spec

SCEN_COLS = ["scenario", "parent", "description", "sheet", "column", "where", "operation", "value", "note"]


def scen(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(SCEN_COLS, r)) for r in rows], columns=SCEN_COLS)


SCENARIOS = scen(
    ("tight", "", "Raise the red line to 35 ha.", "targets", "cropland_min_ha", "region=A;year=2030", "set", 35, ""),
    ("tight_double", "tight", "Tight, and forest sequesters twice as fast.", "land_uses",
     "carbon_flux_tC_per_ha_yr", "land_use=forest", "scale", 2, ""),
    ("nocrop", "", "No red line.", "families", "cropland_protection", "", "off", "", ""),
    ("allyears", "", "Objective over all milestones.", "settings", "value", "key=objective_years", "set", "all", ""),
)


def scenario_spec(name: str, scenarios: pd.DataFrame = SCENARIOS, **over):
    t = tiny_tables(**over)
    t["scenarios"] = scenarios
    raw = apply_scenario(from_tables(t), name)
    return load_spec(raw), raw


def solve_spec(spec):
    from landopt.model.build import build
    from landopt.results import extract
    from landopt.solve import solve

    lm = build(spec)
    return extract(lm, solve(lm))


# -- scenarios ---------------------------------------------------------------

def test_override_is_seen_by_the_solved_model():
    spec, raw = scenario_spec("tight")
    assert spec.targets.loc[0, "cropland_min_ha"] == 35.0
    res = solve_spec(spec)
    # crop 35, forest 20 + 5 + 30 = 55, urban 10: Z = −44/12·(0.4·35 − 0.6·55 + 10·10) = −44/12·81 = −297
    assert area(res, "A", "crop", 2030) == pytest.approx(35.0)
    assert res.objective == pytest.approx(-K * 81.0)
    assert con(res, "cropland_protection[A,2030]")["rhs"] == 35.0
    assert raw.overrides.iloc[0]["rows_changed"] == "2"


def test_inheritance_applies_parent_first():
    spec, raw = scenario_spec("tight_double")
    assert list(raw.overrides["scenario"]) == ["tight", "tight_double"]
    res = solve_spec(spec)
    # red line 35 from the parent, forest −1.2: Z = −44/12·(0.4·35 − 1.2·55 + 100) = −44/12·48 = −176
    assert res.objective == pytest.approx(-K * 48.0)


def test_family_switch_off():
    spec, _ = scenario_spec("nocrop")
    res = solve_spec(spec)
    # no red line: all crop → forest: crop 0, forest 90: Z = −44/12·(−0.6·90 + 100) = −44/12·46
    assert res.objective == pytest.approx(-K * 46.0)
    assert not (res.constraints["constraint"] == "cropland_protection").any()


def test_settings_override():
    spec, _ = scenario_spec("allyears")
    assert spec.settings["objective_years"] == "all"


def test_cycle_names_the_row():
    bad = scen(("a", "b", "", "targets", "cropland_min_ha", "", "set", 1, ""),
               ("b", "a", "", "targets", "cropland_min_ha", "", "set", 2, ""))
    with pytest.raises(ScenarioError) as e:
        scenario_spec("a", bad)
    assert "sheet 'scenarios', row 2" in str(e.value) and "cycle: a → b → a" in str(e.value)


# -- diagnosis ---------------------------------------------------------------

def grazing_conflict_tables():
    """Grass 100 ha carrying 5 SU/ha (1000 kg × 0.5 / 100 kg), at least 20 ha rested, floor 1000 SU.

    Capacity = (100 − 20) ha × 5 SU/ha = 400 SU < 1000 SU floor → infeasible.
    Smallest relaxation (weights 1/|rhs|): cut the livestock floor by 600 SU (cost 600/1000 = 0.6);
    relaxing the capacity row instead costs 600 (weight 1), and the rest minimum alone cannot help
    (even 0 ha rested carries only 500 SU).
    """
    return tiny_tables(
        land_uses={"land_use": ["grass", "unused"], "role": ["grassland", "unused"], "carbon_flux_tC_per_ha_yr": [-0.02, 0.0]},
        baseline={"region": ["A", "A"], "land_use": ["grass", "unused"], "area_ha": [100.0, 0.0]},
        transitions={"from_land_use": ["unused"], "to_land_use": ["grass"], "allowed": ["yes"], "max_pct_per_period": [None]},
        targets=[],
        grazing=[{"region": "A", "year": 2030, "forage_yield_kg_per_ha": 1000, "utilisation_rate": 0.5,
                  "intake_kg_per_su_yr": 100, "rest_min_ha": 20, "livestock_min_su": 1000, "ch4_kg_per_su_yr": 0}],
    )


def test_diagnosis_names_conflict_and_relaxation():
    from landopt.diagnose import diagnose

    spec = load_spec(from_tables(grazing_conflict_tables()))
    diag = diagnose(spec)
    assert diag is not None
    rel = diag.relaxations
    assert list(rel["label"]) == ["livestock_floor[A,2030]"]
    assert rel.loc[0, "relaxation"] == pytest.approx(600.0)
    assert rel.loc[0, "text"] == ("The A 2030 livestock floor of 1,000 sheep units exceeds what the grassland carries "
                                  "by 600 sheep units (sheet 'grazing', row 2, column '牲畜数量下限 livestock_min_su').")
    iis = set(diag.conflict["label"])
    assert {"livestock_floor[A,2030]", "grazing_capacity[A,2030]", "grazing_rest[A,2030]"} <= iis
    assert "cropland_protection[A,2030]" not in iis


def test_diagnosis_at_plateau_scale():
    """Same conflict ×100,000 (floor 1e8 SU): weights 1/|rhs| of 1e-8 must not stop the simplex early."""
    from landopt.diagnose import diagnose

    t = grazing_conflict_tables()
    t["baseline"]["area_ha"] = [1e7, 0.0]
    t["regions"]["total_area_ha"] = [1e7]
    t["grazing"].loc[0, ["rest_min_ha", "livestock_min_su"]] = [2e6, 1e8]
    diag = diagnose(load_spec(from_tables(t)))
    assert list(diag.relaxations["label"]) == ["livestock_floor[A,2030]"]
    assert diag.relaxations.loc[0, "relaxation"] == pytest.approx(6e7)  # 1e8 − (1e7 − 2e6)·5


def test_relaxed_instance_is_feasible_at_exactly_that_amount():
    t = grazing_conflict_tables()
    t["grazing"].loc[0, "livestock_min_su"] = 400  # 1000 − 600
    res = solve_tables(t)
    assert res.status == "optimal"
    t["grazing"].loc[0, "livestock_min_su"] = 401
    assert solve_tables(t).status == "infeasible"


def test_feasible_model_has_no_diagnosis():
    from landopt.diagnose import diagnose

    assert diagnose(load_spec(from_tables(tiny_tables()))) is None


# -- shadow prices vs finite differences ---------------------------------------

def feasible_grazing_tables(floor: float = 300.0):
    t = grazing_conflict_tables()
    t["grazing"].loc[0, "livestock_min_su"] = floor
    t["grazing"].loc[0, "ch4_kg_per_su_yr"] = 10.0
    return t


def test_livestock_floor_dual_matches_finite_difference():
    # each SU emits 10 kg CH4 × 27 / 1000 = 0.27 t CO2e/yr, so the floor binds with dual −0.27
    base = solve_tables(feasible_grazing_tables(300.0))
    dual = con(base, "livestock_floor[A,2030]")["shadow_price"]
    assert dual == pytest.approx(-0.27)
    up = solve_tables(feasible_grazing_tables(301.0))
    assert up.objective - base.objective == pytest.approx(dual, rel=1e-9)


# -- ranging -------------------------------------------------------------------

def allocation_with_flux(land_use: str, flux: float) -> np.ndarray:
    t = tiny_tables()
    lu = t["land_uses"]
    lu.loc[lu["land_use"] == land_use, "carbon_flux_tC_per_ha_yr"] = flux
    res = solve_tables(t)
    return res.allocation.xs(2030, level="year")["area_ha"].to_numpy()


@pytest.mark.parametrize("land_use, end, expected", [
    ("forest", "upper", 0.0),   # above 0, unused land is the better sink: no unused → forest
    ("crop", "lower", -0.6),    # below −0.6, cropland beats forest: keep all 40 ha of crop
])
def test_coefficient_ranging_endpoints(land_use, end, expected):
    res = solve_tables(tiny_tables())
    rg = res.coef_ranging.loc[("A", land_use)]
    bound = rg["upper_tC_per_ha_yr"] if end == "upper" else rg["lower_tC_per_ha_yr"]
    assert bound == pytest.approx(expected)
    base = res.allocation.xs(2030, level="year")["area_ha"].to_numpy()
    step = 1e-3 if end == "upper" else -1e-3
    inside = allocation_with_flux(land_use, bound - step)
    outside = allocation_with_flux(land_use, bound + step)
    np.testing.assert_allclose(inside, base, atol=1e-7)
    assert np.abs(outside - base).max() > 1.0


def test_rhs_ranging_endpoints():
    res = solve_tables(tiny_tables())
    r = res.rhs_ranging.set_index("label").loc["cropland_protection[A,2030]"]
    assert (r["rhs_lower"], r["rhs_upper"]) == pytest.approx((0.0, 40.0))

    def dual_at(v):
        t = tiny_tables(targets={"region": ["A"], "year": [2030], "cropland_min_ha": [v]})
        res = solve_tables(t)
        return res.status, (con(res, "cropland_protection[A,2030]")["shadow_price"] if res.optimal else None)

    assert dual_at(39.9) == ("optimal", pytest.approx(r["shadow_price"]))
    assert dual_at(0.1) == ("optimal", pytest.approx(r["shadow_price"]))
    assert dual_at(40.1)[0] == "infeasible"  # above the range: only 40 ha of cropland exist
    # the lower end (0 ha) is the smallest red line the input accepts (negative areas are rejected)


# -- trade-off curve -------------------------------------------------------------

def test_pareto_food_frontier_hand_computed():
    from landopt.pareto import pareto

    t = tiny_tables()
    t["land_uses"]["food_t_per_ha_yr"] = [5.0, 0.0, 0.0, 0.0]
    spec = load_spec(from_tables(t))
    fr = pareto(spec, "food", points=3)
    p = fr.points
    # food = 5 t/ha × crop: f_min at the carbon optimum (crop 30) = 150; f_max (crop cannot grow) = 200
    assert list(p["food"]) == pytest.approx([150.0, 175.0, 200.0])
    # crop 30, 35, 40 → Z = −44/12·(0.4c − 0.6(90 − c) + 100) = −44/12·(46 + c)
    assert list(p["net_sink"]) == pytest.approx([-K * 76, -K * 81, -K * 86])
    z, f = p["net_sink"].to_numpy(), p["food"].to_numpy()
    assert (np.diff(z) < 0).all() and (np.diff(f) > 0).all()  # monotone
    for i in range(len(p)):  # non-dominated
        assert not any((z[j] >= z[i] and f[j] >= f[i]) and (z[j] > z[i] or f[j] > f[i]) for j in range(len(p)))
    assert fr.allocations.loc[(2, "A", "crop"), "area_ha"] == pytest.approx(35.0)


# -- comparison ------------------------------------------------------------------

def workbook_with_an_impossible_scenario(tmp_path):
    """The tiny instance with the shipped test scenarios plus 'impossible' (a red line above the land), as a workbook."""
    t = tiny_tables()
    t["scenarios"] = pd.concat([SCENARIOS, scen(
        ("impossible", "", "Red line above the land.", "targets", "cropland_min_ha", "region=A;year=2030", "set", 45, ""))],
        ignore_index=True)
    return write_xlsx(t, tmp_path / "tiny.xlsx")


def test_compare_batch_survives_an_infeasible_scenario(tmp_path):
    from landopt.compare import compare
    from landopt.report.compare import write_comparison

    cmp = compare(workbook_with_an_impossible_scenario(tmp_path), progress=False)
    status = {r.name: r.status for r in cmp.runs}
    assert status == {"base": "optimal", "tight": "optimal", "tight_double": "optimal", "nocrop": "optimal",
                      "allyears": "optimal", "impossible": "infeasible"}
    bad = next(r for r in cmp.runs if r.name == "impossible")
    assert any("cropland red line of 45 ha" in d and "5 ha more" in d for d in bad.diagnosis)
    kpis = cmp.kpis()
    assert kpis.loc[("net sink", "t CO2e/yr"), "tight"] == pytest.approx(-K * 81.0)
    diff = cmp.differences()
    assert diff.loc[("A", "crop"), "tight − base (ha)"] == pytest.approx(5.0)
    out = write_comparison(cmp, tmp_path / "cmp.xlsx")
    wb = load_workbook(out)
    assert ["摘要 brief", "净碳汇 net sink", "用地变化 land-use change", "指标 kpis", "分区差异 differences",
            "情景调整 overrides", "诊断 diagnoses"] == wb.sheetnames
    assert len(wb["净碳汇 net sink"]._charts) == 1 and len(wb["用地变化 land-use change"]._charts) == 2


def test_reduced_cost_of_a_rejected_conversion_matches_forcing_it():
    """unused→urban is allowed but unused; forcing 1 ha moves 1 ha from forest (−0.6) to urban (+10):
    ΔZ = −44/12·(10 + 0.6) = −38.867 t CO2e/yr."""
    tr = {"from_land_use": ["crop", "unused", "unused"], "to_land_use": ["forest", "forest", "urban"],
          "allowed": ["yes", "yes", "yes"], "max_pct_per_period": [None, None, None]}
    res = solve_tables(tiny_tables(transitions=tr))
    rej = res.rejected_options.set_index("variable")
    rc = rej.loc["flow[A,unused,urban,2030]", "reduced_cost"]
    assert rc == pytest.approx(-K * 10.6)
    assert "Converting one more ha of unused to urban in A in the period ending 2030" in rej.loc["flow[A,unused,urban,2030]", "meaning"]
    forced = solve_tables(tiny_tables(transitions=tr, area_bounds=[{"region": "A", "land_use": "urban", "year": 2030,
                                                                     "min_ha": 11.0, "max_ha": None}]))
    assert forced.objective - res.objective == pytest.approx(rc)


def test_compare_unknown_reference_exits_2_before_any_solve(tmp_path, capsys, monkeypatch):
    """R8: `--reference nosuch` is refused like `--scenarios nosuch`: exit 2, nothing solved, nothing written."""
    import landopt.compare
    from landopt.cli import main

    def no_solve(*a, **k):
        raise AssertionError("compare solved a model before checking --reference")

    monkeypatch.setattr(landopt.compare, "optimize_run", no_solve)
    t = tiny_tables()
    t["scenarios"] = SCENARIOS
    inp = write_xlsx(t, tmp_path / "tiny.xlsx")
    out = tmp_path / "cmp.xlsx"
    assert main(["compare", str(inp), "--scenarios", "tight", "--reference", "nosuch", "-o", str(out),
                 "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err == ("发现 1 处问题 1 problem in the scenarios:\n"
                   "  - 参照情景 'nosuch'（--reference）不存在；已有的情景：base（工作簿原值，不作情景调整）；"
                   "allyears（工作表“scenarios”第 5 行）；nocrop（工作表“scenarios”第 4 行）；tight（工作表“scenarios”第 2 行）；"
                   "tight_double（工作表“scenarios”第 3 行）\n"
                   "    unknown reference scenario 'nosuch' (--reference); known: base (the workbook without "
                   "overrides); allyears (sheet 'scenarios', row 5); nocrop (sheet 'scenarios', row 4); "
                   "tight (sheet 'scenarios', row 2); tight_double (sheet 'scenarios', row 3)\n")
    assert not out.exists()
    assert main(["compare", str(inp), "--scenarios", "nosuch", "-o", str(out), "--no-progress"]) == 2
    assert "unknown scenario 'nosuch'; known scenarios: allyears (sheet 'scenarios', row 5)" in capsys.readouterr().err
    assert not out.exists()
