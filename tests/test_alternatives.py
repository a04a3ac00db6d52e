"""MGA alternatives: within the slack, pairwise different, written as plan workbooks that compare reads."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from conftest import K
from test_ranges import degenerate_model, degenerate_tables, write_folder
from landopt.analysis.alternatives import distance, mga
from landopt.backends import solve
from landopt.results import extract


@pytest.fixture(scope="module")
def tiny_alts():
    lm = degenerate_model()
    opt = extract(lm, solve(lm, backend="highs"))
    return lm, mga(lm, opt, 3, 0.01)


def _target(res, year=2030):
    return res.allocation.xs(year, level="year")["area_ha"].to_numpy()


def test_alternatives_within_slack_and_pairwise_different(tiny_alts):
    lm, alts = tiny_alts
    z = -K * 76
    assert len(alts.plans) == 3
    assert alts.floor == pytest.approx(z - 0.01 * abs(z), rel=1e-12)
    plans = [alts.optimum] + [p.result for p in alts.plans]
    for p in alts.plans:
        assert p.result.optimal and p.result.objective == pytest.approx(p.net_sink, rel=1e-12)
        assert p.net_sink >= alts.floor - 1e-6
        assert -1e-9 <= p.gap_pct <= 1.0 + 1e-7  # an alternative may be a second optimum (gap 0)
        # the objective of the written plan is its own net sink: the signed terms add up to it
        assert p.result.objective == pytest.approx(float(p.result.terms["construction_emissions"])
                                                   + float(p.result.terms["sequestration"]), rel=1e-9)
        assert p.result.metadata["scenario"] == p.name
    for a, b in itertools.combinations(range(len(plans)), 2):
        d = distance(_target(plans[a]), _target(plans[b]))
        assert d >= 1.0, (a, b)
        assert alts.distances.iloc[a, b] == pytest.approx(d, abs=1e-6)
    assert np.allclose(alts.distances.to_numpy(), alts.distances.to_numpy().T)
    # crop can move by 0.76 ha only, so the alternatives differ in the forest/grass split or the unused land kept
    for p in alts.plans:
        a = p.result.allocation
        assert a.loc[("A", "crop", 2030), "area_ha"] <= 30.76 + 1e-6
        assert a.loc[("A", "urban", 2030), "area_ha"] == pytest.approx(10.0, abs=1e-7)


def test_distance_is_area_allocated_differently():
    assert distance([30, 60, 0, 10, 0], [30, 20, 40, 10, 0]) == 40.0
    assert distance([1, 2], [1, 2]) == 0.0


def test_first_alternative_is_hop_skip_jump_and_description(tiny_alts):
    _, alts = tiny_alts
    assert alts.plans[0].method == "hop-skip-jump"
    assert alts.plans[0].distinguishes.startswith("A ")
    assert "公顷 ha" in alts.plans[0].distinguishes
    assert "近优备选方案 alternative_1" in alts.plans[0].result.message


def test_n_must_be_positive():
    with pytest.raises(ValueError, match=r"^--n must be at least 1, not 0$"):
        mga(degenerate_model(), None, 0, 0.01)


def test_run_alternatives_writes_plans_summary_and_comparison(tmp_path):
    from openpyxl import load_workbook

    from landopt.analysis.commands import run_alternatives
    from landopt.export.plan_reader import read_plan, side_by_side

    src = write_folder(degenerate_tables(), tmp_path / "tiny")
    files = run_alternatives(src, n=2, slack_pct="1%", out_dir=tmp_path / "alts")
    names = [f.name for f in files]
    assert names == ["optimum.xlsx", "alternative_1.xlsx", "alternative_2.xlsx", "alternatives_summary.xlsx",
                     "comparison.xlsx"]
    # the comparison workbook (compare's own writer) sets the plans side by side
    wb = load_workbook(tmp_path / "alts" / "comparison.xlsx")
    ws = next(ws for ws in wb.worksheets if "KPIs" in ws.tables)
    header = [c.value for c in next(iter(ws[ws.tables["KPIs"].ref]))]
    assert header[:5] == ["指标 figure", "单位 unit", "情景 scenario optimum", "情景 scenario alternative_1",
                          "情景 scenario alternative_2"]
    # the plan workbooks read back: same areas side by side, every plan 100 ha
    sbs = side_by_side([tmp_path / "alts" / n for n in names[:3]])
    assert list(sbs.columns) == ["optimum_ha", "alternative_1_ha", "alternative_2_ha"]
    assert np.allclose(sbs.sum().to_numpy(), 100.0)
    assert read_plan(tmp_path / "alts" / "alternative_1.xlsx").run["scenario"] == "alternative_1"
    summary = load_workbook(tmp_path / "alts" / "alternatives_summary.xlsx")
    assert summary.sheetnames == ["摘要 summary", "方案间距离 distances", "各方案面积 areas"]
    rows = list(summary["摘要 summary"].iter_rows(min_row=4, max_row=7, values_only=True))
    # flux accounting here: the net sink and the gap are rates (t CO2e/yr)
    assert rows[0][:5] == ("方案 plan", "方法 method", "净碳汇 net sink（吨CO2e/年；t CO2e/yr）",
                           "低于最优 below the optimum（吨CO2e/年；t CO2e/yr）", "低于最优 below the optimum（%）")
    assert rows[1][:3] == ("最优方案 optimum", "—", pytest.approx(-K * 76))
    assert rows[2][:2] == ("备选方案1 alternative_1", "逐次远离法 hop-skip-jump") and rows[3][7] == "alternative_2.xlsx"
    assert 0 < rows[2][4] <= 1.0 + 1e-7  # % below the optimum
    assert rows[2][6].startswith("A ")  # the region (no Chinese name in this workbook), then the land use by name
    dist = list(summary["方案间距离 distances"].iter_rows(min_row=3, max_row=4, values_only=True))
    assert dist[0] == ("方案 plan", "最优方案 optimum (ha)", "备选方案1 alternative_1 (ha)", "备选方案2 alternative_2 (ha)")
    assert dist[1][:2] == ("最优方案 optimum", 0)
    areas = list(summary["各方案面积 areas"].iter_rows(min_row=3, max_row=8, values_only=True))
    assert areas[0][:3] == ("区域 region", "地类 land use", "最优方案 optimum (ha)")
    # the workbook's order, land uses by name (Chinese first): crop 30, forest + grass 60, urban 10, unused 0
    assert [r[:2] for r in areas[1:]] == [("A", "耕地 crop"), ("A", "林地 forest"), ("A", "草地 grass"),
                                         ("A", "城镇建设用地 urban"), ("A", "其他土地/未利用地 unused")]
    assert areas[1][2] == pytest.approx(30.0) and areas[4][2] == pytest.approx(10.0)
    # the comparison: the plans' descriptions are ours, so bilingual; no solve times (the plans are not solved one
    # by one), statuses in words
    runs = next(ws for ws in wb.worksheets if "ScenarioRuns" in ws.tables)
    head = [c.value for c in runs[4]]
    assert head == ["情景 scenario", "说明（原文） description (as written)", "求解状态 status"]
    alt1 = [c.value for c in runs[6]]
    assert alt1[0] == "alternative_1" and alt1[2] == "最优 optimal"
    assert alt1[1].startswith("逐次远离法；净碳汇比最优方案低 ") and "% below the optimum; " in alt1[1]


def test_run_alternatives_bad_arguments(tmp_path):
    from landopt.analysis.commands import run_alternatives

    with pytest.raises(ValueError, match=r"^--n 应为 1 到 100 之间的整数 --n must be a whole number from 1 to 100, not 0$"):
        run_alternatives("inputs/tibet_2035.xlsx", n=0)
    with pytest.raises(ValueError, match=r"^--n 应为方案个数（整数） --n must be a whole number of plans, not 'five'$"):
        run_alternatives("inputs/tibet_2035.xlsx", n="five")
    with pytest.raises(ValueError, match=r"^-o must name a folder for the plan workbooks, not a file"):
        run_alternatives("inputs/tibet_2035.xlsx", n=2, out_dir=tmp_path / "x.xlsx")


def test_tibet_five_alternatives():
    from landopt import api

    spec = api.read("inputs/tibet_2035.xlsx")
    alts = api.alternative_plans(spec, 5, 0.01)
    assert len(alts.plans) == 5
    for p in alts.plans:
        assert p.net_sink >= alts.optimum.objective * 0.99 - 1e-3  # z* > 0 here
    D = alts.distances.to_numpy()
    assert (D[np.triu_indices(6, 1)] >= 1.0).all()


def test_describe_names_regions_and_land_uses_chinese_first():
    from landopt.analysis.alternatives import describe
    from landopt.report.brief import Names

    import pandas as pd

    names = Names(region_zh={"Nagqu": "那曲市"}, lu_zh={"grassland": "草地", "degraded_grassland": "退化草地"},
                  roles={}, regions=["Nagqu"], land_uses=["grassland", "degraded_grassland"])
    keys = pd.DataFrame({"region": ["Nagqu", "Nagqu"], "land_use": ["grassland", "degraded_grassland"]})
    assert describe(keys, np.array([88.0, 12.4]), np.array([100.0, 0.0]), names) == \
        "那曲市 Nagqu 退化草地 degraded_grassland +12 公顷 ha; 那曲市 Nagqu 草地 grassland -12 公顷 ha"
    assert describe(keys, np.array([1.0, 2.0]), np.array([1.2, 2.0]), names) == "与最优方案相同 same as the optimum"


def test_alternatives_summary_under_stock_change_is_cumulative(tmp_path):
    """Stock change (the afforestation instance of test_carbon_accounting: optimum 180 K t CO2e over 2021–2030):
    the summary's net sink and gap are cumulative t CO2e, never per year."""
    from openpyxl import load_workbook

    from landopt.analysis.workbook import write_alternatives_summary
    from landopt.model.build import build
    from landopt.reader import from_tables
    from landopt.validate import load_spec
    from test_carbon_accounting import afforestation

    lm = build(load_spec(from_tables(afforestation())))
    opt = extract(lm, solve(lm, backend="highs"))
    alts = mga(lm, opt, 1, 0.10)
    assert alts.unit == "t CO2e" and opt.objective == pytest.approx(180 * K)
    p = alts.plans[0]
    assert p.net_sink == pytest.approx(0.9 * 180 * K, rel=1e-9)  # plants as little as the 10 % slack allows
    wb = load_workbook(write_alternatives_summary(alts, {}, tmp_path / "s.xlsx"))
    head = [c.value for c in wb["摘要 summary"][4]]
    assert head[2:4] == ["净碳汇（2021–2030年累计） net sink (cumulative 2021–2030)（吨CO2e/t CO2e）",
                         "低于最优 below the optimum（吨CO2e/t CO2e）"]
    row = [c.value for c in wb["摘要 summary"][6]]
    assert row[2] == pytest.approx(p.net_sink) and row[3] == pytest.approx(0.1 * 180 * K, rel=1e-9)
