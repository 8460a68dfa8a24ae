"""Speed figures for the README: start-up on one report, and reports per second in a batch.

Run: python benchmarks/speed.py [--reports 1000] [--repeat 7]
Prints numbers only; nothing here is asserted by the tests (machines differ).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "yantian-2020.txt"
EXAMPLE = ROOT / "examples" / "示例区-2020.txt"


def best_of(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


_FIGURE = re.compile(r"^\t(\d+)$", re.MULTILINE)


def variant(text: str, i: int, rng: random.Random) -> str:
    """A distinct report: its own body's name, and in every third one a table figure changed by one, so the batch
    holds passing and failing reports and no cache keyed on the text can serve a copy."""
    text = text.replace("示例区", f"示例{i}区").replace("盐田区", f"盐田{i}区")
    if i % 3 == 0:
        figures = list(_FIGURE.finditer(text))
        hit = rng.choice(figures)
        text = f"{text[:hit.start(1)]}{int(hit.group(1)) + 1}{text[hit.end(1):]}"
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    exe = shutil.which("govreport-check") or str(Path(sys.executable).parent / "govreport-check")
    report = SEED if SEED.is_file() else EXAMPLE

    base = best_of([sys.executable, "-c", "import typer, rich.console, yaml"], args.repeat)
    one = best_of([exe, "check", str(report), "--format", "plain"], args.repeat)
    print(f"baseline  python -c 'import typer, rich.console, yaml'  {base * 1000:7.0f} ms")
    print(f"check     {report.name:<42} {one * 1000:7.0f} ms   ratio {one / base:.2f}x (bar 1.5x, aim 1.2x)")

    with tempfile.TemporaryDirectory() as tmp:
        sources = [EXAMPLE, ROOT / "examples" / "示例区-2020-有误.txt"] + ([SEED] if SEED.is_file() else [])
        texts = [p.read_text(encoding="utf-8") for p in sources]
        rng = random.Random(1)
        for i in range(args.reports):
            Path(tmp, f"report-{i:05d}.txt").write_text(variant(texts[i % len(texts)], i, rng), encoding="utf-8")
        jobs = os.cpu_count() or 1
        start = time.perf_counter()
        subprocess.run([exe, "check", tmp, "--format", "json", "--jobs", str(jobs), "-o", str(Path(tmp) / "out.json")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        elapsed = time.perf_counter() - start
        print(f"batch     {args.reports} reports, {jobs} jobs {'':<22} {elapsed:7.2f} s   "
              f"{args.reports / elapsed:7.0f} reports/s (bar 200/s, aim 1000/s)")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {statistics.mean(os.getloadavg()):.2f}")


if __name__ == "__main__":
    main()
