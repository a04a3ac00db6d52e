"""A diagnosis states each relaxation in the unit of the cell that set the requirement (issue #16)."""

from __future__ import annotations

from pathlib import Path

from landopt.api import spec_from_raw
from landopt.diagnose import diagnose
from landopt.reader import read_workbook

WORKBOOK = Path(__file__).resolve().parents[1] / "inputs" / "tibet_2035.xlsx"


def test_urban_demand_relaxation_in_persons_and_square_metres():
    """Lhasa's 2035 urban population set to 2,000,000: the demand 2,000,000 × 140 m² = 28,000 ha is above what the
    land can give; the diagnosis says how many persons (or m² per person) less would fit, not only hectares."""
    raw = read_workbook(WORKBOOK)
    tg = raw.tables["targets"]
    tg.loc[(tg["region"] == "Lhasa") & (tg["year"] == 2035), "urban_population"] = 2_000_000
    d = diagnose(spec_from_raw(raw))
    rel = d.relaxations[d.relaxations["constraint"] == "urban_demand"].iloc[0]
    text, ha = rel["text"], float(rel["relaxation"])
    persons = ha * 1e4 / 140
    assert text.startswith("The Lhasa 2035 urban land demand of 28,000 ha (2,000,000 persons × 140 m²/person) is ")
    assert f"lower the urban population by {persons:,.0f} persons" in text
    assert f"or the urban land per resident by {ha * 1e4 / 2_000_000:,.3g} m²/person" in text
    assert "(sheet targets, row 4, column urban_population and column urban_land_per_capita_m2)" in text
