"""The PDF brief of a plan (``landopt report PLAN.xlsx``): page one, the binding measures, how the plan adjusts, the
change charts, the maps.

:func:`write_brief` takes a :class:`~landopt.results.PlanResult` or a plan workbook written by
:func:`landopt.report.plan.write_plan_workbook` (its page-one tables and embedded maps are read back), and
draws the pages with matplotlib's ``PdfPages`` in a CJK font.  Without a CJK font it raises
:class:`FontMissing` with what to install (or use ``lang="en"``).  The PDF is written atomically.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from landopt.analysis.relax import MAX_COLUMNS as RELAX_MAX_COLUMNS
from landopt.analysis.relax import TIME_BUDGET_S as RELAX_TIME_S
from landopt.errors import UsageError
from landopt.report.i18n import DEFAULT_LANG, check_lang, num, title_in, tr
from landopt.safety import atomic_write
from landopt.results import PlanResult

log = logging.getLogger(__name__)
#: matplotlib's warning for a character no installed font can draw
GLYPH_MISSING = re.compile(r"Glyph \d+ .* missing from font")
A4_LANDSCAPE = (11.69, 8.27)  # inches


class FontMissing(UsageError):
    """No CJK font is installed for a Chinese PDF brief."""


@dataclass
class BriefData:
    title: str
    banner: str
    headline: list[tuple[str, str]]  # (item, value text)
    land_use: list[list[str]]  # rows: name, change ha, change 万亩, change %
    land_use_head: list[str]
    binding: list[list[str]]  # rows: rank, requirement, sentence, effect
    binding_head: list[str]
    change_chart: pd.DataFrame | None = None  # land use name → change ha (for the bar chart)
    maps: list[bytes] = field(default_factory=list)
    horizon_note: str = ""  # what cumulative figures past the target year mean (accounting_end_year); "" otherwise
    responses: list[str] = field(default_factory=list)  # how the plan adjusts to the first measures relaxed (brief)
    responses_title: str = ""
    responses_note: str = ""  # what the paragraphs are (and are not): the brief's note under their title


def _fmt(v: Any, digits: int = 0) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "—"
    if isinstance(v, (int, float)):
        return f"{v:,.{digits}f}".replace("-", "−")
    return str(v)


def from_result(result: PlanResult, lang: str = DEFAULT_LANG) -> BriefData:
    from landopt.report.brief import binding_measures, estimates_banner, headline, horizon_note, land_use_totals, names_of
    from landopt.report.responses import RESPONSE_NOTE, RESPONSE_TITLE, RESPONSES_SHOWN, response_paragraphs
    from landopt.report.maps import plan_maps

    nm = names_of(result)
    h = headline(result)
    rows = [(tr((z, e), lang, sep=" / "), _amount(f"{t10k:,.1f}", f"{mt:,.2f}", u.endswith("/yr"), lang))
            for z, e, t10k, mt, u in zip(h["zh"], h["en"], h["t10k"], h["mt"], h["unit"])]
    t = land_use_totals(result)
    names = [nm.land_use(x, lang) for x in t["land_use"]]
    lu_rows = [[n, _fmt(a), _fmt(b, 2), _fmt(c, 1)] for n, a, b, c in zip(names, t["change_ha"], t["change_10k_mu"], t["change_pct"])]
    b = binding_measures(result, lang, 8, exact_first=True)
    # the re-solved gain; where not re-solved (a large model) the upper bound, marked ≤
    b_rows = [[str(i + 1), r, s, num(x / 1e4, 4) if np.isfinite(x) else "≤ " + num(e / 1e4, 4)]
              for i, (r, s, x, e) in enumerate(zip(b["requirement"], b["sentence"], b["effect_exact"].astype(float), b["effect"]))]
    chart = pd.DataFrame({"name": names, "change_ha": t["change_ha"].to_numpy(), "role": t["land_use"].map(nm.roles).to_numpy()})
    return BriefData(title=f"{title_in(result.spec.title, lang)} — {tr(('规划摘要', 'plan brief'), lang)}", banner=estimates_banner(result, lang),
                     headline=rows, land_use=lu_rows,
                     land_use_head=[tr(x, lang, sep="\n") for x in (("地类", "land use"), ("变化（公顷）", "change (ha)"),
                                                           ("变化（万亩）", "change (10k mu)"), ("变化率（%）", "change (%)"))],
                     binding=b_rows, binding_head=[tr(x, lang, sep=" ") for x in (("排序", "rank"), ("约束", "requirement"),
                                                                         ("含义", "meaning"), ("放宽1%可增碳汇*（万吨）", "gain if relaxed 1%* (10 kt)"))],
                     change_chart=chart, maps=[png for _k, png in plan_maps(result, None, lang)],
                     horizon_note=tr(note, lang) if (note := horizon_note(result)) is not None else "",
                     responses=response_paragraphs(b.assign(rank=np.arange(1, len(b) + 1)), nm, lang, RESPONSES_SHOWN),
                     responses_title=tr(RESPONSE_TITLE, lang), responses_note=tr(RESPONSE_NOTE, lang, sep="\n"))


def _table(ws: Any, name: str) -> list[list[Any]]:
    from openpyxl.utils import range_boundaries

    c1, r1, c2, r2 = range_boundaries(ws.tables[name].ref)
    return [[ws.cell(row=r, column=c).value for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]


def _amount(t10k: str, mt: str, per_year: bool, lang: str) -> str:
    """A headline amount: '3,412.0 万吨 (34.12 Mt) CO2e/yr'; in English 'Mt' only (no CJK glyph in an English brief,
    which may be drawn without a CJK font)."""
    unit = f"CO2e{'/yr' if per_year else ''}"
    return f"{mt} Mt {unit}" if lang == "en" else f"{t10k} 万吨 ({mt} Mt) {unit}"


def from_workbook(path: Path, lang: str = DEFAULT_LANG) -> BriefData:
    """Page one read back from a plan workbook (its first sheet's tables and its embedded maps); ``lang`` words the
    amounts (the workbook's own text is read as written)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=False)
    ws = wb.worksheets[0]
    if "Headline" not in ws.tables:
        raise ValueError(f"{path}: not a landopt plan workbook (its first sheet has no Headline table)")
    head = _table(ws, "Headline")
    all_yearly = any(isinstance(h, str) and "/yr" in h for h in head[0])  # no period column: every row is per year
    per_year = {i: all_yearly or any(isinstance(v, str) and ("per year" in v or "每年" in v) for v in r)
                for i, r in enumerate(head[1:])}
    nums = [[v for v in r[1:] if isinstance(v, (int, float))] for r in head[1:]]
    rows = [(str(r[0]), _amount(_fmt(v[1], 1), _fmt(v[2], 2), per_year[i], lang) if len(v) >= 3
             else " / ".join(_fmt(x, 0) for x in v)) for i, (r, v) in enumerate(zip(head[1:], nums))]
    lu = _table(ws, "BriefLandUse")
    b = _table(ws, "BriefBinding")
    with zipfile.ZipFile(path) as z:
        maps = [z.read(n) for n in sorted(z.namelist()) if n.startswith("xl/media/") and n.endswith(".png")]
    chart = pd.DataFrame({"name": [r[0] for r in lu[1:]], "change_ha": [float(r[1] or 0) for r in lu[1:]], "role": None})
    note = next((str(c.value) for c in ws["A"] if isinstance(c.value, str)  # brief.horizon_note, as the brief wrote it
                 and c.value.startswith(("累计量计至", "Cumulative figures run to the end of"))), "")
    from landopt.report.responses import RESPONSE_NOTE, RESPONSE_TITLE

    column_a = [c.value for c in ws["A"]]
    titles = {tr(RESPONSE_TITLE, x) for x in ("zh", "en", "both")}
    at = next((i for i, v in enumerate(column_a) if v in titles), None)
    responses = [] if at is None else [str(v) for v in column_a[at + 1:at + 8]
                                       if isinstance(v, str) and v[:1].isdigit() and ". " in v[:4]]
    return BriefData(title=str(ws["A1"].value), banner=str(ws["A2"].value or ""), headline=rows,
                     land_use=[[str(r[0]), _fmt(r[1]), _fmt(r[2], 2), _fmt(r[3], 1)] for r in lu[1:]], land_use_head=[str(x) for x in lu[0][:4]],
                     # the re-solved gain (column 4); blank where not re-solved: the upper bound (column 6), marked ≤
                     binding=[[_fmt(r[0]), str(r[1]), str(r[2] or ""),
                               _fmt(r[3], 2) if isinstance(r[3], (int, float)) else "≤ " + _fmt(r[5], 2)]
                              for r in b[1:] if r[0] is not None],
                     binding_head=[str(x) for x in b[0][:4]], change_chart=chart, maps=maps, horizon_note=note,
                     responses=responses, responses_title=str(column_a[at]) if at is not None else "",
                     responses_note=tr(RESPONSE_NOTE, lang, sep="\n") if responses else "")


def _cells(ch: str) -> int:
    """Columns a character takes: 2 for wide (CJK) characters, else 1."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _wrap(s: str, width: int) -> str:
    """``s`` broken into lines of at most ``width`` columns (a CJK character counts two): between words in Latin
    text, between any two characters in Chinese — but never before a closing mark or after an opening one (禁则: a
    line does not start with 。，、；：）」 nor end with （「)."""
    out: list[str] = []
    for para in s.split("\n"):
        tokens = re.findall(r"[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+\s*"
                            r"|[（「『【“‘]*[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef][。，、；：？！）」』】”’]*|\s+",
                            para)
        line, used = "", 0
        for tok in tokens:
            w = sum(_cells(c) for c in tok.rstrip())
            if line and used + w > width:
                out.append(line.rstrip())
                line, used = "", 0
                tok = tok.lstrip()
                if not tok:
                    continue
            line += tok
            used += sum(_cells(c) for c in tok)
        out.append(line.rstrip())
    return "\n".join(out)


def _style_table(t: Any, font: str | None, size: float) -> None:
    t.auto_set_font_size(False)
    t.set_fontsize(size)
    for cell in t.get_celld().values():
        cell.get_text().set_fontfamily(font or "sans-serif")


def _page_one(pdf: Any, d: BriefData, font: str | None, lang: str = DEFAULT_LANG) -> None:
    """Title, estimates banner, headline figures, the change by land use (table and a chart of cropland and
    construction).  Every block is placed below the one before it, from the height its text needs."""
    from matplotlib.figure import Figure

    fp = {"family": font} if font else {}
    fig = Figure(figsize=A4_LANDSCAPE)
    title = _wrap(d.title, 95)
    fig.text(0.04, 0.965, title, fontsize=13, weight="bold", va="top", **fp)
    y = 0.965 - 0.032 * (title.count("\n") + 1) - 0.01
    banner = _wrap(d.banner, 125)
    fig.text(0.04, y, banner, fontsize=9, va="top", color="#833C0B",
             bbox={"facecolor": "#FCE4D6", "edgecolor": "#C55A11", "pad": 4}, **fp)
    y -= 0.022 * (banner.count("\n") + 1) + 0.035
    for item, value in d.headline:
        line = _wrap(f"{item}:  {value}", 105)
        fig.text(0.04, y, line, fontsize=10, weight="bold", va="top", **fp)
        y -= 0.027 * (line.count("\n") + 1)
    if d.horizon_note:  # cumulative figures past the target year: what they are and are not
        note = _wrap(d.horizon_note, 140)
        fig.text(0.04, y, note, fontsize=7.5, va="top", color="#404040", **fp)
        y -= 0.019 * (note.count("\n") + 1) + 0.005
    y -= 0.01
    rows = len(d.land_use) + 2  # the header takes two lines
    height = min(y - 0.05, 0.028 * rows)
    ax = fig.add_axes((0.04, y - height, 0.58, height))
    ax.axis("off")
    head = [_wrap(h, 14) for h in d.land_use_head]
    t = ax.table(cellText=d.land_use, colLabels=head, loc="upper left", cellLoc="right",
                 colWidths=[0.43, 0.19, 0.19, 0.19], bbox=(0, 0, 1, 1))
    _style_table(t, font, 8)
    for k in range(len(head)):
        t[0, k].set_height(2 * t[1, 0].get_height() if len(d.land_use) else t[0, k].get_height())
    small = _small(d)
    if small is not None:
        _change_chart(fig.add_axes((0.74, y - height + 0.06, 0.23, height - 0.1)), small, fp,
                      tr(("耕地与建设用地变化", "cropland and construction"), lang, sep="\n"), scale=1.0,
                      unit=tr(("公顷", "ha"), lang, sep=" / "))
    pdf.savefig(fig)


def _page_binding(pdf: Any, d: BriefData, font: str | None, lang: str = DEFAULT_LANG) -> None:
    """The binding measures that limit the sink most, on a page of their own (page one cannot hold them legibly)."""
    from matplotlib.figure import Figure

    if not d.binding:
        return
    fp = {"family": font} if font else {}
    fig = Figure(figsize=A4_LANDSCAPE)
    fig.text(0.04, 0.95, tr(("起作用的主要约束（按放宽1%可增加的碳汇排序）", "Binding measures, by the sink a 1% relaxation adds"),
                            lang), fontsize=13, weight="bold", **fp)
    rows = [[r[0], _wrap(r[1], 16), _wrap(r[2], 76), r[3]] for r in d.binding[:8]]
    lines = [max(c.count("\n") + 1 for c in row) for row in rows]
    unit = 0.026  # figure height per text line
    head = [_wrap(h, 14) for h in d.binding_head]
    head_lines = max(h.count("\n") + 1 for h in head)
    height = min(0.8, unit * (sum(lines) + head_lines) + 0.01 * len(rows))
    ax = fig.add_axes((0.04, 0.9 - height, 0.93, height))
    ax.axis("off")
    t = ax.table(cellText=rows, colLabels=head, loc="upper left", cellLoc="left", colWidths=[0.05, 0.17, 0.63, 0.15],
                 bbox=(0, 0, 1, 1))
    _style_table(t, font, 8)
    total = sum(lines) + head_lines
    for (r, _c), cell in t.get_celld().items():
        cell.set_height((head_lines if r == 0 else lines[r - 1]) / total)
    fig.text(0.04, 0.03, _wrap(tr(("* 把该约束放宽1%（下限降低、上限提高）后重新求解方案得到的净碳汇增量；标“≤”的未重新求解"
                              f"（模型超过{RELAX_MAX_COLUMNS:,}个变量，或重新求解累计超过{RELAX_TIME_S:.0f}秒），为上限 |影子价格| × 1% × 约束值。",
                              "* what the net sink gains when the plan is solved again with the requirement relaxed by 1% "
                              f"(a floor lowered, a cap raised); marked ≤ where not re-solved (over {RELAX_MAX_COLUMNS:,} variables, or "
                              f"re-solves past {RELAX_TIME_S:.0f} s): the upper bound |shadow price| × 1% × its value."), lang, sep="\n"), 170),
             fontsize=8, color="#595959", va="bottom", **fp)
    pdf.savefig(fig)


def _page_responses(pdf: Any, d: BriefData, font: str | None) -> None:
    """How the plan adjusts to the first measures relaxed by 1 %: the brief's paragraphs, on a page of their own."""
    from matplotlib.figure import Figure

    if not d.responses:
        return
    fp = {"family": font} if font else {}
    fig = Figure(figsize=A4_LANDSCAPE)
    fig.text(0.04, 0.95, d.responses_title, fontsize=13, weight="bold", **fp)
    y = 0.90
    for p in d.responses:
        head, *body = p.split("\n")
        head = _wrap(head, 140)
        fig.text(0.04, y, head, fontsize=10, weight="bold", va="top", **fp)
        y -= 0.022 * (head.count("\n") + 1) + 0.012  # a 10 pt line is ≈ 0.022 of the page's height
        text = "\n".join(_wrap(x, 160) for x in body)
        fig.text(0.04, y, text, fontsize=9, va="top", **fp)
        y -= 0.019 * (text.count("\n") + 1) + 0.03  # a 9 pt line ≈ 0.019
    if d.responses_note:
        fig.text(0.04, 0.03, _wrap(d.responses_note, 170), fontsize=8, color="#595959", va="bottom", **fp)
    pdf.savefig(fig)


def _small(d: BriefData) -> pd.DataFrame | None:
    """Cropland and construction rows of the change chart (by role, else by name)."""
    c = d.change_chart
    if c is None or c.empty:
        return None
    roles = c["role"].astype(str)
    keep = roles.isin(["cropland", "urban", "rural", "other_construction"])
    if not keep.any():
        keep = c["name"].astype(str).str.contains("耕地|建设用地|cropland|urban|construction", regex=True)
    return c[keep] if keep.any() else None


def _change_chart(ax: Any, c: pd.DataFrame, fp: dict[str, Any], title: str, scale: float, unit: str) -> None:
    from landopt.report.style import ROLE_COLOURS

    colours = [ROLE_COLOURS.get(str(r), "#808080") for r in c["role"]]
    ax.barh([_wrap(str(n), 12) for n in c["name"]], c["change_ha"] / scale, color=colours)
    ax.axvline(0, color="black", linewidth=0.8)  # bars measured from zero
    ax.invert_yaxis()
    ax.set_xlabel(unit, **fp)
    ax.set_title(title, fontsize=9, **fp)
    for lab in ax.get_yticklabels():
        lab.set_fontfamily(fp.get("family", "sans-serif"))
        lab.set_fontsize(8)


def _chart_page(pdf: Any, d: BriefData, font: str | None, lang: str = DEFAULT_LANG) -> None:
    """Page two: the change by land use (all regions) beside the first map (net sink by region)."""
    import matplotlib.image as mpimg
    from matplotlib.figure import Figure

    if (d.change_chart is None or d.change_chart.empty) and not d.maps:
        return
    fp = {"family": font} if font else {}
    fig = Figure(figsize=A4_LANDSCAPE)
    if d.change_chart is not None and not d.change_chart.empty:
        _change_chart(fig.add_axes((0.24, 0.12, 0.26, 0.76)), d.change_chart, fp,
                      tr(("全区分地类面积变化", "change by land use, all regions"), lang, sep="\n"), scale=1e4,
                      unit=tr(("万公顷", "10k ha"), lang, sep=" / "))
    if d.maps:
        ax = fig.add_axes((0.52, 0.05, 0.47, 0.9))
        ax.imshow(mpimg.imread(io.BytesIO(d.maps[0]), format="png"))
        ax.axis("off")
    pdf.savefig(fig)


def _map_pages(pdf: Any, d: BriefData) -> None:
    """The other maps, four a page (2 × 2), at most one page."""
    import matplotlib.image as mpimg
    from matplotlib.figure import Figure

    rest = d.maps[1:5]
    if not rest:
        return
    fig = Figure(figsize=A4_LANDSCAPE)
    for k, png in enumerate(rest):
        ax = fig.add_axes((0.01 + 0.5 * (k % 2), 0.51 - 0.49 * (k // 2), 0.48, 0.47))
        ax.imshow(mpimg.imread(io.BytesIO(png), format="png"))
        ax.axis("off")
    pdf.savefig(fig)


def write_brief(plan: PlanResult | str | Path, pdf_path: str | Path, lang: str = DEFAULT_LANG) -> Path:
    """Write the PDF brief of ``plan`` (a result or a plan workbook) to ``pdf_path`` atomically; returns the path.

    Raises :class:`FontMissing` when the brief needs Chinese text and no CJK font is installed.
    """
    check_lang(lang)
    from matplotlib.backends.backend_pdf import PdfPages

    from landopt.report.maps import cjk_font

    font = cjk_font()
    if font is None and lang != "en":
        raise FontMissing("no CJK font found for the Chinese PDF brief: install one (e.g. `apt-get install fonts-noto-cjk`) "
                          "or write the brief with lang='en'")
    d = from_result(plan, lang) if isinstance(plan, PlanResult) else from_workbook(Path(plan), lang)

    def pages(tmp: Path) -> None:
        # without a CJK font only the user's own text (a Chinese plan title) can hold Chinese: matplotlib would warn
        # once per missing glyph on the terminal; one plain log line says it instead
        with warnings.catch_warnings(record=True) as caught:
            warnings.filterwarnings("always", message=GLYPH_MISSING.pattern, category=UserWarning)
            with PdfPages(tmp, metadata={"Title": d.title, "Creator": "landopt"}) as pdf:
                _page_one(pdf, d, font, lang)
                _page_binding(pdf, d, font, lang)
                _page_responses(pdf, d, font)
                _chart_page(pdf, d, font, lang)
                _map_pages(pdf, d)
        missing = [w for w in caught if GLYPH_MISSING.match(str(w.message))]
        for w in caught:
            if not GLYPH_MISSING.match(str(w.message)):  # any other warning goes on as it came
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if missing:
            log.warning("PDF 简报中有 %d 个字符无法显示（未安装中文字体，如计划标题中的中文） %d characters of the PDF brief "
                        "could not be drawn: no CJK font is installed (e.g. Chinese in the plan's title)",
                        len(missing), len(missing))

    return atomic_write(pdf_path, pages)
