"""Every input has a time budget and its own worker: one that overruns is stopped and reported unreadable, one whose
worker dies costs that input only, and --jobs never starts more workers than there are inputs.

The misbehaving inputs are ordinary copies of the example; what makes them hang or die is `misbehave`, put in place
of report.load_report. In this process that is a monkeypatch (forked workers inherit it); in a real process it is
HOOK, run before the CLI (benchmarks/robustness.py uses it too). Nothing in the package knows about it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import govreport_check.report as report_module
from govreport_check import batch
from test_hostile import EXAMPLE

HANG_S = 120  # how long a hanging input sleeps: far past any budget here, short enough that a regression ends
FORKS = hasattr(os, "fork")
HOOK = f"""
import os, signal, sys, time
import govreport_check.report as report
real = report.load_report
def load_report(path, *args, **kwargs):
    name = os.path.basename(str(path))
    if name.startswith("hang"):
        time.sleep({HANG_S})
    if name.startswith("killed"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("exits"):
        os._exit(3)
    return real(path, *args, **kwargs)
report.load_report = load_report
"""


def misbehave(path) -> None:
    """As HOOK, in this process."""
    name = os.path.basename(str(path))
    if name.startswith("hang"):
        time.sleep(HANG_S)
    if name.startswith("killed"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("exits"):
        os._exit(3)


def misbehaving_check(path):
    """A batch task for the spawned workers, which do not inherit monkeypatches."""
    misbehave(path)
    return batch.check_one(path)


def named(path) -> str:
    """A task that takes no time, so a worker's answers pile up in the pipe before they are read."""
    return Path(path).name


@pytest.fixture
def hooked(monkeypatch):
    real = report_module.load_report

    def load_report(path, *args, **kwargs):
        misbehave(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(report_module, "load_report", load_report)


def reports(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_bytes(EXAMPLE.read_bytes())
    return [folder / name for name in names]


def by_name(out: str) -> dict[str, dict]:
    return {Path(r["path"]).name: r for r in json.loads(out)["reports"]}


pytestmark = pytest.mark.skipif(not FORKS, reason="the in-process hooks need forked workers")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_input_that_hangs_is_stopped_and_the_others_kept(cli, tmp_path, hooked, jobs):
    files = reports(tmp_path, "a.txt", "hang.txt", "c.txt", "d.txt")
    start = time.monotonic()
    code, out, err = cli("check", *files, "--format", "json", "--jobs", jobs, "--timeout", "2")
    assert time.monotonic() - start < HANG_S / 2
    assert code == 2 and "Traceback" not in err
    got = by_name(out)
    assert list(got) == ["a.txt", "hang.txt", "c.txt", "d.txt"]  # input order, as always
    assert got["hang.txt"]["status"] == "error" and got["hang.txt"]["error"] == "读取超时（超过 2 秒）"
    assert [got[n]["status"] for n in ("a.txt", "c.txt", "d.txt")] == ["pass"] * 3
    assert f"错误：{files[1]}: 读取超时（超过 2 秒）" in err


def test_one_file_alone_has_the_budget_too(cli, tmp_path, hooked):
    [hang] = reports(tmp_path, "hang.txt")
    code, out, err = cli("check", hang, "--format", "plain", "--timeout", "1.5")
    assert code == 2 and f"{hang}: error input 读取超时（超过 1.5 秒）" in out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_worker_that_dies_loses_only_its_own_input(cli, tmp_path, hooked, jobs):
    files = reports(tmp_path, "a.txt", "killed.txt", "c.txt", "exits.txt", "e.txt")
    code, out, err = cli("check", *files, "--format", "json", "--jobs", jobs)
    assert code == 2 and "Traceback" not in err
    got = by_name(out)
    assert list(got) == [f.name for f in files]
    assert got["killed.txt"]["error"].startswith("读取时进程意外退出（被信号 9 终止")
    assert got["exits.txt"]["error"].startswith("读取时进程意外退出（退出码 3")
    assert [got[n]["status"] for n in ("a.txt", "c.txt", "e.txt")] == ["pass"] * 3


def test_extract_has_the_budget(cli, tmp_path, hooked):
    files = reports(tmp_path, "hang.txt", "b.txt", "killed.txt")
    code, out, err = cli("extract", *files, "--timeout", "1", "--jobs", "2")
    got = by_name(out)
    assert code == 2 and list(got) == ["hang.txt", "b.txt", "killed.txt"]
    assert got["hang.txt"]["error"] == "读取超时（超过 1 秒）"
    assert got["killed.txt"]["error"].startswith("读取时进程意外退出")
    assert len(got["b.txt"]["cells"]) == 198


def test_a_real_process_keeps_every_other_result(tmp_path):
    """The installed CLI as users run it: a hanging input and one killed with SIGKILL among good ones."""
    files = reports(tmp_path, "a.txt", "hang.txt", "killed.txt", "d.txt")
    command = [sys.executable, "-c", HOOK + "from govreport_check.cli import main; main()",
               "check", *map(str, files), "--format", "json", "--jobs", "2", "--timeout", "2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=HANG_S / 2)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    got = by_name(done.stdout)
    assert [got[n]["status"] for n in got] == ["pass", "error", "error", "pass"]
    assert got["hang.txt"]["error"] == "读取超时（超过 2 秒）"
    assert got["killed.txt"]["error"].startswith("读取时进程意外退出（被信号 9 终止")


@pytest.mark.parametrize("jobs", [1, 2])
def test_answers_that_arrive_together_are_all_taken(jobs):
    paths = [Path(f"r{i}.txt") for i in range(200)]
    assert list(batch.run(paths, batch.Options(), jobs, timeout=5, task=named)) == [p.name for p in paths]


def forks(monkeypatch, fail_after: int | None = None) -> list[int]:
    """os.fork counted, and refused (as when the system is out of processes) after `fail_after` calls."""
    made: list[int] = []
    real = os.fork

    def fork():
        if fail_after is not None and len(made) >= fail_after:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        made.append(1)
        return real()

    monkeypatch.setattr(os, "fork", fork)
    return made


def test_jobs_is_capped_at_the_inputs_and_the_cpus(cli, tmp_path, monkeypatch):
    made = forks(monkeypatch)
    code, out, _ = cli("check", *reports(tmp_path, "a.txt", "b.txt", "c.txt"), "--format", "json", "--jobs", "1500")
    assert code == 0 and len(json.loads(out)["reports"]) == 3 and len(made) == 3
    cpus = os.cpu_count() or 1
    many = reports(tmp_path / "many", *(f"r{i}.txt" for i in range(batch.JOBS_PER_CPU * cpus + 2)))
    made.clear()
    assert cli("check", *many, "--format", "json", "--jobs", "1500")[0] == 0
    assert len(made) == batch.JOBS_PER_CPU * cpus


@pytest.mark.parametrize("fail_after", [0, 1])
def test_a_refused_fork_means_fewer_workers_not_a_traceback(cli, tmp_path, monkeypatch, fail_after):
    made = forks(monkeypatch, fail_after)
    files = reports(tmp_path, "a.txt", "b.txt", "c.txt", "d.txt")
    code, out, err = cli("check", *files, "--format", "json", "--jobs", "4")
    assert code == 0 and [r["status"] for r in json.loads(out)["reports"]] == ["pass"] * 4
    assert len(made) == fail_after and "Traceback" not in err
    assert ("无法启动检查进程" if fail_after == 0 else "只能启动 1 个检查进程") in err


def test_no_budget_and_one_job_runs_in_this_process(cli, tmp_path, monkeypatch):
    made = forks(monkeypatch)
    code, _, _ = cli("check", *reports(tmp_path, "a.txt", "b.txt"), "--jobs", "1", "--timeout", "0")
    assert code == 0 and made == []


def test_spawned_workers_keep_the_budget(tmp_path, monkeypatch):
    """Where there is no fork (Windows) workers are spawned; here the same pool is made to spawn them."""
    monkeypatch.setattr(batch, "_PROCESS", batch._Spawned)
    files = reports(tmp_path, "a.txt", "hang.txt", "killed.txt", "d.txt")
    results = list(batch.run(files, batch.Options(), 2, timeout=3, task=misbehaving_check))
    assert [getattr(r, "status", None) for r in results] == ["pass", None, None, "pass"]
    assert results[1].message == "读取超时（超过 3 秒）"
    assert results[2].message.startswith("读取时进程意外退出（被信号 9 终止")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the workers in /proc")
def test_workers_of_a_killed_batch_end(tmp_path):
    """The batch itself killed with SIGKILL (no clean-up of ours runs): its worker stuck on an input ends anyway."""
    files = reports(tmp_path, "hang.txt")
    command = [sys.executable, "-c", HOOK + "from govreport_check.cli import main; main()", "check", *map(str, files)]
    batch_process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            children = Path(f"/proc/{batch_process.pid}/task/{batch_process.pid}/children")
            workers = children.read_text().split() if children.exists() else []
            if workers:
                break
            time.sleep(0.05)
    finally:
        batch_process.kill()
        batch_process.wait()
    assert workers, "no worker started"
    for _ in range(100):
        if not any(Path(f"/proc/{w}").exists() and "Z" not in _state(w) for w in workers):
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"worker {workers} still running 10 s after its batch was killed")


def _state(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def patient(path: Path) -> str:
    """Slow but progressing, as OCR is page by page: asks for more time at each step."""
    for _ in range(4):
        batch.more_time(0.6)
        time.sleep(0.3)
    return path.name


def impatient(path: Path) -> str:
    time.sleep(1.2)
    return path.name


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_input_that_asks_for_more_time_gets_it_and_one_that_does_not_times_out(tmp_path, jobs):
    paths = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    assert list(batch.run(paths, batch.Options(), jobs, timeout=0.5, task=patient)) == ["a.pdf", "b.pdf"]
    late = list(batch.run(paths, batch.Options(), jobs, timeout=0.5, task=impatient))
    assert [r.message for r in late] == ["读取超时（超过 0.5 秒）"] * 2


def test_asked_for_time_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "MAX_MORE_TIME_S", 0.2)
    late = list(batch.run([tmp_path / "a.pdf"], batch.Options(), 1, timeout=0.5, task=patient))
    assert [r.message for r in late] == ["读取超时（超过 0.7 秒）"]


def test_outside_a_worker_asking_for_time_does_nothing():
    batch.more_time(5)  # no worker, no deadline: returns at once
