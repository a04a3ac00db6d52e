"""The second stage of a solve: among the plans as good as the optimum, the one that changes least
(docs/model.md §8, :mod:`landopt.model.least_change`).  Each instance is degenerate on purpose — its first stage
has many optimal plans — and the least-change plan is computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import run_tables, tiny_tables

STOCKS = ["land_use", "region", "biomass_tC_per_ha", "dom_tC_per_ha", "soc_tC_per_ha", "maturity_years",
          "soil_transition_years", "remaining_flux_tC_per_ha_yr", "ch4_kg_per_ha_yr"]
GAS = 27 / 1000  # t CO2e per kg CH4


def herds(required: tuple[float, float], tie_break: str = "least_change") -> dict[str, pd.DataFrame]:
    """2 regions × 100 ha grassland, milestones 2025 and 2030.  Both carry 1 SU/ha (capacity 100 SU) and emit
    10 kg CH4/SU/yr; no floors of their own; reference herds A 80, B 60 SU; the region-wide herd at least
    ``required`` (2025, 2030).  The methane is the same wherever a sheep unit grazes: every split is optimal."""
    return tiny_tables(
        settings={"baseline_year": "2020", "milestone_years": "2025,2030", "carbon_accounting": "stock_change",
                  "no_net_loss": "no", "tie_break": tie_break},
        regions={"region": ["A", "B"], "total_area_ha": [100.0, 100.0]},
        land_uses={"land_use": ["grass"], "role": ["grassland"]},
        baseline={"region": ["A", "B"], "land_use": ["grass", "grass"], "area_ha": [100.0, 100.0]},
        carbon_stocks=pd.DataFrame([["grass", None, 2.0, 0.0, 50.0, 5, None, 0.0, 0.0]], columns=STOCKS),
        transitions={"from_land_use": [], "to_land_use": [], "allowed": [], "max_pct_per_period": []},
        targets=[],
        grazing=[{"region": r, "year": y, "forage_yield_kg_per_ha": 1000, "utilisation_rate": 0.5,
                  "intake_kg_per_su_yr": 500, "rest_min_ha": 0, "livestock_min_su": 0, "ch4_kg_per_su_yr": 10.0,
                  "reference_livestock_su": ref}
                 for r, ref in (("A", 80.0), ("B", 60.0)) for y in (2025, 2030)],
        province_targets=[{"year": y, "livestock_min_su": v} for y, v in zip((2025, 2030), required)],
    )


def test_each_herd_stays_at_its_reference_when_the_requirement_allows():
    # the region-wide requirement is the reference total (140 SU) in both years: any split of 140 is optimal; the
    # least-change plan keeps A at 80 and B at 60 (no change from the reference, none between the milestones)
    lm, out, res = run_tables(herds((140.0, 140.0)))
    s = res.grazing["livestock_su"]
    for year in (2025, 2030):
        assert s[("A", year)] == pytest.approx(80.0) and s[("B", year)] == pytest.approx(60.0)
    # the net sink is the first stage's: 140 SU × 10 kg CH4 × 27 kg CO2e/kg over the two 5-year periods
    assert res.objective == pytest.approx(-140 * 10 * GAS * 10, rel=1e-12)
    assert res.metadata["tie_break"] == "least_change"
    # the shadow prices are the first stage's (the sink's), not the tie-break's: one SU more costs its methane
    c = res.constraints.set_index("label")["shadow_price"]
    assert c["livestock_total[2025]"] == pytest.approx(-10 * GAS * 5, abs=1e-9)
    assert c["livestock_total[2030]"] == pytest.approx(-10 * GAS * 5, abs=1e-9)


def test_a_herd_cut_is_made_when_asked_and_shared_in_proportion():
    # 2030 asks for 20 SU fewer (120): the cut is made in 2030, not before (2025 keeps the reference herds), and
    # shared in proportion to the reference herds: both at 120/140 of theirs, A 80·6/7, B 60·6/7
    s = run_tables(herds((140.0, 120.0)))[2].grazing["livestock_su"]
    assert s[("A", 2025)] == pytest.approx(80.0) and s[("B", 2025)] == pytest.approx(60.0)
    assert s[("A", 2030)] == pytest.approx(80 * 6 / 7) and s[("B", 2030)] == pytest.approx(60 * 6 / 7)


def test_a_floor_takes_its_region_out_of_the_shared_cut():
    # both years ask for 70 SU (half the reference total) and B may not go below 40 SU (its own floor): B keeps 40
    # and A takes the rest of the cut (A 30): A departs by 50 of 80, and any other split departs more
    t = herds((70.0, 70.0))
    g = t["grazing"]
    g.loc[g["region"] == "B", "livestock_min_su"] = 40.0
    s = run_tables(t)[2].grazing["livestock_su"]
    for year in (2025, 2030):
        assert s[("A", year)] == pytest.approx(30.0) and s[("B", year)] == pytest.approx(40.0)


def test_none_gives_the_same_sink():
    # tie_break = none: the solver's first optimal plan, the same objective
    a = run_tables(herds((140.0, 120.0), "none"))[2]
    b = run_tables(herds((140.0, 120.0)))[2]
    assert a.metadata["tie_break"] == "none"
    assert a.objective == pytest.approx(b.objective, rel=1e-12)
    assert a.grazing["livestock_su"].sum() == pytest.approx(b.grazing["livestock_su"].sum())


def test_the_second_stage_starts_from_the_first_stages_vertex(monkeypatch: pytest.MonkeyPatch):
    """The second stage's starting basis (backends.least_change.start_basis) on the herd-cut instance: the first
    stage's statuses kept, each |Δherd| term u basic with the one row it makes tight at its bound, mu basic where a
    herd is off its reference, as many basic variables as rows; the warm and the cold start find the same plan."""
    import highspy

    from landopt.backends import least_change as lc
    from landopt.backends import solve
    from landopt.model.least_change import least_change_terms

    lm, out, res = run_tables(herds((140.0, 120.0), "none"))
    terms = least_change_terms(lm)
    n, m, k = out.form.n_cols, out.form.n_rows, terms.n_abs
    assert k == 4 and len(terms.shares) == 2  # 2 regions × 2 milestones; one share per milestone
    n_cols, n_rows = n + k + 2, m + 2 * k + 2 * 2 + 2 * 2 + 1
    b = lc.start_basis(out, terms, n_cols, n_rows)
    S = highspy.HighsBasisStatus
    cols, rows = list(b.col_status), list(b.row_status)
    assert cols[:n] == list(out.basis.col_status) and rows[:m] == list(out.basis.row_status)
    assert sum(s == S.kBasic for s in cols + rows) == n_rows  # a basis: one basic variable per row
    # u_j = |x_a - x_b - anchor| at the first stage's herds: each u basic, exactly one of its two rows at its bound
    assert cols[n:n + k] == [S.kBasic] * k
    pairs = [rows[m + 2 * j:m + 2 * j + 2] for j in range(k)]
    assert all(sorted(p, key=str) == sorted([S.kBasic, S.kLower], key=str) for p in pairs)
    s = out.x[terms.a]
    xb = np.where(terms.b >= 0, out.x[np.maximum(terms.b, 0)], 0.0)
    assert [p[0] == S.kLower for p in pairs] == ((s - xb - terms.anchor) >= 0).tolist()
    assert rows[-1] == S.kBasic  # the objective-hold row
    assert lc.start_basis(out, terms, n_cols + 1, n_rows) is None  # a second stage of another shape: cold
    # warm and cold: the same least-change plan (every herd at 6/7 of its reference in 2030)
    lm2 = build_again(lm)
    warm = solve(lm2, backend="highs")
    monkeypatch.setattr(lc, "start_basis", lambda *a, **kw: None)
    cold = solve(lm2, backend="highs")
    assert warm.tie_break == cold.tie_break == "least_change"
    np.testing.assert_allclose(warm.x, cold.x, atol=1e-7)


def build_again(lm):
    """``lm`` with ``tie_break = least_change`` (the instance above was built with ``none``)."""
    import dataclasses

    from landopt.model.build import build

    spec = lm.spec
    return build(dataclasses.replace(spec, settings={**spec.settings, "tie_break": "least_change"}))


def late_conversion() -> dict[str, pd.DataFrame]:
    """1 region, 100 ha unused land; land use ``x`` (role other_construction) must reach 30 ha by 2030
    (area_bounds); x and unused hold the same carbon, so converting costs and gains nothing: 30 ha or more, in
    2021–2025 or 2026–2030, are all optimal."""
    return tiny_tables(
        settings={"baseline_year": "2020", "milestone_years": "2025,2030", "carbon_accounting": "stock_change",
                  "no_net_loss": "no"},
        regions={"region": ["A"], "total_area_ha": [100.0]},
        land_uses={"land_use": ["unused", "x"], "role": ["unused", "other_construction"]},
        baseline={"region": ["A", "A"], "land_use": ["unused", "x"], "area_ha": [100.0, 0.0]},
        carbon_stocks=pd.DataFrame([["unused", None, 0.2, 0.0, 10.0, 1, None, 0.0, 0.0],
                                    ["x", None, 0.2, 0.0, 10.0, 1, None, 0.0, 0.0]], columns=STOCKS),
        transitions={"from_land_use": ["unused"], "to_land_use": ["x"], "allowed": ["yes"], "max_pct_per_period": [None]},
        targets=[],
        area_bounds=[{"region": "A", "land_use": "x", "year": 2030, "min_ha": 30.0, "max_ha": None}],
    )


def test_land_is_converted_as_late_as_the_optimum_allows_and_no_more():
    lm, out, res = run_tables(late_conversion())
    conv = res.conversions["area_ha"]
    assert conv.get(("A", "unused", "x", 2025), 0.0) == pytest.approx(0.0, abs=1e-9)
    assert conv[("A", "unused", "x", 2030)] == pytest.approx(30.0)
    a = res.allocation["area_ha"]
    assert a[("A", "x", 2025)] == pytest.approx(0.0, abs=1e-9) and a[("A", "x", 2030)] == pytest.approx(30.0)


def test_rest_goes_to_degraded_grassland_first():
    """1 region: 60 ha grassland, 40 ha degraded; the ban/rest minimum is 30 ha and nothing else depends on where
    it lies (no herd requirement, recovery 0, rest costs nothing): the least-change plan rests 30 ha, all of them
    degraded grassland — not the 40 ha of degraded grassland, which resting would cost nothing either."""
    t = tiny_tables(
        settings={"baseline_year": "2020", "milestone_years": "2025", "carbon_accounting": "stock_change",
                  "no_net_loss": "no"},
        regions={"region": ["A"], "total_area_ha": [100.0]},
        land_uses={"land_use": ["grass", "deg"], "role": ["grassland", "degraded_grassland"]},
        baseline={"region": ["A", "A"], "land_use": ["grass", "deg"], "area_ha": [60.0, 40.0]},
        carbon_stocks=pd.DataFrame([["grass", None, 2.0, 0.0, 50.0, 5, None, 0.0, 0.0],
                                    ["deg", None, 1.0, 0.0, 45.0, 5, None, 0.0, 0.0]], columns=STOCKS),
        transitions={"from_land_use": [], "to_land_use": [], "allowed": [], "max_pct_per_period": []},
        targets=[],
        grazing=[{"region": "A", "year": 2025, "forage_yield_kg_per_ha": 1000, "utilisation_rate": 0.5,
                  "intake_kg_per_su_yr": 500, "rest_min_ha": 30, "livestock_min_su": 0, "ch4_kg_per_su_yr": 10.0}],
    )
    g = run_tables(t)[2].grazing
    assert g.loc[("A", 2025), "rested_ha"] == pytest.approx(30.0)
    assert g.loc[("A", 2025), "rested_degraded_ha"] == pytest.approx(30.0)
    assert g.loc[("A", 2025), "livestock_su"] == pytest.approx(0.0, abs=1e-9)  # no herd asked for: none kept


def pv_spread() -> dict[str, pd.DataFrame]:
    """2 regions × 1,000 ha unused land, PV-suitable land A 100 ha and B 300 ha (1 MW/ha); the province needs 80 MW
    of PV by 2030, none by 2025.  PV and unused land hold the same carbon: any split of the 80 ha is optimal."""
    return tiny_tables(
        settings={"baseline_year": "2020", "milestone_years": "2025,2030", "carbon_accounting": "stock_change",
                  "no_net_loss": "no"},
        regions={"region": ["A", "B"], "total_area_ha": [1000.0, 1000.0]},
        land_uses={"land_use": ["unused", "pv"], "role": ["unused", "pv"]},
        baseline={"region": ["A", "A", "B", "B"], "land_use": ["unused", "pv"] * 2, "area_ha": [1000.0, 0.0] * 2},
        carbon_stocks=pd.DataFrame([["unused", None, 0.2, 0.0, 10.0, 1, None, 0.0, 0.0],
                                    ["pv", None, 0.2, 0.0, 10.0, 1, None, 0.0, 0.0]], columns=STOCKS),
        transitions={"from_land_use": ["unused"], "to_land_use": ["pv"], "allowed": ["yes"], "max_pct_per_period": [None]},
        targets=[],
        energy=[{"region": r, "year": y, "pv_suitable_ha": a, "pv_mw_per_ha": 1.0}
                for r, a in (("A", 100.0), ("B", 300.0)) for y in (2025, 2030)],
        province_targets=[{"year": 2030, "pv_capacity_min_mw": 80.0}],
    )


def test_pv_is_spread_by_the_suitable_land():
    # the 80 MW are built in 2026–2030 (W = 5 years a hectare against 10 in 2021–2025) and spread so that both regions
    # take the same share of their PV-suitable land: 80 / 400 = 20 %, A 20 ha and B 60 ha; nothing by 2025
    a = run_tables(pv_spread())[2].allocation["area_ha"]
    assert a[("A", "pv", 2025)] == pytest.approx(0.0, abs=1e-9) and a[("B", "pv", 2025)] == pytest.approx(0.0, abs=1e-9)
    assert a[("A", "pv", 2030)] == pytest.approx(20.0) and a[("B", "pv", 2030)] == pytest.approx(60.0)


def test_the_terms_over_the_columns():
    """The second stage's objective read back from the model: W_t per hectare converted (years from the period's
    start to the target year), −Δ_t per hectare of degraded grassland rested, one absolute-value term per herd change."""
    from landopt.model.least_change import least_change_terms

    lm = run_tables(late_conversion())[0]
    t = least_change_terms(lm)
    flow = lm.columns.tables["flow"]
    w = dict(zip(flow["year"], t.cost[flow["col"].to_numpy()]))
    assert w == {2025: 10.0, 2030: 5.0}  # 2021–2025: 2030 − 2020; 2026–2030: 2030 − 2025
    assert t.n_abs == 0
    lm = run_tables(herds((140.0, 140.0)))[0]
    t = least_change_terms(lm)
    stock = lm.columns.tables["livestock"].set_index(["region", "year"])["col"]
    pairs = sorted(zip(t.a.tolist(), t.b.tolist(), t.anchor.tolist()))
    assert pairs == sorted([(stock[("A", 2025)], -1, 80.0), (stock[("B", 2025)], -1, 60.0),
                            (stock[("A", 2030)], stock[("A", 2025)], 0.0), (stock[("B", 2030)], stock[("B", 2025)], 0.0)])
    assert [(c.tolist(), r.tolist()) for c, r in t.shares] == [([stock[("A", 2025)], stock[("B", 2025)]], [80.0, 60.0]),
                                                              ([stock[("A", 2030)], stock[("B", 2030)]], [80.0, 60.0])]
    tab = lm.columns.tables["rested"]  # Δ_t = 5 years per hectare rested (no degraded grassland here)
    assert dict(zip(tab["year"], t.cost[tab["col"].to_numpy()])) == {2025: 5.0, 2030: 5.0}


@pytest.mark.slow
def test_tibet_plan_is_least_change_by_the_docs_formula():
    """docs/model.md §8.1 read as written, on the shipped workbook: its second-stage objective evaluated on the plan
    landopt reports (from the result tables alone) equals the minimum of the same objective found independently —
    a Pyomo model of the first stage (`tie_break = none`), the sink held at its maximum, the §8.1 objective written
    with public Pyomo API and solved.  And the sink is the first stage's."""
    import dataclasses

    import pyomo.environ as pyo

    from pathlib import Path

    import landopt

    spec = landopt.read(Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx")
    res = landopt.optimize(spec, backend="highs", with_ranging=False)
    assert res.metadata["tie_break"] == "least_change"
    years = list(spec.years)
    start = dict(zip(years, [spec.baseline_year, *years[:-1]]))
    T = spec.target_year
    g = spec.grazing.set_index(["region", "year"])
    ref = g["reference_livestock_su"]

    # the §8.1 objective of the reported plan, from its tables
    conv = res.conversions["area_ha"]
    value = sum((T - start[y]) * a for (r, f, t, y), a in conv.items())
    s = res.grazing["livestock_su"]
    for r in spec.regions["region"]:
        prev = ref[(r, years[0])]
        for y in years:
            value += abs(s[(r, y)] - prev)
            prev = s[(r, y)]
    for y in years:
        refs = ref.xs(y, level="year")
        value += refs.sum() * max(abs(s[(r, y)] - refs[r]) / refs[r] for r in refs.index)
    gz = res.grazing
    value += sum((y - start[y]) * (gz.loc[(r, y), "rested_ha"] - 0.5 * gz.loc[(r, y), "rested_degraded_ha"])
                 for r, y in gz.index)
    pv = spec.land_uses_with_role("pv")
    suit = spec.energy.set_index(["region", "year"])["pv_suitable_ha"]
    area = res.allocation["area_ha"]
    for y in years:
        a = suit.xs(y, level="year")
        value += a.sum() * max(sum(area[(r, l, y)] for l in pv) / a[r] for r in a.index)

    # the same objective minimised over the plans with the maximum sink, in Pyomo
    first = dataclasses.replace(spec, settings={**spec.settings, "tie_break": "none"})
    m = landopt.to_pyomo(first)
    z = landopt.optimize(first, backend="highs", with_ranging=False).objective
    m.hold = pyo.Constraint(expr=m.net_sink.expr >= z - 1e-13 * abs(z))
    m.net_sink.deactivate()
    keys = [(r, y) for r in spec.regions["region"] for y in years]
    m.u = pyo.Var(keys, domain=pyo.NonNegativeReals)
    m.mu = pyo.Var(years, domain=pyo.NonNegativeReals)
    m.u_up, m.u_down, m.mu_up, m.mu_down = (pyo.ConstraintList() for _ in range(4))
    for r, y in keys:
        i = years.index(y)
        prev = ref[(r, y)] if i == 0 else m.livestock[r, years[i - 1]]
        m.u_up.add(m.u[r, y] >= m.livestock[r, y] - prev)
        m.u_down.add(m.u[r, y] >= prev - m.livestock[r, y])
        m.mu_up.add(m.livestock[r, y] + ref[(r, y)] * m.mu[y] >= ref[(r, y)])
        m.mu_down.add(m.livestock[r, y] - ref[(r, y)] * m.mu[y] <= ref[(r, y)])
    m.nu = pyo.Var(years, domain=pyo.NonNegativeReals)
    m.nu_up = pyo.ConstraintList()
    for r, y in keys:
        m.nu_up.add(sum(m.area[r, l, y] for l in pv) <= suit[(r, y)] * m.nu[y])
    m.least_change = pyo.Objective(sense=pyo.minimize, expr=(
        sum((T - start[y]) * m.flow[k] for k in m.flow for y in [k[-1]])
        + sum(m.u[k] for k in keys) + sum(ref.xs(y, level="year").sum() * m.mu[y] for y in years)
        + sum((y - start[y]) * (m.rested[r, y] - 0.5 * m.rested_degraded[r, y]) for r, y in keys)
        + sum(suit.xs(y, level="year").sum() * m.nu[y] for y in years)))
    solver = pyo.SolverFactory("appsi_highs")  # Pyomo's own HiGHS interface: landopt solves only its own variables
    outcome = solver.solve(m)
    assert str(outcome.solver.termination_condition) == "optimal"
    assert value == pytest.approx(pyo.value(m.least_change), rel=1e-7)
    assert res.objective == pytest.approx(z, rel=1e-12)
