"""A stopped or killed sweep leaves no worker processes behind (issue #16).

Each test starts a real sweep in a child process (two local workers), waits until runs are finishing, then
kills the sweep's process with SIGKILL, or sends SIGTERM / SIGINT to it alone (not to its workers), and checks
that every worker is gone within seconds.  Linux only: processes are found through /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from test_sweep import sweep_tables

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

SRC = Path(__file__).resolve().parents[1] / "src"
TESTS = Path(__file__).resolve().parent
#: Seconds a worker may take to notice that its parent is gone (it checks every 0.25 s).
GONE_WITHIN = 5.0


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, ...


def children(pid: int) -> list[int]:
    found = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = _stat(int(d))
            if st is not None and int(st[1]) == pid and st[0] != "Z":
                found.append(int(d))
    return found


def running(pid: int) -> bool:
    st = _stat(pid)
    return st is not None and st[0] != "Z"  # a zombie has exited and only waits for its new parent to reap it


def wait_for(predicate, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join([str(SRC), str(TESTS), e.get("PYTHONPATH", "")])
    e.pop("LANDOPT_SWEEP_START_METHOD", None)
    return e


def test_killing_the_sweeps_process_ends_its_workers(tmp_path):
    script = tmp_path / "sweep_script.py"
    script.write_text(textwrap.dedent("""
        import sys, time
        from test_sweep import sweep_tables
        from landopt.reader import from_tables
        from landopt.sweep import run_sweep, run_task

        def slow(task):
            time.sleep(0.3)
            return run_task(task)

        if __name__ == "__main__":
            def said(rec):
                print("record", rec["run_id"], flush=True)
            run_sweep(from_tables(sweep_tables()), 400, workers=2, progress=False, task_fn=slow, on_record=said)
    """))
    p = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                         text=True)
    try:
        assert p.stdout.readline().startswith("record"), p.stderr.read()
        workers = children(p.pid)
        assert len(workers) == 2 and all(running(w) for w in workers)
        p.kill()  # SIGKILL: the sweep's process cannot clean anything up
        p.wait(timeout=10)
        wait_for(lambda: not any(running(w) for w in workers), GONE_WITHIN, f"workers {workers} to exit")
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()


def start_long_sweep(tmp_path: Path, **popen: Any) -> tuple[subprocess.Popen, Path, Path]:
    """A sweep of 3,000 samples on two workers, started as `landopt sweep` in a process of its own: (process, output,
    checkpoint)."""
    inp = tmp_path / "inp"
    inp.mkdir()
    for name, df in sweep_tables().items():
        df.to_csv(inp / f"{name}.csv", index=False)
    out = tmp_path / "sweep.xlsx"
    p = subprocess.Popen([sys.executable, "-m", "landopt.cli", "sweep", str(inp), "--samples", "3000", "--workers", "2",
                          "--no-progress", "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                         text=True, **popen)
    return p, out, tmp_path / "sweep.xlsx.partial.jsonl"


@pytest.mark.parametrize("signum, code, says", [
    (signal.SIGTERM, 143, "已终止（SIGTERM）：每个输出文件或已完整写出，或保持原样 terminated (SIGTERM): stopped; every output is either complete or left as it was"),
    (signal.SIGINT, 130, "已中断（Ctrl-C）：每个输出文件或已完整写出，或保持原样 interrupted (Ctrl-C): stopped; every output is either complete or left as it was"),
])
def test_sigterm_or_ctrl_c_stops_the_workers_and_keeps_the_checkpoint(tmp_path, signum, code, says):
    p, out, ck = start_long_sweep(tmp_path)
    try:
        wait_for(lambda: ck.exists() and len(ck.read_text().splitlines()) >= 3 or p.poll() is not None, 120,
                 "the first records in the checkpoint")
        assert p.poll() is None, p.stderr.read()
        workers = children(p.pid)
        assert len(workers) == 2
        p.send_signal(signum)  # to the sweep's process only: its workers get no signal
        _, err = p.communicate(timeout=30)
        assert p.returncode == code, err
        assert "finished runs are kept in " + str(ck) + " — run again with --resume to continue" in err
        assert err.strip().splitlines()[-1] == says
        assert "Traceback" not in err
        wait_for(lambda: not any(running(w) for w in workers), GONE_WITHIN, f"workers {workers} to exit")
        assert not out.exists() and ck.exists()
        assert len(ck.read_text().splitlines()) >= 3  # the finished runs are kept for --resume
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()


def test_sigterm_stops_workers_in_the_middle_of_a_long_run(tmp_path):
    """Runs of 60 s in flight: the sweep's process exits within seconds, and so do its workers (they are stopped
    mid-run, not left to finish)."""
    script = tmp_path / "long_runs.py"
    script.write_text(textwrap.dedent("""
        import sys, time
        from test_sweep import sweep_tables
        from landopt.reader import from_tables
        from landopt.sweep import run_sweep, run_task
        from landopt.sweep.cli import Terminated, sigterm_raises

        def long_run(task):
            if task["run_id"] > 0:
                time.sleep(60)
            return run_task(task)

        if __name__ == "__main__":
            try:
                with sigterm_raises():
                    run_sweep(from_tables(sweep_tables()), 10, workers=2, progress=False, task_fn=long_run,
                              on_record=lambda rec: print("record", rec["run_id"], flush=True))
            except Terminated:
                print("terminated", file=sys.stderr)
                sys.exit(143)
    """))
    p = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(),
                         text=True)
    try:
        assert p.stdout.readline().startswith("record 0"), p.stderr.read()
        workers = children(p.pid)
        assert len(workers) == 2
        time.sleep(0.5)  # both workers are now inside a 60 s run
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=20)  # far less than the 60 s the runs in flight would take
        assert p.returncode == 143 and err.strip().endswith("terminated"), err
        wait_for(lambda: not any(running(w) for w in workers), GONE_WITHIN, f"workers {workers} to exit")
    finally:
        if p.poll() is None:
            p.kill()
        p.wait()


def test_sigterm_to_the_whole_process_group_ends_the_sweep(tmp_path):
    """`timeout`, systemd and `docker stop` signal the whole process group: the workers die at once, asleep on the
    stop flag.  With a multiprocessing Event as that flag the parent's stop waited for them to wake and hung for good
    (only SIGKILL ended it); with a lock-free flag it exits 143 and keeps the checkpoint."""
    p, out, ck = start_long_sweep(tmp_path, start_new_session=True)
    try:
        wait_for(lambda: ck.exists() and len(ck.read_text().splitlines()) >= 3 or p.poll() is not None, 120,
                 "the first records in the checkpoint")
        assert p.poll() is None, p.stderr.read()
        workers = children(p.pid)
        os.killpg(p.pid, signal.SIGTERM)  # the sweep and its workers together
        _, err = p.communicate(timeout=30)
        assert p.returncode == 143, err
        assert "Traceback" not in err
        wait_for(lambda: not any(running(w) for w in workers), GONE_WITHIN, f"workers {workers} to exit")
        assert not out.exists() and ck.exists()
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
        p.wait()
