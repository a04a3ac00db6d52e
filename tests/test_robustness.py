"""Robustness corpus (issue #16): every user mistake ends with a message naming what and where and exit 2
(or 130/143 on an interrupt), never a traceback; inputs are never written; no plan and no temp file is left.

Each case asserts the exact message, the exit code, the input's sha256 before and after, and the folder's
files afterwards.  The tiny instance is conftest's (region A, 100 ha; targets row 2 = A 2030 cropland 30 ha).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from conftest import tiny_tables, write_xlsx
from openpyxl import load_workbook

from landopt.cli import main
from landopt.errors import InputError, Problem, UsageError

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- helpers

def write_folder(tables: dict[str, pd.DataFrame], folder: Path, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        (folder / f"{name}.csv").write_bytes(df.to_csv(index=False).encode(encoding))
    return folder


def sha(path: Path) -> str:
    if path.is_dir():
        h = hashlib.sha256()
        for f in sorted(path.iterdir()):
            h.update(f.name.encode() + f.read_bytes())
        return h.hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_cell(path: Path, sheet: str, coord: str, value: object, data_type: str | None = None) -> Path:
    wb = load_workbook(path)
    ws = wb[sheet]
    ws[coord] = value
    if data_type:
        ws[coord].data_type = data_type
    wb.save(path)
    return path


def add_formula_to_error_cell(path: Path, sheet_index: int, coord: str, formula: str) -> Path:
    """Make the error cell ``coord`` a formula with that cached error, as Excel saves =1/0."""
    tmp = path.with_suffix(".tmp.zip")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == f"xl/worksheets/sheet{sheet_index}.xml":
                text = data.decode()
                new = re.sub(rf'(<c r="{coord}"[^>]*t="e"[^>]*>)(<v>)', rf"\1<f>{formula}</f>\2", text)
                assert new != text
                data = new.encode()
            zout.writestr(item, data)
    tmp.replace(path)
    return path


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def tiny_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tiny_tables(), tmp_path / "in.xlsx")


# --------------------------------------------------------------------------- formula cells
def test_unsaved_formula_in_cropland_floor_is_refused(tmp_path, capsys):
    inp = set_cell(write_xlsx(tiny_tables(), tmp_path / "in.xlsx"), "targets", "C2", "=51000+73")
    before = sha(inp)
    code, _out, err = run(["solve", str(inp), "-o", str(tmp_path / "plan.xlsx")], capsys)
    assert code == 2
    assert err.endswith(
        f"发现 1 处问题 1 problem in {inp}:\n"
        "  - 工作表“targets”第 2 行“cropland_min_ha”列：填写值为 '=51000+73'，公式没有保存计算结果（该文件由不计算公式的程序"
        "写入）；"
        "请用 Excel 或 LibreOffice 打开并保存该工作簿（使公式得到计算），或直接填写数值\n"
        "    sheet 'targets', row 2, column 'cropland_min_ha': value '=51000+73' — a formula "
        "with no saved value (written by a program that does not compute formulas); open the workbook in Excel or "
        "LibreOffice and save it (so formulas are computed), or type the value\n")
    assert sha(inp) == before and files(tmp_path) == ["in.xlsx"]


def test_formula_written_by_xlsxwriter_with_placeholder_value_is_refused(tmp_path, capsys):
    """XlsxWriter saves 0 as every formula's value and flags the workbook for recalculation: not a value."""
    pytest.importorskip("xlsxwriter")
    t = tiny_tables()
    t["targets"]["cropland_min_ha"] = ["=51000+73"]
    inp = tmp_path / "in.xlsx"
    with pd.ExcelWriter(inp, engine="xlsxwriter") as xw:
        for name, df in t.items():
            df.to_excel(xw, sheet_name=name, index=False)
    code, out, _err = run(["validate", str(inp)], capsys)
    assert code == 2
    assert out.splitlines()[2] == (
        "    sheet 'targets', row 2, column 'cropland_min_ha': value '=51000+73' — a formula with no saved value "
        "(written by a program that does not compute formulas); open the workbook in Excel or LibreOffice and save "
        "it (so formulas are computed), or type the value")
    assert out.splitlines()[1].startswith("  - 工作表“targets”第 2 行“cropland_min_ha”列：填写值为 '=51000+73'，公式没有保存计算结果")


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#DIV/0!"])
def test_error_value_in_cropland_floor_is_refused(tmp_path, capsys, error):
    inp = set_cell(write_xlsx(tiny_tables(), tmp_path / "in.xlsx"), "targets", "C2", error, data_type="e")
    code, out, _err = run(["validate", str(inp)], capsys)
    assert code == 2
    assert out.splitlines()[:3] == [
        f"发现 1 处问题 1 problem in {inp}:",
        f"  - 工作表“targets”第 2 行“cropland_min_ha”列：填写值为 '{error}'，单元格显示 Excel 错误值（公式计算失败）：请修正公式或直接填写数值",
        f"    sheet 'targets', row 2, column 'cropland_min_ha': value '{error}' — the cell shows an Excel error "
        "(its formula failed); fix the formula or type the value"]


def test_formula_with_cached_error_in_rate_limit_is_refused(tmp_path):
    t = tiny_tables()
    t["transitions"]["max_pct_per_period"] = [5.0, 5.0]
    inp = write_xlsx(t, tmp_path / "in.xlsx")
    set_cell(inp, "transitions", "D3", "#DIV/0!", data_type="e")
    add_formula_to_error_cell(inp, list(t).index("transitions") + 1, "D3", "1/0")
    with pytest.raises(InputError) as e:
        import landopt

        landopt.read(inp)
    assert [str(p) for p in e.value.problems] == [
        "sheet 'transitions', row 3, column 'max_pct_per_period': value '#DIV/0!' — the cell shows an Excel error "
        "(its formula failed); fix the formula or type the value"]


def test_error_value_in_a_text_column_and_in_the_scenarios_sheet(tmp_path):
    from landopt.reader import read_workbook
    from landopt.scenarios import ScenarioError, load_scenarios
    from landopt.validate import check

    t = tiny_tables(scenarios=pd.DataFrame({"scenario": ["s"], "sheet": ["targets"], "column": ["cropland_min_ha"],
                                            "operation": ["set"], "value": [1]}))
    inp = write_xlsx(t, tmp_path / "in.xlsx")
    set_cell(inp, "land_uses", "A3", "#REF!", data_type="e")
    set_cell(inp, "scenarios", "E2", "#N/A", data_type="e")
    raw = read_workbook(inp)
    assert str(check(raw)[1][0]) == ("sheet 'land_uses', row 3, column 'land_use': value '#REF!' — the cell shows "
                                     "an Excel error (its formula failed); fix the formula or type the value")
    with pytest.raises(ScenarioError) as e:
        load_scenarios(raw)
    assert [str(p) for p in e.value.problems] == [
        "sheet 'scenarios', row 2, column 'value': value '#N/A' — the cell shows an Excel error (its formula "
        "failed); fix the formula or type the value"]


def test_stray_cell_far_away_reads_only_the_used_range(tmp_path):
    """A stray cell at XFD1048576 must not make the reader allocate the sheet (it used to take > 3 GB)."""
    import tracemalloc

    from landopt.reader import read_workbook

    inp = write_xlsx(tiny_tables(), tmp_path / "in.xlsx")
    clean = read_workbook(inp).tables
    set_cell(inp, "targets", "XFD1048576", "stray")
    tracemalloc.start()
    try:
        tables = read_workbook(inp).tables
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50e6  # bytes: the whole sheet as a frame would be hundreds of MB
    pd.testing.assert_frame_equal(tables["targets"], clean["targets"])
    assert list(tables["targets"].columns) == ["_row", "region", "year", "cropland_min_ha"]


# --------------------------------------------------------------------------- files that are not workbooks
@pytest.mark.parametrize("name,content,why", [
    ("in.csv", b"a,b\n1,2\n", "是单个 CSV 文件；landopt 只能读取 .xlsx 工作簿，或每张表一个 CSV/Parquet 文件的文件夹（settings.csv、regions.csv、"
     "land_uses.csv、baseline.csv 等） is a single CSV file; landopt reads an .xlsx workbook, or a folder holding one CSV per "
     "sheet (settings.csv, regions.csv, land_uses.csv, baseline.csv, …)"),
    ("in.ods", b"PK\x03\x04odf", "是 OpenDocument 表格：请在 LibreOffice 中另存为 Excel 工作簿 .xlsx（文件 > 另存为 > Excel 2007-365） is an OpenDocument spreadsheet; save it as an Excel workbook (.xlsx) in LibreOffice "
     "(File > Save As > Excel 2007-365)"),
    ("in.txt", b"hello", "是文本文件；landopt 只能读取 .xlsx 工作簿，或每张表一个 CSV/Parquet 文件的文件夹 is a text file; landopt reads an .xlsx workbook or a folder of CSV/Parquet tables"),
    ("in.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "是旧版 Excel 97-2003 工作簿：请用 Excel 或 LibreOffice 打开并另存为 .xlsx is a legacy Excel 97-2003 workbook; open it in Excel or "
     "LibreOffice and save it as .xlsx"),
    ("in.xlsx", b"", "文件为空（0 字节），未完整保存：请在 Excel 中重新保存 is empty (0 bytes); it was not saved completely — save it again from Excel"),
    ("in.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1encrypted", "设有打开密码（已加密），或是改了扩展名的旧版 .xls 文件：请取消密码（文件 > 信息 > 保护工作簿）或另存为 .xlsx 后再运行 "
     "is password-protected (encrypted) or a legacy .xls file "
     "renamed to .xlsx; remove the password (File > Info > Protect Workbook) or save it as .xlsx, then run again"),
    ("in.xlsx", b"<html>not a zip</html>", "不是 Excel .xlsx 工作簿（文件内容不是 zip 压缩包）：请重新另存为 .xlsx is not an Excel .xlsx workbook (its content is not a zip package); save "
     "it again as .xlsx"),
])
def test_files_that_are_not_workbooks(tmp_path, capsys, name, content, why):
    inp = tmp_path / name
    inp.write_bytes(content)
    code, _out, err = run(["solve", str(inp), "-o", str(tmp_path / "plan.xlsx")], capsys)
    assert code == 2
    assert err.strip().splitlines()[-1] == f"错误 error: {inp}: {why}"
    assert inp.read_bytes() == content and files(tmp_path) == [name]
    assert "Traceback" not in err


@pytest.mark.parametrize("damage", ["truncated", "corrupted"])
def test_damaged_xlsx(tmp_path, capsys, tiny_xlsx, damage):
    data = tiny_xlsx.read_bytes()
    if damage == "truncated":
        tiny_xlsx.write_bytes(data[: len(data) // 2])
    else:  # the zip's directory intact, a member's compressed bytes overwritten (zlib.error)
        buf = bytearray(data)
        buf[200:1200] = bytes(1000)
        tiny_xlsx.write_bytes(bytes(buf))
    before = sha(tiny_xlsx)
    code, _out, err = run(["validate", str(tiny_xlsx)], capsys)
    assert code == 2
    assert err.strip() == (f"错误 error: {tiny_xlsx}: 工作簿已损坏或不完整，无法读取：请用 Excel 打开（可能自动修复）后重新保存，"
                           "或使用最近一份完好的副本 the workbook is damaged or truncated and cannot be read; open it in "
                           "Excel (which may repair it) and save it again, or use the last good copy")
    assert sha(tiny_xlsx) == before


def test_missing_input(tmp_path, capsys):
    code, _out, err = run(["solve", str(tmp_path / "nope.xlsx")], capsys)
    assert (code, err.strip()) == (2, f"错误 error: 找不到输入文件或文件夹 input not found: {tmp_path / 'nope.xlsx'}")


# --------------------------------------------------------------------------- CSV / Parquet folders
@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig", "utf-8"])
def test_csv_folder_in_any_common_encoding_solves(tmp_path, capsys, encoding):
    t = tiny_tables(regions=pd.DataFrame({"region": ["A"], "name_zh": ["拉萨市"], "total_area_ha": [100.0]}))
    inp = write_folder(t, tmp_path / "in", encoding=encoding)
    before = sha(inp)
    out = tmp_path / "plan.xlsx"
    code, stdout, _err = run(["solve", str(inp), "-o", str(out)], capsys)
    assert code == 0 and stdout.startswith(f"最优规划方案已写入 optimal plan written to {out}\n")
    assert sha(inp) == before
    from landopt.api import read

    assert read(inp).regions["name_zh"].tolist() == ["拉萨市"]


#: the Chinese line of each unreadable-table message (the English is the test's parameter)
UNREADABLE_ZH = {
    "the file's text encoding is not UTF-8, UTF-16 or GBK/GB18030; save it as 'CSV UTF-8 (comma delimited)' in Excel "
    "(or UTF-8 in your editor)":
        "文件编码不是 UTF-8、UTF-16 或 GBK/GB18030：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”（或在编辑器中存为 UTF-8）",
    "a double quote opened on line 2 is never closed; close it or remove it": "第 2 行开始的双引号没有闭合：请补全或删去",
    "line 3 has 4 fields but the header has 3; remove the extra commas or put text containing commas in double quotes":
        "第 3 行有 4 个字段，而表头只有 3 个：请删去多余的逗号，或把含逗号的文字放在双引号内",
    "the file is empty; it needs a header row with the column names (see docs/inputs.md)":
        "文件为空：须有一行表头，写明各列列名（见 docs/inputs.md）",
}


@pytest.mark.parametrize("sheet,content,message", [
    ("regions", b"region,total_area_ha\nA,100\xff\xfe\x80\n",
     "file 'regions.csv': the file's text encoding is not UTF-8, UTF-16 or GBK/GB18030; save it as 'CSV UTF-8 "
     "(comma delimited)' in Excel (or UTF-8 in your editor)"),
    ("regions", b'region,total_area_ha\n"A,100\n',
     "file 'regions.csv': a double quote opened on line 2 is never closed; close it or remove it"),
    ("baseline", b"region,land_use,area_ha\nA,crop,40\nA,forest,20,7\n",
     "file 'baseline.csv': line 3 has 4 fields but the header has 3; remove the extra commas or put text "
     "containing commas in double quotes"),
    ("targets", b"", "file 'targets.csv': the file is empty; it needs a header row with the column names "
     "(see docs/inputs.md)"),
])
def test_unreadable_csv_tables(tmp_path, capsys, sheet, content, message):
    inp = write_folder(tiny_tables(), tmp_path / "in")
    (inp / f"{sheet}.csv").write_bytes(content)
    before = sha(inp)
    code, _out, err = run(["solve", str(inp), "-o", str(tmp_path / "plan.xlsx")], capsys)
    assert code == 2
    zh_place, en_place = f"文件“{sheet}.csv”：", f"file '{sheet}.csv': "
    assert err.endswith(f"发现 1 处问题 1 problem in {inp}:\n  - {zh_place}{UNREADABLE_ZH[message[len(en_place):]]}\n"
                        f"    {message}\n")
    assert sha(inp) == before and files(tmp_path) == ["in"]


def test_corrupt_parquet_and_both_formats_listed_at_once(tmp_path, capsys):
    inp = write_folder(tiny_tables(), tmp_path / "in")
    (inp / "targets.csv").unlink()
    (inp / "targets.parquet").write_bytes(b"PAR1 not really")
    tiny_tables()["regions"].to_parquet(inp / "regions.parquet")
    code, _out, err = run(["validate", str(inp)], capsys)
    assert code == 2
    assert err.endswith(
        f"发现 2 处问题 2 problems in {inp}:\n"
        "  - 文件“regions.parquet”：文件“regions.csv”与“regions.parquet”对应同一张表“regions”：请只保留其一\n"
        "    file 'regions.parquet': both regions.csv and regions.parquet hold sheet 'regions'; keep only one of them\n"
        "  - 文件“targets.parquet”：不是可读取的 Parquet 文件（已损坏或不完整）：请重新导出，或改用 CSV\n"
        "    file 'targets.parquet': the file is not a readable Parquet file (damaged or truncated); write it again "
        "or use CSV\n")


def test_malformed_scenarios_yaml(tmp_path, capsys, tiny_xlsx):
    y = tmp_path / "in.scenarios.yaml"
    y.write_text("scenarios:\n  s:\n    overrides: [sheet: targets\n", encoding="utf-8")
    code, _out, err = run(["solve", str(tiny_xlsx), "--scenario", "s", "-o", str(tmp_path / "p.xlsx")], capsys)
    assert code == 2
    assert err.strip().splitlines()[-3:] == [
        "发现 1 处问题 1 problem in the scenarios:",
        "  - 文件“in.scenarios.yaml”第 4 行第 1 列：不是有效的 YAML（expected ',' or ']', but got '<stream end>'）；"
        "格式见 docs/scenarios.md",
        "    file 'in.scenarios.yaml', line 4, column 1: not valid YAML (expected ',' or ']', but got '<stream end>'); "
        "see docs/scenarios.md for the layout"]
    assert files(tmp_path) == ["in.scenarios.yaml", "in.xlsx"]


# --------------------------------------------------------------------------- arguments and environment
@pytest.mark.parametrize("points", ["0", "1", "-1", "x", "100000000"])
def test_pareto_points_below_two(tmp_path, capsys, tiny_xlsx, points):
    code, _out, err = run(["pareto", str(tiny_xlsx), "--against", "food", "--points", points], capsys)
    assert code == 2
    got = "'x'" if points == "x" else points
    want = ("应为整数 expected a whole number ≥ 2, got 'x'" if points == "x" else
            "最多 1,000 个点 expected at most 1,000 points, got 100,000,000" if points == "100000000" else
            f"权衡曲线至少需要 2 个点 expected a whole number ≥ 2 (a trade-off curve needs two ends), got {got}")
    assert err.strip().splitlines()[-1] == f"landopt pareto: error: argument --points: {want}"


def test_unreachable_dask_scheduler_fails_fast(tmp_path, capsys, tiny_xlsx):
    import time

    t0 = time.monotonic()
    code, _out, err = run(["sweep", str(tiny_xlsx), "--scheduler", "tcp://127.0.0.1:1", "-o",
                           str(tmp_path / "s.xlsx")], capsys)
    assert code == 2 and time.monotonic() - t0 < 20  # Dask's own timeout is 30 s
    assert err.strip() == ("错误 error: --scheduler tcp://127.0.0.1:1: 无法连接 Dask 调度器，请先启动（dask scheduler）或核对地址和端口 "
                           "cannot reach the Dask scheduler (Connection "
                           "refused); start it (dask scheduler) or check the address and port")
    assert files(tmp_path) == ["in.xlsx"]


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
def test_console_without_unicode_never_crashes(tmp_path, encoding):
    import subprocess
    import sys

    t = tiny_tables()
    t["baseline"].loc[0, "area_ha"] = -5
    inp = write_xlsx(t, tmp_path / "bad.xlsx")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONIOENCODING": encoding}
    p = subprocess.run([sys.executable, "-m", "landopt.cli", "validate", str(inp)], capture_output=True, env=env,
                       timeout=120)
    assert p.returncode == 2, p.stderr
    dash = {"ascii": b"?", "cp1252": b"\x97"}[encoding]  # cp1252 has the em dash, neither has '≥'
    assert b"column 'area_ha': value -5 " + dash + b" expected a number ? 0 ha" in p.stdout
    assert b"Traceback" not in p.stderr


def test_internal_error_is_one_line_and_exit_1(tmp_path, capsys, monkeypatch, tiny_xlsx):
    import landopt.api

    def broken(*a, **k):
        raise RuntimeError("something inside broke\nsecond line")

    monkeypatch.setattr(landopt.api, "optimize", broken)
    code, _out, err = run(["solve", str(tiny_xlsx), "-o", str(tmp_path / "p.xlsx")], capsys)
    assert code == 1
    assert err.strip().splitlines()[-1] == ("内部错误，请报告此问题（加 -v 重新运行可查看详情） internal error, please report it (run again with -v for the details): "
                                           "RuntimeError: something inside broke")
    assert "Traceback" not in err
    code, _out, err = run(["solve", str(tiny_xlsx), "-o", str(tmp_path / "p.xlsx"), "-v"], capsys)
    assert code == 1 and "Traceback" in err


# --------------------------------------------------------------------------- output paths
def _commands(inp: Path, out: str) -> list[list[str]]:
    return [["solve", str(inp), "-o", out], ["compare", str(inp), "-o", out, "--no-progress"],
            ["diagnose", str(inp), "-o", out], ["sweep", str(inp), "-o", out, "--no-progress"],
            ["pareto", str(inp), "--against", "food", "-o", out]]


@pytest.mark.parametrize("i", range(5))
@pytest.mark.parametrize("form", ["same", "dotdot", "hardlink"])
def test_output_equal_to_input_is_refused_before_any_work(tmp_path, capsys, tiny_xlsx, i, form):
    (tmp_path / "x").mkdir()
    out = {"same": str(tiny_xlsx), "dotdot": str(tmp_path / "x" / ".." / "in.xlsx"),
           "hardlink": str(tmp_path / "link.xlsx")}[form]
    if form == "hardlink":
        os.link(tiny_xlsx, out)
    before = sha(tiny_xlsx)
    argv = _commands(tiny_xlsx, out)[i]
    code, stdout, err = run(argv, capsys)
    assert code == 2
    assert err.strip() == (f"错误 error: -o {out}: 这是输入文件，请另选输出文件名（输入数据不会被改写） this is the input file {tiny_xlsx}; choose another output name "
                           "(the input is never written)")
    assert "reading" not in err and stdout == ""  # refused before any work
    assert sha(tiny_xlsx) == before
    assert files(tmp_path) == sorted(["in.xlsx", "x"] + (["link.xlsx"] if form == "hardlink" else []))


def test_derived_diagnosis_path_landing_on_the_input_is_refused(tmp_path, capsys):
    inp = write_xlsx(tiny_tables(), tmp_path / "m_diagnosis.xlsx")
    before = sha(inp)
    code, _out, err = run(["solve", str(inp), "-o", str(tmp_path / "m_plan.xlsx")], capsys)
    assert code == 2
    # named as the diagnosis workbook that goes with -o, not as the -o the user typed (m_plan.xlsx)
    assert err.strip() == (f"错误 error: -o 对应的诊断工作簿 the diagnosis workbook of -o: {tmp_path / 'm_diagnosis.xlsx'}: "
                           f"这是输入文件，请另选输出文件名（输入数据不会被改写） "
                           f"this is the input file {inp}; choose another "
                           "output name (the input is never written)")
    assert sha(inp) == before and files(tmp_path) == ["m_diagnosis.xlsx"]


def test_template_onto_its_source_and_into_an_input_folder_are_refused(tmp_path, capsys):
    src = write_folder(tiny_tables(), tmp_path / "csv")
    before = sha(src)
    code, _out, err = run(["template", str(src / "regions.xlsx"), "--from-csv", str(src)], capsys)
    assert code == 2
    assert err.strip() == (f"错误 error: template {src / 'regions.xlsx'}: 输出不能写入输入文件夹，请另选该文件夹以外的路径（输入数据不会被改写） "
                           f"the output would be written inside the input "
                           f"folder {src}; choose a path outside it (the input is never written)")
    assert sha(src) == before


@pytest.mark.parametrize("case", ["csv", "folder", "file_as_folder", "too_long"])
def test_bad_output_paths(tmp_path, capsys, tiny_xlsx, case):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "adir.xlsx").mkdir()
    out = {"csv": tmp_path / "plan.csv", "folder": tmp_path / "adir.xlsx", "file_as_folder": tmp_path / "afile" / "p.xlsx",
           "too_long": tmp_path / ("p" * 300 + ".xlsx")}[case]
    want = {
        "csv": f"错误 error: -o {out}: 输出为 Excel 工作簿，文件名应以 .xlsx 结尾（如 plan.xlsx） the output is an Excel workbook; give a name ending in .xlsx (e.g. plan.xlsx)",
        "folder": f"错误 error: -o {out}: 这是已有的文件夹，请给出文件名 is an existing folder; give a file name such as {out / 'plan.xlsx'}",
        "file_as_folder": f"错误 error: -o {out}: {tmp_path / 'afile'} 是文件而不是文件夹，请另选输出文件夹 "
                          f"{tmp_path / 'afile'} is a file, not a folder; choose another output folder",
        "too_long": f"错误 error: -o {'p' * 40}…: 文件名长 305 字节，超过该文件系统的上限（255 字节），请改用较短的文件名 the file name is 305 bytes long, more than this file system allows (255); "
                    "choose a shorter name",
    }[case]
    code, _out, err = run(["solve", str(tiny_xlsx), "-o", str(out)], capsys)
    assert (code, err.strip()) == (2, want)
    assert files(tmp_path) == ["adir.xlsx", "afile", "in.xlsx"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder(tmp_path, capsys, tiny_xlsx):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        code, _out, err = run(["solve", str(tiny_xlsx), "-o", str(ro / "p.xlsx")], capsys)
    finally:
        ro.chmod(0o755)
    assert (code, err.strip()) == (2, f"错误 error: -o {ro / 'p.xlsx'}: 无法写入该文件夹（无权限或只读），请另选输出文件夹 "
                                      f"cannot write into the folder {ro} (no permission "
                                      "or read-only); choose another output folder")


def test_disk_full_while_writing_keeps_the_old_plan(tmp_path, capsys, monkeypatch, tiny_xlsx):
    import errno

    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"previous plan")

    import xlsxwriter

    def full(self):  # the plan writer (xlsxwriter) runs out of disk half-way through its file
        Path(self.filename).write_bytes(b"PK\x03\x04 half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", full)
    code, _out, err = run(["solve", str(tiny_xlsx), "-o", str(out)], capsys)
    assert (code, err.strip().splitlines()[-1]) == (2, f"错误 error: 无法写入 {out}：磁盘已满 cannot write {out}: the disk is full")
    assert out.read_bytes() == b"previous plan" and files(tmp_path) == ["in.xlsx", "plan.xlsx"]


# --------------------------------------------------------------------------- interrupts
@pytest.mark.parametrize("how,code,line", [
    ("ctrl-c", 130, "已中断（Ctrl-C）：每个输出文件或已完整写出，或保持原样 interrupted (Ctrl-C): stopped; every output is either complete or left as it was"),
    ("sigterm", 143, "已终止（SIGTERM）：每个输出文件或已完整写出，或保持原样 terminated (SIGTERM): stopped; every output is either complete or left as it was"),
])
def test_interrupt_while_writing_leaves_old_plan_and_no_temp(tmp_path, capsys, monkeypatch, tiny_xlsx, how, code,
                                                              line):
    import signal

    import xlsxwriter

    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"previous plan")
    real_close = xlsxwriter.Workbook.close

    def interrupted(self):  # the plan writer (xlsxwriter)
        real_close(self)  # the temp file is complete …
        if how == "ctrl-c":
            raise KeyboardInterrupt
        os.kill(os.getpid(), signal.SIGTERM)  # … and the signal arrives before the replace

    monkeypatch.setattr(xlsxwriter.Workbook, "close", interrupted)
    got, _out, err = run(["solve", str(tiny_xlsx), "-o", str(out)], capsys)
    assert (got, err.strip().splitlines()[-1]) == (code, line)
    assert out.read_bytes() == b"previous plan" and files(tmp_path) == ["in.xlsx", "plan.xlsx"]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the CLI put the default handler back


def test_sigterm_at_any_moment_of_a_solve_process(tmp_path):
    """A real process killed by SIGTERM at several moments: exit 143 (or 0 when it had finished) with one line,
    the old plan or a complete new one, never a temp file."""
    import signal
    import subprocess
    import sys
    import time

    inp = ROOT / "inputs" / "tibet_2035.xlsx"
    out = tmp_path / "plan.xlsx"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    codes = set()
    for delay, group in ((0.3, False), (1.0, False), (2.0, False), (3.0, False), (1.0, True), (2.0, True)):
        # group: SIGTERM to the whole process group, as `timeout` sends it; the map painter got it too and printed
        # its traceback ('Process landopt-maps: Traceback … landopt.errors.Terminated')
        out.write_bytes(b"previous plan")
        p = subprocess.Popen([sys.executable, "-m", "landopt.cli", "solve", str(inp), "-o", str(out), "-q"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=group)
        time.sleep(delay)
        os.killpg(p.pid, signal.SIGTERM) if group else p.send_signal(signal.SIGTERM)
        _o, err = p.communicate(timeout=120)
        assert b"Traceback" not in err, err.decode()
        codes.add(p.returncode)
        assert p.returncode in (0, 143), err
        if p.returncode == 143:
            assert err.decode().strip().splitlines()[-1] == (
                "已终止（SIGTERM）：每个输出文件或已完整写出，或保持原样 terminated (SIGTERM): stopped; every output is either complete or left as it was")
        if out.read_bytes() != b"previous plan":
            load_workbook(out)  # a complete new plan
        assert files(tmp_path) == ["plan.xlsx"]
    assert 143 in codes


# --------------------------------------------------------------------------- values and names
@pytest.mark.parametrize("sheet,column,value,message", [
    ("land_uses", "carbon_flux_tC_per_ha_yr", 1e308,
     "sheet 'land_uses', row 2, column 'carbon_flux_tC_per_ha_yr': value 1e+308 — expected a number between -50 and "
     "100 t C/ha/yr"),
    ("grazing", "forage_yield_kg_per_ha", 1e308,
     "sheet 'grazing', row 2, column 'forage_yield_kg_per_ha': value 1e+308 — expected a number between 0 and "
     "20,000 kg hay/ha/yr"),
    ("grazing", "livestock_min_su", 1e308,
     "sheet 'grazing', row 2, column 'livestock_min_su': value 1e+308 — expected a number between 0 and 1e+09 SU"),
    ("grazing", "intake_kg_per_su_yr", 0,
     "sheet 'grazing', row 2, column 'intake_kg_per_su_yr': value 0 — expected a number greater than 0 and at most "
     "5,000 kg hay/SU/yr"),
    ("energy", "pv_mw_per_ha", 1e308,
     "sheet 'energy', row 2, column 'pv_mw_per_ha': value 1e+308 — expected a number greater than 0 and at most 2 "
     "MW/ha"),
    ("land_uses", "output_yuan_per_ha_yr", -3,
     "sheet 'land_uses', row 2, column 'output_yuan_per_ha_yr': value -3 — expected a number between 0 and 1e+09 "
     "yuan/ha/yr"),
])
def test_values_outside_physical_ranges(sheet, column, value, message):
    from landopt.reader import from_tables
    from landopt.validate import check

    grass = {"land_uses": pd.DataFrame({"land_use": ["crop", "forest", "urban", "unused", "grass"],
                                        "role": ["cropland", "forest", "urban", "unused", "grassland"],
                                        "carbon_flux_tC_per_ha_yr": [0.4, -0.6, 10.0, 0.0, -0.1]}),
             "baseline": pd.DataFrame({"region": ["A"] * 5, "land_use": ["crop", "forest", "urban", "unused", "grass"],
                                       "area_ha": [40.0, 20.0, 10.0, 20.0, 10.0]}),
             "grazing": [dict(region="A", year=2030, forage_yield_kg_per_ha=1000, utilisation_rate=0.5,
                              intake_kg_per_su_yr=657, ch4_kg_per_su_yr=5)],
             "energy": [dict(region="A", year=2030, pv_mw_per_ha=0.3)]}
    t = tiny_tables(**grass)
    t[sheet][column] = t[sheet][column].astype(object) if column in t[sheet] else None
    t[sheet].loc[0, column] = value
    assert [str(p) for p in check(from_tables(t))[1]] == [message]


def test_full_width_years_chinese_role_and_region_names(tmp_path, capsys):
    t = tiny_tables(settings={"milestone_years": "２０２５，2030"},
                    regions=pd.DataFrame({"region": ["A"], "name_zh": ["拉萨市"], "total_area_ha": [100.0]}))
    t["land_uses"]["role"] = ["耕地", "林地", "城镇建设用地", "未利用地"]
    t["baseline"]["region"] = ["拉萨市", "A", "A", "A"]
    t["targets"] = pd.DataFrame({"region": ["拉萨市"], "year": [2030], "cropland_min_ha": [30.0]})
    inp = write_xlsx(t, tmp_path / "in.xlsx")
    code, out, _err = run(["validate", str(inp)], capsys)
    assert (code, out.strip()) == (0, f"{inp}: 检查通过：1 个区域、4 个地类，规划年份 2025、2030（基期年 2020） "
                                      "OK — 1 region, 4 land uses, milestones 2025, 2030 (baseline 2020)")
    from landopt.api import read

    spec = read(inp)
    assert spec.land_uses["role"].tolist() == ["cropland", "forest", "urban", "unused"]
    assert spec.targets["region"].tolist() == ["A"]


def test_suspicious_values_are_warnings_listed_and_kept_on_the_spec(tmp_path, capsys):
    t = tiny_tables()
    t["land_uses"].loc[1, "carbon_flux_tC_per_ha_yr"] = 0.6  # a forest sink written as an emission
    t["transitions"]["max_pct_per_period"] = [0.05, 0.02]  # fractions typed for percentages
    inp = write_xlsx(t, tmp_path / "in.xlsx")
    code, out, _err = run(["validate", str(inp)], capsys)
    assert code == 0
    assert out.splitlines()[:5] == [
        "2 条提示 2 warnings（请核对这些数值，不影响运行） (check these values; they do not stop a run):",
        "  - 提示：工作表“land_uses”第 3 行“carbon_flux_tC_per_ha_yr”列：填写值为 0.6，“forest”（林地）是碳汇地类，应填负值"
        "（排放为正、碳汇为负）；请核对正负号",
        "    sheet 'land_uses', row 3, column 'carbon_flux_tC_per_ha_yr': warning: value 0.6 — 'forest' (forest) is a "
        "carbon sink, written negative (emission positive, sink negative); is the sign right?",
        "  - 提示：工作表“transitions”第 2 行“max_pct_per_period”列：填写值为 0.05，本表所有转换比例均低于 1%；该列单位为 %"
        "（5% 应填 5，而不是 0.05），是否误按小数填写？",
        "    sheet 'transitions', row 2, column 'max_pct_per_period': warning: value 0.05 — every rate on this sheet "
        "is below 1%; the column is in % (5% is written 5, not 0.05) — were fractions typed?"]
    from landopt.api import read

    assert [p.severity for p in read(inp).settings["warnings"]] == ["warning", "warning"]


def test_floor_in_km2_is_a_warning():
    from landopt.reader import from_tables
    from landopt.validate import check_all

    t = tiny_tables(baseline=pd.DataFrame({"region": ["A"] * 4, "land_use": ["crop", "forest", "urban", "unused"],
                                           "area_ha": [4000.0, 2000.0, 1000.0, 3000.0]}),
                    regions=pd.DataFrame({"region": ["A"], "total_area_ha": [10000.0]}),
                    targets=[dict(region="A", year=2030, cropland_min_ha=40.0)])  # 40 km² typed for 4,000 ha
    _spec, errors, warnings = check_all(from_tables(t))
    assert errors == [] and [str(w) for w in warnings] == [
        "sheet 'targets', row 2, column 'cropland_min_ha': warning: value 40 — about 100× below the baseline cropland "
        "of region 'A' (4,000 ha); typed in km² instead of ha? (1 km² = 100 ha)"]


def test_problem_place_and_exit_codes():
    from landopt.cli import exit_code
    from landopt.errors import ModelError, NoPlanError, Terminated

    assert str(Problem("expected a number", file="in.xlsx", sheet="targets", row=5, column="cropland_min_ha",
                       value="#N/A")) == "sheet 'targets', row 5, column 'cropland_min_ha': value '#N/A' — expected a number"
    assert str(Problem("bad encoding", file="regions.csv", sheet="regions")) == "file 'regions.csv': bad encoding"
    assert [exit_code(e) for e in (InputError(["x"]), ModelError("y"), UsageError("z"), NoPlanError("n"),
                                   Terminated(), KeyboardInterrupt(), RuntimeError())] == [2, 2, 2, 3, 143, 130, 1]


# --------------------------------------------------------------------------- formula injection
def test_formula_text_from_input_is_never_a_formula_in_the_template(tmp_path, capsys):
    link = '=HYPERLINK("http://example.invalid","click")'
    t = tiny_tables(settings={"title": link},
                    regions=pd.DataFrame({"region": ["A"], "name_zh": [link], "total_area_ha": [100.0]}))
    t["land_uses"]["description"] = [link, "+x", "-x", "@SUM(A1)"]
    src = write_folder(t, tmp_path / "csv")
    out = tmp_path / "wb.xlsx"
    code, _o, _e = run(["template", str(out), "--from-csv", str(src)], capsys)
    assert code == 0
    wb = load_workbook(out)
    formulas = [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    from landopt.api import read

    spec = read(out)  # the reader takes the text back as typed
    assert spec.title == link and spec.regions["name_zh"].tolist() == [link]
    assert spec.land_uses["description"].tolist() == [link, "+x", "-x", "@SUM(A1)"]


def test_cell_text():
    from landopt.safety import cell_text

    assert cell_text("=1+1") == "\u200b=1+1" and cell_text("-x") == "\u200b-x" and cell_text("@a") == "\u200b@a"
    assert cell_text("Lhasa") == "Lhasa" and cell_text(None) == "" and cell_text(5) == "5"


# --------------------------------------------------------------------------- onboarding
def test_template_standard_classes_and_wide_yearbook_table(tmp_path, capsys):
    wide = tmp_path / "yearbook.csv"
    wide.write_bytes("地区,耕地,林地,草地,其他土地,合计\n甲县,\"1,000\",２０００,3000,4000,10000\n乙县,500,500,0,0,1000\n"
                     .encode("gbk"))
    out = tmp_path / "new.xlsx"
    code, stdout, _e = run(["template", str(out), "--standard-classes", "--from-wide", str(wide)], capsys)
    assert (code, stdout.strip()) == (0, f"输入工作簿模板已写入 template written to {out}")
    from landopt.reader import read_workbook

    raw = read_workbook(out)
    lu = raw.tables["land_uses"]
    assert lu["land_use"].tolist()[:5] == ["01", "02", "03", "04", "05"]
    assert lu["name_zh"].tolist()[:5] == ["耕地", "园地", "林地", "草地", "湿地"]
    assert raw.tables["regions"][["region", "total_area_ha"]].values.tolist() == [["甲县", 10000], ["乙县", 1000]]
    b = raw.tables["baseline"]
    assert b[["region", "land_use", "area_ha"]].values.tolist()[:4] == [
        ["甲县", "01", 1000], ["甲县", "03", 2000], ["甲县", "04", 3000], ["甲县", "23", 4000]]
    tr = raw.tables["transitions"]
    assert ("01", "03", "yes", 5) in set(map(tuple, tr[["from_land_use", "to_land_use", "allowed",
                                                        "max_pct_per_period"]].values.tolist()))


def test_wide_table_with_an_unknown_class_names_it(tmp_path, capsys):
    wide = tmp_path / "yearbook.csv"
    wide.write_text("地区,耕地,林子\n甲县,1,2\n", encoding="utf-8")
    code, _o, err = run(["template", str(tmp_path / "n.xlsx"), "--from-wide", str(wide)], capsys)
    assert code == 2
    assert err.strip().startswith(f"错误 error: {wide}: 列“林子”（是否应为 '林地'？）无法对应任何地类，请改用下列地类编码或名称之一 "
                                  "column(s) '林子' (did you mean '林地'?) name no land-use class; "
                                  "use a code or name of: 01 耕地, 02 园地")
    assert files(tmp_path) == ["yearbook.csv"]


def test_shipped_workbook_untouched_by_every_refusal(tmp_path, capsys):
    shipped = ROOT / "inputs" / "tibet_2035.xlsx"
    before = sha(shipped)
    copy = tmp_path / "tibet.xlsx"
    shutil.copy(shipped, copy)
    for argv in _commands(copy, str(copy)):
        assert run(argv, capsys)[0] == 2
    assert sha(copy) == before == sha(shipped)


def test_pareto_without_the_data_it_needs_is_bad_input(tmp_path, capsys, tiny_xlsx):
    code, _out, err = run(["pareto", str(tiny_xlsx), "--against", "food", "--points", "3", "-o",
                           str(tmp_path / "f.xlsx")], capsys)
    assert (code, err.strip().splitlines()[-1]) == (
        2, f"错误 error: {tiny_xlsx}: 工作表“land_uses”的“food_t_per_ha_yr”列没有任何数值，而粮食权衡需要该列 "
           "sheet 'land_uses' has no values in column 'food_t_per_ha_yr', which the food trade-off needs")
    assert files(tmp_path) == ["in.xlsx"]


def test_compare_prints_every_problem_of_a_failing_scenario(tmp_path, capsys):
    sc = pd.DataFrame({"scenario": ["bad", "bad"], "sheet": ["targets", "targets"],
                       "column": ["cropland_min_ha", "cropland_min_ha"], "where": ["", ""],
                       "operation": ["set", "set"], "value": ["many", "-4"]})
    inp = write_xlsx(tiny_tables(scenarios=sc), tmp_path / "in.xlsx")
    code, out, err = run(["compare", str(inp), "-o", str(tmp_path / "c.xlsx"), "--no-progress"], capsys)
    assert code == 2  # the base run is optimal, but a scenario is bad input: the comparison is written without it
    assert err.splitlines()[-1] == (f"错误 error: 1 个运行的输入有误，未得到结果（bad；问题已在上方列出，也可用 `landopt validate {inp}` 查看）；"
                                    "比较工作簿只包含其余运行 1 run had input errors and no result (bad; every problem "
                                    f"is listed above, and `landopt validate {inp}` lists them too); the comparison "
                                    "holds the other runs")
    assert (tmp_path / "c.xlsx").is_file()
    lines = out.splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("bad "))
    assert lines[i] == f"bad                      input_error  发现 1 处问题 1 problem in {inp}:"
    assert lines[i + 1:i + 3] == ["    - 工作表“targets”第 2 行“cropland_min_ha”列：填写值为 -4，应填不小于 0 的数字（公顷）",
                                  "      sheet 'targets', row 2, column 'cropland_min_ha': value -4 — expected a number ≥ 0 ha"]


# --------------------------------------------------------------------------- plan workbooks (report, export)
@pytest.fixture(scope="module")
def comparison_xlsx(tmp_path_factory) -> Path:
    """A real comparison workbook (`landopt compare` on the tiny instance): not a plan."""
    folder = tmp_path_factory.mktemp("cmp")
    inp = write_xlsx(tiny_tables(), folder / "in.xlsx")
    assert main(["compare", str(inp), "-o", str(folder / "cmp.xlsx"), "--no-progress", "-q"]) == 0
    return folder / "cmp.xlsx"


PLAN_EXPECTED = "give the plan workbook written by `landopt solve` (default outputs/<input>_plan.xlsx)"


@pytest.mark.parametrize("command", ["report", "export"])
@pytest.mark.parametrize("case", ["comparison", "garbage", "empty", "legacy", "zip", "no_tables", "input"])
def test_report_and_export_refuse_what_is_not_a_plan(tmp_path, capsys, comparison_xlsx, command, case):
    """R7: a comparison workbook or a file that is no workbook given as the plan: exit 2, one line naming the
    file and what was expected, nothing written (before: `landopt report` exit 1 'internal error')."""
    plan = tmp_path / "p.xlsx"
    if case == "comparison":
        shutil.copy(comparison_xlsx, plan)
    elif case == "garbage":
        plan.write_bytes(b"garbage\n")
    elif case == "empty":
        plan.write_bytes(b"")
    elif case == "legacy":  # an .xls (or an encrypted .xlsx): an OLE compound file
        plan.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    elif case == "zip":  # a zip archive that holds no workbook
        with zipfile.ZipFile(plan, "w") as z:
            z.writestr("notes.txt", "not a workbook")
    elif case == "no_tables":  # a workbook without landopt's named tables
        write_xlsx({"allocation": pd.DataFrame({"region": ["A"], "area_ha": [1.0]})}, plan)
    else:  # the shipped input workbook
        shutil.copy(ROOT / "inputs" / "tibet_2035.xlsx", plan)
    before = sha(plan)
    argv = (["report", str(plan), "-o", str(tmp_path / "p.pdf")] if command == "report"
            else ["export", str(plan), "--to", "csv", "-o", str(tmp_path / "exp")])
    code, out, err = run(argv, capsys)
    tables = "'Headline', 'BriefLandUse', 'BriefBinding'" if command == "report" else "'Allocation'"
    why = {
        "comparison": f"这是情景比较工作簿，不是规划方案工作簿 this is a comparison workbook written by `landopt compare` or `landopt alternatives`, "
                      f"not a plan workbook; {PLAN_EXPECTED}",
        "garbage": "无法读取为 Excel 工作簿：文件内容不是 zip 压缩包（其他格式）；应为 `landopt solve` 写出的规划方案工作簿 "
                   "cannot be read as an Excel workbook (.xlsx): its content is not a zip package "
                   "(another format); expected a plan workbook written by `landopt solve`",
        "empty": "无法读取为 Excel 工作簿：文件为空（0 字节），未完整保存；应为 `landopt solve` 写出的规划方案工作簿 "
                 "cannot be read as an Excel workbook (.xlsx): it is empty (0 bytes): it was not "
                 "saved completely; expected a plan workbook written by `landopt solve`",
        "legacy": "无法读取为 Excel 工作簿：设有打开密码（已加密），或是旧版 Excel 97-2003（.xls）文件；应为 `landopt solve` "
                  "写出的规划方案工作簿 cannot be read as an Excel workbook (.xlsx): it is password-protected "
                  "(encrypted) or a legacy Excel 97-2003 (.xls) file; expected a plan workbook written by `landopt solve`",
        "zip": "无法读取为 Excel 工作簿：是 zip 压缩包，但其中没有工作簿；应为 `landopt solve` 写出的规划方案工作簿 "
               "cannot be read as an Excel workbook (.xlsx): it is a zip archive with no workbook in it; expected a "
               "plan workbook written by `landopt solve`",
        "no_tables": f"不是 landopt 规划方案工作簿 not a landopt plan workbook: it lacks the table(s) {tables} that "
                     f"`landopt solve` writes; {PLAN_EXPECTED}",
        "input": f"这是输入工作簿，不是规划方案工作簿 this is an input workbook, not a plan workbook; {PLAN_EXPECTED}",
    }[case]
    assert (code, out, err) == (2, "", f"错误 error: {plan}: {why}\n")
    assert sha(plan) == before
    assert files(tmp_path) == ["p.xlsx"]


@pytest.mark.parametrize("command", ["solve", "validate", "compare", "diagnose", "sweep", "ranges"])
def test_a_landopt_output_given_as_input_is_named(tmp_path, capsys, comparison_xlsx, command):
    """A comparison (or plan) workbook given where an input workbook is expected: exit 2, one line saying what it is
    (before: 17 'sheet not found' problems)."""
    inp = tmp_path / "c.xlsx"
    shutil.copy(comparison_xlsx, inp)
    argv = [command, str(inp)] + (["-o", str(tmp_path / "o.xlsx")] if command != "validate" else [])
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert err == (f"错误 error: {inp}: 这是情景比较工作簿，不是输入工作簿 this is a comparison workbook written by "
                   "`landopt compare` or `landopt alternatives`, not an input workbook; give the input workbook (e.g. inputs/tibet_2035.xlsx, "
                   "or one written by `landopt template`)\n")
    assert files(tmp_path) == ["c.xlsx"]


# --------------------------------------------------------------------------- outputs that cannot be written (R21)
def _no_solve(monkeypatch) -> None:
    import landopt.api

    def refuse(*a, **k):
        raise AssertionError("the model was read or solved before the output was checked")

    monkeypatch.setattr(landopt.api, "read", refuse)
    monkeypatch.setattr(landopt.api, "optimize", refuse)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("command", ["solve", "compare", "diagnose", "pareto", "sweep", "ranges"])
def test_output_into_proc_is_refused_before_any_work(tmp_path, capsys, monkeypatch, tiny_xlsx, command):
    """R21: `-o /proc/p.xlsx` (a folder that takes no new files): exit 2 before reading the input (before: after the
    solve, 'cannot write /proc/p.xlsx: No such file or directory')."""
    _no_solve(monkeypatch)
    argv = [command, str(tiny_xlsx), "-o", "/proc/p.xlsx"] + (["--against", "food"] if command == "pareto" else [])
    code, out, err = run(argv, capsys)
    assert (code, out, err) == (2, "", "错误 error: -o /proc/p.xlsx: 无法在该文件夹中新建文件，请另选输出文件夹 cannot create a file in the folder "
                                       "/proc: it does not accept new files, as system folders such as /proc do not; "
                                       "choose another output folder\n")
    assert files(tmp_path) == ["in.xlsx"]


def test_protected_existing_output_is_refused_before_any_work(tmp_path, capsys, monkeypatch, tiny_xlsx):
    """R21: an existing output with the immutable attribute (`chattr +i`) cannot be replaced by the atomic write:
    refused before any work, the old file untouched."""
    import subprocess

    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"previous plan")
    try:
        subprocess.run(["chattr", "+i", str(out)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("chattr +i is not available here (needs Linux and CAP_LINUX_IMMUTABLE)")
    try:
        _no_solve(monkeypatch)
        code, stdout, err = run(["solve", str(tiny_xlsx), "-o", str(out)], capsys)
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)
    assert (code, stdout, err) == (2, "", f"错误 error: -o {out}: 无法替换已有文件，请另选输出文件名 cannot replace the existing file: it is "
                                          "protected against changes (immutable or append-only, see lsattr) and "
                                          "cannot be replaced; choose another output name\n")
    assert out.read_bytes() == b"previous plan" and files(tmp_path) == ["in.xlsx", "plan.xlsx"]


@pytest.mark.parametrize("errno_name,why", [
    ("EPERM", "it is protected against changes (immutable or append-only, see lsattr) and cannot be replaced"),
    ("EROFS", "the file system is read-only"),
])
def test_existing_output_that_cannot_be_opened_for_writing(tmp_path, monkeypatch, errno_name, why):
    """The same check on any system: opening the existing output for appending fails (EPERM, EROFS)."""
    import errno

    import landopt.safety as safety

    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"previous plan")
    real_open = os.open

    def fake_open(path, flags, *a, **k):
        if Path(path) == out and flags & os.O_WRONLY:
            raise OSError(getattr(errno, errno_name), os.strerror(getattr(errno, errno_name)))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(safety.os, "open", fake_open)
    with pytest.raises(UsageError) as e:
        safety.check_outputs([out], [])
    assert str(e.value) == (f"-o {out}: 无法替换已有文件，请另选输出文件名 cannot replace the existing file: {why}; choose another "
                            "output name")
    assert out.read_bytes() == b"previous plan"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("argv", [["alternatives", "{inp}", "-o", "/proc/alts"],
                                  ["export", "{plan}", "--to", "csv", "-o", "/proc/exp"]])
def test_output_folder_into_proc_is_refused_before_any_work(tmp_path, capsys, monkeypatch, tiny_xlsx, argv):
    plan = write_xlsx({"x": pd.DataFrame({"a": [1]})}, tmp_path / "p.xlsx")
    if argv[0] == "export":  # a workbook with the table export reads first is enough: the output is checked next
        from openpyxl import Workbook
        from openpyxl.worksheet.table import Table

        wb = Workbook()
        wb.active.append(["a"])
        wb.active.append([1])
        wb.active.add_table(Table(displayName="Allocation", ref="A1:A2"))
        wb.save(plan)
    _no_solve(monkeypatch)
    code, out, err = run([a.format(inp=tiny_xlsx, plan=plan) for a in argv], capsys)
    assert (code, out) == (2, "")
    assert err == (f"错误 error: -o {argv[-1]}: 无法在该文件夹中新建文件，请另选输出文件夹 cannot create a file in the folder /proc: it does not "
                   "accept new files, as system folders such as /proc do not; choose another output folder\n")


# --------------------------------------------------------------------------- numbers typed with thousands separators
@pytest.mark.parametrize("text,plain", [("52,524", "52524"), ("1,234,567.5", "1234567.5"), ("５２，５２４", "52524"),
                                        ("1 040", "1040")])
def test_number_with_thousands_separators_says_so(tmp_path, capsys, text, plain):
    """R15: '52,524' in a number column is text because of its separators; the message says so and what to type
    (before: only 'expected a number in ha').  Text that is no number keeps the plain message."""
    t = tiny_tables()
    t["baseline"]["area_ha"] = t["baseline"]["area_ha"].astype(object)
    t["baseline"].loc[1, "area_ha"] = text
    t["baseline"].loc[2, "area_ha"] = "52,52"  # not thousands: no hint
    bad = write_xlsx(t, tmp_path / "bad.xlsx")
    code, out, _err = run(["validate", str(bad)], capsys)
    assert code == 2
    problems = [line for line in out.splitlines() if "'baseline'" in line or "“baseline”" in line]
    assert problems == [
        f"  - 工作表“baseline”第 3 行“area_ha”列：填写值为 {text!r}，应填数字（公顷）；该值因含千位分隔符而以文本形式存储："
        f"请填 {plain}（或将单元格存为数值）",
        f"    sheet 'baseline', row 3, column 'area_ha': value {text!r} — expected a number in ha; it is text because "
        f"of its thousands separators: enter {plain} (or store the cell as a number)",
        "  - 工作表“baseline”第 4 行“area_ha”列：填写值为 '52,52'，应填数字（公顷）",
        "    sheet 'baseline', row 4, column 'area_ha': value '52,52' — expected a number in ha",
    ]


# --------------------------------------------------------------------------- review of the sixteenth session
LONG = "a" * 260  # more than the 255 bytes a file name may have on most file systems


@pytest.mark.parametrize("command", ["ranges", "alternatives", "export"])
def test_a_name_too_long_is_refused_by_every_command(tmp_path, capsys, tiny_xlsx, command):
    """ranges, alternatives and export checked the output with a probe that crashed on the name (exit 1)."""
    target = str(tmp_path / (LONG + (".xlsx" if command == "ranges" else "")))
    if command == "export":
        plan = tmp_path / "plan.xlsx"
        assert main(["solve", str(tiny_xlsx), "-o", str(plan), "-q", "--no-maps"]) == 0
        capsys.readouterr()
        argv = ["export", str(plan), "--to", "clue", "-o", target]
    else:
        argv = [command, str(tiny_xlsx), "-o", target] + (["--n", "2"] if command == "alternatives" else [])
    before = files(tmp_path)
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert err == (f"错误 error: -o {LONG[:40]}…: 文件名长 {len(LONG) + (5 if command == 'ranges' else 0)} 字节，"
                   f"超过该文件系统的上限（255 字节），请改用较短的文件名 the file name is "
                   f"{len(LONG) + (5 if command == 'ranges' else 0)} bytes long, more than this file system allows "
                   f"(255); choose a shorter name\n")
    assert files(tmp_path) == before


@pytest.mark.parametrize("command", ["alternatives", "export"])
def test_a_file_given_where_a_folder_is_written_is_named_a_file(tmp_path, capsys, tiny_xlsx, command):
    """-o naming an existing file for a command that writes a folder read 'cannot create a file in the folder
    plan.xlsx: it does not accept new files, as system folders such as /proc do not'."""
    plan = tmp_path / "plan.xlsx"
    assert main(["solve", str(tiny_xlsx), "-o", str(plan), "-q", "--no-maps"]) == 0
    capsys.readouterr()
    before = sha(plan)
    argv = (["alternatives", str(tiny_xlsx), "--n", "2", "-o", str(plan)] if command == "alternatives"
            else ["export", str(plan), "--to", "csv", "-o", str(plan)])
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert err == (f"错误 error: -o {plan}: 这是已有的文件，而该命令写出一个文件夹：请给出文件夹名 is an existing file, and "
                   "this command writes a folder: give a folder name\n")
    assert sha(plan) == before


def test_pareto_without_an_optimal_plan_says_why_and_exits_3(tmp_path, capsys):
    """An infeasible workbook given to pareto was reported as an internal error (RuntimeError, exit 1)."""
    t = tiny_tables(targets={"region": ["A"], "year": [2030], "cropland_min_ha": [45.0]})  # only 40 ha of cropland
    t["land_uses"]["food_t_per_ha_yr"] = [5.0, 0.0, 0.0, 0.0]
    inp = write_xlsx(t, tmp_path / "in.xlsx")
    code, out, err = run(["pareto", str(inp), "--against", "food", "-o", str(tmp_path / "p.xlsx")], capsys)
    assert (code, out) == (3, "")
    assert err.startswith("未得到规划方案 no plan: 没有最优方案，无法绘制权衡曲线 no trade-off curve without an optimal plan: "
                          "各项约束无法同时满足")
    assert "Run `landopt diagnose` to find which requirements conflict" in err
    assert files(tmp_path) == ["in.xlsx"]


def test_a_reader_that_leaves_the_pipe_is_no_error(tmp_path):
    """`landopt validate bad.xlsx | head -1` was an internal error (BrokenPipeError, exit 1): now no message, exit
    141 (128 + SIGPIPE, as a shell reports it)."""
    import subprocess
    import sys

    t = tiny_tables()
    t["baseline"]["area_ha"] = "x"  # one problem per baseline row: more lines than the reader takes
    inp = write_xlsx(t, tmp_path / "in.xlsx")
    for leave_after in (0, 1):  # the reader leaves at once, or after the first line
        p = subprocess.Popen([sys.executable, "-m", "landopt.cli", "validate", str(inp)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        first = p.stdout.readline() if leave_after else b""
        p.stdout.close()
        err = p.stderr.read().decode()
        # 2: validate's own verdict (the problems were found), where the lost lines were still buffered at exit;
        # 141: the pipe closed under a write in the middle of the run
        assert p.wait(timeout=120) in (2, 141), err
        assert "internal error" not in err and "Traceback" not in err and "Exception ignored" not in err, err
        if leave_after:
            assert first.decode().startswith("发现 4 处问题 4 problems in")


@pytest.mark.parametrize("command", ["sweep", "compare"])
def test_a_workbook_with_input_problems_is_refused_before_any_run_and_keeps_the_last_output(tmp_path, capsys, command):
    """Every run of a sweep or comparison builds on the workbook: its own input problems are listed (exit 2) and the
    previous output is kept (sweep: exit 3 with '3 failed', the problems only in the new workbook that replaced the
    last good one; compare: nine input_error runs written over a good comparison).  Nothing says the output is
    being replaced (sweep said so before it refused)."""
    t = tiny_tables()
    t["baseline"]["area_ha"] = ["twenty", 20.0, 10.0, 30.0]
    inp = write_xlsx(t, tmp_path / "in.xlsx")
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"the last good output")
    argv = [command, str(inp), "-o", str(out), "--no-progress"] + (["--samples", "0"] if command == "sweep" else [])
    code, _out, err = run(argv, capsys)
    assert code == 2
    assert "发现 1 处问题 1 problem in" in err and "'twenty'" in err
    assert "replacing" not in err and "替换" not in err
    assert out.read_bytes() == b"the last good output"
    assert files(tmp_path) == ["in.xlsx", "out.xlsx"]


def test_ranges_csv_in_gbk_is_read_and_a_workbook_is_refused_in_words(tmp_path):
    """--ranges: a CSV saved as GBK (Excel in China) was an internal error (UnicodeDecodeError), as was a workbook."""
    from landopt.sweep.parameters import read_ranges

    gbk = tmp_path / "r.csv"
    gbk.write_bytes("parameter,sheet,column,where,low,high\n林地碳,targets,forest_min_ha,region=A,10,20\n".encode("gbk"))
    assert read_ranges(gbk)["parameter"].tolist() == ["林地碳"]
    book = write_xlsx(tiny_tables(), tmp_path / "in.xlsx")
    with pytest.raises(UsageError) as e:
        read_ranges(book)
    assert str(e.value) == (f"{book}: 应为 CSV 文件（与工作表“不确定参数 uncertainty”相同的列；工作簿请把取值范围填入其 uncertainty "
                            "工作表） expected a CSV file (the columns of the uncertainty sheet; in a workbook, put the "
                            "ranges on its uncertainty sheet)")


def test_a_renamed_required_sheet_is_one_problem_naming_the_sheet_that_may_be_it(tmp_path, capsys):
    """A misspelt baseline sheet gave 200 problems (every cross-sheet check repeated the missing table) and none
    named the misspelt sheet."""
    import openpyxl

    src = tmp_path / "src.xlsx"
    shutil.copy(ROOT / "inputs" / "tibet_2035.xlsx", src)
    wb = openpyxl.load_workbook(src)
    wb["基期现状面积 baseline"].title = "基期面积 baselne"
    inp = tmp_path / "in.xlsx"
    wb.save(inp)
    code, out, _err = run(["validate", str(inp)], capsys)
    assert code == 2
    assert out.splitlines()[:3] == [
        f"发现 1 处问题 1 problem in {inp}:",
        "  - 工作表“baseline”：未找到该表（应有的列：region、land_use、area_ha）；工作簿中未识别的工作表：'基期面积 baselne'，"
        "如其中之一即是，请改名为“基期现状面积 baseline”或“baseline”",
        "    sheet 'baseline': not found (expected columns: region, land_use, area_ha); the workbook has sheets landopt "
        "does not know: '基期面积 baselne' — if one of them is it, rename it '基期现状面积 baseline' or 'baseline'"]


def test_scenarios_take_spaces_or_commas_in_both_commands():
    """compare took `a b` and refused `a,b` as one unknown name; sweep took `a,b` and refused `a b`."""
    from landopt.cli.parser import build_parser, scenario_names

    p = build_parser()
    for argv in (["compare", "in.xlsx", "--scenarios", "a,b", "c"], ["sweep", "in.xlsx", "--scenarios", "a", "b,c"]):
        assert scenario_names(p.parse_args(argv).scenarios) == ["a", "b", "c"]
    assert scenario_names(p.parse_args(["sweep", "in.xlsx"]).scenarios) is None


def test_a_column_landopt_ignores_is_said_once_chinese_first(tmp_path, capsys):
    """validate checks the workbook and every scenario: the warning about a column landopt does not read was logged
    once per run (nine times on the shipped workbook), in English only."""
    import openpyxl

    src = tmp_path / "src.xlsx"
    shutil.copy(ROOT / "inputs" / "tibet_2035.xlsx", src)
    wb = openpyxl.load_workbook(src)
    wb["基期现状面积 baseline"].cell(1, 5).value = "area"
    inp = tmp_path / "in.xlsx"
    wb.save(inp)
    code, _out, err = run(["validate", str(inp)], capsys)
    assert code == 0
    said = [line.split(" WARNING ", 1)[-1] for line in err.splitlines() if "已忽略" in line]
    assert said == ["工作表“基期现状面积 baseline”的“area”列不是 landopt 读取的列，已忽略 sheet '基期现状面积 baseline': "
                    "column 'area' is not used by landopt and is ignored"]


def test_an_output_open_in_excel_is_said_before_it_is_replaced(tmp_path, capsys, tiny_xlsx):
    """Excel keeps an owner file ~$NAME beside a workbook it has open; replacing the workbook then went unsaid."""
    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"previous plan")
    (tmp_path / "~$plan.xlsx").write_bytes(b"owner")
    code, _out, err = run(["solve", str(tiny_xlsx), "-o", str(out), "-q", "--no-maps"], capsys)
    assert code == 0
    assert ("该文件似乎正在 Excel 中打开（有锁定文件 ~$plan.xlsx）：替换后请在 Excel 中关闭并重新打开，否则看到的仍是旧内容 plan.xlsx "
            "seems to be open in Excel (lock file ~$plan.xlsx): close and reopen it there after it is replaced, or "
            "Excel keeps showing the old content") in err
