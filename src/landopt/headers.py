"""How input sheet names and column headers may be written: the plain English id, or Chinese first and bilingual.

Two forms are read, for sheet names, CSV/Parquet file names and column headers alike:

* the id alone, exactly as :mod:`landopt.schema` names it: ``baseline``, ``area_ha``;
* the bilingual form the template writes: a label holding Chinese text, one space, the id, and optionally the
  unit in parentheses (ASCII or full-width): ``基期现状面积 baseline``, ``面积 area_ha (公顷)``,
  ``耕地保有量 cropland_min_ha（公顷）``.  landopt reads the id; the Chinese label and the unit are for people
  (any Chinese wording is accepted, so a planner may reword it).

A header that holds no Chinese text is taken as written (``my note`` stays ``my note``, an unused column).
"""

from __future__ import annotations

import re

#: ``<label with Chinese> <id> [(<unit>)]``
BILINGUAL = re.compile(r"^(?P<label>.*?[\u3400-\u9fff\uf900-\ufaff].*?)\s+(?P<id>[A-Za-z][A-Za-z0-9_]*)"
                       r"\s*(?:[(（](?P<unit>[^()（）]*)[)）])?\s*$")


#: ``<id> (<unit>)``: a header whose column has no Chinese label yet
ID_UNIT = re.compile(r"^(?P<id>[A-Za-z][A-Za-z0-9_]*)\s*[(（](?P<unit>[^()（）]*)[)）]\s*$")


def parse_label(text: str) -> str | None:
    """The id in a bilingual sheet name or header (``'面积 area_ha (公顷)'`` → ``'area_ha'``; also ``'area_ha (公顷)'``),
    else None."""
    s = str(text).strip()
    m = BILINGUAL.match(s) or ID_UNIT.match(s)
    return m.group("id") if m else None


def to_id(text: str, known: set[str] | frozenset[str] | None = None) -> str:
    """The id a sheet name or header stands for: itself when it is an id (or ``known``), else the parsed id."""
    s = str(text).strip()
    if known is not None and s in known:
        return s
    return parse_label(s) or s


def bilingual(zh: str, ident: str, unit_zh: str = "") -> str:
    """``'面积 area_ha (公顷)'``: the Chinese label, the id and the unit (left out when empty)."""
    text = f"{zh} {ident}" if zh else ident
    return f"{text} ({unit_zh})" if unit_zh else text
