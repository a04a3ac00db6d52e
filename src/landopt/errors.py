"""One error taxonomy for landopt: what went wrong, where, and the exit code the command line gives it.

* :class:`Problem` — one input problem, mapped to its file, sheet, row and column.
* :class:`LandoptError` (exit 1) and its subclasses:
  :class:`InputError` (exit 2: the input has problems, every one listed),
  :class:`ModelError` (an :class:`InputError`: the data make a requirement impossible before any solve),
  :class:`UsageError` (exit 2: bad arguments, bad output path, unreadable file, environment),
  :class:`NoPlanError` (exit 3: infeasible, unbounded or solver failure, in planners' words).
* :class:`Terminated` — raised by the command line's SIGTERM handler (a ``BaseException`` like
  ``KeyboardInterrupt``, so ``except Exception`` blocks do not swallow it and ``finally`` blocks run).

The command line maps these to exit codes in one place (:func:`landopt.cli.exit_code`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

#: file suffixes of one-table files (a folder input): messages name them ``file 'x.csv'``, not ``sheet 'x'``
TABLE_SUFFIXES = (".csv", ".parquet", ".yaml", ".yml")


def show_value(v: Any) -> str:
    """A cell value as messages show it: text quoted, numbers with thousands separators from 10,000 on."""
    item = getattr(v, "item", None)
    if item is not None and type(v).__module__ == "numpy":
        v = item()
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e16:
        v = int(v)
    if isinstance(v, float):  # 15 significant digits: a scaled cell shows 88.9428, not 88.94279999999999
        return f"{v:,.15g}" if abs(v) >= 10_000 else f"{v:.15g}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}" if abs(v) >= 10_000 else str(v)  # years (2035) and small numbers stay plain
    if isinstance(v, (str, bool, int, float)) or v is None:
        return repr(v)
    return repr(str(v))  # e.g. an Excel error value or an unsaved formula: shown as its text


def zh_list(items: Iterable[Any]) -> str:
    """Items listed in a Chinese message: ``cropland、forest、grassland`` (the English joins them with ', ')."""
    return "、".join(map(str, items))


#: a message: English, or a (Chinese, English) pair
Message = str | tuple[str, str]


def split_message(message: Message) -> tuple[str, str]:
    """(Chinese, English) of a message; Chinese is empty for an English-only message."""
    if isinstance(message, tuple):
        return message[0], message[1]
    return "", message


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


@dataclass(frozen=True)
class Problem:
    """One input problem, mapped to where it is.

    ``str(problem)`` reads ``sheet 'targets', row 5, column 'cropland_min_ha': value '#N/A' — <message>``;
    for a table of a folder input (``file`` ends in .csv/.parquet) the place reads ``file 'targets.csv'``.
    """

    message: str  # plain words: what is wrong and what is expected
    file: str = ""  # file name
    sheet: str = ""  # sheet (or CSV/Parquet table) name
    row: int | None = None  # spreadsheet row (header = row 1)
    column: str = ""
    value: object = None
    severity: str = "error"  # "error" | "warning"
    message_zh: str = ""  # the same in Chinese (shown first); empty where only English is known

    @classmethod
    def at(cls, sheet: str, row: int | None, column: str | None, value: Any, message: Message, kind: str = "xlsx",
           file: str = "", severity: str = "error") -> "Problem":
        """A problem in a cell of ``sheet``; ``kind="folder"`` names the table ``<sheet>.csv`` unless ``file`` says.

        ``message``: English, or a (Chinese, English) pair."""
        if kind == "folder" and not file:
            file = f"{sheet}.csv"
        zh, en = split_message(message)
        return cls(en, file=file, sheet=sheet, row=None if row is None else int(row), column=column or "",
                   value=value, severity=severity, message_zh=zh)

    @property
    def kind(self) -> str:
        """``"folder"`` for a problem in one table file of a folder input, else ``"xlsx"``."""
        return "folder" if self.file.lower().endswith(TABLE_SUFFIXES) else "xlsx"

    @property
    def expected(self) -> str:  # the name the first validator gave the message
        return self.message

    def place(self) -> str:
        """``sheet 'x', row 5, column 'c'`` (or ``file 'x.csv', ...``); empty when the problem has no place."""
        if self.file and (self.kind == "folder" or not self.sheet):
            parts = [f"file '{self.file}'"]
        elif self.sheet:
            parts = [f"sheet '{self.sheet}'"]
        else:
            parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def place_zh(self) -> str:
        """``工作表“x”第 5 行“c”列`` (``工作表“x”的“c”列`` without a row; ``文件“x.csv”…`` for a table file): the
        place in Chinese; empty when it has none."""
        if self.file and (self.kind == "folder" or not self.sheet):
            out = f"文件“{self.file}”"
        elif self.sheet:
            out = f"工作表“{self.sheet}”"
        else:
            out = ""
        if self.row is not None:
            out += f"第 {self.row} 行"
        if self.column:
            out += f"{'的' if out and self.row is None else ''}“{self.column}”列"
        return out

    def __str__(self) -> str:
        """The problem in English, in one line (what logs and the exact-wording tests read)."""
        where = self.place()
        text = self.message
        if not _missing(self.value):
            text = f"value {show_value(self.value)} — {text}"
        if self.severity == "warning":
            text = f"warning: {text}"
        return f"{where}: {text}" if where else text

    def zh(self) -> str:
        """The problem in Chinese, in one line; empty when no Chinese wording is known.

        ``工作表“x”第 5 行“c”列：填写值为 'v'，<message_zh>``; a warning begins ``提示：``.  Quotes: “…” around the
        name of anything in the input (sheet, file, column, setting, region, land use, role, scenario, parameter) and
        around Chinese terms; ASCII '…' only around literal text, as typed in a cell or to be typed (the value
        shown, a misspelt id, a suggestion, ``key=value``); lists of ids are joined with 、.
        """
        if not self.message_zh:
            return ""
        where = self.place_zh()
        text = self.message_zh
        if not _missing(self.value):
            text = f"填写值为 {show_value(self.value)}，{text}"
        text = f"{where}：{text}" if where else text
        return f"提示：{text}" if self.severity == "warning" else text

    def bilingual(self, indent: str = "    ") -> str:
        """Chinese first, then English on the next line (indented by ``indent``); English alone when no Chinese."""
        zh = self.zh()
        return f"{zh}\n{indent}{self}" if zh else str(self)


def problems_head(n: int, kind: str = "problem") -> str:
    """``发现 2 处问题 2 problems`` / ``2 条提示 2 warnings``: the head of a list of problems, Chinese first."""
    zh = f"发现 {n} 处问题" if kind == "problem" else f"{n} 条提示"
    return f"{zh} {n} {kind}{'s' if n != 1 else ''}"


def as_problems(items: Iterable[Problem | Message]) -> list[Problem]:
    """Problems from a mix of :class:`Problem`, plain strings and (Chinese, English) pairs (placeless problems)."""
    out = []
    for p in items:
        if isinstance(p, Problem):
            out.append(p)
        else:
            zh, en = split_message(p if isinstance(p, tuple) else str(p))
            out.append(Problem(en, message_zh=zh))
    return out


class LandoptError(Exception):
    """Base of every error landopt raises on purpose; ``exit_code`` is what the command line returns."""

    exit_code = 1


class InputError(LandoptError, ValueError):
    """The input has problems; ``problems`` lists every one of them (all at once)."""

    exit_code = 2

    def __init__(self, problems: Iterable[Problem | Message] | Message, path: Any = None, what: str | None = None):
        self.problems: list[Problem] = as_problems([problems] if isinstance(problems, (str, tuple)) else problems)
        self.path = path
        n = len(self.problems)
        head = f"{problems_head(n, 'problem')} in {what or path or 'the input'}:"
        super().__init__("\n".join([head] + [f"  - {p.bilingual()}" for p in self.problems]))


class ModelError(InputError):
    """The data make a requirement impossible before any solve (e.g. a floor no land use can meet)."""

    def __init__(self, problems: Iterable[Problem | Message] | Message, path: Any = None, what: str | None = None):
        super().__init__(problems, path, what or "the model data")


class UsageError(LandoptError, ValueError):
    """Bad arguments, a bad output path, an unreadable file or a broken environment (exit 2).

    Also a ValueError, so callers written before the taxonomy (catching ValueError) still see bad input.
    """

    exit_code = 2


class OutputError(UsageError, OSError):
    """An output could not be written (disk full, read-only, permission …): a :class:`UsageError` (exit 2)
    that is also an :class:`OSError`, as the write functions raised before the taxonomy."""

    def __init__(self, message: str, errno_: int | None = None):
        UsageError.__init__(self, message)
        self.errno = errno_
        self.strerror = message

    def __str__(self) -> str:
        return str(self.strerror)


class NoPlanError(LandoptError):
    """No optimal plan: infeasible, unbounded, time limit or solver failure (exit 3)."""

    exit_code = 3


class Terminated(BaseException):
    """The process received SIGTERM (raised by the command line's handler so cleanup runs; exit 143)."""

    exit_code = 143
