"""Near-optimal ranges on a tiny instance with a known degenerate optimum, and on the shipped workbook.

Tiny instance (region A, 100 ha, baseline 2020 → 2030; cropland red line 30 ha in 2030)::

    land use  role       flux t C/ha/yr  baseline ha
    crop      cropland   +0.4            40
    forest    forest     -0.6            20
    grass     grassland  -0.6             0
    urban     urban      +10.0 (or +1.0) 10
    unused    unused      0.0            30
    transitions: crop→forest, crop→grass, unused→forest, unused→grass (no rate limit)

forest + grass = 90 − crop − unused, so the emissions E = 0.4·crop − 0.6·(forest + grass) + urban flux·10
= crop + 0.6·unused − 54 + 10·u.  Optimum: crop 30 (red line), unused 0, urban 10, forest + grass = 60 split
anyhow (degenerate).  u = 10: E* = 76, z* = −44/12·76 = −278.667 (a net source: the slack row must use |z*|);
within a slack s: crop + 0.6·unused <= 30 + 76·s, so crop ∈ [30, 30 + 76 s], unused ∈ [0, 76 s / 0.6].
u = 1: E* = −14, z* = +51.333; crop ∈ [30, 30 + 14 s].
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import K, tiny_tables
from landopt.analysis.nearopt import NearOptimal, parse_slack, planner_quantities
from landopt.analysis.ranges import near_optimal_ranges
from landopt.model.build import build
from landopt.reader import from_tables
from landopt.validate import load_spec


def degenerate_tables(urban_flux: float = 10.0) -> dict[str, pd.DataFrame]:
    return tiny_tables(
        land_uses={"land_use": ["crop", "forest", "grass", "urban", "unused"],
                   "role": ["cropland", "forest", "grassland", "urban", "unused"],
                   "carbon_flux_tC_per_ha_yr": [0.4, -0.6, -0.6, urban_flux, 0.0]},
        baseline={"region": ["A"] * 5, "land_use": ["crop", "forest", "grass", "urban", "unused"],
                  "area_ha": [40.0, 20.0, 0.0, 10.0, 30.0]},
        transitions={"from_land_use": ["crop", "crop", "unused", "unused"],
                     "to_land_use": ["forest", "grass", "forest", "grass"], "allowed": ["yes"] * 4,
                     "max_pct_per_period": [None] * 4},
    )


def degenerate_model(urban_flux: float = 10.0):
    return build(load_spec(from_tables(degenerate_tables(urban_flux))))


def row(r, kind: str, **keys) -> pd.Series:
    t = r.table
    m = t["kind"] == kind
    for k, v in keys.items():
        m &= t[k] == v
    assert m.sum() == 1, (kind, keys)
    return t[m].iloc[0]


def test_slack_parsing():
    assert parse_slack("1%") == 0.01
    assert parse_slack(0.5) == 0.005
    assert parse_slack(" 2.5 % ") == 0.025
    with pytest.raises(ValueError, match=r"^--slack 应为百分数，如 1% 或 0\.5 --slack must be a percentage such as 1% or 0.5, not 'abc'$"):
        parse_slack("abc")
    with pytest.raises(ValueError, match=r"^--slack 应不小于 0% 且小于 100% --slack must be at least 0% and below 100%, not '-1%'$"):
        parse_slack("-1%")


def test_exact_optima_free_split_and_forced_cropland():
    r = near_optimal_ranges(degenerate_model(), 0.0)
    assert r.optimum == pytest.approx(-K * 76, rel=1e-12)
    forest, grass = row(r, "area", land_use="forest"), row(r, "area", land_use="grass")
    assert (forest["min"], forest["max"]) == (pytest.approx(20.0, abs=1e-7), pytest.approx(60.0, abs=1e-7))
    assert (grass["min"], grass["max"]) == (pytest.approx(0.0, abs=1e-7), pytest.approx(40.0, abs=1e-7))
    assert not forest["fixed"] and not grass["fixed"]
    for lu, v in (("crop", 30.0), ("urban", 10.0), ("unused", 0.0)):
        q = row(r, "area", land_use=lu)
        assert q["fixed"], lu
        assert (q["min"], q["optimum"], q["max"]) == (pytest.approx(v, abs=1e-6),) * 3  # slack 0: z* − 1e-9|z*|
    assert row(r, "area", land_use="crop")["direction"] == "必须减少 must decrease"
    assert forest["direction"] == "可增不减 may rise, never falls"
    assert row(r, "area", land_use="urban")["direction"] == "保持基期 stays at the baseline"
    c = row(r, "conversion", from_land_use="unused", to_land_use="forest")
    assert (c["min"], c["max"]) == (pytest.approx(0.0, abs=1e-7), pytest.approx(30.0, abs=1e-7))
    assert c["direction"] == "可选 optional"
    assert row(r, "conversion", from_land_use="crop", to_land_use="grass")["max"] == pytest.approx(10.0, abs=1e-7)


@pytest.mark.parametrize("urban_flux, e_star", [(10.0, 76.0), (1.0, -14.0)])
def test_slack_of_one_percent_either_sign_of_the_optimum(urban_flux, e_star):
    r = near_optimal_ranges(degenerate_model(urban_flux), 0.01, abs_tol=0.1)
    z = -K * e_star
    assert r.optimum == pytest.approx(z, rel=1e-12)
    assert r.floor == pytest.approx(z - 0.01 * abs(z), rel=1e-12)  # below the optimum whatever its sign
    crop = row(r, "area", land_use="crop")
    assert crop["min"] == pytest.approx(30.0, abs=1e-7)
    assert crop["max"] == pytest.approx(30.0 + 0.01 * abs(e_star), abs=1e-6)
    assert not crop["fixed"]  # 0.76 or 0.14 ha wide, above the 0.1 ha tolerance
    unused = row(r, "area", land_use="unused")
    assert unused["max"] == pytest.approx(0.01 * abs(e_star) / 0.6, abs=1e-6)
    assert row(r, "area", land_use="urban")["fixed"]


def test_fixed_tolerance_default_one_hectare():
    r = near_optimal_ranges(degenerate_model(), 0.01)
    assert row(r, "area", land_use="crop")["fixed"]  # 0.76 ha <= 1 ha
    assert not row(r, "area", land_use="unused")["fixed"]  # 1.267 ha > 1 ha
    assert (r.abs_tol, r.rel_tol) == (1.0, 1e-6)


def test_unknown_kind_is_a_plain_error():
    with pytest.raises(ValueError, match=r"^unknown quantity kind\(s\) areas; choose from area, conversion, livestock$"):
        near_optimal_ranges(degenerate_model(), 0.01, kinds=("areas",))


def _cold_extremes(lm, slack, i):
    nx = NearOptimal(lm, slack)
    q = planner_quantities(lm)
    c = q.Q[[i]].toarray().ravel()
    hi = nx.extreme(c)
    lo = nx.extreme(-c)
    return float(c @ lo.x), float(c @ hi.x)


@pytest.fixture(scope="module")
def tibet_lm():
    from landopt import api

    return api.model(api.read("inputs/tibet_2035.xlsx"))


def test_tibet_ranges_match_fresh_solves_and_lhasa_cropland(tibet_lm):
    r = near_optimal_ranges(tibet_lm, 0.01)
    assert r.unit == "t CO2e"  # stock-change accounting: the objective is cumulative over 2020–2035, not per year
    t = r.table
    spec = tibet_lm.spec
    R, L, P = len(spec.regions), len(spec.land_uses), len(spec.transitions)
    assert len(t) == R * L + R * P + R  # areas, conversion totals, livestock
    # Lhasa's cropland: 进出平衡 with no retirement quota keeps every hectare (min = baseline 52,524 ha); new cropland
    # (补充耕地) can add at most its 1,445 ha reserve
    lhasa = row(r, "area", region="Lhasa", land_use="cropland")
    assert (lhasa["min"], lhasa["max"]) == (pytest.approx(52524.0, abs=0.5), pytest.approx(52524.0 + 1445.0, abs=0.5))
    # water: land converts into it only for the scheduled reservoirs (hydro_inundation rows), so every region's water
    # is fixed at its baseline plus the reservoirs (a row pins it, not bound propagation: it is solved)
    water = t[(t["kind"] == "area") & (t["land_use"] == "water")]
    assert water["fixed"].all()
    assert r.timing["skipped"] > 0
    # garden: no conversion reaches it, so bound propagation caps it at the baseline, where it sits at the optimum
    # (its maximum is proven, not solved)
    capped = t[(t["kind"] == "area") & (t["land_use"] == "garden")]
    assert np.allclose(capped["max"], capped["baseline"]) and not capped["solved_max"].any()
    for i in capped.index[:3]:
        lo, hi = _cold_extremes(tibet_lm, 0.01, i)
        assert (t.loc[i, "min"], t.loc[i, "max"]) == (pytest.approx(lo, rel=1e-7), pytest.approx(hi, rel=1e-7))
    # every skipped or warm answer equals a fresh solve of that quantity alone (sample of 12 quantities)
    for i in np.linspace(0, len(t) - 1, 12).astype(int):
        lo, hi = _cold_extremes(tibet_lm, 0.01, i)
        assert t.loc[i, "min"] == pytest.approx(lo, rel=1e-7, abs=1e-4), t.loc[i].to_dict()
        assert t.loc[i, "max"] == pytest.approx(hi, rel=1e-7, abs=1e-4), t.loc[i].to_dict()
    assert (t["min"] <= t["optimum"] + 1e-6).all() and (t["optimum"] <= t["max"] + 1e-6).all()


def write_folder(tables: dict[str, pd.DataFrame], folder) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(folder / f"{name}.csv", index=False)
    return str(folder)


def test_run_ranges_workbook(tmp_path):
    from openpyxl import load_workbook

    from landopt.analysis.commands import run_ranges

    src = write_folder(degenerate_tables(), tmp_path / "tiny")
    out = run_ranges(src, "1%", tmp_path / "r.xlsx")
    assert out == tmp_path / "r.xlsx"
    wb = load_workbook(out)
    assert wb.sheetnames == ["摘要 summary", "面积区间 area ranges", "地类转换区间 conversion ranges"]
    summary = {r[0]: r[1:3] for r in wb["摘要 summary"].iter_rows(min_row=5, max_row=12, values_only=True) if r[0]}
    assert summary["最优净碳汇 net sink at the optimum"] == (pytest.approx(-K * 76), "吨CO2e/年；t CO2e/yr")  # flux
    assert summary["允许损失 slack"] == (1, "最优值绝对值的百分比 % of |optimum|")
    assert summary["面积 area：固定 fixed / 全部 all"][0] == "2 / 5"  # crop (0.76 ha wide) and urban; unused is 1.27 ha
    ws = wb["面积区间 area ranges"]
    head = [c.value for c in ws[4]][:13]
    assert head == ["区域 region", "区域名称 region name", "地类 land use", "地类名称 land-use name", "时期 period",
                    "基期 baseline (ha)", "下限 min (ha)", "最优方案 optimum (ha)", "上限 max (ha)",
                    "区间宽度 range (ha)", "固定/可调 fixed or free", "变化方向 direction", "说明 in words"]
    rows = {r[2]: r for r in ws.iter_rows(min_row=5, max_row=9, values_only=True)}
    assert rows["crop"][6:9] == (pytest.approx(30.0), pytest.approx(30.0), pytest.approx(30.76))
    assert rows["crop"][10] == "固定 fixed"
    assert rows["forest"][12].startswith("在 20 至 60 ha 之间任取（单独变动），净碳汇损失不超过 1%。 Anything between 20 and 60 ha")
    assert ws._charts, "the area sheet has the room-to-move chart"
    grid = {r[0]: r[1] for r in wb["摘要 summary"].iter_rows(values_only=True) if r[0] in ("crop", "forest", "grass", "urban", "unused")}
    assert grid == {"crop": "必减 must fall", "forest": "不减 never falls", "grass": "不减 never falls",
                    "urban": "不变 unchanged", "unused": "必减 must fall"}
    notes = [r[0] for r in wb["摘要 summary"].iter_rows(values_only=True) if r[0] and str(r[0]).startswith(("共 ", "Of "))]
    assert notes == ["共 5 项：必增 0、必减 2（必须的变化，见上表）；不减 2（只能增加，例如受耕地保有量、生态保护红线约束的地类）；不变 1；不增 0；可增可减 0。",
                     "Of 5 areas: 0 must rise and 2 must fall (the forced changes above); 2 never fall (e.g. land held by the "
                     "cropland red line or an ecological floor); 1 stay unchanged; 0 never rise; 0 may rise or fall."]
    forced = [r for r in wb["摘要 summary"].iter_rows(values_only=True) if r[0] == "A"]
    assert forced == [("A", "crop", "必须减少 must decrease", 40, 30, pytest.approx(30.76), "固定 fixed"),
                      ("A", "unused", "必须减少 must decrease", 30, 0, pytest.approx(0.76 / 0.6), "可调 free")]


def test_run_ranges_bad_arguments(tmp_path):
    from landopt.analysis.commands import run_ranges

    src = write_folder(degenerate_tables(), tmp_path / "tiny")
    with pytest.raises(ValueError, match=r"^-o must name an \.xlsx workbook, not '.*r\.csv'$"):
        run_ranges(src, 1.0, tmp_path / "r.csv")
    with pytest.raises(ValueError, match=r"^--slack 应不小于 0% 且小于 100% --slack must be at least 0% and below 100%, not '150'$"):
        run_ranges(src, "150", tmp_path / "r.xlsx")
    assert not (tmp_path / "r.xlsx").exists()


def test_no_optimum_is_a_clear_error():
    from landopt.analysis.nearopt import NoOptimumError
    from landopt.backends.outcome import MESSAGES

    tables = degenerate_tables()
    tables["targets"] = pd.DataFrame({"region": ["A"], "year": [2030], "cropland_min_ha": [50.0]})  # crop can only shrink
    lm = build(load_spec(from_tables(tables)))
    with pytest.raises(NoOptimumError) as e:
        near_optimal_ranges(lm, 0.01)
    assert str(e.value) == MESSAGES["infeasible"]


def test_tiny_every_extreme_equals_a_cold_solve_of_that_quantity():
    lm = degenerate_model()
    r = near_optimal_ranges(lm, 0.01, abs_tol=0.1)
    t = r.table
    for i in range(len(t)):
        lo, hi = _cold_extremes(lm, 0.01, i)  # a fresh instance per quantity: no warm start, no skipping
        assert (t.loc[i, "min"], t.loc[i, "max"]) == (pytest.approx(lo, abs=1e-6), pytest.approx(hi, abs=1e-6)), i
    assert r.timing["skipped"] > 0 and r.timing["workers"] == 1


def test_choose_workers_tiers(monkeypatch):
    from landopt.analysis import ranges_fork, ranges_parallel
    from landopt.analysis.ranges_parallel import (FORK_MIN_SECONDS, PARALLEL_MIN_SECONDS, Tier, choose_workers,
                                                  estimated_serial_seconds)

    assert (FORK_MIN_SECONDS, PARALLEL_MIN_SECONDS) == (0.1, 5.0)
    assert estimated_serial_seconds(91, 0.0124) == pytest.approx(2 * 91 * (5e-4 + 0.1 * 0.0124))  # 0.317 s
    monkeypatch.setattr(ranges_parallel, "cpu_count", lambda: 2)
    monkeypatch.setattr(ranges_parallel, "busy_elsewhere", lambda: 0)
    monkeypatch.setattr(ranges_fork, "available", lambda: True)
    assert choose_workers(None, 91, 0.0124) == Tier("fork", 2)  # the shipped workbook on two CPUs
    assert choose_workers(None, 350, 0.0124) == Tier("fork", 2)  # all its quantities: 1.2 s estimated
    assert choose_workers(None, 20, 0.0124) == Tier("serial", 1)  # 0.07 s estimated: forking would not pay
    assert choose_workers(None, 5000, 2.0) == Tier("pool", 2)  # 2,005 s estimated
    monkeypatch.setattr(ranges_parallel, "busy_elsewhere", lambda: 1)  # another process holds the other CPU
    assert choose_workers(None, 91, 0.0124) == Tier("serial", 1)
    assert choose_workers(2, 91, 0.0124) == Tier("fork", 2)  # explicit: as asked
    assert choose_workers(None, 5000, 2.0) == Tier("pool", 2)  # a long batch: the pool uses every CPU regardless
    monkeypatch.setattr(ranges_parallel, "busy_elsewhere", lambda: 0)
    assert choose_workers(1, 350, 0.0124) == Tier("serial", 1)
    assert choose_workers(3, 2, 0.01) == Tier("fork", 2)  # explicit: forked even when small; never more than quantities
    assert choose_workers(4, 5000, 2.0) == Tier("pool", 4)
    monkeypatch.setattr(ranges_parallel, "cpu_count", lambda: 16)
    assert choose_workers(None, 350, 0.0124) == Tier("fork", 8)  # at most MAX_WORKERS
    monkeypatch.setattr(ranges_parallel, "busy_elsewhere", lambda: 11)
    assert choose_workers(None, 350, 0.0124) == Tier("fork", 5)  # one process per idle CPU
    assert choose_workers(None, 5000, 2.0) == Tier("pool", 8)
    monkeypatch.setattr(ranges_fork, "available", lambda: False)  # e.g. another Python thread is running
    assert choose_workers(None, 91, 0.0124) == Tier("serial", 1)
    assert choose_workers(2, 91, 0.0124) == Tier("pool", 2)
    assert choose_workers(None, 5000, 2.0) == Tier("pool", 8)
    monkeypatch.setattr(ranges_parallel, "cpu_count", lambda: 1)
    monkeypatch.setattr(ranges_fork, "available", lambda: True)
    assert choose_workers(None, 350, 0.0124) == Tier("serial", 1)
    assert choose_workers(None, 5000, 2.0) == Tier("serial", 1)
    with pytest.raises(ValueError, match=r"^workers must be a whole number of at least 1, not 0$"):
        choose_workers(0, 10, 0.01)
    with pytest.raises(ValueError, match=r"^workers must be a whole number of at least 1, not 1\.5$"):
        choose_workers(1.5, 10, 0.01)


def test_busy_elsewhere_reads_the_runnable_count():
    from landopt.analysis.ranges_parallel import busy_elsewhere

    assert busy_elsewhere("0.52 0.44 0.54 3/92 7451\n") == 2  # three runnable, this process one of them
    assert busy_elsewhere("0.52 0.44 0.54 1/92 7451\n") == 0
    assert busy_elsewhere("") == 0 and busy_elsewhere("a b c d/e") == 0  # not what Linux writes: assume idle


def test_fork_available_needs_a_single_thread():
    import threading

    from landopt.analysis import ranges_fork

    before = ranges_fork.available()
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not ranges_fork.available()
    finally:
        stop.set()
        t.join()
    assert ranges_fork.available() == before


def test_task_board_own_chunk_first_then_steals_from_the_back():
    import time

    from landopt.analysis.ranges_fork import TaskBoard

    board = TaskBoard([np.array([0, 1, 2]), np.array([3, 4])], time.monotonic() + 30)
    mine, theirs = board.claims(0), board.claims(1)
    assert next(mine) == (1.0, 0)
    assert [next(theirs) for _ in range(7)] == [(1.0, 3), (1.0, 4), (-1.0, 3), (-1.0, 4),  # its own: maxima, minima
                                                (-1.0, 2), (-1.0, 1), (-1.0, 0)]  # then chunk 0's, from the back
    assert next(mine) == (1.0, 1)  # chunk 0's owner goes on from the front
    assert next(theirs) == (1.0, 2)  # the last task
    assert list(mine) == [] and list(theirs) == []
    assert not board.broken


def test_split_balances_open_extremes():
    from types import SimpleNamespace

    import scipy.sparse as sp

    from landopt.analysis.ranges_fork import split

    at_lo = np.array([True, True, True, True, False, False, False, False])  # the first four minima already proven
    s = SimpleNamespace(Q=sp.csr_array(np.eye(8)), at_lo=at_lo, at_hi=np.zeros(8, dtype=bool))
    parts = split(s, 2)
    assert [p.tolist() for p in parts] == [[0, 1, 2, 3, 4], [5, 6, 7]]  # 4 + 2 open extremes | 6
    assert [p.tolist() for p in split(s, 20)] == [[i] for i in range(8)]  # no empty chunk


def _same_table(a, b) -> None:
    for c in ("min", "max", "optimum"):
        assert np.allclose(a.table[c], b.table[c], rtol=1e-9, atol=1e-6), c
    for c in ("kind", "region", "land_use", "from_land_use", "to_land_use", "fixed", "direction", "status"):
        assert a.table[c].tolist() == b.table[c].tolist(), c


@pytest.fixture(scope="module")
def tibet_area_serial(tibet_lm):
    return near_optimal_ranges(tibet_lm, 0.01, kinds=("area",), workers=1)


def _need_fork():
    from landopt.analysis import ranges_fork

    if not ranges_fork.available():
        pytest.skip("the fork tier needs Linux and a single Python thread")


def test_fork_tier_equals_serial_on_the_shipped_workbook(tibet_lm):
    _need_fork()
    serial = near_optimal_ranges(tibet_lm, 0.01, workers=1)
    forked = near_optimal_ranges(tibet_lm, 0.01, workers=2)
    assert (serial.timing["tier"], serial.timing["workers"]) == ("serial", 1)
    assert serial.timing["children_cpu_seconds"] == 0.0
    assert (forked.timing["tier"], forked.timing["workers"], forked.timing["children_lost"]) == ("fork", 2, 0)
    assert forked.timing["children_cpu_seconds"] > 0  # the child's own CPU time, counted in batch_cpu_seconds
    assert forked.timing["batch_cpu_seconds"] > forked.timing["children_cpu_seconds"]
    assert set(forked.table["kind"]) == {"area", "conversion", "livestock"} and len(forked.table) == len(serial.table)
    _same_table(forked, serial)
    # every extreme is solved or proven in exactly one of the two processes, or by a plan either of them visited
    assert forked.timing["lps"] == int(forked.table["solved_min"].sum() + forked.table["solved_max"].sum())


def _lost_child(tibet_lm, serial, monkeypatch, caplog, hook, problem: str) -> None:
    import logging
    import os
    import re

    from landopt.analysis import ranges_fork

    _need_fork()
    monkeypatch.setattr(ranges_fork, "child_hook", hook)
    with caplog.at_level(logging.WARNING, logger="landopt.analysis.ranges_fork"):
        r = near_optimal_ranges(tibet_lm, 0.01, kinds=("area",), workers=2)
    assert (r.timing["tier"], r.timing["children_lost"]) == ("fork", 1)
    _same_table(r, serial)
    msgs = [m for m in caplog.messages if m.startswith("ranges: worker process")]
    assert len(msgs) == 1, caplog.messages
    m = re.fullmatch(r"ranges: worker process (\d+) \((\d+) quantities\): (.*); its work is done in this process",
                     msgs[0])
    assert m and m.group(3) == problem, msgs[0]
    assert 0 < int(m.group(2)) < 91
    with pytest.raises(ChildProcessError):  # reaped: no zombie left
        os.waitpid(int(m.group(1)), os.WNOHANG)


def test_fork_child_that_raises_is_redone_by_the_parent(tibet_lm, tibet_area_serial, monkeypatch, caplog):
    def boom(own):
        raise RuntimeError(f"injected failure on {len(own)} quantities")

    problem = "raised RuntimeError: injected failure on {} quantities"
    _lost_child(tibet_lm, tibet_area_serial, monkeypatch, caplog, boom, problem.format(_child_chunk(tibet_lm)))


def test_fork_child_that_dies_is_redone_by_the_parent(tibet_lm, tibet_area_serial, monkeypatch, caplog):
    import os

    _lost_child(tibet_lm, tibet_area_serial, monkeypatch, caplog, lambda own: os._exit(3),
                "incomplete answer (EOFError)")


def test_fork_child_that_hangs_is_killed_and_redone(tibet_lm, tibet_area_serial, monkeypatch, caplog):
    import time

    from landopt.analysis import ranges_fork

    monkeypatch.setattr(ranges_fork, "TIMEOUT_FLOOR_S", 1.0)
    monkeypatch.setattr(ranges_fork, "TIMEOUT_PER_ESTIMATE", 0.0)
    t0 = time.perf_counter()
    _lost_child(tibet_lm, tibet_area_serial, monkeypatch, caplog, lambda own: time.sleep(60),
                "no answer before the deadline: killed")
    assert time.perf_counter() - t0 < 30


def test_fork_parent_that_raises_kills_and_reaps_its_child(tibet_lm, monkeypatch, tmp_path):
    import os
    import time

    from landopt.analysis import ranges_fork
    from landopt.analysis.ranges import Search, proven_bounds

    _need_fork()
    pid_file = tmp_path / "child.pid"
    monkeypatch.setattr(ranges_fork, "child_hook", lambda own: (pid_file.write_text(str(os.getpid())),
                                                                time.sleep(60)))
    nx = NearOptimal(tibet_lm, 0.01)
    q = planner_quantities(tibet_lm)
    lo, hi = proven_bounds(nx.warm.form, q.Q)
    opt = q.Q @ nx.optimum.x
    search = Search(Q=q.Q, proven_lo=lo, proven_hi=hi, lo=opt.copy(), hi=opt.copy())
    solver = nx.batch()
    parent = os.getpid()

    def extreme(cols, values):
        assert os.getpid() == parent  # the child never gets this far: it sleeps in the hook
        deadline = time.monotonic() + 10
        while not (pid_file.exists() and pid_file.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.01)  # the file exists before the child has written its pid into it
        raise RuntimeError("the parent's own solve failed")

    monkeypatch.setattr(solver, "extreme", extreme)
    with pytest.raises(RuntimeError, match=r"^the parent's own solve failed$"):
        ranges_fork.solve_forked(solver, search, 2, 0.3)
    child = int(pid_file.read_text())
    with pytest.raises(ChildProcessError):  # killed and reaped, not left sleeping or as a zombie
        os.waitpid(child, os.WNOHANG)


def _child_chunk(lm) -> int:
    """How many area quantities the child gets on the shipped workbook (the second of two balanced chunks)."""
    from landopt.analysis.ranges import Search, proven_bounds
    from landopt.analysis.ranges_fork import split

    nx = NearOptimal(lm, 0.01)
    q = planner_quantities(lm)
    Q = q.Q[np.flatnonzero((q.table["kind"] == "area").to_numpy())]
    lo, hi = proven_bounds(nx.warm.form, Q)
    opt = Q @ nx.optimum.x
    s = Search(Q=Q, proven_lo=lo, proven_hi=hi, lo=opt.copy(), hi=opt.copy())
    s.visit(nx.optimum.x)
    return len(split(s, 2)[1])


def test_fork_tier_on_the_tiny_instance_equals_serial():
    _need_fork()
    lm = degenerate_model()
    serial = near_optimal_ranges(lm, 0.01, abs_tol=0.1)
    forked = near_optimal_ranges(lm, 0.01, abs_tol=0.1, workers=2)
    assert serial.timing["tier"] == "serial"  # 10 quantities: about 0.01 s estimated, below the fork threshold
    assert (forked.timing["tier"], forked.timing["workers"]) == ("fork", 2)
    _same_table(forked, serial)


@pytest.mark.slow
def test_pool_and_serial_give_the_same_table(monkeypatch):
    from landopt.analysis import ranges_fork

    monkeypatch.setattr(ranges_fork, "available", lambda: False)  # explicit workers then go to the pool
    lm = degenerate_model()
    serial = near_optimal_ranges(lm, 0.01, abs_tol=0.1, workers=1)
    parallel = near_optimal_ranges(lm, 0.01, abs_tol=0.1, workers=2)
    assert (parallel.timing["tier"], parallel.timing["workers"]) == ("pool", 2)
    assert (serial.timing["tier"], serial.timing["workers"]) == ("serial", 1)
    cols = ["kind", "region", "land_use", "from_land_use", "to_land_use", "fixed", "direction", "status"]
    pd.testing.assert_frame_equal(parallel.table[cols], serial.table[cols])
    for c in ("min", "optimum", "max"):
        assert np.allclose(parallel.table[c], serial.table[c], rtol=1e-6, atol=1e-6), c


def test_tibet_fast_batch_equals_plain_warm_solves_of_every_quantity(tibet_lm):
    """Every quantity's min and max from the fast batch (probes, skips, sparse costs, reset basis) against the plain
    method: one full warm re-solve per extreme, nothing skipped."""
    r = near_optimal_ranges(tibet_lm, 0.01)
    nx = NearOptimal(tibet_lm, 0.01)
    q = planner_quantities(tibet_lm)
    t = r.table
    assert len(t) == q.Q.shape[0]
    for i in range(len(t)):
        c = q.Q[[i]].toarray().ravel()
        for col, sign in (("max", 1.0), ("min", -1.0)):
            ref = nx.extreme(sign * c)
            assert ref.status == "optimal"
            want = float(c @ ref.x)
            if t.loc[i, col] != pytest.approx(want, rel=1e-6, abs=1e-3):
                # a chain of warm re-solves can stop at a vertex HiGHS accepts within its tolerances but that is not
                # quite the extreme (seen: Lhasa rural max 16,804.72 against 16,804.89); the arbiter is a solve of
                # that extreme alone, straight after the optimum
                alone = NearOptimal(tibet_lm, 0.01).extreme(sign * c)
                want = float(c @ alone.x)
            assert t.loc[i, col] == pytest.approx(want, rel=1e-6, abs=1e-3), t.loc[i].to_dict()


def test_ranges_workbook_under_stock_change_is_cumulative_and_chinese_first(tmp_path):
    """Review R2/R13: the afforestation instance of test_carbon_accounting (stock change, optimum 180 K t CO2e over
    2021–2030): the summary's net sink and its floor are cumulative t CO2e; sheets and units Chinese first."""
    from openpyxl import load_workbook

    from landopt import api
    from landopt.analysis.workbook import write_ranges
    from test_carbon_accounting import afforestation

    r = api.near_optimal_ranges(load_spec(from_tables(afforestation())), 0.01)
    wb = load_workbook(write_ranges(r, tmp_path / "r.xlsx"))
    assert wb.sheetnames == ["摘要 summary", "面积区间 area ranges", "地类转换区间 conversion ranges"]
    summary = {x[0]: x[1:3] for x in wb["摘要 summary"].iter_rows(min_row=5, max_row=14, values_only=True) if x[0]}
    assert summary["最优净碳汇（2021–2030年累计） net sink (cumulative 2021–2030) at the optimum"] == \
        (pytest.approx(180 * K), "吨CO2e/t CO2e")
    assert summary["近优方案最低净碳汇（2021–2030年累计） lowest net sink (cumulative 2021–2030) allowed"] == \
        (pytest.approx(0.99 * 180 * K), "吨CO2e/t CO2e")
    assert summary["面积 area：固定 fixed / 全部 all"][1] == "项 quantities"
    assert summary["单次求解 one solve (HiGHS, cold)"][1] == "秒/s"
    assert not any("/yr" in str(v[1]) for v in summary.values())
