"""The resolved, validated model specification handed from validation to the model builder.

One :class:`ModelSpec` per run: the base workbook with any scenario overrides
applied, every cell converted to its type, every id checked.  Tables are tidy
DataFrames; each keeps a ``_row`` column with its spreadsheet row so that
constraints can be traced back to the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

TC_TO_TCO2 = 44.0 / 12.0  #: t CO2 per t C


@dataclass(frozen=True)
class ModelSpec:
    title: str
    baseline_year: int
    years: tuple[int, ...]  # milestone years, ascending; the last is the target year
    settings: dict[str, Any]
    regions: pd.DataFrame  # region, name_zh, total_area_ha, _row
    land_uses: pd.DataFrame  # land_use, name_zh, role, carbon_flux_tC_per_ha_yr, _row
    carbon: pd.DataFrame  # region, land_use, carbon_flux_tC_per_ha_yr, sheet, _row (full matrix)
    baseline: pd.DataFrame  # region, land_use, area_ha, _row (full matrix; missing pairs are 0 with _row 0)
    transitions: pd.DataFrame  # from_land_use, to_land_use, max_pct_per_period, _row (allowed pairs only)
    targets: pd.DataFrame
    grazing: pd.DataFrame
    energy: pd.DataFrame
    area_bounds: pd.DataFrame
    stocks: pd.DataFrame = field(default_factory=pd.DataFrame)  # region, land_use, biomass/dom/soc t C/ha, maturity_years,
    #   remaining_flux_tC_per_ha_yr, ch4_kg_per_ha_yr, _row (full matrix; zeros where the carbon_stocks sheet has no row)
    province_targets: pd.DataFrame = field(default_factory=pd.DataFrame)  # year, forest_cover_min_pct, _row
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    protected_land: pd.DataFrame = field(default_factory=pd.DataFrame)  # region, land_use, redline_ha,
    #   basic_grassland_ha, in_urban_boundary_ha, _row (rows as given; empty when the sheet is absent)
    energy_bases: pd.DataFrame = field(default_factory=pd.DataFrame)  # base, name_zh, region, year, min_mw, _row
    hydro_projects: pd.DataFrame = field(default_factory=pd.DataFrame)  # project, region, year_in_service,
    #   inundated_ha, construction_ha, _row (rows as given; empty when the sheet is absent)
    input_path: Path | None = None
    input_sha256: str = ""
    scenario: str | None = None
    overrides: pd.DataFrame = field(default_factory=pd.DataFrame)  # overrides applied (scenario runs)
    location_kind: str = "xlsx"
    sheet_names: dict[str, str] = field(default_factory=dict)  # sheet id -> name as the input writes it, where it differs
    column_headers: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet id -> column id -> header as written
    files: dict[str, str] = field(default_factory=dict)  # folder input: sheet id -> file name (baseline.parquet)

    @property
    def accounting(self) -> str:
        """'stock_change' (IPCC stock change, cumulative t CO2e) or 'flux' (per-ha flux on standing area, t CO2e/yr)."""
        return self.settings.get("carbon_accounting") or "flux"

    @property
    def target_year(self) -> int:
        return self.years[-1]

    @property
    def accounting_end_year(self) -> int:
        """The year to whose end stock-change accounting counts the removals (``settings.accounting_end_year``;
        blank: the target year).  After the target year land use stays at its target-year state."""
        end = self.settings.get("accounting_end_year")
        return int(end) if end else int(self.target_year)

    @property
    def horizon(self) -> str:
        """The years stock-change accounting sums, '2020–2035': from the year after the baseline (the baseline is
        the state at its end) to :attr:`accounting_end_year`."""
        return f"{int(self.baseline_year) + 1}–{self.accounting_end_year}"

    @property
    def region_ids(self) -> list[str]:
        return self.regions["region"].tolist()

    @property
    def land_use_ids(self) -> list[str]:
        return self.land_uses["land_use"].tolist()

    def land_uses_with_role(self, *roles: str) -> list[str]:
        """Land uses (in sheet order) whose role is one of ``roles`` (plain lists: the families ask this often)."""
        lu = self.land_uses
        return [x for x, r in zip(lu["land_use"].tolist(), lu["role"].tolist()) if r in roles]

    def family_on(self, family: str) -> bool:
        return family not in self.settings.get("families_off", frozenset())

    def with_settings(self, **changes: Any) -> "ModelSpec":
        """A copy with some settings changed (used by sensitivity and trade-off runs)."""
        settings = dict(self.settings)
        settings.update(changes)
        return replace(self, settings=settings)

    def sheet_label(self, sheet: str) -> str:
        """A sheet as the input names it: ``'草畜平衡 grazing'`` as written in the workbook, the file of a folder input
        (``'grazing.csv'``), else the id."""
        if self.location_kind != "xlsx":
            return self.files.get(sheet, f"{sheet}.csv")
        return self.sheet_names.get(sheet, sheet)

    def column_label(self, sheet: str, column: str) -> str:
        """A column's header as the input writes it (``'牲畜数量下限 livestock_min_su (羊单位)'``), else its id."""
        return self.column_headers.get(sheet, {}).get(column, column)

    def where(self, sheet: str) -> str:
        """How messages name a sheet: 'sheet X' of a workbook or 'file X.csv' of a folder."""
        return f"sheet '{sheet}'" if self.location_kind == "xlsx" else f"file '{sheet}.csv'"
