"""Open a folder of ``<sheet>.csv`` / ``<sheet>.parquet`` tables (:func:`read_folder`), or one CSV file
(:func:`read_csv_file`), the way users hand them over, or refuse them with a message naming file and fix.  CSV
encodings are detected: UTF-8 with or without BOM, UTF-16 with BOM or by its zero bytes, GB18030 ⊇ GBK as Excel in
China saves.  (An .xlsx workbook: :mod:`landopt.readers`.)"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pandas as pd

from landopt.errors import InputError, Problem, UsageError
from landopt.headers import to_id

log = logging.getLogger(__name__)


def decode_csv(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` of CSV bytes: UTF-8 (± BOM), UTF-16 (BOM or zero bytes), GB18030; None if none fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif data[:200].count(b"\x00") * 4 >= min(len(data), 200):
        candidates = ["utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"]
    else:
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return None


def read_csv_file(f: Path, what: tuple[str, str] = ("表格", "table")) -> pd.DataFrame:
    """One CSV file as a table of text (every encoding and fault :func:`_read_csv` knows), or a
    :class:`UsageError` naming the file and why it cannot be read; ``what``: what the file should hold."""
    if f.suffix.lower() != ".csv":
        raise UsageError(f"{f}: 应为 CSV 文件（{what[0]}） expected a CSV file ({what[1]})")
    try:
        df, why = _read_csv(f)
    except OSError as e:
        raise UsageError(f"{f}: 无法读取 cannot be read: {e.strerror or e}") from None
    if why is not None:
        raise UsageError(f"{f}: {why[0]} {why[1]}")
    return df


def _read_csv(f: Path) -> tuple[pd.DataFrame | None, tuple[str, str] | None]:
    """The table of a CSV file, or (None, (Chinese, English) of why it cannot be read)."""
    data = f.read_bytes()
    if not data.strip():
        return None, ("文件为空：须有一行表头，写明各列列名（见 docs/inputs.md）",
                      "the file is empty; it needs a header row with the column names (see docs/inputs.md)")
    decoded = decode_csv(data)
    if decoded is None:
        return None, ("文件编码不是 UTF-8、UTF-16 或 GBK/GB18030：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”（或在编辑器中存为 UTF-8）",
                      "the file's text encoding is not UTF-8, UTF-16 or GBK/GB18030; save it as "
                      "'CSV UTF-8 (comma delimited)' in Excel (or UTF-8 in your editor)")
    text, enc = decoded
    if enc not in ("utf-8", "utf-8-sig"):
        log.info("%s: read as %s", f.name, enc)
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    except pd.errors.EmptyDataError:
        return None, ("文件没有表头：第一行应为列名（见 docs/inputs.md）",
                      "the file has no header row; it needs the column names on its first line (see docs/inputs.md)")
    except pd.errors.ParserError as e:
        msg = str(e)
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
        if m:
            return None, (f"第 {m.group(2)} 行有 {m.group(3)} 个字段，而表头只有 {m.group(1)} 个：请删去多余的逗号，"
                          "或把含逗号的文字放在双引号内",
                          f"line {m.group(2)} has {m.group(3)} fields but the header has {m.group(1)}; "
                          "remove the extra commas or put text containing commas in double quotes")
        m = re.search(r"EOF inside string starting at row (\d+)", msg)
        if m:
            return None, (f"第 {int(m.group(1)) + 1} 行开始的双引号没有闭合：请补全或删去",
                          f"a double quote opened on line {int(m.group(1)) + 1} is never closed; "
                          "close it or remove it")
        return None, (f"不是有效的 CSV 文件（{msg.splitlines()[-1]}）", f"the file is not valid CSV ({msg.splitlines()[-1]})")
    return df, None


def _read_parquet(f: Path) -> tuple[pd.DataFrame | None, tuple[str, str] | None]:
    """The table of a Parquet file, or (None, (Chinese, English) of why it cannot be read)."""
    try:
        return pd.read_parquet(f), None
    except ImportError:
        return None, ("读取 Parquet 文件需要安装 pyarrow：pip install 'landopt[scale]'（或将该表另存为 CSV）",
                      "reading Parquet needs pyarrow: pip install 'landopt[scale]' (or save the table as CSV)")
    except Exception:  # pyarrow.ArrowInvalid, OSError …: not a readable Parquet file
        return None, ("不是可读取的 Parquet 文件（已损坏或不完整）：请重新导出，或改用 CSV",
                      "the file is not a readable Parquet file (damaged or truncated); write it again or use CSV")


def read_folder(path: Path, wanted: set[str]) -> tuple[dict[str, pd.DataFrame], list[str], dict[str, str]]:
    """Tables of a folder of ``<sheet>.csv``/``.parquet`` files; raises InputError naming every bad file."""
    tables: dict[str, pd.DataFrame] = {}
    unknown: list[str] = []
    files: dict[str, str] = {}
    problems: list[Problem] = []
    for f in sorted(path.iterdir()):
        if f.suffix.lower() not in (".csv", ".parquet") or not f.is_file():
            continue
        name = to_id(f.stem, wanted)  # 'baseline.csv' or '基期现状面积 baseline.csv'
        if name not in wanted:
            unknown.append(f.name)
            continue
        if name in files:
            problems.append(Problem(f"both {files[name]} and {f.name} hold sheet '{name}'; keep only one of them",
                                    file=f.name, sheet=name,
                                    message_zh=f"文件“{files[name]}”与“{f.name}”对应同一张表“{name}”：请只保留其一"))
            tables.pop(name, None)
            continue
        files[name] = f.name
        df, why = _read_csv(f) if f.suffix.lower() == ".csv" else _read_parquet(f)
        if why:
            problems.append(Problem(why[1], file=f.name, sheet=name, message_zh=why[0]))
        else:
            tables[name] = df
    if problems:
        raise InputError(problems, path)
    return tables, unknown, files
