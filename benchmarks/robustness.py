"""The robustness run: mutated reports, hostile files and truncated HTML/DOCX/PDF, each checked by the installed CLI
in its own process at the real limits (not the lowered ones the tests use). Prints, per kind of input, the exit codes
seen, the slowest run and the largest memory, and lists every run that printed a traceback, exited other than
0/1/2, reached the "内部错误" catch-all, timed out or changed its input.

Run: python benchmarks/robustness.py [--mutants 300] [--seed 1] [--jobs 2]
Exits 1 when any run broke a promise, so it can also gate a release by hand.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path[:0] = [str(ROOT / "tests")]

import test_hostile as hostile  # noqa: E402  (the hostile-file builders the tests use)
from test_batch_budget import HOOK  # noqa: E402  (makes inputs named hang*/killed* hang or die in their worker)
import test_hostile_more as hostile_more  # noqa: E402

INTERNAL = "内部错误"
TIMEOUT = 300
TIME = next((t for t in ("/usr/bin/time",) if Path(t).is_file()), None)  # GNU time, for peak memory


@dataclass(frozen=True)
class Run:
    kind: str  # the group the input belongs to, a line of the summary
    name: str  # the input's file name
    code: int | None  # exit code, None on timeout
    seconds: float  # wall time of the whole process
    rss_mb: float  # peak resident memory of the process
    broken: str | None  # the promise it broke, or None


def sources() -> dict[str, list[Path]]:
    """Well-formed reports per format, from ../shared when present and the project's own fixtures otherwise."""
    found = defaultdict(list)
    found["txt"] = [SHARED / "seed" / "yantian-2020.txt", ROOT / "examples" / "示例区-2020.txt"]
    for folder in (SHARED / "corpus", SHARED / "real", ROOT / "tests" / "fixtures"):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.suffix in (".html", ".docx", ".pdf"):
                found[path.suffix[1:]].append(path)
    return {k: [p for p in v if p.is_file()] for k, v in found.items()}


def mutated(data: bytes, rng: random.Random) -> bytes:
    """1–8 random edits: a byte set to any value, up to 64 bytes deleted, or up to 256 bytes duplicated."""
    edits = [(rng.randrange(3), rng.randrange(1000), rng.randint(1, 256), rng.randrange(256))
             for _ in range(rng.randint(1, 8))]
    return hostile.mutate(data, [(k, w, s if k == 2 else min(s, 64), v) for k, w, s, v in edits])


def zip_bomb(gigabytes: int) -> bytes:
    """A .docx whose document.xml inflates to `gigabytes` GB (about 1 MB a GB on disk), written without holding it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b"<w:document>")
            block = b" " * (16 * 1024 * 1024)
            for _ in range(gigabytes * 64):
                part.write(block)
    return buffer.getvalue()


def inputs(folder: Path, mutants: int, seed: int) -> list[tuple[str, Path]]:
    rng = random.Random(seed)
    made: list[tuple[str, Path]] = []

    def put(kind: str, name: str, data: bytes) -> None:
        path = folder / kind / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        made.append((kind, path))

    by_format = sources()
    everything = [p for paths in by_format.values() for p in paths]
    for i in range(mutants):
        base = by_format["txt"][0] if i % 2 == 0 or not everything else rng.choice(everything)
        put("mutated", f"m{i:04d}-{base.stem[:20]}{base.suffix}", mutated(base.read_bytes(), rng))
    for fmt in ("html", "docx", "pdf"):
        for base in by_format.get(fmt, []):
            data = base.read_bytes()
            for cut in (1, 10, 100, len(data) // 4, len(data) // 2, len(data) * 3 // 4, len(data) - 100, len(data) - 1):
                put(f"truncated {fmt}", f"{base.stem[:24]}-{cut}.{fmt}", data[:max(cut, 0)])
    for name, (build, _, _) in hostile.HOSTILE.items():
        put("hostile", name, build())
    put("hostile", "zip-bomb-1GB.docx", zip_bomb(1))
    put("hostile", "pages-5000.pdf", hostile.many_pages_pdf(5_000))
    put("hostile", "rowspan-small.html", ("<html><body><p>政府信息公开</p><table><tr><td rowspan=999999>一</td>"
                                          "<td>1</td></tr><tr><td>2</td></tr></table></body></html>").encode())
    put("hostile", "grid-200x200.pdf", hostile_more.grid_pdf(200))  # 49 s in pdfplumber's table finder, unbounded
    put("hostile", "comb-600.pdf", hostile_more.pages_pdf([hostile_more.comb(600)], size=2500))
    put("hostile", "reference-loop.pdf", hostile_more.loop_pdf())  # /MediaBox 6 0 R, 6 = 7 0 R, 7 = 6 0 R
    put("hostile", "lying-zip-1GB.docx", hostile_more.lying_docx(2_000, 1024 * 2**20))  # declares 2,000 bytes
    put("hostile", "colspan-4301-digits.html", hostile_more.span_html())
    put("hostile", "gridspan-4301-digits.docx", hostile_more.span_docx())
    return made


def special(folder: Path) -> list[tuple[str, Path]]:
    """Paths that are not plain files: a folder named like a report, a folder of symlink loops, a FIFO."""
    named = folder / "special" / "folder.txt"
    named.mkdir(parents=True)
    loops = folder / "special" / "loops"
    (loops / "sub").mkdir(parents=True)
    (loops / "sub" / "self").symlink_to(".")
    (loops / "sub" / "up").symlink_to("..")
    (loops / "loop.txt").symlink_to("loop.txt")
    (loops / "a.txt").symlink_to("b.txt")
    (loops / "b.txt").symlink_to("a.txt")
    shutil.copyfile(ROOT / "examples" / "示例区-2020.txt", loops / "good.txt")
    out = [("special", named), ("special", loops)]
    if hasattr(os, "mkfifo"):
        fifos = folder / "special" / "fifo"
        fifos.mkdir()
        os.mkfifo(fifos / "report.txt")
        out.append(("special", fifos))
    return out


def digest(path: Path) -> str:
    if not path.is_file():
        return ""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(exe: str, kind: str, path: Path, extra: tuple[str, ...] = (), env: dict | None = None,
          cwd: Path | None = None, expect=None) -> Run:
    """One check in its own process, its peak memory measured by GNU time when the machine has it: a child's
    ru_maxrss starts at its parent's, so asking the kernel from here would report this script's size. `expect`
    (code, output) → what else broke, for a case that promises more than a clean exit."""
    before = digest(path)
    with tempfile.NamedTemporaryFile("r") as measured:
        command = [exe, "check", str(path), "--format", "json", "--jobs", "1", *extra]
        if TIME:
            command = [TIME, "-q", "-f", "%M", "-o", measured.name, *command]
        start = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False, env=env, cwd=cwd)
        except subprocess.TimeoutExpired:
            return Run(kind, path.name, None, TIMEOUT, 0, f"no answer in {TIMEOUT} s")
        seconds = time.perf_counter() - start
        rss = int(measured.read().split()[-1]) / 1024 if TIME else 0.0
    text = (done.stdout + done.stderr).decode("utf-8", "replace")
    code = done.returncode
    broken = None
    if code not in (0, 1, 2):
        broken = f"exit {code}"
    elif "Traceback" in text:
        broken = "traceback"
    elif INTERNAL in text:
        broken = "internal error"
    elif digest(path) != before:
        broken = "input changed"
    elif code == 2 and "错误：" not in text:
        broken = "exit 2 without a Chinese message"
    elif expect is not None:
        broken = expect(code, text)
    return Run(kind, path.name, code, seconds, rss, broken)


CASE_RULE = ("rules:\n  - id: case\n    name: 用例\n    severity: warning\n    message: \"甲 {lhs}\"\n"
             "    expr: 'cell(\"sec3\", \"一\", \"总计\") < 0'\n")


def hardening(exe: str, folder: Path) -> list[Run]:
    """Issue 13 items 1-4 and 12: the rule cache and config discovery under hostile or unlucky files, and odd
    config or rule files. Each case is a run with its own cache folder, working folder and promise."""
    base = folder / "hardening"
    report = base / "report.txt"
    report.parent.mkdir(parents=True)
    shutil.copyfile(ROOT / "examples" / "示例区-2020.txt", report)
    runs = []

    def run(name: str, cache: Path, expect, *extra: str, cwd: Path | None = None) -> Run:
        env = dict(os.environ, GOVREPORT_CHECK_CACHE=str(cache))
        done = check(exe, "hardening", report, ("-v", *extra), env, cwd or base, expect)
        done = Run(done.kind, name, done.code, done.seconds, done.rss_mb, done.broken)
        runs.append(done)
        return done

    def saying(*words: str, code: int | None = None):
        return lambda c, text: next((f"no {w!r}" for w in words if w not in text), None) or (
            f"exit {c}, not {code}" if code is not None and c != code else None)

    shared = base / "shared-cache"  # item 1: a cache folder anyone may write is not used, nor written to
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    run("cache folder mode 0777", shared, saying("缓存文件夹", "未使用"))
    if any(shared.iterdir()):
        runs[-1] = Run("hardening", runs[-1].name, runs[-1].code, runs[-1].seconds, runs[-1].rss_mb, "wrote entries")
    private = base / "cache"  # item 1: planted entries of the wrong shape, a pickle among them, are rebuilt
    run("cache warm-up", private, None)
    for i, entry in enumerate(sorted(private.glob("*.json"))):
        entry.write_bytes([b"[5]", b"\x80\x04K\x05.", b"{\"format\": 2}"][i % 3])
    run("cache entries planted", private, saying("内容无效，已重建"))
    rules = base / "case.yaml"  # item 2: a same-size edit with the time put back is seen
    rules.write_text(CASE_RULE, encoding="utf-8")
    run("rule file before edit", private, saying("甲"), "--rules", str(rules))
    stamp = rules.stat()
    rules.write_text(CASE_RULE.replace("甲", "乙"), encoding="utf-8")
    os.utime(rules, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    run("same-size edit, mtime put back", private, saying("乙"), "--rules", str(rules))
    leftover = private / "tmpk1ll3d_0.tmp"  # item 4: a write that never finished is swept by the next write
    leftover.write_bytes(b"half an entry")
    os.utime(leftover, (time.time() - 3600,) * 2)
    rules.write_text(CASE_RULE.replace("甲", "丙"), encoding="utf-8")
    run("stale tmp*.tmp in the cache", private, lambda c, text: "tmp file left" if leftover.exists() else None,
        "--rules", str(rules))
    planted = base / "tmp" / ".govreport-check.toml"  # item 3: a config anyone may write is skipped
    (planted.parent / "work").mkdir(parents=True)
    planted.write_text('ignore = [""]\n', encoding="utf-8")
    planted.chmod(0o666)
    run("world-writable config above", private, saying("跳过这个配置文件", code=0), cwd=planted.parent / "work")
    for i, text in enumerate(["tool = 5\n", "[tool]\ngovreport-check = 5\n", "[tool]\ngovreport-check = [1]\n"]):
        project = base / f"project-{i}"  # item 12: odd pyproject.toml
        (project / ".git").mkdir(parents=True)
        (project / "pyproject.toml").write_text(text, encoding="utf-8")
        run(f"pyproject {text.strip()!r}", private, saying("pyproject.toml:", "应为表", code=2), cwd=project)
    deep = base / "deep.yaml"  # item 12: examples nested 490 deep
    deep.write_text(CASE_RULE + "    examples:\n      pass: " + "[" * 490 + "1" + "]" * 490 + "\n", encoding="utf-8")
    run("rule examples 490 deep", private, saying("deep.yaml:8: YAML 嵌套过深", code=2), "--rules", str(deep))
    return runs


BUDGET_CASES = {  # name: (files, extra options, {file: what its result must say}, most forks, patch of os.fork)
    "one input hangs": (["a", "hang", "c"], ["--jobs", "2", "--timeout", "2"], {"hang": "读取超时（超过 2 秒）"}, None, ""),
    "one file hangs, --jobs 1": (["hang"], ["--jobs", "1", "--timeout", "2"], {"hang": "读取超时（超过 2 秒）"}, None, ""),
    "a worker is killed -9": (["a", "killed", "c", "d"], ["--jobs", "2"], {"killed": "读取时进程意外退出"}, None, ""),
    "--jobs 1500, 3 files": (["a", "b", "c"], ["--jobs", "1500"], {}, 3, ""),
    "fork refused": (["a", "b", "c", "d"], ["--jobs", "4"], {}, 1,
                     "if len(made) >= 1: raise BlockingIOError(11, 'Resource temporarily unavailable')"),
}


def budget(folder: Path) -> list[Run]:
    """Batches with an input that hangs or whose worker dies, an absurd --jobs and a refused fork: each in a real
    process (HOOK patches the reader, os.fork is counted), every other input's result must be there."""
    runs = []
    for case, (names, options, expected, most_forks, refuse) in BUDGET_CASES.items():
        files = []
        for name in names:
            files.append(folder / "budget" / case.replace(" ", "_") / f"{name}.txt")
            files[-1].parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / "examples" / "示例区-2020.txt", files[-1])
        counted = ("import atexit, os, sys\nmade = []\nreal_fork = os.fork\ndef fork():\n"
                   f"    {refuse or 'pass'}\n    made.append(1)\n    return real_fork()\nos.fork = fork\n"
                   "atexit.register(lambda: sys.stderr.write(f'FORKS={len(made)}\\n'))\n")
        command = [sys.executable, "-c", HOOK + counted + "from govreport_check.cli import main; main()",
                   "check", *map(str, files), "--format", "json", *options]
        start = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            runs.append(Run("batch budget", case, None, TIMEOUT, 0, f"no answer in {TIMEOUT} s"))
            continue
        seconds = time.perf_counter() - start
        try:
            got = {Path(r["path"]).stem: r for r in json.loads(done.stdout)["reports"]}
        except ValueError:
            got = {}
        forks = int(done.stderr.rsplit("FORKS=", 1)[-1].split()[0]) if "FORKS=" in done.stderr else -1
        broken = None
        if "Traceback" in done.stderr or INTERNAL in done.stdout + done.stderr:
            broken = "traceback or internal error"
        elif list(got) != names:
            broken = f"results {list(got)}, not {names}"
        elif any(not (got[n].get("error") or "").startswith(expected[n]) if n in expected else got[n]["status"] != "pass"
                 for n in names):
            broken = "a result other than expected"
        elif done.returncode != (2 if expected else 0):
            broken = f"exit {done.returncode}"
        elif most_forks is not None and not 0 <= forks <= most_forks:
            broken = f"{forks} workers started"
        elif seconds > 20:
            broken = f"{seconds:.0f} s"
        runs.append(Run("batch budget", case, done.returncode, seconds, 0, broken))
    return runs


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mutants", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    exe = shutil.which("govreport-check") or str(Path(sys.executable).parent / "govreport-check")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        todo = inputs(folder, args.mutants, args.seed) + special(folder)
        print(f"{len(todo)} inputs, {sum(p.stat().st_size for _, p in todo if p.is_file()) / 2**20:.0f} MB, "
              f"checked one process each, {args.jobs} at a time")
        with ThreadPoolExecutor(args.jobs) as pool:
            runs = list(pool.map(lambda item: check(exe, *item), todo))
        runs += budget(folder)
        runs += hardening(exe, folder)
    groups = defaultdict(list)
    for run in runs:
        groups[run.kind].append(run)
    print(f"{'inputs':<16} {'n':>4}  {'exit codes':<22} {'slowest':>9} {'peak RSS':>9}  broken")
    for kind, group in groups.items():
        codes = Counter(r.code for r in group)
        slow = max(group, key=lambda r: r.seconds)
        big = max(group, key=lambda r: r.rss_mb)
        print(f"{kind:<16} {len(group):>4}  {', '.join(f'{c}×{n}' for c, n in sorted(codes.items(), key=str)):<22} "
              f"{slow.seconds:8.2f}s {big.rss_mb:7.0f}MB  {sum(r.broken is not None for r in group)}"
              f"   (slowest {slow.name}, largest {big.name})")
    bad = [r for r in runs if r.broken]
    for run in bad:
        print(f"BROKEN  {run.kind}/{run.name}: {run.broken} (exit {run.code}, {run.seconds:.1f} s)")
    print(f"{len(runs)} runs, {len(bad)} broken; python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
