"""End-to-end tests of the command line, as an analyst runs it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

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
    wb = load_workbook(diag)
    assert wb.sheetnames == ["诊断 diagnosis", "放宽方案 relaxations", "冲突约束 conflicting set"]
    labels = [r[0] for r in wb["放宽方案 relaxations"].iter_rows(min_row=5, values_only=True)]
    assert "cropland_protection[A,2030]" in labels
    page_one = [r[1] for r in wb["诊断 diagnosis"].iter_rows(min_row=5, values_only=True) if r[1]]
    assert any(t.startswith("A 2030年 耕地保有量 45 公顷无法满足：比土地所能提供的多 5 公顷，需降低 5 公顷（工作表“targets”第2行"
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


def test_template_writes_and_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "new.xlsx"
    assert main(["template", str(path)]) == 0
    first = sha(path)
    assert main(["template", str(path)]) == 2
    assert "exists; not overwriting it" in capsys.readouterr().err
    assert sha(path) == first
    assert main(["validate", str(path)]) == 2  # an empty template is not yet a valid model


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
    assert seen == {"threads": 1, "backend": backend}


def test_bad_arguments_exit_2_and_help_exits_0(tmp_path, capsys):
    assert main([]) == 2
    assert "the following arguments are required: command" in capsys.readouterr().err
    assert main(["solve", str(WORKBOOK), "--backend", "gurobi"]) == 2
    assert "argument --backend: invalid choice: 'gurobi' (choose from 'auto', 'pyomo', 'highs')" in capsys.readouterr().err
    assert main(["solve", str(WORKBOOK), "--threads", "0"]) == 2
    assert "argument --threads: expected a whole number ≥ 1, got 0" in capsys.readouterr().err
    assert main(["--help"]) == 0
    assert "exit codes: 0 ok · 1 internal error · 2 bad input or arguments" in capsys.readouterr().out
