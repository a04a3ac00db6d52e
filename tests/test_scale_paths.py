"""The bulk code paths made for speed at 1e5–1e6 variables (issue #11 benchmark goals): same messages, same tables.

Each test pins what a planner reads -- the warning, the verdict, the sentence -- on a hand-checked instance with
more than one region or role, so that a lookup that pairs a value with the wrong row would show.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import K, solve_tables, tiny_tables

from landopt.reader import from_tables
from landopt.validate import check_all


def two_regions(**overrides):
    """The tiny instance with a second region B of 1,000 ha (crop 400, forest 200, urban 100, unused 300)."""
    t = tiny_tables(
        regions=pd.DataFrame({"region": ["A", "B"], "total_area_ha": [10000.0, 1000.0]}),
        baseline=pd.DataFrame({"region": ["A"] * 4 + ["B"] * 4, "land_use": ["crop", "forest", "urban", "unused"] * 2,
                               "area_ha": [4000.0, 2000.0, 1000.0, 3000.0, 400.0, 200.0, 100.0, 300.0]}),
    )
    t.update({k: v for k, v in tiny_tables(**overrides).items() if k in overrides})
    return t


def test_km2_floor_warnings_name_each_row_region_and_role():
    """Floors about 100× below the baseline of their role, looked up per region in bulk: row B's forest floor (2 ha
    against 200 ha) and row A's cropland floor (40 ha against 4,000 ha) warn; A's forest floor (1,900 ha) and
    B's cropland floor (300 ha) do not."""
    t = two_regions(targets=[dict(region="A", year=2030, cropland_min_ha=40.0, forest_min_ha=1900.0),
                             dict(region="B", year=2030, cropland_min_ha=300.0, forest_min_ha=2.0)])
    _spec, errors, warnings = check_all(from_tables(t))
    assert errors == []
    assert [str(w) for w in warnings] == [
        "sheet 'targets', row 2, column 'cropland_min_ha': warning: value 40 — about 100× below the baseline cropland "
        "of region 'A' (4,000 ha); typed in km² instead of ha? (1 km² = 100 ha)",
        "sheet 'targets', row 3, column 'forest_min_ha': warning: value 2 — about 100× below the baseline forest "
        "of region 'B' (200 ha); typed in km² instead of ha? (1 km² = 100 ha)",
    ]


def test_coefficient_verdicts_pair_each_region_and_land_use_with_its_own_interval():
    """Flux accounting, crop at −0.5 t C/ha/yr (a sink, less than forest's −0.6): converting crop to forest stays
    the better choice while crop's flux is above −0.6, so crop's interval is [−0.6, ∞] and its ±25% band
    [−0.625, −0.375] leaves it; likewise forest's interval is [−∞, −0.5] (above −0.5 keeping crop wins) and its
    band [−0.75, −0.45] leaves it. Unused land (0) goes to forest while its flux is above −0.6: robust."""
    t = tiny_tables()
    t["land_uses"].loc[t["land_uses"]["land_use"] == "crop", "carbon_flux_tC_per_ha_yr"] = -0.5
    res = solve_tables(t)
    v = res.coef_ranging["verdict"]
    assert v[("A", "crop")] == ("Hinges on this coefficient: the plan for crop in A changes if -0.5 t C/ha/yr moves "
                                "outside [-0.6, ∞] t C/ha/yr, which lies within ±25%.")
    assert v[("A", "forest")] == ("Hinges on this coefficient: the plan for forest in A changes if -0.6 t C/ha/yr "
                                  "moves outside [-∞, -0.5] t C/ha/yr, which lies within ±25%.")
    assert v[("A", "unused")] == ("Robust: the plan stays the same for any unused coefficient in A within ±25% of 0 "
                                  "(holds on [-0.6, ∞] t C/ha/yr).")
    assert res.coef_ranging["robust"].to_dict() == {("A", "crop"): False, ("A", "forest"): False,
                                                    ("A", "urban"): True, ("A", "unused"): True}


def test_unused_option_sentences_for_each_kind_of_variable():
    """unused→urban allowed but unused in both regions: its reduced cost is −44/12·(10 + 0.6) in each, and the
    sentence names the region, the pair and the period; an area variable at zero reads 'Keeping one more ha'."""
    tr = {"from_land_use": ["crop", "unused", "unused"], "to_land_use": ["forest", "forest", "urban"],
          "allowed": ["yes", "yes", "yes"], "max_pct_per_period": [None, None, None]}
    res = solve_tables(two_regions(transitions=tr,
                                   targets=[dict(region="A", year=2030, cropland_min_ha=3000.0),
                                            dict(region="B", year=2030, cropland_min_ha=300.0)]))
    rej = res.rejected_options.set_index("variable")
    for region in ("A", "B"):
        row = rej.loc[f"flow[{region},unused,urban,2030]"]
        assert row["kind"] == "flow" and row["region"] == region
        assert row["reduced_cost"] == pytest.approx(-K * 10.6)
        assert row["meaning"] == (f"Converting one more ha of unused to urban in {region} in the period ending 2030 "
                                  f"would change the net sink by {row['reduced_cost']:+,.4g} t CO2e/yr")
    areas = rej[rej["kind"] == "area"]
    assert len(areas) >= 2 and set(areas["region"]) == {"A", "B"}
    for (variable, r) in areas.iterrows():
        assert r["meaning"] == (f"Keeping one more ha of {r['land_use']} in {r['region']} in {r['year']} would change "
                                f"the net sink by {r['reduced_cost']:+,.4g} t CO2e/yr")
        assert variable == f"area[{r['region']},{r['land_use']},{r['year']}]"


def test_text_width_counts_wide_characters_double():
    from landopt.report.xlsx import text_width

    assert text_width("Lhasa 2035") == 10.0  # ASCII: one unit each
    assert text_width("拉萨市 Lhasa") == 12.0  # three CJK characters count two each
    assert text_width("（公顷）") == 8.0  # full-width brackets too


def test_text_columns_write_blank_and_missing_cells_as_empty(tmp_path):
    """A pandas text column (str dtype) goes to the sheet in bulk: blank and missing cells stay empty, text is text
    (never a formula), and the object-column path writes the same cells."""
    from openpyxl import load_workbook

    from landopt.report.xlsx import Book, write_table

    values = ["Lhasa", None, "  ", "=1+1", "拉萨"]
    book = Book(tmp_path / "t.xlsx", "both")
    ws = book.sheet("s")
    text = pd.Series(values, dtype="str")
    if not isinstance(text.dtype, pd.StringDtype):  # pandas 2 (the lower bound is 2.2): "str" is object, text opt-in
        text = pd.Series(values, dtype="string")
    assert isinstance(text.dtype, pd.StringDtype)
    write_table(book, ws, pd.DataFrame({"text": text, "obj": pd.Series(values, dtype=object)}), 0, name="T")
    book.close()
    got = [(r[0].value, r[1].value) for r in load_workbook(tmp_path / "t.xlsx")["s"].iter_rows(min_row=2, max_row=6)]
    expected = ["Lhasa", None, None, "=1+1", "拉萨"]
    assert got == list(zip(expected, expected))
    assert load_workbook(tmp_path / "t.xlsx")["s"]["A5"].data_type == "s"  # text, not a formula


def test_shadow_price_sentences_of_every_binding_row_in_bulk():
    """The constraints table words every binding policy row in bulk, exactly as :func:`shadow_text` words one row;
    the red line of region B (300 ha of 400 ha crop) costs −44/12·(0.4 + 0.6) t CO2e/yr per ha (one ha of crop
    kept instead of forest)."""
    from landopt.constraint_table import shadow_text

    res = solve_tables(two_regions(targets=[dict(region="A", year=2030, cropland_min_ha=3000.0),
                                            dict(region="B", year=2030, cropland_min_ha=300.0)]))
    c = res.constraints
    worded = c[c["binding"] & c["policy"]]
    assert set(worded["label"]) >= {"cropland_protection[A,2030]", "cropland_protection[B,2030]"}
    assert worded["meaning"].tolist() == [shadow_text(r) for _i, r in worded.iterrows()]
    b = worded.set_index("label").loc["cropland_protection[B,2030]"]
    assert b["shadow_price"] == pytest.approx(-K * 1.0)
    assert b["meaning"] == ("One more ha of cropland red line in B (2030) changes the net sink by "
                            f"{b['shadow_price']:+,.4g} t CO2e/yr")
    assert (c.loc[~(c["binding"] & c["policy"]), "meaning"] == "").all()
