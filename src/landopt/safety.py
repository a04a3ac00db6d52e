"""Safety at the edges: output paths checked before any work, atomic writes, no formulas from input text.

* :func:`check_outputs` refuses an output that is (or would replace) an input — the same path, a hard
  link of it, ``x/../in.xlsx``, or a file inside an input folder — and an output whose name, folder or
  kind is wrong, *before* any work is done.
* :func:`atomic_write` writes through a temp file in the target's folder and :func:`os.replace`; the temp
  file is removed on every exit path (errors, Ctrl-C, and SIGTERM once the command line turns it into an
  exception); temp files left by a killed process (SIGKILL) are removed by the next write to that folder.
* :func:`cell_text` makes text that came from the input safe to put in a cell: never a formula.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

from landopt.errors import OutputError, UsageError

log = logging.getLogger(__name__)

#: the folder the commands write to when no -o is given (relative to the working folder; made without a warning)
DEFAULT_OUTPUT_DIR = "outputs"

#: characters that make a spreadsheet (or a CSV opened in one) read text as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: the invisible mark put before such text: U+200B ZERO WIDTH SPACE (nothing visible changes in the cell)
FORMULA_GUARD = "\u200b"
TEMP_MARK = ".landopt-tmp"  # temp files are named .<name>.landopt-tmp.<pid>.<random><suffix>
_TEMP_RE = re.compile(re.escape(TEMP_MARK) + r"\.(\d+)\.")


def cell_text(value: object) -> str:
    """``value`` as text that no spreadsheet reads as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return, OWASP's CSV-injection list)
    gets an invisible zero-width space in front.  We chose this over a leading apostrophe because the
    apostrophe would show in the cell (openpyxl has no "quote prefix" for a value) and over Excel's
    quotePrefix style because the guard must survive a copy into CSV.  Plain text is returned unchanged.
    """
    text = "" if value is None else str(value)
    return FORMULA_GUARD + text if text.startswith(FORMULA_START) else text


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` are one file: equal once resolved (``x/../b``), or hard links of one inode."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(folder))
        return True
    except ValueError:
        return False


def check_outputs(outputs: Iterable[Path], inputs: Iterable[Path], suffixes: tuple[str, ...] = (".xlsx",),
                  option: str = "-o") -> None:
    """Refuse outputs that would replace an input or cannot be written; raises :class:`UsageError`.

    Checked before any work: each output must end in one of ``suffixes``, must not be (or be a hard link
    of) an input file or lie inside an input folder, must not be an existing folder, its folder must not
    be a file, its name must fit the file system and its folder must be writable (or creatable).
    """
    ins = [Path(i) for i in inputs]
    probed: set[Path] = set()
    for out in (Path(o) for o in outputs):
        if out.suffix.lower() not in suffixes:
            raise UsageError(f"{option} {out}: 输出为 Excel 工作簿，文件名应以 {' 或 '.join(suffixes)} 结尾"
                             f"（如 {out.with_suffix(suffixes[0]).name}） "
                             f"the output is an Excel workbook; give a name ending in "
                             f"{' or '.join(suffixes)} (e.g. {out.with_suffix(suffixes[0]).name})")
        _check_name_length(out, option)
        for inp in ins:
            if inp.is_dir() and _inside(out, inp):
                raise UsageError(f"{option} {out}: 输出不能写入输入文件夹，请另选该文件夹以外的路径（输入数据不会被改写） "
                                 f"the output would be written inside the input folder {inp}; "
                                 "choose a path outside it (the input is never written)")
            if same_file(out, inp):
                raise UsageError(f"{option} {out}: 这是输入文件，请另选输出文件名（输入数据不会被改写） "
                                 f"this is the input file {inp}; choose another output name "
                                 "(the input is never written)")
        if out.is_dir():
            raise UsageError(f"{option} {out}: 这是已有的文件夹，请给出文件名 "
                             f"is an existing folder; give a file name such as {out / 'plan.xlsx'}")
        parent = _existing_parent(out)
        if not parent.is_dir():
            raise UsageError(f"{option} {out}: {parent} 是文件而不是文件夹，请另选输出文件夹 "
                             f"{parent} is a file, not a folder; choose another output folder")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise UsageError(f"{option} {out}: 无法写入该文件夹（无权限或只读），请另选输出文件夹 "
                             f"cannot write into the folder {parent} (no permission or read-only); "
                             "choose another output folder")
        writable(out, parent, option, probed)


def _check_name_length(out: Path, option: str) -> None:
    """Refuse a name longer than the file system takes (255 bytes on most), before any work."""
    name_max = 255
    with contextlib.suppress(OSError, ValueError, AttributeError):
        name_max = os.pathconf(_existing_parent(out), "PC_NAME_MAX")
    for part in out.parts:
        n = len(os.fsencode(part))
        if n > name_max:
            raise UsageError(f"{option} {part[:40]}…: 文件名长 {n} 字节，超过该文件系统的"
                             f"上限（{name_max} 字节），请改用较短的文件名 the file name is {n} bytes long, "
                             f"more than this file system allows ({name_max}); choose a shorter name")


def check_writable(path: str | Path, option: str = "-o", folder: bool = False) -> None:
    """Refuse, before any work, an output file (or, with ``folder``, an output folder) that cannot be written
    (:func:`writable`); for commands whose outputs are checked by the library itself otherwise."""
    path = Path(path)
    _check_name_length(path, option)
    if folder and path.is_file():
        raise UsageError(f"{option} {path}: 这是已有的文件，而该命令写出一个文件夹：请给出文件夹名 "
                         f"is an existing file, and this command writes a folder: give a folder name")
    writable(path, _existing_parent(path / "x" if folder else path), option)


def writable(out: Path, parent: Path, option: str = "-o", probed: set[Path] | None = None) -> None:
    """Refuse (:class:`UsageError`) an output that the write at the end would fail on, found by trying now:

    * a file is made and removed in ``parent`` (the nearest existing folder), which fails in a folder that
      does not take new files (``/proc``, a read-only mount, no permission even for root);
    * an existing ``out`` is opened for appending (nothing written, nothing changed), which fails when it is
      protected (``chattr +i`` immutable or append-only: the atomic replace would fail) or on a read-only mount.

    ``probed`` keeps the folders already tried by this call.  Its callers (:func:`check_outputs`,
    :func:`check_writable`) have refused a name longer than the file system takes before.
    """
    if probed is None or parent not in probed:
        try:
            fd, name = tempfile.mkstemp(dir=parent, prefix=f".probe{TEMP_MARK}.{os.getpid()}.")
        except OSError as e:
            raise UsageError(f"{option} {out}: 无法在该文件夹中新建文件，请另选输出文件夹 "
                             f"cannot create a file in the folder {parent}: "
                             f"{_reason(e, folder=True)}; choose another output folder") from None
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)
        if probed is not None:
            probed.add(parent)
    if out.is_file():
        refused = (errno.EPERM, errno.EROFS) + ((errno.EACCES,) if os.name == "nt" else ())  # Windows: open in Excel
        try:
            fd = os.open(out, os.O_WRONLY | os.O_APPEND)
        except OSError as e:
            if e.errno in refused:
                raise UsageError(f"{option} {out}: 无法替换已有文件，请另选输出文件名 "
                                 f"cannot replace the existing file: {_reason(e)}; "
                                 "choose another output name") from None
        else:
            os.close(fd)


def warn_if_replacing(path: str | Path, option: str = "-o") -> None:
    """Log a warning (shown even under ``-q``) when ``path`` exists and is about to be replaced, so that no earlier
    output is lost silently (e.g. the plans of a workbook and of its CSV folder share one default name)."""
    from datetime import datetime

    p = Path(path)
    with contextlib.suppress(OSError):
        if p.is_file():
            when = datetime.fromtimestamp(p.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
            log.warning("替换已有文件 replacing the existing file %s (written %s; give another %s to keep it)", p, when,
                        option)
            lock = p.with_name("~$" + p.name)  # Excel's owner file while the workbook is open
            if lock.exists():
                log.warning("该文件似乎正在 Excel 中打开（有锁定文件 %s）：替换后请在 Excel 中关闭并重新打开，否则看到的仍是旧内容 "
                            "%s seems to be open in Excel (lock file %s): close and reopen it there after it is "
                            "replaced, or Excel keeps showing the old content", lock.name, p.name, lock.name)


def back_up_before_replacing(path: str | Path) -> Path | None:
    """Copy an existing file at ``path`` to ``<stem>.replaced-<YYYYmmdd-HHMMSS><suffix>`` beside it before it is
    replaced on purpose (``landopt template --force``: the file replaced may be a filled input workbook), and say so;
    returns the copy, or None when there was nothing to keep."""
    import shutil
    from datetime import datetime

    p = Path(path)
    if not p.is_file():
        return None
    stamp = datetime.fromtimestamp(p.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
    copy = p.with_name(f"{p.stem}.replaced-{stamp}{p.suffix}")
    shutil.copy2(p, copy)
    log.warning("替换已有文件 replacing the existing file %s; 原文件已保存为 the file it held is kept as %s", p, copy)
    return copy


def _existing_parent(path: Path) -> Path:
    """The nearest existing ancestor of ``path``'s folder (the folder itself when it exists)."""
    p = path.parent if str(path.parent) else Path(".")
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def _reason(e: OSError, folder: bool = False) -> str:
    """Why an OS call failed, in plain words (``folder``: while making a file in an existing folder)."""
    if folder:
        if e.errno in (errno.EACCES, errno.EPERM):
            return "no permission to create files there"
        if e.errno in (errno.ENOENT, errno.ENOTDIR, errno.EINVAL):
            return "it does not accept new files, as system folders such as /proc do not"
    elif e.errno == errno.EPERM:
        return "it is protected against changes (immutable or append-only, see lsattr) and cannot be replaced"
    return _REASONS.get(e.errno or -1, e.strerror or str(e))


def os_error_text(path: Path, e: OSError) -> str:
    """An OS error while writing ``path`` in plain words, Chinese first (the reason in Chinese where it is known)."""
    zh = _REASONS_ZH.get(e.errno or -1)
    return (f"无法写入 {path}{'：' + zh if zh else ''} "
            f"cannot write {path}: {_REASONS.get(e.errno or -1, e.strerror or str(e))}")


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied (is the file open in Excel, or the folder read-only?)",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EDQUOT: "the disk quota is exceeded",
}
_REASONS_ZH = {
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "文件系统为只读",
    errno.EACCES: "无访问权限（文件是否已在 Excel 中打开，或文件夹为只读？）",
    errno.EPERM: "无访问权限",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分是文件而不是文件夹",
    errno.EDQUOT: "超出磁盘配额",
}


def _clean_stale(folder: Path) -> None:
    """Remove temp files of landopt processes that no longer exist (left by SIGKILL or a power cut)."""
    with contextlib.suppress(OSError):
        for f in folder.iterdir():
            m = _TEMP_RE.search(f.name)
            if not m or not f.name.startswith("."):
                continue
            pid = int(m.group(1))
            if pid == os.getpid():
                continue
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                with contextlib.suppress(OSError):
                    f.unlink()
                    log.info("removed a temp file left by an interrupted run: %s", f)
            except OSError:
                pass  # the process exists (another user's): leave its file alone


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def new_temp(path: str | Path) -> Path:
    """An empty temp file next to ``path`` (its folder made if needed), named so that a later run can tell it was left
    by an interrupted process and remove it.  An :class:`OSError` becomes an :class:`OutputError` naming ``path``."""
    path = Path(path)
    try:
        if not path.parent.is_dir():  # said, so that a mistyped -o does not make a folder unnoticed (the default
            quiet = path.parent.name == DEFAULT_OUTPUT_DIR and not path.parent.parent.name  # outputs/ only: expected)
            log.log(logging.INFO if quiet else logging.WARNING, "新建文件夹 creating the folder %s", path.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale(path.parent)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem[:60]}{TEMP_MARK}.{os.getpid()}.",
                                    suffix=path.suffix)
        os.close(fd)
    except OSError as e:
        raise OutputError(os_error_text(path, e), e.errno) from None
    return Path(name)


def move_into_place(tmp: Path, path: Path) -> None:
    """Give ``tmp`` the permissions ``path`` has (or a new file's) and rename it onto ``path`` atomically."""
    mode = (path.stat().st_mode & 0o777) if path.exists() else (0o666 & ~_umask())
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)  # mkstemp makes the file 0600; give the output the usual permissions
    os.replace(tmp, path)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temp path next to ``path``; on normal exit it replaces ``path`` atomically, else it is removed.

    Any :class:`OSError` (disk full, read-only, ...) becomes an :class:`~landopt.errors.OutputError` (a
    :class:`UsageError`, exit 2) naming ``path``.
    """
    path = Path(path)
    tmp = new_temp(path)
    done = False
    try:
        yield tmp
        move_into_place(tmp, path)
        done = True
    except OutputError:
        raise
    except OSError as e:
        raise OutputError(os_error_text(path, e), e.errno) from None
    finally:
        if not done:
            with contextlib.suppress(OSError):
                tmp.unlink()


def atomic_write(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(tmp)`` to write a temp file next to ``path``, then move it onto ``path`` atomically.

    On any failure or interrupt the temp file is removed and an existing ``path`` is left untouched.
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        write(tmp)
    log.info("wrote %s", path)
    return path
