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


def check(exe: str, kind: str, path: Path) -> Run:
    """One check in its own process, its peak memory measured by GNU time when the machine has it: a child's
    ru_maxrss starts at its parent's, so asking the kernel from here would report this script's size."""
    before = digest(path)
    with tempfile.NamedTemporaryFile("r") as measured:
        command = [exe, "check", str(path), "--format", "json", "--jobs", "1"]
        if TIME:
            command = [TIME, "-q", "-f", "%M", "-o", measured.name, *command]
        start = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
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
    return Run(kind, path.name, code, seconds, rss, broken)


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
