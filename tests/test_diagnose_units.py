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


def test_relaxation_names_the_scenario_row_that_set_the_value(tmp_path):
    """grazing_conflict scales Nagqu's livestock floor (grazing rows 17-19) by 3 in scenarios row 25: the
    diagnosis names that scenario row beside the grazing cell, in both languages."""
    import landopt
    from openpyxl import load_workbook

    from landopt.diagnose import write_diagnosis

    d = diagnose(landopt.read(WORKBOOK, scenario="grazing_conflict"))
    first = d.relaxations.iloc[0]
    assert first["label"] == "livestock_floor[Nagqu,2025]"
    assert first["text"].endswith("(sheet grazing, row 17, column livestock_min_su). The value there was set by "
                                  "scenario grazing_conflict (sheet '情景 scenarios', row 25: scale 3).")
    wb = load_workbook(write_diagnosis(d, tmp_path / "d.xlsx"))
    page = [r[1] for r in wb["诊断 diagnosis"].iter_rows(min_row=5, values_only=True) if r[1]]
    assert any(t.startswith("那曲市 2025年 牲畜存栏下限需降低") and "该值由情景 grazing_conflict (sheet '情景 scenarios', row 25: "
               "scale 3) 设定" in t for t in page), page
