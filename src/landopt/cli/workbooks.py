"""Which landopt workbook a file is, told from its named Excel tables, before a command does any work.

Every workbook landopt writes holds its tables as named Excel tables (``Headline``, ``Allocation`` …), and the
input template names its tables ``tbl_<sheet>``.  The names are read from the zip's ``xl/tables/*.xml`` parts
only (a few kB, milliseconds), so a command can refuse a wrong file — a comparison workbook given to
``landopt report``, a damaged file, a plan given to ``landopt validate`` — with one line naming the file and
what was expected (exit 2), instead of failing half-way with an internal error.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from landopt.errors import UsageError

#: a table every workbook of that kind has → (kind, Chinese name, English name); the first match wins
KINDS: tuple[tuple[str, str, str, str], ...] = (
    ("Headline", "plan", "规划方案工作簿", "a plan workbook written by `landopt solve`"),
    ("ScenarioRuns", "comparison", "情景比较工作簿", "a comparison workbook written by `landopt compare` or `landopt alternatives`"),
    ("Relaxations", "diagnosis", "不可行诊断工作簿", "a diagnosis workbook written by `landopt diagnose`"),
    ("Frontier", "pareto", "权衡曲线工作簿", "a trade-off workbook written by `landopt pareto`"),
    ("RangesSummary", "ranges", "近优区间工作簿", "a ranges workbook written by `landopt ranges`"),
    ("Alternatives", "alternatives", "备选方案汇总工作簿", "the summary workbook written by `landopt alternatives`"),
    ("net_sink", "sweep", "不确定性抽样工作簿", "a sweep workbook written by `landopt sweep`"),
    ("tbl_baseline", "input", "输入工作簿", "an input workbook"),
)
#: the tables a command reads from a plan workbook
REPORT_TABLES = ("Headline", "BriefLandUse", "BriefBinding")
EXPORT_TABLES = ("Allocation",)
_NAME = re.compile(rb"<table\b[^>]*?\sname=\"([^\"]+)\"")


class NotAWorkbook(UsageError):
    """The file cannot be read as an Excel workbook (.xlsx) at all."""


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx or a legacy .xls


def _unreadable(path: Path, head: bytes) -> tuple[str, str]:
    """Why ``path`` (starting with the bytes ``head``) is no readable .xlsx: (Chinese, English)."""
    if not head:
        return "文件为空（0 字节），未完整保存", "it is empty (0 bytes): it was not saved completely"
    if head[:8] == OLE_MAGIC:
        return ("设有打开密码（已加密），或是旧版 Excel 97-2003（.xls）文件",
                "it is password-protected (encrypted) or a legacy Excel 97-2003 (.xls) file")
    if head[:4] != b"PK\x03\x04":
        return "文件内容不是 zip 压缩包（其他格式）", "its content is not a zip package (another format)"
    return "工作簿已损坏或不完整", "the workbook is damaged or truncated"


def table_names(path: Path) -> set[str]:
    """The names of the Excel tables in workbook ``path``; :class:`NotAWorkbook` (naming the file, why, and that a
    plan workbook was expected: only the commands that read a plan ask when the file may be no workbook) when it
    is no readable .xlsx at all."""
    def refuse(why: tuple[str, str]) -> NotAWorkbook:
        return NotAWorkbook(f"{path}: 无法读取为 Excel 工作簿：{why[0]}；应为 `landopt solve` 写出的规划方案工作簿 "
                            f"cannot be read as an Excel workbook (.xlsx): {why[1]}; "
                            "expected a plan workbook written by `landopt solve`")

    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as e:
        reason = e.strerror or str(e)
        raise refuse((f"无法打开（{reason}）", f"it cannot be opened ({reason})")) from None
    found: set[str] = set()
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            for n in names:
                if n.startswith("xl/tables/") and n.endswith(".xml"):
                    m = _NAME.search(z.read(n)[:4096])
                    if m:
                        found.add(m.group(1).decode("utf-8", "replace"))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError):
        raise refuse(_unreadable(path, head)) from None
    if "xl/workbook.xml" not in names:
        raise refuse(("是 zip 压缩包，但其中没有工作簿", "it is a zip archive with no workbook in it"))
    return found


def kind_of(tables: set[str]) -> tuple[str, str, str] | None:
    """(kind, Chinese name, English name) of a workbook with these tables, or None when landopt did not write it."""
    for table, kind, zh, en in KINDS:
        if table in tables:
            return kind, zh, en
    return None


def require_plan(path: Path, needs: tuple[str, ...], what: str = "plan workbook") -> Path:
    """``path`` is a plan workbook with the tables ``needs``; otherwise a :class:`UsageError` (exit 2) saying
    what the file is and what was expected."""
    if not path.is_file():
        raise UsageError(f"{path}: 找不到规划方案工作簿 no such {what} (write one with: landopt solve INPUT -o {path})")
    tables = table_names(path)
    missing = [t for t in needs if t not in tables]
    if not missing:
        return path
    found = kind_of(tables)
    expected = "give the plan workbook written by `landopt solve` (default outputs/<input>_plan.xlsx)"
    if found is not None and found[0] != "plan":
        raise UsageError(f"{path}: 这是{found[1]}，不是规划方案工作簿 this is {found[2]}, not a plan workbook; {expected}")
    listed = ", ".join(f"'{t}'" for t in missing)
    raise UsageError(f"{path}: 不是 landopt 规划方案工作簿 not a landopt plan workbook: it lacks the table(s) {listed} "
                     f"that `landopt solve` writes; {expected}")


def refuse_output_as_input(path: Path) -> None:
    """Refuse a workbook landopt wrote (a plan, a comparison …) given where an input workbook is expected.

    Only a positive identification refuses: a file that is not a readable workbook, or a workbook without
    landopt's tables, is left to the reader (which names every problem it finds).
    """
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return
    try:
        found = kind_of(table_names(path))
    except NotAWorkbook:
        return
    if found is not None and found[0] != "input":
        raise UsageError(f"{path}: 这是{found[1]}，不是输入工作簿 this is {found[2]}, not an input workbook; give the "
                         "input workbook (e.g. inputs/tibet_2035.xlsx, or one written by `landopt template`)")
