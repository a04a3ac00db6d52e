"""The land-based economic output requirement 用地经济产出 (family ``economic_output``), hand-computed.

Flux accounting (objective = net sink in 2030, t CO2e/yr = −44/12 · Σ flux · area).  Tiny instance: crop 40 ha
(+0.4 t C/ha/yr, 10 yuan/ha/yr), forest 20 (−0.6, 1), urban 10 (+10, 100), unused 30 (0, 0); unused land may
become forest or urban; cropland floor 30 (no conversion of cropland is allowed anyway).

Without a requirement all 30 ha of unused land become forest: net sink −K(0.4·40 − 0.6·50 + 10·10) = −86 K;
output 40·10 + 50·1 + 10·100 = 1,450 yuan/yr.  Each hectare of unused land made urban instead of forest adds
100 − 1 = 99 yuan/yr of output and costs 10 + 0.6 = 10.6 t C/yr.  With E = 2,000 yuan/yr: u = 550/99 ha urban,
net sink −86 K − 10.6 K · 550/99; shadow price −10.6 K / 99 t CO2e/yr per yuan/yr of required output.
"""

from __future__ import annotations

import pytest

from conftest import K, area, assert_binding, con, run_tables, tiny_tables


def tables(requirement: float | None):
    pt = {"year": [2030], "economic_output_min_yuan_per_yr": [requirement]}
    return tiny_tables(
        settings={"no_net_loss": "no"},
        land_uses={"land_use": ["crop", "forest", "urban", "unused"], "role": ["cropland", "forest", "urban", "unused"],
                   "carbon_flux_tC_per_ha_yr": [0.4, -0.6, 10.0, 0.0], "output_yuan_per_ha_yr": [10.0, 1.0, 100.0, None]},
        transitions={"from_land_use": ["unused", "unused"], "to_land_use": ["forest", "urban"],
                     "allowed": ["yes", "yes"], "max_pct_per_period": [None, None]},
        province_targets=pt)


def test_output_requirement_trades_carbon_for_development():
    _, _, free = run_tables(tables(None))
    assert free.objective == pytest.approx(-86.0 * K)
    assert area(free, "A", "urban", 2030) == pytest.approx(10.0)
    _, _, res = run_tables(tables(2000.0))
    u = 550.0 / 99.0
    assert area(res, "A", "urban", 2030) == pytest.approx(10.0 + u)
    assert area(res, "A", "forest", 2030) == pytest.approx(50.0 - u)
    assert res.objective == pytest.approx(-86.0 * K - 10.6 * K * u)
    assert_binding(res, "economic_output[2030]", "province_targets", 2, "economic_output_min_yuan_per_yr",
                   shadow_price=-10.6 * K / 99.0, rhs=2000.0)


def test_output_requirement_the_plan_already_meets_is_slack():
    _, _, res = run_tables(tables(1450.0))  # exactly the carbon-best plan's output: met, at no cost
    assert res.objective == pytest.approx(-86.0 * K)
    r = con(res, "economic_output[2030]")
    assert r["activity"] == pytest.approx(1450.0) and r["shadow_price"] == pytest.approx(0.0, abs=1e-9)
