"""The degradation measure (issue 12): every report of ../shared/corpus and ../shared/real with hand-checked cells,
and examples/*.txt, rendered in one canonical layout and then damaged the five ways real reports arrive
(benchmarks/degradations.py: glued, shattered-markdown, damaged-labels, spaced-blank, renumbered), each read and
checked in this process. Every expected cell is then
- right: read with its figure (a blank, a placeholder and 0 are the same where 0 or blank is expected);
- flagged: not right, and the checker said so — a structure finding (rules/structure.yaml, except the ones that
  claim success: table-glued, row-extra; and any rule whose id says uncertain or ambiguous) names the cell, or
  its row (by id, or by a label naming only that row), or the cell carries a placement mark (`placed`), or a
  finding names a cell read as a word; a cell the checker did not read at all is also flagged by such a
  finding on its table (table-missing, a row it could not place …). A wrong figure the checker did read is
  never excused by a finding about some other row;
- wrong without a flag: everything else. Issue 12 asks for 0.
Reports the checker refuses (exit 2) count their cells as unread.

The canonical text is rendered from the report's own reading: its prose lines outside tables (sections 一, 五, 六 and
what precedes 一), the official section titles, and the tables rebuilt from the expected cells (sec3, sec4 in
EXPECTED.json) and from the original's reading for sec2 (which EXPECTED.json does not list; for the examples, all
three tables). A row named "canonical" checks that rendering undamaged: it should be all right.

Run: python benchmarks/degrade.py [--seed 1] [--only NAME] [-v] [--keep DIR]
`--only` keeps the degradations or reports whose name contains NAME (repeatable); `--keep` writes every damaged
file to DIR to look at. Prints numbers only and exits 0 whatever they are: it measures, it does not gate.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path[:0] = [str(Path(__file__).resolve().parent)]

from degradations import (CAPTIONS, DEGRADATIONS, GROUPS, SEC3_HEAD, SEC4_HEAD, SECTION_TITLES,  # noqa: E402
                          SUFFIX, Model, Row, Section, Table, canonical, parse)

from govreport_check.errors import InputError  # noqa: E402
from govreport_check.normalize import label_key  # noqa: E402
from govreport_check.report import Report, check, load_report  # noqa: E402
from govreport_check.rules.load import builtin_rules  # noqa: E402
from govreport_check.template.spec import Template, builtin_templates  # noqa: E402

Key = tuple[str, str, str]  # (table, row, column)
CONFIDENT = {"table-glued", "row-extra"}  # structure findings that say the reading worked
RIGHT, FLAGGED, WRONG, UNREAD = "right", "flagged", "wrong-unflagged", "unread"


def flag_rules() -> set[str]:
    """The structure rules that say a cell, row or table was not read for sure; and any rule, wherever it is
    declared, whose id says a cell is uncertain or ambiguous."""
    ids = set()
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        for rule in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rules", []):
            rid = str(rule.get("id", ""))
            if path.name == "structure.yaml" and rid not in CONFIDENT or "uncertain" in rid or "ambiguous" in rid:
                ids.add(rid)
    return ids


FLAG_RULES = flag_rules()
TITLES = {spec.title: spec.id for t in builtin_templates().values() for spec in t.tables.values()}


@dataclass(frozen=True)
class Source:
    """A report to degrade: its canonical text and the cells that text holds."""

    name: str  # file name, e.g. sample2019-word-tab.txt
    text: str  # the canonical rendering
    truth: dict[Key, Decimal | None]  # every expected cell; None for a cell left blank


def _figure(value: Decimal | int | None) -> str:
    return "" if value is None else str(value)


def _tables(template: Template, truth: dict[Key, Decimal | None], sec2: dict[Key, str]) -> dict[str, Table]:
    """sec2 as the template its items come from (a report may mix the templates: hongze_district_2023)."""
    items = {k[1] for k in sec2}
    spec = max((t.tables["sec2"] for t in builtin_templates().values()),
               key=lambda spec: (len(items & set(spec.row_ids)), spec is template.tables["sec2"]))
    rows, caption = [], None
    for item in spec.rows:
        if not any(("sec2", item.id, c) in sec2 for c in item.columns):
            continue
        if CAPTIONS[item.id] != caption:
            caption = CAPTIONS[item.id]
            heads = (spec.column(c).label for c in item.columns)
            rows += [Row((f"第二十条第{caption}项",)), Row(("信息内容", *heads))]
        rows.append(Row((item.label,), tuple(sec2.get(("sec2", item.id, c), "") for c in item.columns)))
    out = {"二": Table(tuple(rows))} if rows else {}
    spec = template.tables["sec3"]
    rows, seen = [Row(h) for h in SEC3_HEAD], set()
    for row in spec.rows:
        labels = []
        for g in (row.group.rsplit(".", 1)[0] if row.group and "." in row.group else None, row.group):
            if g in GROUPS and g not in seen:
                labels.append(GROUPS[g])
                seen.add(g)
        rows.append(Row((*labels, row.label), tuple(_figure(truth.get(("sec3", row.id, c))) for c in spec.column_ids)))
    out["三"] = Table(tuple(rows))
    spec = template.tables["sec4"]
    figures = tuple(_figure(truth.get(("sec4", r.id, c))) for r in spec.rows for c in spec.column_ids)
    out["四"] = Table((*(Row(h) for h in SEC4_HEAD), Row((), figures)))
    return out


def _model(report: Report, template: Template, truth: dict[Key, Decimal | None], sec2: dict[Key, str]) -> Model:
    lines, skip = report.document.lines, report.document.table_lines
    titles = set(SECTION_TITLES.values())

    def prose(first: int, last: int) -> tuple[str, ...]:
        picked = (line.replace("\t", " ").strip() for n, line in enumerate(lines[first - 1:last], first)
                  if n not in skip and not line.startswith("\t"))
        return tuple(p for p in picked if p and p not in titles)

    found = {}
    for s in report.sections:
        found.setdefault(s.id, s)
    start = min((s.start for s in found.values()), default=len(lines) + 1)
    title = f"{report.unit or '某单位'}{report.year or ''}年政府信息公开工作年度报告"
    preamble = prose(1, start - 1) or (title,)
    tables = _tables(template, truth, sec2)
    sections = []
    for sid, title in SECTION_TITLES.items():
        s = found.get(sid)
        body = (tables[sid],) if sid in tables else prose(s.start + 1, s.end) if s else ()
        sections.append(Section(sid, title, body))
    return Model(preamble, tuple(sections))


def sources() -> list[Source]:
    listed: list[tuple[Path, dict | None]] = []
    for folder in (SHARED / "corpus", SHARED / "real"):
        index = folder / "EXPECTED.json"
        if index.is_file():
            for name, entry in json.loads(index.read_text(encoding="utf-8")).items():
                if (folder / name).is_file() and entry.get("cells"):
                    listed.append((folder / name, entry))
    listed += [(p, None) for p in sorted((ROOT / "examples").glob("*.txt"))]
    out = []
    for path, entry in listed:
        report = load_report(path)
        read = {k: v for k, v in report.records.values.items()}
        if entry is None:
            template = report.template
            truth = {k: v.number for k, v in read.items() if k[0] != "sec2"}
        else:
            template = builtin_templates()[entry["template"]]
            truth = {(c["table"], c["row"], c["column"]): None if c["value"] is None else Decimal(str(c["value"]))
                     for c in entry["cells"]}
        sec2 = {k: v.raw.strip() for k, v in read.items() if k[0] == "sec2" and k not in truth}
        truth.update({k: read[k].number for k in sec2})
        model = _model(report, template, truth, sec2)
        text = canonical(model)
        assert parse(text) == model, f"{path.name}: the canonical text does not read back as its model"
        out.append(Source(path.name, text, truth))
    return out


@dataclass(frozen=True)
class Flags:
    """What the checker said it could not read for sure, by cell, by row and by table."""

    cells: frozenset[Key]
    rows: frozenset[tuple[str, str]]
    tables: frozenset[str]


def _rows_named(template: Template, table: str, label: str) -> list[str]:
    key = label_key(label)
    spec = template.tables.get(table)
    if not key or spec is None:
        return []
    return [r.id for r in spec.rows if any(k == key or (len(k) >= 2 and key.endswith(k)) for k in r.keys)]


def flags(report: Report, findings) -> Flags:
    cells, rows, tables = set(), set(), set()
    template = report.records.template
    for fact in report.records.facts:
        if fact.rule not in FLAG_RULES:
            continue
        cells.update((c.table, c.row, c.column) for c in fact.cells)
        table = TITLES.get(fact.params.get("table", ""))
        if fact.rule == "tables-absent":
            tables.update(("sec2", "sec3", "sec4"))
        if not table:
            continue
        tables.add(table)
        if fact.params.get("row") in template.tables[table].row_ids:
            rows.add((table, fact.params["row"]))
        elif len(named := _rows_named(template, table, str(fact.params.get("label", "")))) == 1:
            rows.add((table, named[0]))
    for finding in findings:
        for c in finding.cells:
            if finding.rule in FLAG_RULES or (c.value is not None and c.value.kind == "text"):
                cells.add((c.table, c.row, c.column))
    return Flags(frozenset(cells), frozenset(rows), frozenset(tables))


def _same(read: Decimal | None, want: Decimal | None) -> bool:
    if want is None or want == 0:
        return read is None or read == 0
    return read is not None and read == want


def classify(report: Report, findings, truth: dict[Key, Decimal | None]) -> dict[Key, str]:
    said = flags(report, findings)
    out = {}
    for key, want in truth.items():
        value = report.records.get(*key)
        if value is not None and _same(value.number, want):
            out[key] = RIGHT
        elif (key in said.cells or key[:2] in said.rows or (value is None and key[0] in said.tables)
              or (value is not None and (value.placed or getattr(value, "uncertain", None)))):
            out[key] = FLAGGED
        else:
            out[key] = WRONG
    return out


@dataclass(frozen=True)
class Outcome:
    degradation: str
    source: str
    kinds: dict[Key, str]  # each expected cell's class
    wrong: dict[Key, tuple]  # each wrong unflagged cell: (expected, what was read; "missing" when nothing)
    refused: str | None = None  # the checker's message when it would not read the file


def measure(degradation: str, source: Source, text: str, path: Path, rules) -> Outcome:
    path.write_text(text, encoding="utf-8")
    try:
        report = load_report(path)
    except InputError as err:
        return Outcome(degradation, source.name, {k: UNREAD for k in source.truth}, {}, err.message)
    except Exception as exc:  # noqa: BLE001 - a crash is measured and shown, not raised
        return Outcome(degradation, source.name, {k: UNREAD for k in source.truth}, {},
                       f"CRASH {type(exc).__name__}: {exc}")
    kinds = classify(report, check(report, rules).findings, source.truth)
    wrong = {}
    for key, kind in kinds.items():
        if kind == WRONG:
            value = report.records.get(*key)
            read = "missing" if value is None else value.number if value.number is not None else f"「{value.raw}」"
            wrong[key] = (_figure(source.truth[key]) or "blank", read)
    return Outcome(degradation, source.name, kinds, wrong)


def _cell(key: Key) -> str:
    return f"{key[0]} {key[1]}/{key[2]}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--keep", type=Path, metavar="DIR")
    args = parser.parse_args()
    start = time.perf_counter()
    names = ["canonical", *DEGRADATIONS]
    chosen = [d for d in names if not args.only or any(o in d for o in args.only)] or names
    every = sources()
    picked = [s for s in every if not args.only or any(o in s.name for o in args.only)] or every
    rules = builtin_rules()
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        if args.keep:
            (folder / "canonical").mkdir(parents=True, exist_ok=True)
            for source in picked:
                (folder / "canonical" / (Path(source.name).stem + ".txt")).write_text(source.text, encoding="utf-8")
        for degradation in chosen:
            (folder / degradation).mkdir(parents=True, exist_ok=True)
            damage = DEGRADATIONS.get(degradation)
            for source in picked:
                rng = random.Random(f"{args.seed}:{degradation}:{source.name}")
                text = damage(source.text, rng) if damage else source.text
                path = folder / degradation / (Path(source.name).stem + SUFFIX.get(degradation, ".txt"))
                outcomes.append(measure(degradation, source, text, path, rules))
    head = f"{'degradation':<20} {'reports':>7} {'cells':>7} {'right':>7} {'flagged':>8} {'wrong-unflagged':>16} " \
           f"{'unread':>7}"
    print(head)
    print("-" * len(head))
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for degradation in chosen:
        mine = [o for o in outcomes if o.degradation == degradation]
        counts = defaultdict(int)
        for o in mine:
            for kind in o.kinds.values():
                counts[kind] += 1
        cells = sum(counts.values())
        totals[degradation] = counts
        print(f"{degradation:<20} {len(mine):>7} {cells:>7} {counts[RIGHT]:>7} {counts[FLAGGED]:>8} "
              f"{counts[WRONG]:>16} {counts[UNREAD]:>7}   right {100 * counts[RIGHT] / max(cells, 1):5.1f}%")
    damaged = [d for d in chosen if d != "canonical"]
    if len(damaged) > 1:
        total = {k: sum(totals[d][k] for d in damaged) for k in (RIGHT, FLAGGED, WRONG, UNREAD)}
        cells = sum(total.values())
        print("-" * len(head))
        print(f"{'all degradations':<20} {len(picked) * len(damaged):>7} {cells:>7} {total[RIGHT]:>7} "
              f"{total[FLAGGED]:>8} {total[WRONG]:>16} {total[UNREAD]:>7}   "
              f"right {100 * total[RIGHT] / max(cells, 1):5.1f}%")
    if args.verbose:
        for o in outcomes:
            if o.refused:
                print(f"{o.degradation:<20} {o.source}: not read: {o.refused}")
            if o.wrong:
                shown = "; ".join(f"{_cell(k)} {want}→{read}" for k, (want, read) in list(o.wrong.items())[:8])
                more = f"; … {len(o.wrong) - 8} more" if len(o.wrong) > 8 else ""
                print(f"{o.degradation:<20} {o.source}: {len(o.wrong)} wrong without a flag: {shown}{more}")
    else:
        for o in outcomes:
            if o.refused and o.refused.startswith("CRASH"):
                print(f"{o.degradation:<20} {o.source}: {o.refused}")
    print(f"{len(picked)} reports × {len(chosen)} renderings, seed {args.seed}, "
          f"{time.perf_counter() - start:.1f} s; python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
          + (f"; files kept in {args.keep}" if args.keep else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
