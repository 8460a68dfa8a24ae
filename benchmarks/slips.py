"""How often the diagnosis names the cell a clerk mistyped: `python benchmarks/slips.py [--count N] [--seed S]`.

Consistent reports (our examples and the corpus cases that pass, in every layout the corpus has) are read once;
then one figure of sec2, sec3 or sec4 is changed the way clerks slip — one digit wrong, a digit doubled or lost,
two digits swapped, 误填为 0, left blank — and the report is checked again. For each slip: was it caught, is the
original value among the candidates of the problem naming the cell, is it ranked first. Half the slips are
checked with evidence beside the tables: a sentence in section 一 quoting the true totals (收到申请、上年结转、
行政复议、行政诉讼), and last year's report (its 四 as this year's 二, its item counts as this year's 上一年项目数量).
A slip is "settled" when that evidence disagrees with the slipped figures: the prose or last year can tell.
The slip is made on the cells read, not on the file's bytes, so a layout's own reading is measured elsewhere
(benchmarks/degrade.py); here each layout contributes the figures and locations it reads.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govreport_check.batch import Options, select_rules  # noqa: E402
from govreport_check.checks import module  # noqa: E402
from govreport_check.report import check, load_report  # noqa: E402

SHARED = ROOT.parent / "shared"
SLIPS = ("one digit", "extra digit", "missing digit", "swap", "zero", "blank")


def sources() -> list[Path]:
    out = sorted((ROOT / "examples").glob("*.txt"))
    out = [p for p in out if "有误" not in p.name]
    expected = SHARED / "corpus" / "EXPECTED.json"
    if expected.is_file():
        cases = json.loads(expected.read_text(encoding="utf-8"))
        out += [SHARED / "corpus" / name for name, case in sorted(cases.items()) if case.get("verdict") == "pass"]
    return out


def slipped(value: int, how: str, rng: random.Random) -> int | None:
    digits = str(value)
    if how == "one digit":
        i = rng.randrange(len(digits))
        choices = [d for d in "0123456789" if d != digits[i] and not (i == 0 and d == "0" and len(digits) > 1)]
        return int(digits[:i] + rng.choice(choices) + digits[i + 1:])
    if how == "extra digit":
        i = rng.randrange(len(digits) + 1)
        return int(digits[:i] + rng.choice("0123456789") + digits[i:]) if i or len(digits) else None
    if how == "missing digit":
        if len(digits) < 2:
            return None
        i = rng.randrange(len(digits))
        return int(digits[:i] + digits[i + 1:] or "0")
    if how == "swap":
        pairs = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1] and (i or digits[i + 1] != "0")]
        if not pairs:
            return None
        i = rng.choice(pairs)
        return int(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:])
    return 0 if how == "zero" else -1  # -1: blank


def with_prose(report):
    """The report with section 一 quoting its true totals, as many reports do."""
    r = report.records

    def total(table, row):
        v = r.get(table, row, "总计")
        return int(v.number) if v is not None and v.number is not None else None

    figures = {"收到政府信息公开申请": total("sec3", "一"), "上年结转": total("sec3", "二"),
               "被申请行政复议": total("sec4", "行政复议")}
    lawsuits = [total("sec4", "未经复议直接起诉"), total("sec4", "复议后起诉")]
    words = [f"{k}{v}件" for k, v in figures.items() if v is not None]
    if None not in lawsuits:
        words.append(f"被提起行政诉讼{sum(lawsuits)}件")
    first = next((s for s in report.sections if s.id == "一"), None)
    if first is None or not words:
        return report
    lines = list(report.document.lines)
    lines[first.start] = lines[first.start] + "本年度" + "，".join(words) + "。"
    return replace(report, document=replace(report.document, lines=tuple(lines)))


def with_last_year(report):
    """Last year's report as the cross-year rules expect it: its 四 is this year's 二, its 本年增/减 figure this
    year's 上一年项目数量, its 现行有效件数 this year's less what was made, plus what was abolished."""
    r = report.records
    values = dict(r.values)
    for (table, row, column), v in r.values.items():
        if table == "sec3" and row == "二":
            values[("sec3", "四", column)] = v
        if table == "sec2" and column == "上一年项目数量" and ("sec2", row, "本年增/减") in values:
            values[("sec2", row, "本年增/减")] = replace(v, note=None)
        if table == "sec2" and column == "现行有效件数" and v.number is not None:
            made = r.get("sec2", row, "本年制发件数")
            gone = r.get("sec2", row, "本年废止件数")
            if made is not None and gone is not None and made.number is not None and gone.number is not None:
                values[key := ("sec2", row, column)] = replace(v, number=v.number - made.number + gone.number)
                del key
    return replace(report, previous=replace(r, values=values), previous_path="上年报告.txt")


def failing_witnesses(report, rules) -> set:
    out = set()
    for rule in rules:
        if rule.kind == "prose" or (rule.kind == "expr" and rule.expr.uses_last):
            if report.template.id not in rule.templates:
                continue
            for n, outcome in enumerate(module(rule.kind).run(rule, report)):
                if outcome.fact is not None:
                    out.add((rule.id, n))
    return out


def run(count: int, seed: int, paths: list[Path] | None = None) -> dict:
    rng = random.Random(seed)
    rules = list(select_rules(Options()))
    bases = []
    for path in paths or sources():
        report = load_report(path)
        if check(report, rules).counts.errors:
            continue  # only consistent reports: the one slip must be the one error
        name = f"{path.name} ({report.document.layout})"
        bases.append((name, report, with_last_year(with_prose(report))))
    rows = []
    while len(rows) < count:
        name, plain, evidenced = rng.choice(bases)
        report = evidenced if rng.random() < 0.5 else plain
        keys = [k for k, v in report.records.values.items() if k[0] in ("sec2", "sec3", "sec4")
                and v.number is not None and v.kind == "number" and v.number == v.number.to_integral_value()
                and v.number >= 0]
        key = rng.choice(keys)
        old = int(report.records.values[key].number)
        how = rng.choice(SLIPS)
        new = slipped(old, how, rng)
        if new is None or new == old or (new < 0 and old == 0):
            continue  # a blanked 0 changes no sum: value-blank names it, not the diagnosis
        value = report.records.values[key]
        changed = replace(value, number=None, raw="", kind="blank") if new < 0 else replace(
            value, number=Decimal(new), raw=str(new))
        values = dict(report.records.values)
        values[key] = changed
        mutated = replace(report, records=replace(report.records, values=values))
        before = failing_witnesses(report, rules)
        settled = bool(failing_witnesses(mutated, rules) - before)
        result = check(mutated, rules)
        errors = [p for p in result.problems if p.severity.value == "error"]
        mine = [p for p in errors if any((c.table, c.row, c.column) == key for c in p.cells)]
        candidates = [(s.table, s.row, s.column, s.value) for p in mine for s in (p.alternatives or (p.suggestion,))
                      if s is not None]
        rows.append({"source": name, "layout": report.document.layout, "cell": "/".join(key), "old": old,
                     "new": "空白" if new < 0 else new, "slip": how, "evidence": report is evidenced,
                     "settled": settled, "caught": bool(errors),
                     "named": bool(mine), "among": (*key, old) in candidates,
                     "first": bool(candidates) and candidates[0] == (*key, old),
                     "candidates": [f"{c[1]}/{c[2]}={c[3]}" for c in candidates[:6]]})
    return {"rows": rows, "sources": [b[0] for b in bases]}


def _pct(rows, field) -> str:
    return f"{100 * sum(r[field] for r in rows) / len(rows):5.1f}%" if rows else "   — "


def report(data: dict, seconds: float) -> None:
    rows = data["rows"]
    caught = [r for r in rows if r["caught"]]
    print(f"{len(rows)} slips over {len(data['sources'])} consistent reports, {seconds:.1f} s; "
          f"{len(caught)} caught ({_pct(rows, 'caught').strip()}); the rest are in cells no equation reads")
    print("among, first: of the caught slips; first|settled: of those the prose or last year settles")
    print(f"{'layout':<12}{'slips':>6}{'caught':>8}{'named':>8}{'among':>8}{'first':>8}{'settled':>9}{'first|settled':>15}")
    groups = defaultdict(list)
    for r in rows:
        groups[r["layout"]].append(r)
    for layout, own in sorted(groups.items()) + [("all", rows)]:
        hit = [r for r in own if r["caught"]]
        settled = [r for r in hit if r["settled"]]
        print(f"{layout:<12}{len(own):>6}{_pct(own, 'caught'):>8}{_pct(hit, 'named'):>8}{_pct(hit, 'among'):>8}"
              f"{_pct(hit, 'first'):>8}{len(settled):>9}{_pct(settled, 'first'):>15}")
    for slip in SLIPS:
        own = [r for r in caught if r["slip"] == slip]
        print(f"  {slip:<14}{len(own):>5} caught, among {_pct(own, 'among')}, first {_pct(own, 'first')}")
    uncaught = defaultdict(int)
    for r in rows:
        if not r["caught"]:
            uncaught[r["cell"].split("/")[0]] += 1
    print("not caught, by table:", dict(uncaught))
    misses = [r for r in caught if not r["among"]] + [r for r in caught if r["settled"] and not r["first"]]
    if misses:
        print("misses (caught but not among the candidates, or settled but not first):")
        for r in misses[:12]:
            print(f"  {r['source']} {r['cell']} {r['old']}→{r['new']} ({r['slip']}) candidates {r['candidates']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    start = time.perf_counter()
    data = run(args.count, args.seed)
    report(data, time.perf_counter() - start)


if __name__ == "__main__":
    main()
