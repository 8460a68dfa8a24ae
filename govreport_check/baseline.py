"""Baselines: the findings a draft had when CI started checking it, so that CI fails only on new ones.

A finding is known by its report's unit and year, its rule and the cell it reads first, never by its line: a
clerk who adds a paragraph above the tables has not made a new mistake. Keys are counted, so a second finding of
the same rule on the same cell (a rule without cells, repeated) is new. The file is JSON, sorted, for review in
a pull request.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

from govreport_check.errors import InputError
from govreport_check.findings import Finding, known_by
from govreport_check.report import Result, Summary, Unreadable

TOOL = "govreport-check"
VERSION = 1
MAX_BYTES = 16 * 1024 * 1024
Key = tuple[str, int, str, str]  # unit (or file name), year (0 unknown), rule id, "table/row/column" ("" none)


def key(report: Summary, finding: Finding) -> Key:
    return report.unit or Path(report.path).name, report.year or 0, finding.rule, known_by(finding)


def document(results: list) -> str:
    """Today's findings, as the file `--write-baseline` writes."""
    counts: Counter = Counter()
    said: dict[Key, str] = {}
    for r in results:
        if isinstance(r, Unreadable):
            continue
        for f in r.findings:
            k = key(r.report, f)
            counts[k] += 1
            said.setdefault(k, f.statement or f.message)
    entries = [{"unit": u, "year": y or None, "rule": rule, "cell": cell, "count": counts[(u, y, rule, cell)],
                "message": said[(u, y, rule, cell)]} for u, y, rule, cell in sorted(counts)]
    return json.dumps({"tool": TOOL, "version": VERSION, "findings": entries}, ensure_ascii=False, indent=2) + "\n"


def load(path: Path) -> Counter:
    """The known findings, counted; a file that is not our baseline is an input error, never an empty baseline
    (which would let every known finding fail the build, or, misread, hide new ones)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"基线文件过大（上限 {MAX_BYTES // 1024 // 1024} MB）", path)
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError("基线文件不存在（先用 --write-baseline 生成）", path) from None
    except OSError as exc:
        raise InputError(f"无法读取基线文件（{exc.strerror or exc}）", path) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"基线文件不是有效的 JSON（{exc}）", path) from None
    if not isinstance(data, dict) or data.get("tool") != TOOL or not isinstance(data.get("findings"), list):
        raise InputError("不是 govreport-check 的基线文件（应由 --write-baseline 生成）", path)
    if data.get("version") != VERSION:
        raise InputError(f"基线文件版本 {data.get('version')} 不受支持（本版本读写第 {VERSION} 版），请重新生成", path)
    known: Counter = Counter()
    for n, entry in enumerate(data["findings"], 1):
        try:
            known[(str(entry["unit"]), int(entry.get("year") or 0), str(entry["rule"]), str(entry.get("cell", "")))] \
                += int(entry.get("count", 1))
        except (TypeError, ValueError, KeyError, AttributeError):
            raise InputError(f"基线文件第 {n} 条记录缺少 unit 或 rule，或取值类型不对", path) from None
    return known


def apply(results: list, known: Counter) -> tuple[list, int]:
    """Results without the known findings (problems regrouped, counts redone), and how many known findings no
    longer occur (fixed: the baseline may be written again)."""
    from govreport_check.problems import group
    from govreport_check.template.spec import builtin_templates

    templates = builtin_templates()
    left = Counter(known)
    out = []
    for r in results:
        if isinstance(r, Unreadable):
            out.append(r)
            continue
        kept = []
        for f in r.findings:
            k = key(r.report, f)
            if left[k] > 0:
                left[k] -= 1
            else:
                kept.append(f)
        out.append(_without(r, tuple(kept), templates, group))
    return out, sum(left.values())


def _without(r: Result, kept: tuple[Finding, ...], templates: dict, group) -> Result:
    if len(kept) == len(r.findings):
        return r
    template = templates.get(r.report.template) or next(iter(templates.values()))
    by = {s: sum(f.severity.value == s for f in kept) for s in ("error", "warning", "info")}
    counts = replace(r.counts, errors=by["error"], warnings=by["warning"], infos=by["info"],
                     baselined=r.counts.baselined + len(r.findings) - len(kept))
    return replace(r, findings=kept, counts=counts, problems=group(kept, template))
