"""Every workbook landopt writes converts with LibreOffice, and the plan prints with no text under 8 pt and no chart
cut by a page break (issue #14, print-ready).

Slow: it solves the shipped workbook several times and runs ``soffice --headless --convert-to pdf`` (skipped where
LibreOffice or pdfplumber is not installed).  Font sizes are read from the PDF with pdfplumber: a glyph's box
height, and for rotated text (chart axis labels) the size that the box width implies.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "inputs" / "tibet_2035.xlsx"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pdfplumber = pytest.importorskip("pdfplumber")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")]
MIN_PT = 7.95  # 8 pt, less rounding in the PDF (LibreOffice writes 8 pt text as 7.99)


def font_size(c: dict) -> float:
    """A character's font size in pt: its box height; for rotated text, from the box width w = adv·|a| + fs·|c|."""
    a, b, cc, d = c["matrix"][:4]
    if abs(cc) < 1e-6:
        return float(c["size"])
    return (c["x1"] - c["x0"] - c["adv"] * abs(a)) / abs(cc) * math.hypot(cc, d)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from landopt.cli import main

    out = tmp_path_factory.mktemp("print")
    w = str(SHIPPED)
    commands = {
        "plan": ["solve", w, "-o", str(out / "plan.xlsx")],
        "compare": ["compare", w, "-o", str(out / "compare.xlsx"), "--no-progress"],
        "diagnosis": ["diagnose", w, "--scenario", "grazing_conflict", "-o", str(out / "diagnosis.xlsx")],
        "pareto": ["pareto", w, "--against", "economic_output", "--points", "3", "-o", str(out / "pareto.xlsx")],
        "sweep": ["sweep", w, "--samples", "4", "--workers", "1", "-o", str(out / "sweep.xlsx"), "--no-progress"],
        "ranges": ["ranges", w, "-o", str(out / "ranges.xlsx")],
        "template": ["template", str(out / "template.xlsx")],
    }
    for name, argv in commands.items():
        assert main([*argv, "-q"]) in (0, 3), name  # diagnose exits 3: the scenario has no plan, on purpose
        assert (out / f"{name}.xlsx").is_file(), name
    books = sorted(str(p) for p in out.glob("*.xlsx"))
    run = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{out / 'profile'}", "--headless", "--convert-to",
                          "pdf", "--outdir", str(out / "pdf"), *books], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return {Path(b).stem: out / "pdf" / f"{Path(b).stem}.pdf" for b in books} | {"_dir": out}


def test_every_workbook_converts_with_libreoffice(pdfs: dict[str, Path]) -> None:
    for name in ("plan", "compare", "diagnosis", "pareto", "sweep", "ranges", "template"):
        assert pdfs[name].is_file(), name
        with pdfplumber.open(pdfs[name]) as pdf:
            assert len(pdf.pages) >= 2, name
            assert any(CJK in (p.extract_text() or "") for p in pdf.pages[:2] for CJK in ("摘要", "情景", "诊断", "权衡",
                                                                                       "概况", "设置", "区域")), name


def test_no_plan_page_has_text_under_8_pt(pdfs: dict[str, Path]) -> None:
    small = []
    with pdfplumber.open(pdfs["plan"]) as pdf:
        assert len(pdf.pages) < 200
        for i, page in enumerate(pdf.pages, 1):
            sizes = [font_size(c) for c in page.chars if c["text"].strip()]
            if sizes and min(sizes) < MIN_PT:
                small.append((i, round(min(sizes), 2)))
    assert not small, small


def test_page_one_prints_one_page_wide(pdfs: dict[str, Path]) -> None:
    """The brief's tables (its 8 columns) print one page wide: the first page already holds the data-basis column."""
    with pdfplumber.open(pdfs["plan"]) as pdf:
        first = pdf.pages[0].extract_text()
    assert first.startswith("西藏自治区国土空间碳汇优化（2019–2035年）") and "数据状态 data basis" in first
    assert "本方案主要基于估算数据" in first  # the plan rests mostly on estimates and page one says so


def test_every_chart_starts_a_page_and_no_break_cuts_it(pdfs: dict[str, Path]) -> None:
    """In the workbook: a chart is anchored at a manual page break, and no break falls inside its rows.  In the PDF:
    each chart's title is on exactly one page."""
    wb = load_workbook(pdfs["_dir"] / "plan.xlsx")
    titles = []
    for ws in wb.worksheets:
        breaks = sorted(b.id for b in ws.row_breaks.brk)  # a break after row id (1-based)
        for ch in ws._charts:
            top = ch.anchor._from.row  # 0-based first row of the chart
            rows = math.ceil(ch.height / 0.53)  # rows are about 0.53 cm high
            assert top in breaks, (ws.title, top, breaks)
            assert not [b for b in breaks if top < b < top + rows], (ws.title, top, rows, breaks)
            if ch.title is not None:
                title = "".join(r.t for p in ch.title.tx.rich.p for r in (p.r or []))
                cells = {str(c.value).split(" ")[0][:8] for row in ws.iter_rows() for c in row if c.value}
                if title.split(" ")[0][:8] not in cells:  # a title no cell repeats: findable in the PDF
                    titles.append(title)
    assert len(titles) >= 2
    with pdfplumber.open(pdfs["plan"]) as pdf:
        for t in titles:
            probe = t.split(" ")[0][:8]  # the start of the title, drawn on one line
            shown = [i for i, page in enumerate(pdf.pages, 1)
                     for w in page.extract_words() if w["text"].startswith(probe) and visible(page, w)]
            assert len(shown) == 1, (t, shown)


def visible(page, word: dict) -> bool:
    """Whether a word is drawn where it stands (LibreOffice also writes the text of a chart clipped away on the page
    before the chart's page): some of the pixels of its box are dark."""
    img = page.crop((word["x0"], word["top"], word["x1"], word["bottom"])).to_image(resolution=72).original.convert("L")
    dark = int((np.asarray(img) < 128).sum())
    return dark > 0.02 * img.width * img.height
