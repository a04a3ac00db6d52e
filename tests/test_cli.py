"""End-to-end tests of the command line, as an analyst runs it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import K, tiny_tables, write_xlsx
from landopt.cli import main

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "inputs" / "tibet_2035.xlsx"



def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "landopt.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=300)


def test_solve_shipped_workbook_json_and_default_output(tmp_path):
    before = sha(WORKBOOK)
    p = run_cli("solve", str(WORKBOOK), "--json", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 1  # stdout holds exactly the JSON line (solver banner goes to stderr)
    summary = json.loads(lines[0])
    assert summary["status"] == "optimal"
    assert summary["objective_unit"] == "t CO2e"  # stock change: cumulative net removals 2019–2035
    assert summary["additional_t_co2e"] > 0 and summary["annual_target_t_co2e_per_yr"] > 0
    assert summary["objective"] > 0 and summary["solve_seconds"] >= 0
    out = tmp_path / "outputs" / "tibet_2035_plan.xlsx"
    assert summary["output"] == str(Path("outputs") / "tibet_2035_plan.xlsx") and out.exists()
    assert sha(WORKBOOK) == before  # the input is never written
    wb = load_workbook(out)
    assert {"摘要 brief", "土地配置 allocation", "碳账户 carbon", "约束与影子价格 constraints"} <= set(wb.sheetnames)
    assert "reading and validating" in p.stderr  # progress on stderr


def test_solve_tiny_with_out_option(tmp_path, capsys):
    inp = write_xlsx(tiny_tables(), tmp_path / "tiny.xlsx")
    out = tmp_path / "custom" / "plan.xlsx"
    assert main(["solve", str(inp), "-o", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["objective"] == pytest.approx(-K * 76, abs=1e-3)
    assert out.exists() and not list(out.parent.glob("*.tmp*"))


def test_validate_clean_and_bad(tmp_path, capsys):
    assert main(["validate", str(WORKBOOK)]) == 0
    assert "OK — 7 regions, 13 land uses, milestones 2025, 2030, 2035 (baseline 2019)" in capsys.readouterr().out
    t = tiny_tables()
    t["baseline"]["area_ha"] = t["baseline"]["area_ha"].astype(object)
    t["baseline"].loc[1, "area_ha"] = "lots"
    t["targets"].loc[0, "region"] = "Atlantis"
    bad = write_xlsx(t, tmp_path / "bad.xlsx")
    assert main(["validate", str(bad)]) == 2
    out = capsys.readouterr().out
    assert "2 problems" in out
    assert "sheet 'baseline', row 3, column 'area_ha': value 'lots' — expected a number in ha" in out
    assert "sheet 'targets', row 2, column 'region': value 'Atlantis' — unknown region id" in out


def test_solve_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    t = tiny_tables()
    t["baseline"].loc[0, "area_ha"] = -5
    bad = write_xlsx(t, tmp_path / "bad.xlsx")
    out = tmp_path / "plan.xlsx"
    assert main(["solve", str(bad), "-o", str(out)]) == 2
    assert "sheet 'baseline', row 2, column 'area_ha': value -5 — expected a number ≥ 0 ha" in capsys.readouterr().err
    assert not out.exists()


def test_infeasible_exits_3_writes_diagnosis_not_plan_and_keeps_old_plan(tmp_path, capsys):
    t = tiny_tables(targets={"region": ["A"], "year": [2030], "cropland_min_ha": [45.0]})  # only 40 ha of cropland exist
    inp = write_xlsx(t, tmp_path / "inf.xlsx")
    out = tmp_path / "inf_plan.xlsx"
    out.write_bytes(b"previous plan")
    assert main(["solve", str(inp), "-o", str(out), "--json"]) == 3
    captured = capsys.readouterr()
    summary = json.loads(captured.out.strip().splitlines()[-1])
    assert summary["status"] == "infeasible"
    assert out.read_bytes() == b"previous plan"  # nothing overwritten
    diag = tmp_path / "inf_diagnosis.xlsx"
    assert summary["output"] == str(diag) and diag.exists()
    assert "cropland red line of 45 ha cannot be met: it is 5 ha more than the land can provide" in captured.err
    # the solve runs the diagnosis itself: it does not also tell the user to run `landopt diagnose`
    assert "No plan can meet all requirements at once" in captured.err and "The diagnosis follows." in captured.err
    assert "Run `landopt diagnose`" not in captured.err
    wb = load_workbook(diag)
    assert wb.sheetnames == ["诊断 diagnosis", "放宽方案 relaxations", "冲突约束 conflicting set"]
    labels = [r[0] for r in wb["放宽方案 relaxations"].iter_rows(min_row=5, values_only=True)]
    assert "cropland_protection[A,2030]" in labels
    page_one = [r[1] for r in wb["诊断 diagnosis"].iter_rows(min_row=5, values_only=True) if r[1]]
    assert any(t.startswith("A 2030年 耕地保有量 45 公顷无法满足：比土地所能提供的多 5 公顷，需降低 5 公顷（工作表“targets”第 2 行"
                            "“耕地保有量 cropland_min_ha”列）") for t in page_one), page_one


def test_scenario_run_records_overrides(tmp_path, capsys):
    out = tmp_path / "eco.xlsx"
    assert main(["solve", str(WORKBOOK), "--scenario", "ecological_priority", "-o", str(out)]) == 0
    wb = load_workbook(out)
    run = {r[0]: r[1] for r in wb["运行信息 run"].iter_rows(values_only=True) if r and r[0]}
    assert run.get("情景 scenario") == "ecological_priority"
    text = " ".join(str(v) for row in wb["输入数据 inputs"].iter_rows(values_only=True) for v in row if v is not None)
    assert "sheet '情景 scenarios', row" in text  # the resolved overrides are echoed, naming the sheet as written


def test_unknown_scenario_is_a_clear_error(capsys):
    assert main(["solve", str(WORKBOOK), "--scenario", "no_such_thing"]) == 2
    err = capsys.readouterr().err
    assert "unknown scenario 'no_such_thing'; known scenarios: " in err and "ecological_priority" in err
    assert main(["solve", str(WORKBOOK), "--scenario", "Ecological_Priority"]) == 2
    assert "unknown scenario 'Ecological_Priority'; did you mean 'ecological_priority'? known scenarios: " in capsys.readouterr().err


def test_template_writes_and_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "new.xlsx"
    assert main(["template", str(path)]) == 0
    first = sha(path)
    assert main(["template", str(path)]) == 2
    err = capsys.readouterr().err
    assert "exists; not overwriting it" in err
    assert err == f"文件已存在，未覆盖（如需替换，请加 --force） {path} exists; not overwriting it (use --force to replace it)\n"
    assert sha(path) == first
    assert main(["validate", str(path)]) == 2  # an empty template is not yet a valid model


def test_template_force_keeps_a_copy_of_the_file_it_replaces(tmp_path, capsys):
    """--force replaces the file on purpose, but the file may be a filled input workbook: a copy is kept beside it."""
    path = tmp_path / "filled.xlsx"
    path.write_bytes(b"a filled workbook")
    assert main(["template", str(path), "--force"]) == 0
    kept = list(tmp_path.glob("filled.replaced-*.xlsx"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"a filled workbook"
    assert f"the file it held is kept as {kept[0]}" in capsys.readouterr().err
    assert path.read_bytes() != b"a filled workbook"


def test_diagnose_command_on_infeasible_scenario(tmp_path, capsys):
    out = tmp_path / "diag.xlsx"
    assert main(["diagnose", str(WORKBOOK), "--scenario", "grazing_conflict", "-o", str(out)]) == 3
    text = capsys.readouterr().out
    assert "livestock floor" in text and "sheet '草畜平衡 grazing', row" in text
    assert out.exists()


@pytest.mark.parametrize("backend", ["auto", "pyomo", "highs"])
def test_backend_option_is_passed_to_the_api(tmp_path, capsys, monkeypatch, backend):
    import landopt.api

    seen = {}
    real = landopt.api.optimize

    def spy(spec, **kwargs):
        seen.update(kwargs)
        return real(spec, threads=kwargs.get("threads"))

    monkeypatch.setattr(landopt.api, "optimize", spy)
    inp = write_xlsx(tiny_tables(), tmp_path / "tiny.xlsx")
    assert main(["solve", str(inp), "-o", str(tmp_path / "p.xlsx"), "--backend", backend, "--threads", "1"]) == 0
    on_plan = seen.pop("on_plan")  # the early map hand-off: a callable when the map painter runs, else None
    assert on_plan is None or callable(on_plan)
    assert seen == {"threads": 1, "backend": backend}


def test_bad_arguments_exit_2_and_help_exits_0(tmp_path, capsys):
    assert main([]) == 2
    assert "the following arguments are required: command" in capsys.readouterr().err
    assert main(["solve", str(WORKBOOK), "--backend", "gurobi"]) == 2
    assert "argument --backend: invalid choice: 'gurobi' (choose from 'auto', 'pyomo', 'highs')" in capsys.readouterr().err
    assert main(["solve", str(WORKBOOK), "--threads", "0"]) == 2
    assert "argument --threads: 应为在 1 到 256 之间的整数 expected a whole number from 1 to 256, got 0" in capsys.readouterr().err
    assert main(["solve", str(WORKBOOK), "--threads", "100000"]) == 2  # HiGHS hung with that many threads
    assert "argument --threads: 应为在 1 到 256 之间的整数 expected a whole number from 1 to 256, got 100,000" in (
        capsys.readouterr().err)
    assert main(["sweep", str(WORKBOOK), "--samples", "1000000000"]) == 2  # 52 GiB of samples: a typing slip
    assert "argument --samples: 应为在 0 到 1,000,000 之间的整数 expected a whole number from 0 to 1,000,000, got " \
           "1,000,000,000" in capsys.readouterr().err
    assert main(["--help"]) == 0
    assert "exit codes: 0 ok · 1 internal error · 2 bad input or arguments" in capsys.readouterr().out


def test_every_argument_of_every_command_has_a_one_line_help():
    """R22: `landopt X --help` explains every positional and option (argparse keeps them in ``_actions``)."""
    import argparse

    from landopt.cli.parser import build_parser

    parser = build_parser()
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(subs) == 1
    missing = [("landopt", a.dest) for a in parser._actions if not (a.help or "").strip()]
    for name, sp in subs[0].choices.items():
        for a in sp._actions:
            text = (a.help or "").strip()
            if not text or text == argparse.SUPPRESS or "\n" in text:
                missing.append((name, "/".join(a.option_strings) or a.dest))
    assert missing == []
    assert len(subs[0].choices) == 11 and all((c.help or "").strip() for c in subs[0]._choices_actions)
    helps = {(name, a.dest): a.help for name, sp in subs[0].choices.items() for a in sp._actions}
    for name in ("validate", "compare", "diagnose", "pareto"):
        assert helps[(name, "input")] == "input workbook (.xlsx) or folder of CSV/Parquet tables"
    for name in ("diagnose", "pareto"):
        assert helps[(name, "scenario")] == ("scenario name from the workbook's scenarios sheet "
                                             "(default: the workbook as is)")
    assert helps[("pareto", "out")] == "trade-off workbook (default outputs/<input>_pareto_<against>.xlsx)"


# -- R18: the HiGHS banner, the success lines, outputs replaced ------------------------------------------------------
BANNER = "Running HiGHS"


def test_highs_banner_never_on_the_console_and_logged_once_with_v(tmp_path):
    """The banner HiGHS prints when a process makes its first instance reaches neither stdout nor stderr by default
    or under -q; with -v it is one INFO line (before: on stderr under -q)."""
    inp = write_xlsx(tiny_tables(), tmp_path / "tiny.xlsx")
    quiet = run_cli("solve", str(inp), "-o", "q.xlsx", "--no-maps", "-q", "--json", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert len(quiet.stdout.splitlines()) == 1 and json.loads(quiet.stdout)["status"] == "optimal"
    default = run_cli("solve", str(inp), "-o", "d.xlsx", "--no-maps", cwd=tmp_path)
    assert default.returncode == 0 and BANNER not in default.stdout + default.stderr
    verbose = run_cli("-v", "solve", str(inp), "-o", "v.xlsx", "--no-maps", cwd=tmp_path)
    banner = [line for line in verbose.stderr.splitlines() if BANNER in line]
    assert len(banner) == 1 and " INFO    Running HiGHS " in banner[0] and "Copyright" in banner[0]
    assert BANNER not in verbose.stdout


def test_highs_banner_at_most_once_per_process_through_the_api(tmp_path):
    """Two landopt.optimize calls (both backends): no banner on fd 1 or 2; with logging at INFO, one record."""
    inp = write_xlsx(tiny_tables(), tmp_path / "tiny.xlsx")
    code = ("import logging, sys, landopt\n"
            "if sys.argv[1] == 'log': logging.basicConfig(level=logging.INFO, format='%(name)s %(message)s')\n"
            f"spec = landopt.read({str(inp)!r})\n"
            "for backend in ('pyomo', 'highs', 'pyomo'):\n"
            "    assert landopt.optimize(spec, backend=backend).optimal\n"
            "print('done')\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    silent = subprocess.run([sys.executable, "-c", code, "plain"], capture_output=True, text=True, env=env, timeout=300)
    assert (silent.returncode, silent.stdout, silent.stderr) == (0, "done\n", "")
    logged = subprocess.run([sys.executable, "-c", code, "log"], capture_output=True, text=True, env=env, timeout=300)
    assert logged.stdout == "done\n"
    assert [line.split(" ")[0] for line in logged.stderr.splitlines() if BANNER in line] == ["landopt.backends.highs"]


def test_success_lines_are_bilingual_and_name_the_pdf(tmp_path, capsys):
    from landopt.report import maps as maps_mod

    inp = write_xlsx(tiny_tables(), tmp_path / "tiny.xlsx")
    out = tmp_path / "plan.xlsx"
    assert main(["solve", str(inp), "-o", str(out), "--no-maps", "-q"]) == 0
    assert capsys.readouterr().out == (f"最优规划方案已写入 optimal plan written to {out}\n"
                                       "  目标年（2030年）净碳汇 -279 吨CO2e/年\n"
                                       "  net sink -279 t CO2e/yr\n")
    assert main(["solve", str(inp), "-o", str(out), "--no-maps", "-q", "--lang", "en", "--pdf"]) == 0
    assert capsys.readouterr().out == (f"optimal plan written to {out}\n  net sink -279 t CO2e/yr\n"
                                       f"PDF brief written to {out.with_suffix('.pdf')}\n")
    assert out.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"
    if maps_mod.cjk_font() is not None:
        assert main(["solve", str(inp), "-o", str(out), "--no-maps", "-q", "--pdf", "--json"]) == 0
        summary = json.loads(capsys.readouterr().out)
        assert summary["output"] == str(out) and summary["pdf"] == str(out.with_suffix(".pdf"))


def test_replacing_an_existing_output_is_a_warning(tmp_path, capsys, monkeypatch):
    """The .xlsx input and its CSV folder share the default output outputs/tiny_plan.xlsx: the second run says
    (also under -q) that it replaces the first one's plan; the first run says nothing."""
    import re

    monkeypatch.chdir(tmp_path)
    t = tiny_tables()
    write_xlsx(t, tmp_path / "tiny.xlsx")
    (tmp_path / "tiny").mkdir()
    for name, df in t.items():
        df.to_csv(tmp_path / "tiny" / f"{name}.csv", index=False)
    assert main(["solve", "tiny.xlsx", "--no-maps", "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["solve", "tiny", "--no-maps", "-q"]) == 0
    err = capsys.readouterr().err
    plan = Path("outputs") / "tiny_plan.xlsx"
    assert re.fullmatch(rf"\d\d:\d\d:\d\d WARNING 替换已有文件 replacing the existing file {re.escape(str(plan))} "
                        r"\(written \d{4}-\d\d-\d\d \d\d:\d\d; give another -o to keep it\)\n", err), err


# -- R9: validate checks every scenario applied and the uncertainty sheet ----------------------------------------------
SCEN = ["scenario", "parent", "description", "sheet", "column", "where", "operation", "value"]
UNC = ["parameter", "sheet", "column", "where", "low", "high", "distribution", "mode", "operation"]


def test_validate_applies_every_scenario_and_reads_the_uncertainty_sheet(tmp_path, capsys):
    """Before: 'OK' (exit 0) with a scenario naming a column that does not exist, a scenario setting a negative floor
    (inherited by its child), an uncertainty row with low 5 > high 1 and one naming an unknown column."""
    scenarios = pd.DataFrame([
        ("typo", "", "", "targets", "no_such_col", "", "set", 1),
        ("negative", "", "", "targets", "cropland_min_ha", "region=A;year=2030", "set", -4),
        ("child", "negative", "", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=forest", "scale", 2),
        ("fine", "", "", "targets", "cropland_min_ha", "region=A;year=2030", "set", 35),
    ], columns=SCEN)
    uncertainty = pd.DataFrame([
        ("flux", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=forest", 5, 1, "uniform", None, "set"),
        ("ghost", "land_uses", "no_such_column", "land_use=forest", 0.1, 0.2, "uniform", None, "set"),
    ], columns=UNC)
    bad = write_xlsx(tiny_tables(scenarios=scenarios, uncertainty=uncertainty), tmp_path / "bad.xlsx")
    assert main(["validate", str(bad)]) == 2
    out = capsys.readouterr().out
    target_columns = out.split("expected one of: ")[1].splitlines()[0]
    land_use_columns = out.split("has no such column; expected one of: ")[1].splitlines()[0]
    target_columns_zh, land_use_columns_zh = target_columns.replace(", ", "、"), land_use_columns.replace(", ", "、")
    assert out.splitlines() == [
        f"发现 4 处问题 4 problems in {bad}:",
        "  - 情景“typo”：工作表“scenarios”第 2 行“column”列：工作表“targets”没有“no_such_col”列；应为下列之一："
        + target_columns_zh,
        "    scenario 'typo': sheet 'scenarios', row 2, column 'column': sheet 'targets' has no column 'no_such_col'; expected one of: "
        + target_columns,
        "  - 情景“negative”、“child”：工作表“targets”第 2 行“cropland_min_ha”列：填写值为 -4，应填不小于 0 的数字"
        "（公顷）",
        "    scenarios 'negative', 'child': sheet 'targets', row 2, column 'cropland_min_ha': value -4 — expected a "
        "number ≥ 0 ha",
        "  - 工作表“uncertainty”第 2 行“low”列：填写值为 5，下限大于同一行的上限（1）",
        "    sheet 'uncertainty', row 2, column 'low': value 5 — low exceeds high (1) on the same row",
        "  - 工作表“uncertainty”第 3 行“column”列：填写值为 'no_such_column'，工作表“land_uses”没有该列；应为下列之一："
        + land_use_columns_zh,
        "    sheet 'uncertainty', row 3, column 'column': value 'no_such_column' — sheet 'land_uses' has no such "
        "column; expected one of: " + land_use_columns,
    ]
    assert "region, year, cropland_min_ha" in out and "land_use, name_zh, role" in out
    assert "region、year、cropland_min_ha" in out and "land_use、name_zh、role" in out


def test_validate_ok_line_says_what_was_checked(tmp_path, capsys):
    scenarios = pd.DataFrame([("fine", "", "", "targets", "cropland_min_ha", "region=A;year=2030", "set", 35)],
                             columns=SCEN)
    uncertainty = pd.DataFrame([("flux", "land_uses", "carbon_flux_tC_per_ha_yr", "land_use=forest", -0.8, -0.4,
                                 "uniform", None, "set")], columns=UNC)
    good = write_xlsx(tiny_tables(scenarios=scenarios, uncertainty=uncertainty), tmp_path / "good.xlsx")
    assert main(["validate", str(good)]) == 0
    assert capsys.readouterr().out == (f"{good}: 检查通过：1 个区域、4 个地类，规划年份 2030（基期年 2020）；"
                                       "已检查 1 个情景和 1 个不确定参数 "
                                       "OK — 1 region, 4 land uses, milestones 2030 (baseline 2020); "
                                       "1 scenario and 1 uncertain parameter checked\n")
    assert main(["validate", str(good), "--scenario", "fine"]) == 0  # the main run is the scenario itself
    assert capsys.readouterr().out == (f"{good}: 检查通过：1 个区域、4 个地类，规划年份 2030（基期年 2020）；已检查 1 个不确定参数 "
                                       "OK — 1 region, 4 land uses, milestones 2030 (baseline 2020); "
                                       "1 uncertain parameter checked\n")
