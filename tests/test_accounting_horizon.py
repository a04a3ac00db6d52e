"""settings.accounting_end_year (docs/model.md §4.1, §7.1): stock-change accounting counted to a year E after the
target year T, land use held at its T state and the last milestone's herd kept.  Hand-computed optima."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import K, run_tables, tiny_tables
from landopt.reader import from_tables
from landopt.validate import check_all
from test_measures import grassland_recovery
from test_protection_families import cap_tables

GAS = 27 / 1000  # t CO2e per kg CH4


def with_end(t: dict, end: int | str) -> dict:
    s = t["settings"]
    t["settings"] = pd.concat([s[s["key"] != "accounting_end_year"],
                               pd.DataFrame({"key": ["accounting_end_year"], "value": [str(end)]})], ignore_index=True)
    return t


def test_conversions_count_their_soil_change_up_to_the_end_year():
    """cap_tables: 5 ha of new urban land in 2020→2030 (converted at τ = 2025).  To 2030 unused→urban loses
    0.2 + (10 − 8)·5/20 = 0.7 t C/ha (−3.5 K); to 2045 (α = 20, the whole soil transition) 0.2 + 2 = 2.2 t C/ha:
    −11 K.  With the construction cap the 5 ha must be redeveloped village land (10 t C/ha of trees lost, whatever
    the horizon): −50 K.  The cap's price falls from 9.3 K (to 2030) to 10 − 2.2 = 7.8 K: one more ha of cap lets one
    ha of new land replace village land, and new land now costs 2.2 t C/ha instead of 0.7."""
    _, _, short = run_tables(cap_tables(None))
    _, _, free = run_tables(with_end(cap_tables(None), 2045))
    assert short.objective == pytest.approx(-3.5 * K)
    assert free.objective == pytest.approx(-11.0 * K)
    assert free.metadata["horizon"] == "2021–2045" and free.metadata["accounting_end_year"] == 2045
    _, _, capped = run_tables(with_end(cap_tables(30.0), 2045))
    assert capped.objective == pytest.approx(-50.0 * K)
    c = capped.constraints.set_index("label")
    assert c.loc["construction_cap[A,2030]", "shadow_price"] == pytest.approx(7.8 * K)


def test_the_target_years_herd_is_held_to_the_end_year_and_growth_goes_on():
    """grassland_recovery(60) with 10 kg CH4/SU/yr, counted to 2030 (T = 2025): the herd of 60 SU (its floor) emits
    0.27 t CO2e/SU/yr over 5 + 5 years = 162; each recovered ha (τ = 2022.5, α = 7.5) gains biomass −1 + 2 = 1 and
    soil 10 × 7.5/20 = 3.75 t C.  The plan is the same as to 2025 (40/3 ha recovered).
    Optimum: 40/3 × 4.75 K − 162 = 70.222 t CO2e (to 2025: 40/3 × 1.25 K − 81)."""
    def herd(end: int | None) -> dict:
        t = grassland_recovery(60)
        t["grazing"]["ch4_kg_per_su_yr"] = 10.0
        return with_end(t, end) if end else t

    _, _, to2025 = run_tables(herd(None))
    _, _, res = run_tables(herd(2030))
    assert to2025.objective == pytest.approx(40 / 3 * 1.25 * K - GAS * 10 * 5 * 60)
    assert res.objective == pytest.approx(40 / 3 * 4.75 * K - GAS * 10 * 10 * 60)
    assert res.conversions["area_ha"][("A", "degraded", "grass", 2025)] == pytest.approx(40 / 3)
    # the carbon table gains a row for 2030: its cumulative net sink is the objective; the herd's rate is held
    net = res.carbon.xs("net_sink", level="term")
    assert list(net.index.get_level_values("year")) == [2025, 2030]
    assert net.loc[("A", 2030), "cumulative_t_co2e"] == pytest.approx(res.objective)
    ch4 = res.carbon.xs("livestock_ch4", level="term")
    assert ch4.loc[("A", 2030), "t_co2e_per_yr"] == pytest.approx(-GAS * 10 * 60)
    assert ch4.loc[("A", 2030), "cumulative_t_co2e"] == pytest.approx(-GAS * 10 * 10 * 60)
    assert sum(res.terms.values) == pytest.approx(res.objective)


def problems(t: dict) -> list[str]:
    _, errors, _ = check_all(from_tables(t))
    return [str(p) for p in errors]


def test_the_end_year_is_checked():
    assert problems(with_end(cap_tables(None), 2029)) == [
        "sheet 'settings', row 6, column 'value': value 2029 — setting 'accounting_end_year' must be a year from the target "
        "year 2030 to 2230 (blank: the target year)"]
    assert problems(with_end(cap_tables(None), 2045.5)) == [
        "sheet 'settings', row 6, column 'value': value '2045.5' — setting 'accounting_end_year' needs a whole number (e.g. 2019)"]
    assert problems(with_end(tiny_tables(), 2045)) == [
        "sheet 'settings', row 4, column 'value': value 2045 — setting 'accounting_end_year' applies to stock-change accounting "
        "only (flux accounting maximises the net sink of the objective years); leave it blank"]
    assert problems(with_end(cap_tables(None), "")) == []  # blank: the target year


def test_a_scenario_cannot_change_the_horizon():
    """Every run of a comparison counts over the same horizon: a scenario that sets accounting_end_year is refused
    (set it on the settings sheet instead)."""
    from landopt.errors import InputError
    from landopt.scenarios import apply_scenario

    t = cap_tables(None)
    t["scenarios"] = pd.DataFrame([{"scenario": "to2060", "parent": "", "description": "Counted to 2060.",
                                    "sheet": "settings", "column": "value", "where": "key=accounting_end_year",
                                    "operation": "set", "value": "2060", "note": ""}])
    with pytest.raises(InputError) as e:
        apply_scenario(from_tables(t), "to2060")
    assert "a scenario cannot change setting 'accounting_end_year': the runs compared must count the net removals " \
           "over the same horizon; set it on the settings sheet, where it applies to the base and every scenario" \
           in str(e.value)
    for key, value in (("milestone_years", "2030,2040"), ("baseline_year", "2019")):
        t["scenarios"].loc[0, ["where", "value"]] = [f"key={key}", value]
        with pytest.raises(InputError) as e:
            apply_scenario(from_tables(t), "to2060")
        assert f"a scenario cannot change setting '{key}'" in str(e.value)


@pytest.mark.slow
def test_tibet_counted_to_2060_changes_the_plan():
    """The shipped workbook counted to 2060 (碳中和目标年): the soil and growth that follow the plan's conversions
    count in full, and the plan changes — less degraded grassland restored (its late cohorts' growth, which the
    2035 horizon cuts short, no longer decides), more sandy land planted with shrubs, marsh restored on unused land
    (its soil gain, 100 years long, now counts beyond 2035), and no good grassland built on (docs/model.md §7.1,
    docs/data.md §11)."""
    import dataclasses
    from pathlib import Path

    import landopt

    spec = landopt.read(Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx")
    base = landopt.optimize(spec, backend="highs")
    late = landopt.optimize(dataclasses.replace(spec, settings={**spec.settings, "accounting_end_year": 2060}),
                            backend="highs")
    assert late.objective == pytest.approx(427_514_583.62, abs=1.0)
    assert late.metadata["horizon"] == "2020–2060"

    def moved(res, a: str, b: str) -> float:
        c = res.conversions["area_ha"]
        return float(c[(c.index.get_level_values("from_land_use") == a)
                       & (c.index.get_level_values("to_land_use") == b)].sum())

    assert moved(late, "degraded_grassland", "grassland") < moved(base, "degraded_grassland", "grassland") - 2.5e5
    assert moved(late, "sandy", "forest") > moved(base, "sandy", "forest") + 4e4
    assert moved(base, "unused", "wetland") == 0.0 and moved(late, "unused", "wetland") > 5e4
    assert moved(base, "grassland", "urban") == pytest.approx(539, abs=1.0) and moved(late, "grassland", "urban") == 0.0
    # the 2060 row of the carbon account is the objective
    net = late.carbon.xs("net_sink", level="term").groupby(level="year").sum()
    assert net.loc[2060, "cumulative_t_co2e"] == pytest.approx(late.objective, rel=1e-9)


def test_standing_land_and_forgone_flux_run_to_the_end_year():
    """cap_tables with unused land removing 0.1 t C/ha/yr (remaining flux −0.1).  To 2045 (t0 = 2020): standing
    70 ha × 0.1 × 25 = 175 t C; each of the 5 ha built on (τ = 2025, α = 20) loses 0.2 + 2 and forgoes 0.1 × 20 = 2:
    −4.2 t C/ha.  Z = K(175 − 21) = 154 K.  To 2030 (blank, or 2030 given): 70 + 5 × (−0.2 − 0.5 − 0.5) = 64 K."""
    def sink() -> dict:
        t = cap_tables(None)
        cs = t["carbon_stocks"]
        cs.loc[cs["land_use"] == "unused", "remaining_flux_tC_per_ha_yr"] = -0.1
        return t

    _, _, to2045 = run_tables(with_end(sink(), 2045))
    assert to2045.objective == pytest.approx(154 * K)
    assert to2045.terms["standing_land"] == pytest.approx(175 * K)
    assert to2045.terms["remaining_change"] == pytest.approx(-10 * K)
    _, _, blank_end = run_tables(sink())
    _, _, given_end = run_tables(with_end(sink(), 2030))
    assert blank_end.objective == pytest.approx(64 * K) and given_end.objective == pytest.approx(64 * K)
    assert list(given_end.carbon.index.get_level_values("year").unique()) == [2030]  # E = T: no extra row


def test_the_plan_workbook_states_the_horizon(tmp_path):
    """With E = 2030 > T = 2025 the brief, the carbon sheet's cumulative column and its note say 2021–2030, and the
    brief shows the 2030 annual rate beside the target year's."""
    import openpyxl

    from landopt.api import write_plan

    t = grassland_recovery(60)
    t["grazing"]["ch4_kg_per_su_yr"] = 10.0
    _, _, res = run_tables(with_end(t, 2030))
    path = write_plan(res, tmp_path / "plan.xlsx", maps=False)
    wb = openpyxl.load_workbook(path, read_only=True)
    brief = [str(c) for r in wb["摘要 brief"].iter_rows(values_only=True) for c in r if c is not None]
    assert "累计净碳汇（2021–2030年） cumulative net removals (2021–2030)" in brief
    assert any(c.startswith("核算截止年（2030年）净碳汇（用地保持2025年状态）") for c in brief)
    assert any(c.startswith("累计量计至2030年末（核算截止年，settings.accounting_end_year）") for c in brief)
    carbon = [str(c) for r in wb["碳账户 carbon"].iter_rows(values_only=True) for c in r if c is not None]
    assert "2021–2030年累计净碳汇 cumulative net sink 2021–2030（吨CO2e/t CO2e）" in carbon
    assert any("累计净碳汇合计即目标函数：2021–2030年累计净碳汇 70 吨CO2e" in c for c in carbon)


def test_a_zero_soil_transition_names_its_row():
    t = cap_tables(None)
    s = t["settings"]
    t["settings"] = pd.concat([s, pd.DataFrame({"key": ["soil_transition_years"], "value": ["0"]})], ignore_index=True)
    row = len(t["settings"]) + 1  # the header is row 1
    assert problems(t) == [
        f"sheet 'settings', row {row}, column 'value': value 0 — setting 'soil_transition_years' must be a number of years "
        "above 0 (IPCC default 20)"]
