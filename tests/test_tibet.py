"""The shipped Tibet workbook: it solves to optimal, and every constraint holds in the WRITTEN plan.

The checks below read the plan back from the output workbook (its Excel tables) and the
requirements straight from the input workbook with pandas — not from the model — and
re-verify each constraint family by hand.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import landopt
from landopt.reader import read_workbook

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "inputs" / "tibet_2035.xlsx"
CSV = ROOT / "inputs" / "tibet_2035"
TOL = 1e-6


def excel_table(path: Path, sheet: str, table: str) -> pd.DataFrame:
    wb = load_workbook(path, data_only=True)  # tables are found by name: sheet names are bilingual
    ws = next(w for w in wb.worksheets if table in w.tables)
    ref = ws.tables[table].ref
    rows = [list(r) for r in ws[ref]]
    values = [[c.value for c in r] for r in rows]
    return pd.DataFrame(values[1:], columns=values[0])


def col(df: pd.DataFrame, start: str) -> str:
    hits = [c for c in df.columns if str(c).startswith(start)]
    assert len(hits) == 1, (start, list(df.columns))
    return hits[0]


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> tuple[Path, landopt.results.PlanResult]:
    out = tmp_path_factory.mktemp("tibet") / "plan.xlsx"
    res = landopt.optimize(landopt.read(WORKBOOK))
    assert res.status == "optimal"
    landopt.write_plan(res, out)
    return out, res


@pytest.fixture(scope="module")
def inputs() -> dict[str, pd.DataFrame]:
    """The shipped workbook's sheets by id (its sheet names and headers are bilingual: '基期现状面积 baseline')."""
    from landopt.headers import to_id

    return {to_id(k): v.rename(columns=to_id) for k, v in pd.read_excel(WORKBOOK, sheet_name=None, engine="openpyxl").items()}


@pytest.fixture(scope="module")
def alloc(plan) -> pd.DataFrame:
    a = excel_table(plan[0], "allocation", "Allocation")
    a = a.rename(columns={col(a, "区域编号"): "region", col(a, "地类编号"): "land_use", col(a, "年份"): "year",
                          col(a, "面积 area"): "area"})
    return a.set_index(["region", "land_use", "year"])["area"].astype(float)


def role_sum(alloc: pd.Series, inputs, role: str) -> pd.Series:
    lus = inputs["land_uses"].loc[inputs["land_uses"]["role"] == role, "land_use"]
    a = alloc[alloc.index.get_level_values("land_use").isin(lus)]
    return a.groupby(level=["region", "year"]).sum()


def test_solves_to_optimal_with_terms_adding_up(plan):
    _, res = plan
    assert res.objective > 0  # a net sink
    assert res.objective == pytest.approx(res.terms.sum(), rel=1e-12)  # the terms are signed contributions
    assert res.terms["livestock_ch4"] < 0 and res.terms["biomass_loss"] < 0  # emissions are negative


def test_areas_balance(alloc, inputs):
    totals = inputs["regions"].set_index("region")["total_area_ha"]
    s = alloc.groupby(level=["region", "year"]).sum()
    for (r, y), v in s.items():
        assert v == pytest.approx(totals[r], rel=1e-9), (r, y)


def test_stock_flow_and_allowed_conversions(plan, alloc, inputs):
    conv = excel_table(plan[0], "conversions", "Conversions")
    conv = conv.rename(columns={col(conv, "区域编号"): "region", col(conv, "截止年"): "year",
                                col(conv, "转出地类编号"): "from", col(conv, "转入地类编号"): "to", col(conv, "转换面积"): "ha"})
    tr = inputs["transitions"]
    allowed = set(zip(tr.loc[tr["allowed"] == "yes", "from_land_use"], tr.loc[tr["allowed"] == "yes", "to_land_use"]))
    assert set(zip(conv["from"], conv["to"])) <= allowed
    base = inputs["baseline"].set_index(["region", "land_use"])["area_ha"]
    years = sorted(alloc.index.get_level_values("year").unique())
    for (r, l), b in base.items():
        prev = b
        for y in years:
            c = conv[(conv["region"] == r) & (conv["year"] == y)]
            expect = prev + c.loc[c["to"] == l, "ha"].sum() - c.loc[c["from"] == l, "ha"].sum()
            assert alloc[(r, l, y)] == pytest.approx(expect, abs=1e-4), (r, l, y)
            prev = alloc[(r, l, y)]
    # conversion-rate limits
    rate = tr.dropna(subset=["max_pct_per_period"]).set_index(["from_land_use", "to_land_use"])["max_pct_per_period"]
    for _, c in conv.iterrows():
        if (c["from"], c["to"]) in rate.index:
            i = years.index(c["year"])
            start = base[(c["region"], c["from"])] if i == 0 else alloc[(c["region"], c["from"], years[i - 1])]
            assert c["ha"] <= rate[(c["from"], c["to"])] / 100 * start * (1 + TOL) + TOL


def test_targets_hold(plan, alloc, inputs):
    t = inputs["targets"].set_index(["region", "year"])
    crop, urban = role_sum(alloc, inputs, "cropland"), role_sum(alloc, inputs, "urban")
    # inefficient land redeveloped up to each milestone (存量盘活) counts towards the urban demand
    redev = plan[1].costs.xs("redevelopment of inefficient construction land", level="measure")["area_ha"]
    redeveloped = lambda r, y: float(sum(v for (rr, yy), v in redev.items() if rr == r and yy <= y))  # noqa: E731
    assert redev.sum() > 0
    for key, row in t.iterrows():
        if pd.notna(row["cropland_min_ha"]):
            assert crop[key] >= row["cropland_min_ha"] - TOL
        if pd.notna(row["urban_boundary_ha"]):
            assert urban[key] <= row["urban_boundary_ha"] + TOL
        if pd.notna(row["urban_population"]):
            assert urban[key] + redeveloped(*key) >= row["urban_population"] * row["urban_land_per_capita_m2"] / 1e4 - TOL
            assert urban[key] <= row["urban_population"] * row["urban_land_per_capita_max_m2"] / 1e4 + TOL
    base = inputs["baseline"].merge(inputs["land_uses"][["land_use", "role"]], on="land_use")
    for role in ("forest", "wetland", "grassland"):
        floor_col = f"{role}_min_ha"
        have = role_sum(alloc, inputs, role)
        b = base[base["role"] == role].groupby("region")["area_ha"].sum()
        for (r, y), v in have.items():
            given = t.loc[(r, y), floor_col] if (r, y) in t.index else np.nan
            floor = given if pd.notna(given) else b[r]  # no net loss when blank (settings no_net_loss = yes)
            assert v >= floor - TOL, (role, r, y)


def test_grazing_balance_holds(plan, inputs):
    g = excel_table(plan[0], "grazing", "Grazing")
    gi = inputs["grazing"].set_index(["region", "year"])
    for _, row in g.iterrows():
        p = gi.loc[(row[col(g, "区域编号")], row[col(g, "年份")])]
        grazed, rested = row[col(g, "放牧草地 ")], row[col(g, "禁牧休牧草地")]
        livestock = row[col(g, "牲畜数量 ")]
        assert grazed + rested == pytest.approx(row[col(g, "全部草地 ")], rel=1e-9)
        assert livestock <= grazed * p["forage_yield_kg_per_ha"] * p["utilisation_rate"] / p["intake_kg_per_su_yr"] * (1 + TOL)
        assert rested >= p["rest_min_ha"] - TOL
        assert livestock >= p["livestock_min_su"] - TOL


def test_energy_sites_hold(plan, alloc, inputs):
    e = inputs["energy"].set_index(["region", "year"])
    pv = role_sum(alloc, inputs, "pv")
    for key, row in e.iterrows():
        if pd.notna(row["pv_suitable_ha"]):
            assert pv[key] <= row["pv_suitable_ha"] + TOL
        if pd.notna(row["clean_capacity_min_mw"]):
            other = 0.0 if pd.isna(row["other_clean_capacity_mw"]) else row["other_clean_capacity_mw"]
            assert pv[key] * row["pv_mw_per_ha"] + other >= row["clean_capacity_min_mw"] - 1e-4


def test_area_bounds_and_afforestation_hold(plan, alloc, inputs):
    for _, b in inputs["area_bounds"].iterrows():
        v = alloc[(b["region"], b["land_use"], b["year"])]
        if pd.notna(b["min_ha"]):
            assert v >= b["min_ha"] - TOL
        if pd.notna(b["max_ha"]):
            assert v <= b["max_ha"] + TOL
    conv = excel_table(plan[0], "conversions", "Conversions")
    conv = conv.rename(columns={col(conv, "区域编号"): "region", col(conv, "截止年"): "year",
                                col(conv, "转出地类编号"): "from", col(conv, "转入地类编号"): "to", col(conv, "转换面积"): "ha"})
    aff = conv[(conv["from"] == "unused") & (conv["to"] == "forest")]
    for _, t in inputs["targets"].dropna(subset=["afforestation_potential_ha"]).iterrows():
        done = aff[(aff["region"] == t["region"]) & (aff["year"] <= t["year"])]["ha"].sum()
        assert done <= t["afforestation_potential_ha"] + TOL


def test_workbook_matches_its_csv_sources(tmp_path):
    """The shipped .xlsx is built from inputs/tibet_2035/*.csv: they must not drift apart."""
    from landopt.template import build_from_csv

    rebuilt = build_from_csv(CSV, tmp_path / "rebuilt.xlsx")
    a, b = read_workbook(WORKBOOK).tables, read_workbook(rebuilt).tables
    assert set(a) == set(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=False, obj=name)


def test_sources_sheet_labels_every_figure(inputs):
    src = inputs["sources"]
    assert set(src["status"]) <= {"verified", "estimate"}
    assert (src["status"] == "estimate").sum() > 0 and (src["status"] == "verified").sum() > 0
    covered = set(src["sheet"])
    assert {"regions", "land_uses", "baseline", "targets", "grazing", "energy", "transitions"} <= covered


def test_sensitivity_sheet_reports_ranging(plan):
    path, res = plan
    c = excel_table(path, "sensitivity", "CoefficientRanging")
    spec = res.spec
    assert len(c) == len(spec.regions) * len(spec.transitions) * len(spec.years)  # every conversion cohort
    # region, from, to (Chinese names in a bilingual book: the sentence beside is in both), period ending, value per ha …
    assert list(c.iloc[0, :3]) == ["拉萨市", "耕地", "林地"]
    crop = c[(c.iloc[:, 0] == "拉萨市") & (c.iloc[:, 1] == "耕地") & (c.iloc[:, 2] == "林地") & (c.iloc[:, 3] == 2025)]
    # value per ha of returning cropland to forest in 2019-2025 (τ = 2022, 13 years to 2035): forest biomass grows
    # 70/70 = 1 t C/ha/yr, soil+litter (72 + 5 − 40)/100 t C/ha/yr, cropland holds no biomass: 17.81 t C/ha × 44/12
    assert crop.iloc[0, 4] == pytest.approx((13 * 1.0 + 13 * 37 / 100) * 44 / 12)
    r = excel_table(path, "sensitivity", "RhsRanging")
    assert set(r[col(r, "约束编号")]) == set(res.rhs_ranging["label"])


def test_equally_good_plans_show_that_pv_placement_and_the_herd_layout_are_open(plan):
    """PV on unused land holds the same carbon in every prefecture, so among the plans with the optimal net sink
    Ngari's 2035 PV can be anything from its 2019 PV (158 ha × 0.5 MW/ha = 79 MW: PV land never goes back) to all its
    PV-suitable land (30,125 ha × 0.5 = 15,062.5 MW); Lhasa's herd can fall to its livestock floor (407,335 SU in
    2035) while others graze more. The energy and grazing sheets show these ranges beside the plan's own figures."""
    path, res = plan
    eg = res.equally_good.set_index(["kind", "region", "year"])
    assert len(eg) == 42  # PV and herd, 7 prefectures × 3 milestones
    assert eg.loc[("pv_mw", "Ngari", 2035), ["min", "max"]].tolist() == pytest.approx([79.0, 15062.5])
    assert eg.loc[("livestock_su", "Lhasa", 2035), "min"] == pytest.approx(407_335.0)
    assert ((eg["min"] <= eg["plan"] + 1e-6) & (eg["plan"] <= eg["max"] + 1e-6)).all()
    # the total PV is not open: the province-wide 30 GW binds in 2035 and every region's maximum takes it from others
    assert eg.xs("pv_mw").xs(2035, level="year")["plan"].sum() == pytest.approx(30_000.0)
    wb = load_workbook(path, read_only=True)
    heads = [v for row in wb["清洁能源 energy"].iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert any(h.startswith("同等最优方案中光伏装机最大值") for h in heads)
    heads = [v for row in wb["草畜平衡 grazing"].iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert any(h.startswith("同等最优方案中牲畜数量最小值") for h in heads)
    assert landopt.optimize(landopt.read(WORKBOOK), with_ranging=False).equally_good.empty
