"""A summary report against its units' reports: what an office does by hand when it compiles a region's report.

A government's report often 汇总各有关单位: its sec3 and sec4 cells, and the sec2 counts that add up, should be
the sums of its units' reports. Each cell that differs is one fact listing every unit's figure, so the office sees
which unit was left out or counted twice. Reports of another year or template cannot be added; they are named, not
summed. With a roster, units without a report are named too. The facts belong to `kind: across` rules in
rules/across.yaml, stamped by the engine like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from govreport_check.findings import CellRef, Fact, Suggestion
from govreport_check.normalize import label_key
from govreport_check.render import text as number_text

CELL, OTHER, MISSING, EXTRA = "aggregate-cell", "aggregate-part-other", "aggregate-roster-missing", \
    "aggregate-roster-extra"
_ZERO = Decimal(0)
_LISTED = 8  # units named in a roster message before 等 N 个


@dataclass(frozen=True)
class Comparison:
    """What `compare` found, and how much it compared, for the summary's counts."""

    facts: tuple[Fact, ...]  # one per differing cell, other part and roster gap
    checks: int  # cells compared, parts screened and roster names looked up
    passed: int  # those that agreed


def _name(report) -> str:
    return Path(report.path).name


def _who(report) -> str:
    return report.unit or _name(report)


def _other(summary, part) -> str | None:
    """Why a part cannot be added to the summary: another year or another template."""
    if summary.year and part.year and part.year != summary.year:
        return f"是{part.year}年度的，汇总报告是{summary.year}年度"
    if part.template.id != summary.template.id:
        return f"使用{part.template.id}年格式，汇总报告使用{summary.template.id}年格式"
    return None


def _cells(summary, rule) -> list[tuple[str, str, str]]:
    """The summary's cells that add up across units: every cell of the rule's tables, and sec2's adding columns."""
    t = summary.template
    keys = [(table, r.id, c.id) for table in rule.options.get("tables", ()) if table in t.tables
            for r in t.tables[table].rows for c in t.tables[table].columns]
    adding = set(rule.options.get("sec2_columns", ()))
    keys += [("sec2", r.id, c) for r in t.tables["sec2"].rows for c in r.columns if c in adding]
    return keys


def compare(summary, parts: list, rules: dict, roster: list[str] | None = None) -> Comparison:
    """`rules` holds the across rules that run (by id); a rule deselected is neither checked nor counted."""
    facts: list[Fact] = []
    checks = passed = 0
    summed = []
    for part in parts:
        why = _other(summary, part) if OTHER in rules or CELL in rules else None
        if OTHER in rules:
            checks += 1
            passed += why is None
        if why is not None:
            if OTHER in rules:
                facts.append(Fact(OTHER, {"part": _name(part), "unit": _who(part), "problem": why}, loc=part.at(1)))
            continue
        summed.append(part)
    if CELL in rules and summed:
        for key in _cells(summary, rules[CELL]):
            checks += 1
            fact = _cell(summary, summed, key)
            passed += fact is None
            if fact is not None:
                facts.append(fact)
    if roster is not None:
        found, more = _roster(roster, parts, rules)
        facts += found
        checks += more
        passed += more - len(found)
    return Comparison(tuple(facts), checks, passed)


def _cell(summary, parts: list, key: tuple[str, str, str]) -> Fact | None:
    have = summary.records.get(*key)
    figures = [(p, p.records.get(*key)) for p in parts]
    if have is None and all(v is None for _, v in figures):
        return None  # a cell neither the summary nor any part has (a table left out everywhere)
    total = sum(((v.number or _ZERO) if v is not None else _ZERO for _, v in figures), _ZERO)
    mine = have.number if have is not None and have.number is not None else _ZERO
    if mine == total:
        return None
    table, row, column = key
    listed = "、".join(f"{_who(p)} {number_text(v.number) if v is not None and v.number is not None else '0'}"
                      for p, v in figures)
    params = {"cell_words": summary.template.cell_words(table, row, column), "summary": number_text(mine),
              "parts_sum": number_text(total), "diff": number_text(mine - total), "contributions": listed,
              "count": len(parts)}
    return Fact(CELL, params, cells=(CellRef(table, row, column, have),),
                loc=have.loc if have is not None else summary.at(1), expected=number_text(total),
                actual=number_text(mine),
                suggestion=Suggestion(table, row, column, total,
                                      f"现为 {number_text(mine)}，按各单位报告之和应为 {number_text(total)}"))


def _same(a: str, b: str) -> bool:
    x, y = label_key(a), label_key(b)
    return bool(x and y) and (x in y or y in x)


def _roster(roster: list[str], parts: list, rules: dict) -> tuple[list[Fact], int]:
    """One fact for the units without a report and one for the reports of units not listed: one check each."""
    units = [_who(p) for p in parts]
    facts, checks = [], 0
    if MISSING in rules:
        checks += 1
        missing = [name for name in roster if not any(_same(name, u) for u in units)]
        if missing:
            facts.append(Fact(MISSING, {"count": len(missing), "units": _listed(missing)}))
    if EXTRA in rules:
        checks += 1
        extra = [u for u in units if not any(_same(name, u) for name in roster)]
        if extra:
            facts.append(Fact(EXTRA, {"count": len(extra), "units": _listed(extra)}))
    return facts, checks


def _listed(names: list[str]) -> str:
    shown = "、".join(names[:_LISTED])
    return shown + (f" 等 {len(names)} 个" if len(names) > _LISTED else "")


def read_roster(path: Path) -> list[str]:
    """Unit names, one a line (# comments skipped), or a CSV's column headed 单位/单位名称/名称 (else its first)."""
    import csv
    import io

    from govreport_check.errors import InputError
    from govreport_check.read import read_bytes

    data = read_bytes(path)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("无法识别单位名单的编码（请存为 UTF-8）", path)
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if lines and ("," in lines[0] or "\t" in lines[0]):
        rows = list(csv.reader(io.StringIO("\n".join(lines)), dialect="excel-tab" if "\t" in lines[0] else "excel"))
        head = [h.strip() for h in rows[0]]
        column = next((head.index(h) for h in ("单位", "单位名称", "名称", "unit") if h in head), None)
        body, column = (rows[1:], column) if column is not None else (rows, 0)
        names = [r[column].strip() for r in body if len(r) > column and r[column].strip()]
    else:
        names = [line.strip() for line in lines]
    if not names:
        raise InputError("单位名单中没有任何单位", path)
    return list(dict.fromkeys(names))


def result(summary, comparison: Comparison, rules: list, keep_cells: bool = False):
    """The summary report's Result, holding the comparison's findings, as `check` hands its results to renderers;
    with `keep_cells`, every cell it read, for outputs that draw its tables (html)."""
    from govreport_check.findings import position
    from govreport_check.problems import group
    from govreport_check.report import Result, summary as summarise
    from govreport_check.rules.engine import Counts, stamp

    by_id = {r.id: r for r in rules}
    findings = tuple(sorted((f for f in (stamp(x, by_id, summary.template) for x in comparison.facts) if f),
                            key=lambda f: position(f.loc)))
    by = {s: sum(f.severity.value == s for f in findings) for s in ("error", "warning", "info")}
    counts = Counts(comparison.checks, comparison.passed, by["error"], by["warning"], by["info"])
    cells = tuple(summary.records.ref(*key) for key in summary.records.values) if keep_cells else ()
    return Result(summarise(summary), findings, counts, tuple(by_id), group(findings, summary.template), cells)
