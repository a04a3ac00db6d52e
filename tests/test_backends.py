"""The two backends: a standard Pyomo model (public API only) and the direct HiGHS path, with warm re-solves.

Both are handed the same arrays; every hand-computed instance in the suite is solved on both
(:func:`conftest.run_tables`).  Here: what a Pyomo user does with the model, edits that reach the plan, the
shipped workbook on both backends, warm re-solves against cold ones, and the Pareto frontier (warm) against
each point solved from scratch.
"""

from __future__ import annotations

import dataclasses

import io
from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest

import landopt
from conftest import K, assert_backends_agree, run_tables, solve_tables, tiny_tables
from landopt.backends import PYOMO_MAX_COLUMNS, choose_backend
from landopt.backends.highs import WarmHighs, solve_form
from landopt.backends.pyomo import standard_form, to_pyomo
from landopt.model.build import build
from landopt.solve import solve

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "inputs" / "tibet_2035.xlsx"


@pytest.fixture(scope="module")
def tibet():
    spec = landopt.read(WORKBOOK)
    lm = build(spec)
    return spec, lm, solve(lm, backend="highs")


def test_tibet_same_plan_on_both_backends(tibet):
    spec, lm, out = tibet
    other = assert_backends_agree(lm, out)
    a = landopt.optimize(spec, backend="highs").allocation
    b = landopt.optimize(spec, backend="pyomo").allocation
    assert np.array_equal(a["area_ha"].to_numpy(), b["area_ha"].to_numpy())
    assert other.iterations == out.iterations  # the same matrix in the same order: HiGHS takes the same path


@pytest.mark.parametrize("scenario", ["ecological_priority", "development_priority"])
def test_tibet_scenarios_same_on_both_backends(scenario):
    spec = landopt.read(WORKBOOK, scenario=scenario)
    lm = build(spec)
    assert_backends_agree(lm, solve(lm, backend="highs"))


def test_pyomo_model_is_an_ordinary_pyomo_model(tibet, tmp_path):
    spec, lm, out = tibet
    m = landopt.to_pyomo(lm)
    v = m.area["Lhasa", "cropland", 2035]
    assert v.name == "area[Lhasa,cropland,2035]" and v.lb == 0 and v.ub is None
    assert m.flow["Lhasa", "unused", "forest", 2030].name == "flow[Lhasa,unused,forest,2030]"
    c = m.cropland_protection["Lhasa", 2035]
    assert c.lower == pytest.approx(51073.0) and c.upper is None
    buf = io.StringIO()
    m.pprint(ostream=buf)
    assert "cropland_protection : Size=21" in buf.getvalue()
    m.area.pprint(ostream=io.StringIO())
    m.write(str(tmp_path / "tibet.lp"), io_options={"symbolic_solver_labels": True})
    assert "cropland_protection(Lhasa_2035)" in (tmp_path / "tibet.lp").read_text()
    copy = m.clone()
    assert copy.area["Lhasa", "cropland", 2035] is not v
    res = landopt.solve_pyomo(copy)
    assert res.objective == pytest.approx(out.objective, rel=1e-12)
    buf = io.StringIO()
    copy.display(ostream=buf)  # the solution was loaded into the model
    assert copy.area["Lhasa", "cropland", 2035].value == pytest.approx(52524.0)  # baseline: 进出平衡 replaces every retired ha (was the 51,073 ha floor)
    assert set(len(n) for n in [list(m.component_objects(pyo.Constraint))]) and \
        {c.name for c in m.component_objects(pyo.Constraint)} == {b.name for b in lm.blocks if b.n}


def test_any_solverfactory_solver_gives_the_same_optimum_and_duals(tibet):
    spec, lm, out = tibet
    m = landopt.to_pyomo(lm)
    m.dual = pyo.Suffix(direction=pyo.Suffix.IMPORT)
    pyo.SolverFactory("appsi_highs").solve(m)
    assert pyo.value(m.net_sink) == pytest.approx(out.objective, rel=1e-9)
    rows = lm.row_table()
    for label, (comp, key) in {"cropland_protection[Lhasa,2035]": ("cropland_protection", ("Lhasa", 2035)),
                               "urban_demand[Lhasa,2035]": ("urban_demand", ("Lhasa", 2035))}.items():
        i = int(np.flatnonzero(rows["label"] == label)[0])
        assert m.dual[m.component(comp)[key]] == pytest.approx(out.dual[i], rel=1e-9, abs=1e-9)


def test_user_added_constraint_changes_the_written_plan(tibet, tmp_path):
    """Add a rule in Pyomo (Lhasa keeps 400 ha more cropland in 2035 than its baseline 52,524 ha, where 进出平衡 holds
    it), solve, write the plan."""
    spec, lm, out = tibet
    # the first stage's plan on both sides: the least-change plan (docs/model.md §8.1) is itself one of several where
    # every hectare counts alike (which prefecture takes the PV beyond the bases), and a user's extra row and an edited
    # row of the same limit lead HiGHS to different ones of those
    spec = dataclasses.replace(spec, settings={**spec.settings, "tie_break": "none"})
    m = landopt.to_pyomo(spec)
    m.lhasa_extra_cropland = pyo.Constraint(expr=m.area["Lhasa", "cropland", 2035] >= 52524.0 + 400.0)
    res = landopt.solve_pyomo(m)
    assert res.optimal
    assert res.allocation.loc[("Lhasa", "cropland", 2035), "area_ha"] == pytest.approx(52924.0)
    # the same plan as raising the red-line cell of Lhasa 2035 by 400 ha in the workbook
    from landopt.api import spec_from_raw
    from landopt.reader import read_workbook

    raw = read_workbook(WORKBOOK)
    tg = raw.tables["targets"]
    tg.loc[(tg["region"] == "Lhasa") & (tg["year"] == 2035), "cropland_min_ha"] = 52524.0 + 400.0
    st = raw.tables["settings"]
    st.loc[st["key"] == "tie_break", "value"] = "none"
    edited = landopt.optimize(spec_from_raw(raw), backend="highs")
    assert (res.metadata["tie_break"], edited.metadata["tie_break"]) == ("none", "none")
    assert res.objective == pytest.approx(edited.objective, rel=1e-12) and res.objective < out.objective
    assert np.allclose(res.allocation["area_ha"], edited.allocation["area_ha"], atol=1e-6)
    assert res.constraints.set_index("label").loc["cropland_protection[Lhasa,2035]", "dual"] == 0.0
    # the user's row is in the result with the price the red line has when the workbook says the same thing
    user = res.constraints.set_index("label").loc["lhasa_extra_cropland"]
    assert (user["constraint"], user["sense"], user["rhs"], user["binding"]) == ("user_constraint", ">=", 52924.0, True)
    assert user["activity"] == pytest.approx(52924.0)
    assert user["shadow_price"] == pytest.approx(
        edited.constraints.set_index("label").loc["cropland_protection[Lhasa,2035]", "dual"], rel=1e-9)
    assert res.metadata["user_constraints"] == "lhasa_extra_cropland" and res.metadata["constraints"] == lm.n_rows + 1
    assert not res.metadata["objective_replaced"]
    path = landopt.write_plan(res, tmp_path / "plan.xlsx", maps=False)
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    seen = {ws.title for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
            if any(isinstance(v, str) and "lhasa_extra_cropland" in v for v in row)}
    assert {"约束与影子价格 constraints", "运行信息 run"} <= seen, seen


def test_fix_and_deactivate_in_pyomo_reach_highs():
    tables = tiny_tables()
    lm, out, res = run_tables(tables)
    m = to_pyomo(lm)
    # deactivating the red-line row = leaving its cell blank
    m.cropland_protection["A", 2030].deactivate()
    blank = solve_tables(tiny_tables(targets={"region": ["A"], "year": [2030], "cropland_min_ha": [None]}))
    freed = landopt.solve_pyomo(m)
    assert freed.objective == pytest.approx(blank.objective, rel=1e-12)
    assert freed.constraints.set_index("label").loc["cropland_protection[A,2030]", "dual"] == 0.0
    form, extra = standard_form(m, lm)
    i = int(np.flatnonzero(lm.row_table()["label"] == "cropland_protection[A,2030]")[0])
    assert form.row_lower[i] == -np.inf and form.row_upper[i] == np.inf and form.A.tocsr()[[i]].nnz == 0
    assert extra == []
    m.cropland_protection["A", 2030].activate()
    # fixing forest at 50 ha: both bounds at the value, and the plan follows (crop 30, urban 10, unused 10)
    m.area["A", "forest", 2030].fix(50.0)
    form, _ = standard_form(m, lm)
    j = lm.columns.lookup("area", __import__("pandas").DataFrame({"region": ["A"], "land_use": ["forest"], "year": [2030]}))[0]
    assert form.col_lower[j] == form.col_upper[j] == 50.0
    fixed = landopt.solve_pyomo(m)
    assert fixed.allocation.loc[("A", "forest", 2030), "area_ha"] == pytest.approx(50.0)
    assert fixed.objective == pytest.approx(-K * (0.4 * 30 - 0.6 * 50 + 10 * 10), rel=1e-12)
    assert m.area["A", "forest", 2030].fixed  # the model is left as the user set it


def test_objective_replaced_in_pyomo_is_what_is_solved(tmp_path):
    lm, out, res = run_tables(tiny_tables())
    m = to_pyomo(lm)
    m.net_sink.deactivate()
    m.most_crop = pyo.Objective(expr=m.area["A", "crop", 2030], sense=pyo.maximize)
    r = landopt.solve_pyomo(m, with_ranging=False)
    assert r.objective == pytest.approx(40.0)  # crop cannot grow: no conversion into crop exists
    assert r.metadata["objective_replaced"] and not res.metadata["objective_replaced"]
    from openpyxl import load_workbook

    brief = load_workbook(landopt.write_plan(r, tmp_path / "p.xlsx", maps=False), read_only=True).worksheets[0]
    text = " ".join(str(v) for row in brief.iter_rows(values_only=True) for v in row if v is not None)
    assert "注意：本方案求解的目标函数已由用户在 Pyomo 中替换，不是净碳汇（用户目标的最优值 +40）" in text
    m.most_crop.sense = pyo.minimize
    r = landopt.solve_pyomo(m, with_ranging=False)
    assert r.objective == pytest.approx(30.0)  # down to the red line


def test_rows_read_from_their_terms_equal_pyomos_own_reading(tibet, monkeypatch):
    """landopt's rows are read from their terms (a number times a variable); every other expression with Pyomo's
    ``generate_standard_repn``: both read the same matrix, bounds and objective, a user's row among them."""
    import landopt.backends.pyomo as backend

    spec, lm, out = tibet
    m = to_pyomo(lm)
    m.scale = pyo.Param(initialize=2.0, mutable=True)
    m.mine = pyo.Constraint(expr=2 * m.area["Lhasa", "forest", 2035] + m.scale * m.area["Lhasa", "grassland", 2035]
                            + 3 <= 1e7)
    fast, extra = standard_form(m, lm)
    monkeypatch.setattr(backend, "_plain_terms", lambda expr: None)
    slow, extra_slow = standard_form(m, lm)
    assert extra == extra_slow == [("mine", lm.n_rows)]
    a, b = fast.A.tocsr(), slow.A.tocsr()
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices) and np.array_equal(a.data, b.data)
    for name in ("row_lower", "row_upper", "col_lower", "col_upper", "cost"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name)), name
    assert fast.offset == slow.offset and fast.row_upper[-1] == 1e7 - 3


def test_a_nonlinear_row_or_objective_is_refused_by_name():
    lm, out, res = run_tables(tiny_tables())
    m = to_pyomo(lm)
    m.curved = pyo.Constraint(expr=m.area["A", "forest", 2030] ** 2 <= 10)
    with pytest.raises(ValueError, match=r"^constraint curved is not linear; landopt solves linear programs only$"):
        landopt.solve_pyomo(m)
    m.curved.deactivate()
    m.net_sink.deactivate()
    m.round = pyo.Objective(expr=m.area["A", "crop", 2030] * m.area["A", "forest", 2030], sense=pyo.maximize)
    with pytest.raises(ValueError, match=r"^objective round is not linear; landopt solves linear programs only$"):
        landopt.solve_pyomo(m)


def test_auto_backend_by_size():
    lm = run_tables(tiny_tables())[0]
    assert choose_backend(lm) == "pyomo" and choose_backend(lm, "highs") == "highs"
    assert PYOMO_MAX_COLUMNS >= 20_000
    with pytest.raises(ValueError, match="backend must be one of auto, pyomo, highs, not 'cplex'"):
        choose_backend(lm, "cplex")


def test_warm_resolves_equal_cold_solves(tibet):
    spec, lm, out = tibet
    form = lm.standard_form()
    w = WarmHighs(form, spec.settings)
    first = w.solve()
    assert first.objective == pytest.approx(out.objective, rel=1e-12)
    rng = np.random.default_rng(7)
    rows = lm.row_table()
    red = np.flatnonzero(rows["constraint"] == "cropland_protection")
    for k in range(4):
        cost = form.cost * rng.uniform(0.8, 1.2, size=form.n_cols)
        w.set_cost(cost, form.offset)
        lower = form.row_lower[red] * rng.uniform(0.95, 1.0, size=len(red))
        w.set_row_bounds(red, lower, np.full(len(red), np.inf))
        warm = w.solve()
        cold_form = lm.standard_form()
        cold_form.cost = cost
        cold_form.row_lower[red] = lower
        cold = solve_form(cold_form, spec.settings)
        assert warm.status == cold.status == "optimal"
        assert warm.objective == pytest.approx(cold.objective, rel=1e-9)
        assert np.allclose(warm.dual, cold.dual, atol=1e-7) or warm.objective == pytest.approx(cold.objective)
    # a change that makes the model infeasible, then back: the warm model recovers
    w.set_row_bounds(red[:1], np.array([1e12]), np.array([np.inf]))
    assert w.solve().status == "infeasible"
    w.set_row_bounds(red, form.row_lower[red], np.full(len(red), np.inf))
    w.set_cost(form.cost, form.offset)
    assert w.solve().objective == pytest.approx(out.objective, rel=1e-9)


@pytest.mark.parametrize("compiled_by", ["arrays", "pyomo"])
def test_warm_coefficient_change_equals_cold(compiled_by):
    """Also on the form read back from the Pyomo model (its row blocks are landopt.model.sparse.CSR)."""
    lm, out, res = run_tables(tiny_tables())
    form = lm.standard_form() if compiled_by == "arrays" else standard_form(to_pyomo(lm), lm)[0]
    assert form.compiled_by == compiled_by
    w = WarmHighs(form, lm.spec.settings)
    w.solve()
    rows = lm.row_table()
    i = int(np.flatnonzero(rows["label"] == "cropland_protection[A,2030]")[0])
    j = int(form.row_blocks[0].shape[0] and np.flatnonzero(lm.column_labels() == "area[A,crop,2030]")[0])
    w.set_coeff(i, j, 2.0)  # the red line counts crop twice: 2·crop ≥ 30 → crop ≥ 15
    warm = w.solve()
    assert warm.optimal and warm.x[j] == pytest.approx(15.0)
    # by hand: crop 15, forest 75, urban 10 → −K·(0.4·15 − 0.6·75 + 10·10)
    assert warm.objective == pytest.approx(-K * (0.4 * 15 - 0.6 * 75 + 100), rel=1e-12)
    assert warm.row_activity[i] == pytest.approx(30.0)


def test_pareto_points_are_optimal_and_equal_cold_solves():
    """Reproduces the old bug: a reused HiGHS instance reported points 5–8 of ten as Unknown/Infeasible."""
    from landopt.pareto import pareto, second_objective

    spec = landopt.read(WORKBOOK)
    fr = pareto(spec, "livestock", points=10)
    assert (fr.points["status"] == "optimal").all(), fr.points
    lm = build(spec)
    f = second_objective(lm, "livestock")
    for _, p in fr.points.iterrows():
        form = lm.standard_form()
        # cold: max carbon s.t. f ≥ ε, from scratch
        import scipy.sparse as sp

        nz = np.flatnonzero(f)
        form.row_blocks.append(sp.csr_array((f[nz], (np.zeros(len(nz), dtype=int), nz)), shape=(1, form.n_cols)))
        form.row_lower = np.append(form.row_lower, p["epsilon"] - 1e-9 * max(1.0, abs(p["epsilon"])))
        form.row_upper = np.append(form.row_upper, np.inf)
        cold = solve_form(form, spec.settings)
        assert cold.optimal
        assert p["net_sink"] == pytest.approx(cold.objective, rel=1e-6)


def test_csr_rows_equal_scipy():
    """landopt.model.sparse.CSR (the Pyomo path's scipy-free matrix): duplicates summed, zeros dropped, products."""
    import scipy.sparse as sp

    from landopt.model.sparse import CSR

    row, col, val = np.array([2, 0, 2, 0, 1]), np.array([1, 3, 1, 0, 2]), np.array([1.5, -2.0, 2.5, 4.0, 0.0])
    A = CSR.from_coo(row, col, val, (3, 4))
    S = sp.csr_array((val, (row, col)), shape=(3, 4))
    assert A.nnz == 3 and A.indptr.tolist() == [0, 2, 2, 3] and A.indices.tolist() == [0, 3, 1]
    assert A.data.tolist() == [4.0, -2.0, 4.0]
    assert np.array_equal(A.to_scipy().toarray(), S.toarray())
    x, y = np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 10.0, 100.0])
    assert (A @ x).tolist() == [-4.0, 0.0, 8.0]
    assert A.rmatvec(y).tolist() == [4.0, 400.0, 0.0, -2.0]


def test_pyomo_solve_keeps_scipy_stats_out(tmp_path):
    """Issue #11: once Pyomo is imported, importing scipy makes Pyomo load scipy.stats & co. (≈0.6 s); the
    Pyomo backend's whole path (build, Pyomo model, read back, solve, result tables) must not import scipy."""
    import subprocess
    import sys

    from conftest import write_xlsx

    path = write_xlsx(tiny_tables(), tmp_path / "tiny.xlsx")
    code = ("import sys, landopt.api as a; s = a.read(sys.argv[1]); r = a.optimize(s, backend='pyomo'); "
            "print(r.optimal, 'pyomo' in sys.modules, sorted(m for m in ('scipy', 'scipy.stats') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[0] == "True True []", out.stdout + out.stderr
