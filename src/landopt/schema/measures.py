"""The planning-measure sheets added for issue #13: named clean-energy bases and hydropower projects."""

from __future__ import annotations

from landopt.schema.base import Column, MAX_AREA_HA, REGION, Sheet, YEAR, number_column, register

register(Sheet(
    "energy_bases",
    "Named clean-energy bases 清洁能源基地: the PV capacity each base must have by a milestone year. The PV capacity of "
    "a region at a milestone is at least the sum of its bases' minimums for that year: each base's latest row in that "
    "region with a year up to the milestone (a base keeps its capacity once built; a base spanning regions has rows, "
    "and minimums, in each). A region-year needs its own energy row (pv_mw_per_ha) for the requirement to apply.",
    (
        Column("base", "id", "", True, "Base id (e.g. Shigatse_PV)"),
        Column("name_zh", "text", "", False, "Chinese name (e.g. 日喀则光伏基地)"),
        REGION, YEAR,
        number_column("min_mw", "MW", "PV capacity of the base at this milestone at least this", required=True, maximum=1e7),
        Column("source", "text", "", False, "Source of the figure (the sources sheet carries the full record)"),
    ),
    key=("base", "year"),
    required=False,
))
register(Sheet(
    "hydro_projects",
    "Hydropower projects 水电工程 and their land footprint: scheduled conversions of land into water (reservoir "
    "inundation 淹没区) and into other construction land (dam, plant and access roads 枢纽及施工区) in the period when "
    "the project enters service; the model chooses from which land uses, within the conversion rules and protection.",
    (
        Column("project", "id", "", True, "Project id (e.g. Yarlung_middle)"),
        Column("name_zh", "text", "", False, "Chinese name (e.g. 雅鲁藏布江中游梯级水电)"),
        REGION,
        Column("year_in_service", "int", "year", True, "Year the project enters service; its land is converted in the "
               "period ending at the first milestone at or after this year (after the target year: no row)"),
        number_column("inundated_ha", "ha", "Land inundated by the reservoir (converted to a water-role land use); blank = 0",
           maximum=MAX_AREA_HA),
        number_column("construction_ha", "ha", "Land taken by the dam, plant, roads and camps (converted to an "
           "other_construction-role land use); blank = 0", maximum=MAX_AREA_HA),
        Column("source", "text", "", False, "Source of the figures (the sources sheet carries the full record)"),
    ),
    key=("project",),
    required=False,
))
register(Sheet(
    "sources",
    "Where every figure comes from. status: verified = seen in the named source; estimate = derived or not confirmed.",
    (
        Column("sheet", "text", "", True, "Sheet the figure is used on"),
        Column("item", "text", "", True, "What the figure is"),
        Column("value", "text", "", False, "Value as used"),
        Column("unit", "text", "", False, "Unit"),
        Column("source", "text", "", True, "Publication, agency or derivation"),
        Column("year", "text", "", False, "Year of the source or the figure"),
        Column("status", "choice", "", True, "verified or estimate", choices=("verified", "estimate")),
        Column("note", "text", "", False, "How the figure was derived or reconciled"),
    ),
    required=False,
))

register(Sheet(
    "uncertainty",
    "Optional: uncertain parameters sampled by `landopt sweep` (one row per parameter; see docs/sweep.md).",
    (
        Column("parameter", "text", "", False, "Name of the parameter (a column of the sweep results)"),
        Column("sheet", "text", "", True, "Sheet whose cells are sampled (e.g. land_uses)"),
        Column("column", "text", "", True, "Numeric column sampled (e.g. carbon_flux_tC_per_ha_yr)"),
        Column("where", "text", "", False, "Which rows: key=value pairs joined by ; (blank = every row)"),
        number_column("low", "as the column (or factor)", "Lower end of the range", required=True, minimum=None),
        number_column("high", "as the column (or factor)", "Upper end of the range", required=True, minimum=None),
        Column("distribution", "choice", "", False, "uniform (default) or triangular", choices=("uniform", "triangular")),
        number_column("mode", "as low/high", "Most likely value (triangular only)", minimum=None),
        Column("operation", "choice", "", False, "set (default), scale or add", choices=("set", "scale", "add")),
        Column("note", "text", "", False, "Where the range comes from"),
    ),
    required=False,
))
