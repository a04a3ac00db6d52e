"""``landopt sweep``: sampling, executors (local pool and a real Dask cluster), faults and resume.

The instance is tiny (two regions, one milestone) and every sweep has 5 samples + the base run, so the
whole file runs in well under a minute on two cores.  Sampled parameter ``crop_min`` raises region B's
cropland floor above its baseline (200 ha; nothing may convert to cropland), so the upper LHS strata are
infeasible by construction: the same sweeps check that infeasible runs are recorded and the sweep goes on.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from landopt.reader import from_tables, tidy
from landopt.scenarios import ScenarioError
from landopt.sweep import (
    OBJECTIVE, Checkpoint, UncertainParameter, UncertaintyError, draw_samples, latin_hypercube, parse_uncertainty,
    read_ranges, run_sweep, run_task, summarize, write_sweep_workbook,
)
from landopt.validate import InputError

SAMPLES, SEED = 5, 7

UNCERTAINTY = [
    {"parameter": "forest_flux", "sheet": "land_uses", "column": "carbon_flux_tC_per_ha_yr", "where": "land_use=forest",
     "low": -0.644, "high": -0.5, "distribution": "uniform", "note": "Fang et al. 2007 vs alternative"},
    {"parameter": "forage", "sheet": "grazing", "column": "forage_yield_kg_per_ha", "where": "", "low": 0.8,
     "high": 1.2, "operation": "scale"},
    {"parameter": "pv_density", "sheet": "energy", "column": "pv_mw_per_ha", "where": "region=A", "low": 0.2,
     "high": 0.4, "distribution": "triangular", "mode": 0.28},
    {"parameter": "crop_min", "sheet": "targets", "column": "cropland_min_ha", "where": "region=B", "low": 150,
     "high": 230},
]


def sweep_tables(uncertainty: list[dict] | None = UNCERTAINTY, **extra) -> dict[str, pd.DataFrame]:
    regions = ("A", "B")
    lus = [("cropland", "cropland", -0.1), ("forest", "forest", -0.6), ("grassland", "grassland", -0.2),
           ("urban", "urban", 5.0), ("pv", "pv", 0.0), ("unused", "unused", 0.0)]
    base = {"cropland": 200, "forest": 200, "grassland": 400, "urban": 50, "pv": 0, "unused": 150}
    tr = [("unused", "forest", 20), ("unused", "pv", None), ("grassland", "forest", 10), ("cropland", "urban", None),
          ("unused", "urban", None)]
    t = {
        "settings": pd.DataFrame({"key": ["title", "baseline_year", "milestone_years"], "value": ["sweep test", "2020", "2030"]}),
        "regions": pd.DataFrame({"region": list(regions), "total_area_ha": [1000.0] * len(regions)}),
        "land_uses": pd.DataFrame({"land_use": [x[0] for x in lus], "role": [x[1] for x in lus],
                                   "carbon_flux_tC_per_ha_yr": [x[2] for x in lus]}),
        "baseline": pd.DataFrame([{"region": r, "land_use": k, "area_ha": float(v)} for r in regions for k, v in base.items()]),
        "transitions": pd.DataFrame([{"from_land_use": a, "to_land_use": b, "allowed": "yes", "max_pct_per_period": p}
                                     for a, b, p in tr]),
        "targets": pd.DataFrame([{"region": r, "year": 2030, "cropland_min_ha": 180.0, "urban_population": 20000,
                                  "urban_land_per_capita_m2": 30.0} for r in regions]),
        "grazing": pd.DataFrame([{"region": r, "year": 2030, "forage_yield_kg_per_ha": 1500.0, "utilisation_rate": 0.5,
                                  "intake_kg_per_su_yr": 657.0, "livestock_min_su": 100.0, "ch4_kg_per_su_yr": 8.0}
                                 for r in regions]),
        "energy": pd.DataFrame([{"region": r, "year": 2030, "pv_suitable_ha": 100.0, "pv_mw_per_ha": 0.28,
                                 "clean_capacity_min_mw": 10.0} for r in regions]),
        "scenarios": pd.DataFrame([
            {"scenario": "more_urban", "description": "more urban residents", "sheet": "targets",
             "column": "urban_population", "where": "", "operation": "scale", "value": 1.5},
        ]),
    }
    if uncertainty is not None:
        t["uncertainty"] = pd.DataFrame(uncertainty)
    t.update(extra)
    return t


@pytest.fixture(scope="module")
def raw():
    return from_tables(sweep_tables(), name="sweep_test")


@pytest.fixture(scope="module")
def reference(raw):
    """The uninterrupted sweep on one local worker: what every other executor must reproduce."""
    return run_sweep(raw, SAMPLES, seed=SEED, workers=1, progress=False)


# -- worker-side instrumentation (module level: pickled by reference into the worker processes) -----------

def crash_once(task: dict, run_id: int, marker: str) -> dict:
    """Kill the worker process the first time it runs ``run_id`` (the marker file remembers the first time)."""
    if task["run_id"] == run_id and not os.path.exists(marker):
        Path(marker).write_text(str(task["attempt"]))
        os._exit(1)
    return run_task(task)


def crash_always(task: dict, run_id: int) -> dict:
    if task["run_id"] == run_id:
        os._exit(1)
    return run_task(task)


def counting(task: dict, counter: str) -> dict:
    """Append the run id to ``counter`` every time a worker actually solves a run."""
    with open(counter, "a", encoding="utf-8") as f:
        f.write(f"{task['run_id']}\n")
        f.flush()
        os.fsync(f.fileno())
    return run_task(task)


# -- sampling ----------------------------------------------------------------------------------------------

def test_latin_hypercube_hits_every_stratum_once_per_parameter():
    n, k = 40, 5
    u = latin_hypercube(n, k, np.random.default_rng(3))
    assert u.shape == (n, k) and (u >= 0).all() and (u < 1).all()
    for j in range(k):
        assert sorted(np.floor(u[:, j] * n).astype(int)) == list(range(n))


def test_lhs_samples_are_stratified_in_each_parameters_own_distribution():
    params = parse_uncertainty(tidy(pd.DataFrame(UNCERTAINTY)))
    n = 30
    s = draw_samples(params, n, seed=11, method="lhs")
    assert list(s.index) == list(range(1, n + 1)) and list(s.columns) == [p.name for p in params]
    for p in params:
        x = s[p.name].to_numpy()
        assert (x >= p.low).all() and (x <= p.high).all()
        strata = np.floor(p.cdf(x) * n + 1e-9).astype(int)  # triangular: back through its CDF
        assert sorted(strata) == list(range(n)), p.name
    # reproducible from the seed, different for another seed; MC is not stratified but in range
    pd.testing.assert_frame_equal(s, draw_samples(params, n, seed=11, method="lhs"))
    assert not s.equals(draw_samples(params, n, seed=12, method="lhs"))
    mc = draw_samples(params, n, seed=11, method="mc")
    for p in params:
        assert mc[p.name].between(p.low, p.high).all()


def test_triangular_inverse_cdf_round_trips():
    p = UncertainParameter("x", "energy", "pv_mw_per_ha", {}, 0.2, 0.4, "triangular", 0.28)
    u = np.linspace(0, 0.999, 101)
    np.testing.assert_allclose(p.cdf(p.ppf(u)), u, atol=1e-12)
    assert p.ppf(np.array([0.4]))[0] == pytest.approx(0.28)  # P(X <= mode) = (mode - low) / (high - low)


# -- the uncertainty sheet ---------------------------------------------------------------------------------

def test_uncertainty_sheet_problems_name_their_row_and_column(raw):
    bad = tidy(pd.DataFrame([
        {"parameter": "a", "sheet": "land_usez", "column": "carbon_flux_tC_per_ha_yr", "where": "", "low": -1, "high": 0},
        {"parameter": "b", "sheet": "grazing", "column": "forage_yield", "where": "", "low": 0.8, "high": 1.2},
        {"parameter": "c", "sheet": "energy", "column": "pv_mw_per_ha", "where": "region=A", "low": 0.4, "high": 0.2},
        {"parameter": "d", "sheet": "targets", "column": "cropland_min_ha", "where": "region=B", "low": "lots", "high": 230},
        {"parameter": "e", "sheet": "energy", "column": "pv_mw_per_ha", "where": "region=B", "low": 0.2, "high": 0.4,
         "distribution": "triangular"},
        {"parameter": "f", "sheet": "grazing", "column": "utilisation_rate", "where": "", "low": 0.5, "high": 1.5},
        {"parameter": "g", "sheet": "regions", "column": "region", "where": "", "low": 0, "high": 1},
        {"parameter": "a", "sheet": "land_uses", "column": "carbon_flux_tC_per_ha_yr", "where": "land_use=forest",
         "low": -1, "high": 0},
    ]))
    with pytest.raises(InputError) as e:
        parse_uncertainty(bad, raw)
    text = str(e.value)
    assert len(e.value.problems) == 8
    for expected in [
        "sheet 'uncertainty', row 2, column 'sheet': value 'land_usez' — unknown sheet",
        "row 3, column 'column': value 'forage_yield' — sheet 'grazing' has no such column",
        "row 4, column 'low': value 0.4 — low exceeds high",
        "row 5, column 'low': value 'lots' — expected a number",
        "row 6, column 'mode': a triangular distribution needs its mode",
        "row 7, column 'high': value 1.5 — above the largest value column 'utilisation_rate' accepts (1)",
        "row 8, column 'column': value 'region' — column 'region' of sheet 'regions' is not a numeric coefficient",
        "row 9, column 'parameter': value 'a' — duplicate parameter name; already used on row 2",
    ]:
        assert expected in text, (expected, text)


def test_uncertainty_cannot_sample_the_sources_or_uncertainty_sheets(raw):
    """Both sheets exist but hold no model data (sampled values are applied as scenario overrides, which refuse
    them): the problem says so, and neither is offered among the sheets that can be sampled."""
    bad = tidy(pd.DataFrame([
        {"parameter": "s", "sheet": "sources", "column": "status", "where": "", "low": 0, "high": 1},
        {"parameter": "u", "sheet": "uncertainty", "column": "low", "where": "", "low": 0, "high": 1},
    ]))
    with pytest.raises(InputError) as e:
        parse_uncertainty(bad, raw)
    listed = ("settings, regions, land_uses, baseline, carbon_by_region, carbon_stocks, province_targets, transitions, "
              "targets, grazing, energy, area_bounds, protected_land, energy_bases, hydro_projects")
    why = f"the sheet holds documentation or sweep ranges, not model data: it cannot be sampled; expected one of: {listed}"
    assert [str(p) for p in e.value.problems] == [
        f"sheet 'uncertainty', row 2, column 'sheet': value 'sources' — {why}",
        f"sheet 'uncertainty', row 3, column 'sheet': value 'uncertainty' — {why}"]
    assert e.value.problems[0].zh() == (
        "工作表“uncertainty”第 2 行“sheet”列：填写值为 'sources'，该工作表是说明或抽样范围，不是模型数据，不能抽样；"
        f"应为下列之一：{listed.replace(', ', '、')}")


def test_uncertainty_where_matching_no_cell_is_reported_with_its_row(raw):
    bad = tidy(pd.DataFrame([
        UNCERTAINTY[0],
        {"parameter": "x", "sheet": "targets", "column": "cropland_min_ha", "where": "region=A;year=2031", "low": 1, "high": 2},
        {"parameter": "y", "sheet": "land_uses", "column": "carbon_flux_tC_per_ha_yr", "where": "land_use=fores",
         "low": -1, "high": 0},
    ]))
    with pytest.raises(UncertaintyError) as e:
        parse_uncertainty(bad, raw, label="sweep_test (sheet 'uncertainty')")
    assert isinstance(e.value, ScenarioError)  # the CLI reports it as bad input (exit 2)
    text = str(e.value)
    assert "2 problems in sweep_test (sheet 'uncertainty')" in text
    assert "sheet 'uncertainty', row 3, parameter 'x', column 'where': 'region=A;year=2031' matches no row" in text
    assert "sheet 'uncertainty', row 4, parameter 'y', column 'where': unknown land use 'fores'" in text


def test_ranges_csv_gives_the_same_parameters_as_the_sheet(raw, tmp_path):
    csv = tmp_path / "ranges.csv"
    pd.DataFrame(UNCERTAINTY).to_csv(csv, index=False)
    from_csv = parse_uncertainty(read_ranges(csv), raw, sheet="ranges", kind="folder")
    from_sheet = parse_uncertainty(raw.tables["uncertainty"], raw)
    assert [p.as_row() | {"origin": ""} for p in from_csv] == [p.as_row() | {"origin": ""} for p in from_sheet]
    assert from_csv[3].origin == "file 'ranges.csv', row 5"
    pd.DataFrame([{**UNCERTAINTY[0], "high": "x"}]).to_csv(csv, index=False)
    with pytest.raises(InputError, match=r"file 'ranges.csv', row 2, column 'high': value 'x' — expected a number"):
        parse_uncertainty(read_ranges(csv), raw, sheet="ranges", kind="folder")


# -- local pool ---------------------------------------------------------------------------------------------

def test_reference_sweep_records_every_run_including_infeasible_ones(reference):
    rec = reference.records
    assert list(rec["run_id"]) == list(range(SAMPLES + 1))
    assert list(rec["sample_id"]) == list(range(SAMPLES + 1)) and set(rec["scenario"]) == {"base"}
    assert (rec["attempt"] == 1).all()
    base = rec.iloc[0]
    assert base["status"] == "optimal" and rec.loc[0, ["forest_flux", "crop_min"]].isna().all()
    # crop_min is LHS-stratified over [150, 230]; above 200 ha region B's cropland floor cannot be met
    infeasible = rec[rec["status"] == "infeasible"]
    assert len(infeasible) >= 1 and (infeasible["crop_min"] > 200).all()
    assert infeasible["message"].str.contains("No plan can meet all requirements").all()
    assert infeasible[OBJECTIVE].isna().all()
    optimal = rec[rec["status"] == "optimal"]
    assert len(optimal) >= 2 and (optimal["crop_min"].iloc[1:] <= 200).all()
    assert len(optimal) + len(infeasible) == len(rec)  # the sweep went on past every infeasible run
    # the net sink is the sum of the terms (each a signed contribution: removal +, emission −)
    assert [c for c in rec.columns if c.startswith("term_")] == [
        "term_sequestration", "term_construction_emissions", "term_livestock_ch4", "term_avoided_emissions"]
    terms = optimal["term_sequestration"] + optimal["term_construction_emissions"] \
        + optimal["term_livestock_ch4"] + optimal["term_avoided_emissions"]
    np.testing.assert_allclose(optimal[OBJECTIVE], terms, rtol=1e-12)
    ns = reference.summary["net_sink"].iloc[0]
    assert ns["runs"] == SAMPLES and ns["infeasible"] == len(infeasible) and ns["optimal"] == len(optimal) - 1
    v = optimal.loc[optimal["sample_id"] > 0, OBJECTIVE].to_numpy()
    assert ns["net_sink_p50"] == pytest.approx(np.percentile(v, 50))
    assert ns["net_sink_base_run"] == pytest.approx(base[OBJECTIVE])
    assert reference.metadata["objective_unit"] == "t CO2e/yr"  # flux accounting: the net sink is a rate


def test_sampled_values_reach_the_model(raw, reference):
    """A sampled run solved by hand with the same overrides gives the record's objective."""
    from landopt.api import optimize
    from landopt.scenarios import apply_overrides
    from landopt.validate import load_spec

    rec = reference.records
    row = rec[(rec["status"] == "optimal") & (rec["sample_id"] > 0)].iloc[0]
    params = reference.parameters
    pairs = [("s", p.override(row[p.name], int(row["sample_id"]))) for p in params]
    res = optimize(load_spec(apply_overrides(raw, pairs)), threads=1)
    assert res.objective == pytest.approx(row[OBJECTIVE], rel=1e-9)
    for t, v in res.terms.items():
        assert row[f"term_{t}"] == pytest.approx(v, rel=1e-9, abs=1e-9)
    ty = max(res.allocation.index.get_level_values("year"))
    for (r, lu), a in reference.areas.loc[int(row["run_id"])].items():
        assert a == pytest.approx(res.allocation.loc[(r, lu, ty), "area_ha"], abs=1e-6)


def test_same_seed_gives_identical_records_on_one_and_two_workers(raw, reference):
    two = run_sweep(raw, SAMPLES, seed=SEED, workers=2, progress=False)
    pd.testing.assert_frame_equal(two.comparable(), reference.comparable())
    pd.testing.assert_frame_equal(two.areas, reference.areas)
    assert two.records["worker"].nunique() == 2  # both workers really ran


def test_scenarios_cross_samples(raw):
    res = run_sweep(raw, 2, seed=SEED, workers=2, scenarios="base,more_urban", progress=False)
    rec = res.records
    assert list(rec["run_id"]) == list(range(6))
    assert list(rec["scenario"]) == ["base"] * 3 + ["more_urban"] * 3
    # common random numbers: the same samples under every scenario
    np.testing.assert_array_equal(rec.loc[1:2, "forest_flux"].to_numpy(), rec.loc[4:5, "forest_flux"].to_numpy())
    urban = res.areas.xs("urban", axis=1, level="land_use")
    assert (urban.loc[3] > urban.loc[0] + 1).all()  # 1.5 × the urban residents need more urban land
    assert set(res.summary["net_sink"]["scenario"]) == {"base", "more_urban"}
    with pytest.raises(ScenarioError, match="unknown scenario 'nope'"):
        run_sweep(raw, 1, scenarios=["nope"], progress=False)


# -- faults ---------------------------------------------------------------------------------------------------

def test_killed_worker_loses_no_result(raw, reference, tmp_path):
    marker = tmp_path / "crashed.txt"
    res = run_sweep(raw, SAMPLES, seed=SEED, workers=2, progress=False,
                    task_fn=functools.partial(crash_once, run_id=3, marker=str(marker)))
    assert marker.read_text() == "1"  # the worker died on the run's first attempt
    rec = res.records.set_index("run_id")
    assert rec.loc[3, "attempt"] == 2
    # the run killed alongside it (if any) was retried too; nothing else was
    assert (rec["attempt"] == 2).sum() <= 2 and rec["attempt"].max() == 2
    pd.testing.assert_frame_equal(res.comparable(), reference.comparable())  # attempts and timings aside


def test_run_that_always_kills_its_worker_is_recorded_lost(raw, reference):
    res = run_sweep(raw, SAMPLES, seed=SEED, workers=2, progress=False,
                    task_fn=functools.partial(crash_always, run_id=2))
    rec = res.records.set_index("run_id")
    assert rec.loc[2, "status"] == "lost" and rec.loc[2, "attempt"] == 2
    assert "its worker died on each of 2 attempt(s)" in rec.loc[2, "message"]
    others = rec.drop(index=2)
    ref = reference.records.set_index("run_id").drop(index=2)
    pd.testing.assert_series_equal(others["status"], ref["status"])
    np.testing.assert_allclose(others[OBJECTIVE], ref[OBJECTIVE], rtol=0, equal_nan=True)
    assert res.summary["net_sink"].iloc[0]["failed"] == 1


def test_invalid_sample_is_recorded_and_the_sweep_goes_on(tmp_path):
    """A sampled value the validator rejects (a floor above the region's total area) becomes status 'invalid'."""
    unc = [{"parameter": "forest_min", "sheet": "targets", "column": "forest_min_ha", "where": "region=A",
            "low": 100, "high": 1900}]
    res = run_sweep(from_tables(sweep_tables(unc)), 4, seed=1, workers=2, progress=False)
    rec = res.records
    # with the cropland floor of 180 ha, forest floors above 820 ha cannot fit in region A's 1,000 ha
    bad = rec[rec["forest_min"] > 820]
    assert len(bad) >= 2 and (bad["status"] == "invalid").all()
    assert bad["message"].str.contains("sheet 'targets', row 2").all()
    assert bad["message"].str.contains("total area of region 'A'").all()
    assert (rec.loc[~(rec["forest_min"] > 820), "status"] == "optimal").all()  # base run included


# -- resume ---------------------------------------------------------------------------------------------------

class Interrupted(Exception):
    pass


def test_interrupted_sweep_resumes_without_rerunning_finished_runs(raw, reference, tmp_path):
    out = tmp_path / "sweep.xlsx"
    ck = tmp_path / "sweep.xlsx.partial.jsonl"
    seen: list[int] = []

    def stop_after_three(rec):
        seen.append(rec["run_id"])
        if len(seen) == 3:
            raise Interrupted

    with pytest.raises(Interrupted):
        run_sweep(raw, SAMPLES, seed=SEED, workers=1, out=out, progress=False, on_record=stop_after_three)
    assert not out.exists() and ck.exists()
    lines = ck.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["kind"] == "landopt-sweep-checkpoint" and len(lines) == 4
    first = {json.loads(x)["run_id"]: json.loads(x) for x in lines[1:]}
    assert set(first) == set(seen)
    with ck.open("a", encoding="utf-8") as f:  # the interruption cut a record short
        f.write('{"run_id": 5, "status": "opt')

    counter = tmp_path / "solved.txt"
    res = run_sweep(raw, SAMPLES, seed=SEED, workers=2, out=out, resume=True, progress=False,
                    task_fn=functools.partial(counting, counter=str(counter)))
    solved = sorted(int(x) for x in counter.read_text().split())
    assert solved == sorted(set(range(SAMPLES + 1)) - set(first))  # finished runs were not solved again
    assert res.metadata["reused_from_checkpoint"] == 3
    pd.testing.assert_frame_equal(res.comparable(), reference.comparable())
    rec = res.records.set_index("run_id")
    for rid, r in first.items():
        assert rec.loc[rid, "started_at"] == r["started_at"]
    assert out.exists() and not ck.exists()  # the checkpoint goes once the workbook is written


def test_resume_rejects_a_checkpoint_of_another_input(raw, tmp_path):
    ck = Checkpoint(tmp_path / "x.partial.jsonl")
    ck.open("not-this-input")
    ck.close()
    with pytest.raises(ValueError, match="different input"):
        run_sweep(raw, 1, seed=SEED, workers=1, checkpoint=ck.path, resume=True, progress=False)


def test_resume_reruns_records_whose_samples_changed(raw, reference, tmp_path):
    """A checkpoint from another seed shares run ids but not samples: nothing is reused."""
    ckp = tmp_path / "s.partial.jsonl"
    run_sweep(raw, 1, seed=SEED + 5, workers=1, checkpoint=ckp, keep_checkpoint=True, progress=False)
    assert len(ckp.read_text().splitlines()) == 3
    res = run_sweep(raw, 1, seed=SEED, workers=1, checkpoint=ckp, resume=True, progress=False)
    assert res.metadata["reused_from_checkpoint"] == 1  # only the base run (sample 0) is the same run
    # sample 1 of seed SEED with 1 sample differs from sample 1 of the 5-sample reference, but the base run is shared
    assert res.records.loc[0, OBJECTIVE] == reference.records.loc[0, OBJECTIVE]


# -- outputs --------------------------------------------------------------------------------------------------

def test_summary_influence_and_area_changes_on_known_records():
    params = [UncertainParameter("strong", "land_uses", "carbon_flux_tC_per_ha_yr", {}, 0, 1),
              UncertainParameter("weak", "energy", "pv_mw_per_ha", {}, 0, 1),
              UncertainParameter("negative", "grazing", "forage_yield_kg_per_ha", {}, 0, 1)]
    rng = np.random.default_rng(1)
    n = 40
    strong, weak, neg = rng.random(n), rng.random(n), rng.random(n)
    y = 100 * strong - 50 * neg + 5 * rng.random(n)  # 'weak' plays no part
    rec = pd.DataFrame({"run_id": range(n + 1), "scenario": "base", "sample_id": range(n + 1),
                        "strong": np.r_[np.nan, strong], "weak": np.r_[np.nan, weak], "negative": np.r_[np.nan, neg],
                        "status": "optimal", OBJECTIVE: np.r_[50.0, y]})
    areas = pd.DataFrame({("A", "forest"): np.r_[10.0, np.where(strong > 0.5, 12.0, 10.5)],
                          ("A", "urban"): 5.0}, index=pd.Index(range(n + 1), name="run_id"))
    areas.columns = pd.MultiIndex.from_tuples(areas.columns, names=["region", "land_use"])
    s = summarize(rec, areas, params)
    inf = s["influence"]
    assert list(inf["parameter"]) == ["strong", "negative", "weak"] and list(inf["rank"]) == [1, 2, 3]
    assert inf.iloc[0]["spearman_rho"] > 0.8 and inf.iloc[1]["spearman_rho"] < -0.3 and abs(inf.iloc[2]["spearman_rho"]) < 0.2
    a = s["areas"].set_index(["region", "land_use"])
    assert a.loc[("A", "forest"), "changed_runs"] == int((strong > 0.5).sum())  # |12 - 10| > 1 ha; 10.5 is not
    assert a.loc[("A", "forest"), "min_ha"] == 10.5 and a.loc[("A", "forest"), "max_ha"] == 12.0
    assert a.loc[("A", "urban"), "changed_runs"] == 0
    h = s["histogram"]
    assert h["runs: base"].sum() == n and h["bin_from"].iloc[0] == pytest.approx(y.min())


def test_workbook_has_tables_charts_and_parquet(reference, tmp_path):
    from openpyxl import load_workbook

    path = write_sweep_workbook(reference, tmp_path / "sweep.xlsx", parquet=True)
    wb = load_workbook(path)
    assert wb.sheetnames == ["概况 about", "净碳汇分布 net_sink", "参数影响 influence", "面积 areas", "运行记录 runs",
                             "不确定参数 parameters"]
    assert len(wb["净碳汇分布 net_sink"]._charts) == 1 and len(wb["参数影响 influence"]._charts) == 1
    # where the plan itself sits among the sampled runs, and the share without a plan, in words
    rec = reference.records
    sampled = rec[(rec["scenario"] == "base") & (rec["sample_id"] > 0)]
    v = sampled.loc[sampled["status"] == "optimal", "net_sink"]
    base = rec[(rec["scenario"] == "base") & (rec["sample_id"] == 0)]["net_sink"].iloc[0]
    notes = [c.value for r in wb["净碳汇分布 net_sink"].iter_rows() for c in r if isinstance(c.value, str)]
    want = (f"base：本方案（基准运行，{base:,.0f} t CO2e/yr）位于抽样结果的第 {(v <= base).mean() * 100:.0f} 百分位；"
            f"{(len(sampled) - len(v)) / len(sampled) * 100:.1f}% 的抽样运行无最优方案。")
    assert any(n.startswith(want) for n in notes), notes
    runs = wb["运行记录 runs"]
    assert runs.max_row == 1 + len(reference.records)
    headers = [c.value for c in runs[1]]
    assert headers[:4] == ["运行编号 run id", "情景 scenario", "样本编号 sample id", "抽样值 forest flux"]
    assert "净碳汇（目标函数值） net sink (t CO2e/yr)" in headers
    assert headers[headers.index("净碳汇（目标函数值） net sink (t CO2e/yr)") + 1:][:4] == [
        "非建设用地净固碳 sequestration (t CO2e/yr)", "建设用地碳排放 construction emissions (t CO2e/yr)",
        "牲畜肠道甲烷排放（CO2当量） livestock ch4 (t CO2e/yr)", "光伏发电减排量 avoided emissions (t CO2e/yr)"]
    ns_heads = [c.value for c in wb["净碳汇分布 net_sink"][4]]
    assert ns_heads[5:10] == ["基准运行（本方案） base run (t CO2e/yr)", "第5百分位 P5 (t CO2e/yr)",
                              "第25百分位 P25 (t CO2e/yr)", "中位数 P50 (t CO2e/yr)", "第75百分位 P75 (t CO2e/yr)"]
    got = pd.read_parquet(tmp_path / "sweep.runs.parquet")
    pd.testing.assert_frame_equal(got, reference.records)
    long = pd.read_parquet(tmp_path / "sweep.areas.parquet")
    assert len(long) == reference.areas.notna().sum().sum()
    assert [p.name for p in reference.parquet_paths] == ["sweep.runs.parquet", "sweep.areas.parquet"]
    assert not list(tmp_path.glob(".*"))  # no temp files left behind


def test_areas_sheet_names_regions_and_land_uses_chinese_first(reference, tmp_path):
    """Review R13: the areas sheet names regions (name_zh) and land uses (name_zh, else their role's name) Chinese
    first; the records and summary tables keep the ids."""
    from dataclasses import replace

    from openpyxl import load_workbook

    from landopt.sweep.summary import display_names

    assert reference.names == {"region": {}, "land_use": {
        "cropland": "耕地", "forest": "林地", "grassland": "草地", "urban": "城镇建设用地", "pv": "光伏用地",
        "unused": "其他土地/未利用地"}}
    t = sweep_tables()
    t["regions"]["name_zh"] = ["甲区", "乙区"]
    res = replace(reference, names=display_names(t))
    wb = load_workbook(write_sweep_workbook(res, tmp_path / "s.xlsx"))
    rows = list(wb["面积 areas"].iter_rows(min_row=4, max_row=6, values_only=True))
    assert rows[0][:3] == ("情景 scenario", "区域 region", "地类 land use")
    assert rows[1][:3] == ("base", "甲区 A", "耕地 cropland") and rows[2][:3] == ("base", "甲区 A", "林地 forest")
    assert list(reference.summary["areas"]["region"].iloc[:1]) == ["A"]


# -- command line -------------------------------------------------------------------------------------------

def _cli(argv):
    """The real command line (landopt.cli.main), in this process."""
    from landopt.cli import main

    return main(argv)


def _folder(tmp_path: Path, tables: dict[str, pd.DataFrame]) -> Path:
    d = tmp_path / "inp"
    d.mkdir()
    for name, df in tables.items():
        df.to_csv(d / f"{name}.csv", index=False)
    return d


def test_cli_sweep_on_a_folder_input(tmp_path, capsys):
    inp = _folder(tmp_path, sweep_tables())
    out = tmp_path / "o" / "sweep.xlsx"
    code = _cli(["sweep", str(inp), "--samples", "2", "--seed", "3", "--workers", "2", "--no-progress",
                 "--json", "-o", str(out)])
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["runs"] == 3 and summary["output"] == str(out) and out.exists()
    # the median net sink under a unit-neutral key, its unit beside it (flux accounting here: a rate)
    assert summary["net_sink_unit"] == "t CO2e/yr" and set(summary["net_sink_p50"]) == {"base"}
    assert "p50_t_co2e_per_yr" not in summary


def test_cli_exit_codes(tmp_path, capsys):
    bad = sweep_tables([{**UNCERTAINTY[0], "sheet": "nowhere"}])
    assert _cli(["sweep", str(_folder(tmp_path, bad)), "--samples", "2", "--no-progress",
                 "-o", str(tmp_path / "a.xlsx")]) == 2
    assert "file 'uncertainty.csv', row 2, column 'sheet'" in capsys.readouterr().err
    # every run infeasible: region B's cropland floor above anything reachable
    t = sweep_tables(None)
    t["targets"].loc[1, "cropland_min_ha"] = 300.0
    (tmp_path / "b").mkdir()
    inp = _folder(tmp_path / "b", t)
    assert _cli(["sweep", str(inp), "--workers", "1", "--no-progress", "-o", str(tmp_path / "b.xlsx")]) == 3
    assert _cli(["sweep", str(inp) + "x", "--no-progress", "-o", str(tmp_path / "c.xlsx")]) == 2


# -- Dask -----------------------------------------------------------------------------------------------------

def test_dask_cluster_gives_the_same_records_as_the_local_pool(raw, reference):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        res = run_sweep(raw, SAMPLES, seed=SEED, scheduler=cluster.scheduler_address, progress=False)
    pd.testing.assert_frame_equal(res.comparable(), reference.comparable())
    pd.testing.assert_frame_equal(res.areas, reference.areas)
    assert res.metadata["engine"].startswith("dask tcp://127.0.0.1:")
    assert not res.records["worker"].str.endswith(f":{os.getpid()}").any()  # solved in the cluster's workers


def test_a_parameter_the_carbon_accounting_does_not_read_is_said(caplog):
    """Sampling land_uses.carbon_flux_tC_per_ha_yr under stock-change accounting (or carbon_stocks under flux) changes
    nothing — the sweep reported P5 = P50 = P95 without a word."""
    import logging

    from test_carbon_outputs import forest_and_herd

    from landopt.api import spec_from_raw
    from landopt.reader import from_tables, tidy
    from landopt.sweep.parameters import parse_uncertainty, warn_unread

    raw = from_tables(forest_and_herd())
    accounting = spec_from_raw(raw).accounting
    assert accounting == "stock_change"
    table = tidy(pd.DataFrame([("forest_flux", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=forest", -0.7, -0.5)],
                              columns=["parameter", "sheet", "column", "where", "low", "high"]))
    with caplog.at_level(logging.WARNING, logger="landopt.sweep.parameters"):
        params = parse_uncertainty(table, raw, sheet="ranges", kind="folder")
        warn_unread(params, accounting)
    assert [p.name for p in params] == ["forest_flux"]
    assert [r.getMessage() for r in caplog.records] == [
        "文件“ranges.csv”第 2 行（参数“forest_flux”）：所抽样的“land_uses.carbon_flux_tC_per_ha_yr”不被本工作簿的碳储量变化法核算读取，"
        "其抽样不改变任何结果 file 'ranges.csv', row 2 (parameter 'forest_flux'): the stock-change accounting of this "
        "workbook does not read land_uses.carbon_flux_tC_per_ha_yr; its samples change nothing"]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="landopt.sweep.parameters"):  # a column it reads: no word
        warn_unread(parse_uncertainty(tidy(pd.DataFrame([("soc", "carbon_stocks", "soc_tC_per_ha", "land_use=forest", 50,
                                                          90)], columns=["parameter", "sheet", "column", "where", "low",
                                                                         "high"])),
                                      raw, sheet="ranges", kind="folder"), accounting)
    assert caplog.records == []
