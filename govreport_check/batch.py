"""Many reports at once: expand folders and globs, check in worker processes, hand back slim results in order.

Workers return `Result`/`Unreadable` values (findings and counts, no report text), so memory stays flat in the
number of reports; rules are loaded once per worker.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from govreport_check.errors import InputError, internal_error

SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".mht", ".mhtml", ".docx", ".doc", ".wps", ".pdf"})
_GLOB = set("*?[")


@dataclass(frozen=True)
class Options:
    """What every worker needs to check a report the same way."""

    rule_files: tuple[str, ...] = ()  # extra rule files, in order
    select: tuple[str, ...] = ()  # --select patterns
    ignore: tuple[str, ...] = ()  # --ignore patterns
    encoding: str | None = None  # --encoding
    layout: str | None = None  # --layout
    previous: tuple[tuple[str, str], ...] = ()  # (report, last year's report of the same body) pairs


def expand(args: list[str]) -> list[Path]:
    """Files named, files under folders (recursively, report suffixes only, symlinked folders not followed) and
    glob matches, in a stable order. A name that matches nothing is kept, to be reported as missing."""
    out: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / f for f in files if Path(f).suffix.lower() in SUFFIXES and not f.startswith(".")]
            out += sorted(found)
        elif not path.exists() and _GLOB & set(arg):
            matches = sorted(Path(m) for m in glob.glob(arg, recursive=True))
            out += [m for m in matches if m.is_file()] or [path]
        else:
            out.append(path)
    seen: dict[str, Path] = {}
    folders: dict[str, str] = {}
    for path in out:
        seen.setdefault(_real(path, folders), path)  # a file reached twice (symlinks, overlapping args) once
    return list(seen.values())


def _real(path: Path, folders: dict[str, str]) -> str:
    """os.path.realpath(path), resolving each folder once: realpath checks every part of every path, and a
    batch has a thousand files in a few folders."""
    if path.name in ("", ".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    parent = str(path.parent)
    if parent not in folders:
        folders[parent] = os.path.realpath(parent)
    return os.path.join(folders[parent], path.name)


@lru_cache(maxsize=8)
def select_rules(options: Options) -> tuple:
    """Loaded once per process and options (a forked worker inherits the parent's)."""
    return tuple(_select(options))


def _select(options: Options):
    from govreport_check.rules.load import builtin_rule_files, load_rules_cached

    rules = load_rules_cached(builtin_rule_files() + [Path(p) for p in options.rule_files])

    def hit(rule, patterns):
        return any(p[4:] in rule.tags if p.startswith("tag:") else rule.id.startswith(p) for p in patterns)

    if options.select:
        rules = [r for r in rules if hit(r, options.select) or r.kind == "structure"]
    if options.ignore:
        rules = [r for r in rules if not hit(r, options.ignore)]
    return rules


_worker: dict = {}


def _init(options: Options) -> None:
    _worker["options"] = options
    _worker["rules"] = select_rules(options)


def check_one(path: Path):
    """One report checked; never raises (an exception here would end the whole batch)."""
    from govreport_check.report import Unreadable

    try:
        return _check_one(path)
    except Exception as exc:  # noqa: BLE001 - the last line of defence; tests assert real inputs never reach it
        return Unreadable(str(path), internal_error(exc))


def _check_one(path: Path):
    from govreport_check.report import Unreadable, check, load_report

    options = _worker["options"]
    try:
        report = load_report(path, options.encoding, options.layout)
    except InputError as err:
        return Unreadable(str(path), err.message, err.line)
    last = dict(options.previous).get(str(path))
    if last is not None:
        try:
            report = replace(report, previous=load_report(last, options.encoding, options.layout).records)
        except InputError as err:
            return Unreadable(last, f"上一年报告无法读取：{err.message}", err.line)
    return check(report, _worker["rules"])


def pairs(results: list) -> tuple[tuple[str, str], ...]:
    """Each checked report with last year's report of the same body, when both are in the batch."""
    seen: dict[tuple[str, int], str] = {}
    for r in results:
        summary = getattr(r, "report", None)
        if summary is not None and summary.unit and summary.year:
            seen.setdefault((summary.unit.replace(str(summary.year), ""), summary.year), summary.path)
    return tuple((path, seen[(unit, year - 1)]) for (unit, year), path in seen.items() if (unit, year - 1) in seen)


def check_all(paths: list[Path], options: Options, jobs: int, progress: Callable[[], None] | None = None,
              pair: bool = True) -> list:
    """Results in input order. With `pair`, reports whose body's previous year is also in the batch are
    checked again against it (after the first pass has told us every report's body and year)."""
    results = list(run(paths, options, jobs, progress))
    found = pairs(results) if pair and not options.previous and len(paths) > 1 else ()
    if found:
        again = [Path(p) for p, _ in found]
        redo = dict(zip((str(p) for p in again), run(again, replace(options, previous=found), jobs)))
        results = [redo.get(getattr(r, "path", None) or r.report.path, r) for r in results]
    return results


def run(paths: list[Path], options: Options, jobs: int, progress: Callable[[], None] | None = None) -> Iterator:
    """Results in input order. One report (or jobs=1) runs in this process; more fan out to workers."""
    if jobs <= 1 or len(paths) <= 2:
        _init(options)
        for path in paths:
            yield check_one(path)
            if progress:
                progress()
        return
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing costs 25 ms to import: only for batches

    chunk = max(1, min(32, len(paths) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(options,)) as pool:
        for result in pool.map(check_one, paths, chunksize=chunk):
            yield result
            if progress:
                progress()
