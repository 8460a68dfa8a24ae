"""Match laid-out tables to a template: rows by their most specific label, values by their numeric tail.

Row position is never trusted: reports drop, repeat and add rows, and layouts split or merge them. A row
that cannot be placed is reported with its line, so columns never shift silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from decimal import Decimal

from govreport_check.findings import CellRef, Fact
from govreport_check.memo import remembered
from govreport_check.model import Table, Value
from govreport_check.normalize import label_key, read_value
from govreport_check.template import unglue
from govreport_check.template.spec import LineSpec, TableSpec, Template, template_for_year

Key = tuple[str, str, str]  # (table, row, column)
_NOTES = re.compile(r"\(([^()]+)\)")
_NUMBERED = re.compile(r"^\s*[(（]?\s*([一二三四五六七八九十]+|\d+)\s*[)）.、．]")
_SIMILAR = 0.5  # how alike a misspelt numbered label must be to the template row its number names
_ZERO = Decimal(0)
_MIN_FRAGMENT = 4  # characters a partial label needs before it may name a row


@dataclass(frozen=True)
class Records:
    """A report's cells as template addresses."""

    template: Template  # the template the cells were matched against
    values: dict[Key, Value]  # every placed cell, in template order
    facts: tuple[Fact, ...]  # what went wrong while placing them (unplaced rows, missing tables …)
    known: bool = True  # the tables showed which template this is (its labels, its rows); False: assumed

    def get(self, table: str, row: str, column: str) -> Value | None:
        return self.values.get((table, row, column))

    def ref(self, table: str, row: str, column: str) -> CellRef:
        return CellRef(table, row, column, self.values.get((table, row, column)))

    @cached_property
    def numbers(self) -> dict[tuple, Decimal]:
        """Every placed cell's figure, 0 for a blank or placeholder: what arithmetic reads. A cell's bracketed
        figure (note(...)), where it has one, is under its key plus "note"."""
        out: dict[tuple, Decimal] = {k: _ZERO if v.number is None else v.number for k, v in self.values.items()}
        out.update({(*k, "note"): v.note for k, v in self.values.items() if v.note is not None})
        return out

    def with_number(self, key: Key, number: Decimal) -> "Records":
        """A copy with one cell's figure replaced: for asking "what if this cell were …"."""
        values = dict(self.values)
        values[key] = replace(values[key], number=number)
        copy = replace(self, values=values)
        copy.__dict__["numbers"] = {**self.numbers, key: number}  # what cached_property would compute
        return copy


def _find(specs: tuple[LineSpec, ...], label: str, group: str | None,
          groups: tuple[LineSpec, ...] = ()) -> LineSpec | None:
    """The row a label names. A label whose words name a group, with the row in brackets after them
    (`行政诉讼（未经复议直接起诉）`), names that row; any other bracketed words are annotations. Cached as
    _find_key is: a template's labels recur in every report."""
    return remembered(_FOUND, (id(specs), label, group, id(groups)), (specs, groups),
                      lambda: _find_label(specs, label, group, groups))


def _find_label(specs: tuple[LineSpec, ...], label: str, group: str | None,
                groups: tuple[LineSpec, ...]) -> LineSpec | None:
    outer = label_key(label)
    found = _find_key(specs, outer, group)
    if found is not None:
        return found
    for note in _NOTES.findall(label.replace("（", "(").replace("）", ")")):
        row = next((s for s in specs if label_key(note) in s.keys and s.group), None)
        if row is not None and outer in _group_keys(row.group, groups):
            return row
    return None


def _group_keys(group: str, groups: tuple[LineSpec, ...]) -> set[str]:
    keys = {label_key(group)}
    for g in groups:
        if g.id == group:
            keys.update(g.keys)
    return keys


_FOUND: dict[tuple, tuple] = {}


def _find_key(specs: tuple[LineSpec, ...], key: str, group: str | None) -> LineSpec | None:
    """Cached by the (long-lived) spec tuple: the same labels recur in every report of a batch."""
    return remembered(_FOUND, (id(specs), key, group), specs, lambda: _search(specs, key, group))


def _search(specs: tuple[LineSpec, ...], key: str, group: str | None) -> LineSpec | None:
    """Exact first; then a label ending in a row's words (`本年度办理结果予以公开`); then a fragment of one
    row's words (a wrapped label cut in two); then a row's words inside a longer label. An ambiguous
    fragment names nothing: better unplaced than placed on the wrong row."""
    if not key:
        return None
    tiers = (
        lambda k: k == key,
        lambda k: len(k) >= 2 and key.endswith(k),
        lambda k: len(key) >= _MIN_FRAGMENT and key in k,
        lambda k: len(k) >= _MIN_FRAGMENT and k in key,
    )
    for tier, fits in enumerate(tiers):
        scored = [(max(len(k) for k in s.keys if fits(k)), s) for s in specs if any(fits(k) for k in s.keys)]
        if not scored:
            continue
        best = max(n for n, _ in scored)
        found = [s for n, s in scored if n == best or tier == 2]
        if len(found) > 1 and group is not None:
            found = [s for s in found if s.group == group] or found
        return found[0] if tier == 0 or len(found) == 1 else None
    return None


def _split(row) -> tuple[list[Value], list[Value]]:
    """(label cells, value cells after the last label). A word (`O`, `不适用`) is a value after the row's
    label and part of the label before it; so is any text after the row's first figure, since a row's label
    never follows its figures."""
    values = [read_value(c.text, c.loc, c.confidence) for c in row]
    first = next((i for i, v in enumerate(values) if v.kind == "text"), None)
    if first is None:
        return [], values
    figure = next((i for i in range(first + 1, len(values)) if values[i].kind in ("number", "placeholder", "word")),
                  len(values))
    last = max(i for i in range(figure) if values[i].kind == "text")
    labels = [v if v.kind == "text" else replace(v, kind="text")
              for v in values[: last + 1] if v.kind in ("text", "word")]
    return labels, [replace(v, kind="word") if v.kind == "text" else v for v in values[last + 1:]]


def _by_number(spec: TableSpec, label: str, group: str | None, placed: set[str]) -> LineSpec | None:
    """A numbered label we cannot read (`2.其他法律行政止公开`, a typo in a real report) under a known group:
    its number names the row, if that row is still free and the words are mostly the same."""
    m = _NUMBERED.match(label)
    if m is None or group is None or not m.group(1).isdigit():
        return None
    row = spec.row(f"{group}.{int(m.group(1))}")
    if row is None or row.id in placed:
        return None
    from difflib import SequenceMatcher  # only for the rare misspelt row

    key = label_key(label)
    similar = max(SequenceMatcher(None, key, k).ratio() for k in row.keys)
    return row if similar >= _SIMILAR else None


def _names(lines: tuple[LineSpec, ...], label: str) -> bool:
    """The label is exactly one of these rows' or groups' wordings."""
    key = label_key(label)
    return any(key in line.keys for line in lines)


def _gap(seq: list, at: int, end: int) -> tuple[int, int]:
    """Template indexes of the rows found before and after reading position `at` (-1 and `end` at the ends)."""
    before = max((i for i, _, _ in seq[:at] if i is not None), default=-1)
    after = min((i for i, _, _ in seq[at + 1:] if i is not None), default=end)
    return before, after


_ALONE = 0.4  # how alike a damaged label must be to the one free row its neighbours leave it
_AMONG = 0.5  # … to the likeliest of several free rows
_MARGIN = 0.15  # … and how much more than to the next likeliest


def _most_like(label: str, free: list[LineSpec]) -> LineSpec | None:
    from difflib import SequenceMatcher  # only for damaged labels

    key = label_key(label)
    if not key or not free:
        return None
    scored = sorted(((max(SequenceMatcher(None, key, k).ratio() for k in r.keys), i) for i, r in enumerate(free)),
                    reverse=True)
    best, i = scored[0]
    if len(scored) == 1:
        return free[i] if best >= _ALONE else None
    return free[i] if best >= _AMONG and best - scored[1][0] >= _MARGIN else None


def _is_header(spec: TableSpec, labels: list[Value], tail: list[Value]) -> bool:
    """A row of column headings (自然人 … 总计), which may share words with row labels (总计, 其他); a row
    whose last label is numbered (`3.其他`, `（七）总计`) is a data row even when it is blank."""
    if _NUMBERED.match(labels[-1].raw):
        return False
    keys = {label_key(lab.raw) for lab in labels}  # a merged label repeated across cells counts once
    heads = sum(1 for key in keys if any(key in c.keys for c in spec.columns))
    return heads >= 2 or (heads == 1 and not any(v.kind == "number" for v in tail))


_UNIT = re.compile(r"(万元|元|件)$")
_FIGURE_IN_LABEL = re.compile(r"[0-9]+(?![0-9.、．])|[0-9][.．][0-9]")  # figures, not a numbering such as `1.`


def _digits(run: Value) -> str:
    return _UNIT.sub("", run.raw)


def _run(tail: list[Value], n: int) -> bool:
    """A lone run of digits where n figures belong: cells run together, for unglue to split."""
    digits = _digits(tail[0]) if len(tail) == 1 else ""
    return n > 1 and digits.isascii() and digits.isdigit()


def _figures(numbers: tuple[int, ...], run: Value) -> list[Value]:
    """The split figures as cells of the run's place; a unit written after the run goes with the last."""
    unit = _UNIT.search(run.raw)
    texts = [str(n) for n in numbers]
    texts[-1] += unit.group(1) if unit else ""
    return [read_value(t, run.loc) for t in texts]


def _relations(spec: TableSpec, columns: tuple[str, ...]) -> list:
    """The arithmetic a split is weighed by: each row's total; in sec3 also each column's （七）总计 as the sum of
    the results between the in-flows (一、二) and the total row, and 一 + 二 = 总计 + 四. sec2 rows have none."""
    if spec.id != "sec3":
        return []
    ids = spec.row_ids
    total = next((r.id for r in spec.rows if "总计" in r.keys), None)
    if total is None or ids.index(total) < 2:
        return unglue.relations(ids, columns, None, (), None)
    at = ids.index(total)
    return unglue.relations(ids, columns, total, ids[2:at], (ids[:2], ids[at:]))


def _fit(tail: list[Value], n: int) -> list[Value] | None:
    tail = list(tail)
    while len(tail) > n and tail[-1].kind == "blank":
        tail.pop()
    return tail if len(tail) == n else None


class _Placer:
    def __init__(self, template: Template):
        self.template = template
        self.values: dict[Key, Value] = {}
        self.facts: list[Fact] = []
        self.unreadable: set[tuple[str, str]] = set()  # (table, row) reported as unreadable: not also missing

    def place(self, spec: TableSpec, row_id: str, columns, tail: list[Value], label: Value) -> None:
        first = tail[0].loc if tail else label.loc
        if not tail:  # a template row's label and nothing after it: every cell left blank (spaced text prints none)
            tail = [Value(None, "", "blank", label.loc)] * len(columns)
        fitted = _fit(tail, len(columns))
        if fitted is None:
            self.facts.append(Fact("row-shape", {"table": spec.title, "label": label.raw, "expected": len(columns),
                                                 "found": len(tail)}, loc=first))
            return
        if (spec.id, row_id, columns[0]) in self.values:
            self.facts.append(Fact("row-duplicate", {"table": spec.title, "label": label.raw, "row": row_id,
                                                     "row_words": spec.row_words(row_id)}, loc=first))
            return
        for col, value in zip(columns, fitted):
            self.values[(spec.id, row_id, col)] = value

    def unplaced(self, spec: TableSpec, label: str, tail: list[Value]) -> None:
        if any(v.kind == "number" for v in tail):
            self.facts.append(Fact("row-unplaced", {"table": spec.title, "label": label or "（无标签）",
                                                    "found": sum(v.kind != "blank" for v in tail)}, loc=tail[0].loc))

    def strays(self, spec: TableSpec, rows: list[tuple[Value, list[Value]]]) -> None:
        """Labelled rows the template lacks: a local addition when every template row was found, else
        probably a template row under a wording we cannot place, which the user must look at."""
        placed = {r for (t, r, _) in self.values if t == spec.id}
        extra = all(r.id in placed for r in spec.rows)
        for label, tail in rows:
            if not extra or not label.raw or _names(spec.groups, label.raw):
                self.unplaced(spec, label.raw, tail)
            elif any(v.kind == "number" for v in tail):
                self.facts.append(Fact("row-extra", {"table": spec.title, "label": label.raw,
                                                     "found": sum(v.kind != "blank" for v in tail)}, loc=label.loc))

    def labelled(self, spec: TableSpec, tables: list[Table]) -> None:
        group = None
        strays: list[tuple[Value, list[Value]]] = []
        runs: dict[str, tuple[Value, Value]] = {}  # row id → (label, the row's figures run together)
        seq: list[tuple[int | None, int | None, str | None]] = []  # reading order: (template index, stray, group)
        bare: set[int] = set()  # strays whose figures have no row label of their own
        index = {r.id: i for i, r in enumerate(spec.rows)}
        for table in tables:
            for row in table.rows:
                labels, tail = _split(row)
                if not labels:
                    if any(v.kind == "number" for v in tail):  # figures whose label was lost: placed by order
                        bare.add(len(strays))
                        seq.append((None, len(strays), group))
                        strays.append((Value(None, "", "text", tail[0].loc), tail))
                    continue
                if _is_header(spec, labels, tail):
                    continue
                for lab in labels:
                    g = _find(spec.groups, lab.raw, None)
                    if g is not None and label_key(lab.raw) in g.keys:
                        group = g.id
                if not tail and not _names(spec.rows, labels[-1].raw):
                    continue  # a heading or a group label; a template row without figures is still reported
                if _names(spec.groups, labels[-1].raw) and not _names(spec.rows, labels[-1].raw):
                    bare.add(len(strays))  # a group's label with figures: its first row's label lost, or
                    seq.append((None, len(strays), group))  # another template's row (三.六): order decides
                    strays.append((labels[-1], tail))
                    continue
                target = _find(spec.rows, labels[-1].raw, group, spec.groups)
                if target is None:
                    placed = {r for (t, r, _) in self.values if t == spec.id}
                    target = _by_number(spec, labels[-1].raw, group, placed)
                    if target is not None:
                        self.differs(spec, labels[-1], target)
                if target is None:
                    seq.append((None, len(strays), group))
                    strays.append((labels[-1], tail))
                    continue
                seq.append((index[target.id], None, group))
                if table.glued and _FIGURE_IN_LABEL.search(labels[-1].raw):
                    # figures split by a bracketed note (`356403（+47）2684`): no run to weigh, and no guess
                    whole = Value(None, labels[-1].raw + "".join(v.raw for v in tail), "text", labels[-1].loc)
                    self.ambiguous(spec, {target.id: (labels[-1], whole, ())})
                    continue
                if table.glued and _run(tail, len(spec.columns_of(target.id))) and target.id not in runs:
                    runs[target.id] = (labels[-1], tail[0])
                    continue
                self.place(spec, target.id, spec.columns_of(target.id), tail, labels[-1])
        if runs:
            self.unglue(spec, runs)
        self.strays(spec, self.in_order(spec, seq, strays, bare))

    def in_order(self, spec: TableSpec, seq: list, strays: list[tuple[Value, list[Value]]], bare: set[int]) -> list:
        """Rows whose labels are damaged (`本年新收政府信患公开申请数`, characters dropped, added or misread),
        placed on the free template row between the rows found before and after them, when their words are
        like that row's and unlike its free neighbours'. The order decides where a row may go, the words
        only which of those free rows it is: similarity alone never places a row against the order."""
        taken = {r for (t, r, _) in self.values if t == spec.id} | {r for t, r in self.unreadable if t == spec.id}
        left: list[tuple[Value, list[Value]]] = []
        gaps: dict[tuple[int, int], list[tuple[Value, list[Value]]]] = {}  # label-less rows by the gap they sit in
        for at, (index, stray, group) in enumerate(seq):
            if stray is None:
                continue
            label, tail = strays[stray]
            if stray in bare:
                gaps.setdefault(_gap(seq, at, len(spec.rows)), []).append((label, tail))
                continue
            before, after = _gap(seq, at, len(spec.rows))
            free = [r for r in spec.rows[before + 1:after] if r.id not in taken]
            free = [r for r in free if r.group == group] or free
            target = _most_like(label.raw, free)
            if target is None or not tail:
                left.append((label, tail))
                continue
            self.place(spec, target.id, spec.columns_of(target.id), tail, label)
            if (spec.id, target.id, spec.columns_of(target.id)[0]) in self.values:
                taken.add(target.id)
                self.differs(spec, label, target)
        for (before, after), rows in gaps.items():
            free = [r for r in spec.rows[before + 1:after] if r.id not in taken]
            if not self.by_order(spec, free, rows):
                left += rows
        return left

    def by_order(self, spec: TableSpec, free: list[LineSpec], rows: list[tuple[Value, list[Value]]]) -> bool:
        """Rows of figures without labels (a converter put the labels elsewhere), as many as the free template
        rows of their gap: placed in order, and kept only if the table's arithmetic then holds wherever they
        take part, or fails only at a blank cell (a total left blank is a real, common defect)."""
        if spec.id != "sec3" or len(free) != len(rows):
            return False
        columns = spec.column_ids
        fitted = [_fit(tail, len(columns)) for _, tail in rows]
        if any(f is None for f in fitted):
            return False
        added = {(spec.id, r.id, c): replace(v, placed="order")
                 for r, figures in zip(free, fitted) for c, v in zip(columns, figures)}
        values = {**self.values, **added}
        cells = {(r, c): int(v.number) if v.number is not None and v.number == v.number.to_integral_value() else None
                 for (t, r, c), v in values.items() if t == spec.id}
        mine = {r.id for r in free}
        for left_cells, right_cells in _relations(spec, columns):
            keys = (*left_cells, *right_cells)
            if not any(k[0] in mine for k in keys) or not all(k in cells for k in keys):
                continue
            if any(cells[k] is None for k in keys):
                continue  # a blank in the relation: a defect the rules will name, not a sign of misplacement
            if sum(cells[k] for k in left_cells) != sum(cells[k] for k in right_cells):
                return False
        self.values.update(added)
        self.facts.append(Fact("rows-by-order", {"table": spec.title, "rows": len(free),
                                                 "first": free[0].id, "last": free[-1].id,
                                                 "first_words": spec.row_words(free[0].id),
                                                 "last_words": spec.row_words(free[-1].id)},
                               cells=tuple(CellRef(*k, v) for k, v in added.items()), loc=rows[0][1][0].loc))
        return True

    def differs(self, spec: TableSpec, label: Value, row: LineSpec) -> None:
        self.facts.append(Fact("row-label-differs", {"table": spec.title, "label": label.raw, "row": row.id,
                                                     "expected": row.label, "row_words": spec.row_words(row.id)},
                               loc=label.loc))

    def unglue(self, spec: TableSpec, runs: dict[str, tuple[Value, Value]]) -> None:
        """Rows whose figures ran together, split with the table's arithmetic (sec3) or, where a row has no
        relation to weigh them (sec2), only when one split is possible."""
        by_columns: dict[tuple[str, ...], dict[str, str]] = {}
        for row_id, (_, run) in runs.items():
            by_columns.setdefault(spec.columns_of(row_id), {})[row_id] = _digits(run)
        split: list[Value] = []
        for columns, digits in by_columns.items():
            known = {(r, c): int(v.number) for (t, r, c), v in self.values.items()
                     if t == spec.id and v.number is not None and v.number == v.number.to_integral_value()}
            outcome = unglue.solve(digits, known, columns, _relations(spec, columns), int(spec.id == "sec3"))
            for row_id, figures in outcome.figures.items():
                label, run = runs[row_id]
                self.place(spec, row_id, columns, _figures(figures, run), label)
                split.append(run)
            self.ambiguous(spec, {r: (runs[r][0], runs[r][1], c) for r, c in outcome.ambiguous.items()})
        if split:
            self.facts.append(Fact("table-glued", {"table": spec.title, "rows": len(split)}, loc=split[0].loc))

    def ambiguous(self, spec: TableSpec, rows: dict[str, tuple[Value, Value, tuple]]) -> None:
        for row_id, (label, run, candidates) in rows.items():
            self.unreadable.add((spec.id, row_id))
            shown = "；".join("、".join(map(str, c)) for c in candidates[:3]) or (
                "数字被括注隔开" if run.kind == "text" else
                "位数少于列数，空白单元格可能被略去" if len(_digits(run)) < len(spec.columns_of(row_id)) else "没有可用的拆分")
            row = spec.row(row_id)
            written = row.label if row is not None and len(label.raw) > len(row.label) + 4 else label.raw
            self.facts.append(Fact("row-ambiguous", {"table": spec.title, "label": written, "digits": run.raw,
                                                     "candidates": shown, "count": len(candidates)}, loc=run.loc))

    def sec4(self, spec: TableSpec, tables: list[Table]) -> None:
        """sec4 is one row of 15 numbers under a two-level header, or three labelled rows of five."""
        columns = tuple(c.id for c in spec.columns)
        loose: list[Value] = []
        strays: list[tuple[Value, list[Value]]] = []
        glued = any(t.glued for t in tables)
        for table in tables:
            for row in table.rows:
                labels, tail = _split(row)
                target = _find(spec.rows, labels[-1].raw, None) if labels else None
                if target is not None and any(v.kind != "blank" for v in tail):
                    self.place(spec, target.id, columns, tail, labels[-1])
                elif not labels and (any(v.kind in ("number", "placeholder") for v in tail)
                                     or len(tail) == len(columns) * len(spec.rows)):
                    loose.extend(tail)  # a row of 15 blanks is the data row of a template left empty
                elif labels and not _is_header(spec, labels, tail):
                    strays.append((labels[-1], tail))
        if loose:
            self.spread(spec, columns, loose, glued)
        self.strays(spec, strays)

    def spread(self, spec: TableSpec, columns: tuple[str, ...], loose: list[Value], glued: bool = False) -> None:
        """Figures without labels, in reading order, over the rows of five."""
        width = len(columns) * len(spec.rows)
        if glued and _run(loose, width):
            loose = self.unglue_sec4(spec, columns, loose[0])
            if not loose:
                return
        fitted = _fit(loose, width)
        if fitted is None:
            self.facts.append(Fact("row-shape", {"table": spec.title, "label": "行政复议、行政诉讼数据行",
                                                 "expected": width, "found": len(loose)}, loc=loose[0].loc))
            return
        for i, row in enumerate(spec.rows):
            label = Value(None, row.label, "text", fitted[i * len(columns)].loc)
            self.place(spec, row.id, columns, fitted[i * len(columns):(i + 1) * len(columns)], label)

    def unglue_sec4(self, spec: TableSpec, columns: tuple[str, ...], run: Value) -> list[Value]:
        """sec4's fifteen figures run together: one run over the three rows, each with its own total."""
        flat = tuple(f"{r.id}/{c}" for r in spec.rows for c in columns)
        rels = [((("*", f"{r.id}/{columns[-1]}"),), tuple(("*", f"{r.id}/{c}") for c in columns[:-1]))
                for r in spec.rows]
        outcome = unglue.solve({"*": _digits(run)}, {}, flat, rels, len(spec.rows))
        if "*" in outcome.figures:
            if len(_digits(run)) > len(flat):
                self.facts.append(Fact("table-glued", {"table": spec.title, "rows": len(spec.rows)}, loc=run.loc))
            return _figures(outcome.figures["*"], run)
        label = Value(None, "行政复议、行政诉讼数据行", "text", run.loc)
        self.ambiguous(spec, {spec.rows[0].id: (label, run, outcome.ambiguous.get("*", ()))})
        self.unreadable.update((spec.id, r.id) for r in spec.rows)
        return []

    def missing(self, spec: TableSpec, severity_rule: str) -> None:
        placed = {r for (t, r, _) in self.values if t == spec.id}
        if not placed and not any(t == spec.id for t, _ in self.unreadable):
            self.facts.append(Fact(severity_rule, {"table": spec.title, "section": spec.section}))
            return
        for row in spec.rows:
            if row.id not in placed and (spec.id, row.id) not in self.unreadable:
                self.facts.append(Fact("row-missing", {"table": spec.title, "row": row.id, "label": row.label,
                                                     "row_words": spec.row_words(row.id)}))


def _sec2(template: Template, tables: list[Table], others: tuple[Template, ...]) -> tuple[_Placer, Template]:
    """sec2 as the report's template has it, or, when another template's sec2 fits and this one does not,
    as that one has it: real reports pair the new sec2 with the old sec3 (a mixed template, reported). The
    other template must show itself in the table's own headings (its tell-tale column labels), more than the
    report's template does: a sec2 that is merely hard to read is no evidence of a mixed template."""
    text = _label_text((), tuple(tables)) if tables else ""
    shown = {t.id: sum(1 for m in t.markers if m in text) for t in (template, *others)}
    others = tuple(t for t in others if shown[t.id] > shown[template.id])
    placers = []
    for candidate in (template, *others):
        placer = _Placer(candidate)
        placer.labelled(candidate.tables["sec2"], tables)
        placer.missing(candidate.tables["sec2"], "table-missing-sec2")
        problems = _problems(placer.facts)
        placers.append((problems, -len(placer.values), placer, candidate))
        if not problems and candidate is template:
            break  # the report's own sec2 fits: no need to try the other template's
    own = placers[0]
    best = min(placers, key=lambda p: p[:2])
    return (own[2], template) if best[:2] == own[:2] else (best[2], best[3])


def match(template: Template, tables: tuple[Table, ...], others: tuple[Template, ...] = ()) -> Records:
    placer = _Placer(template)
    sec2 = [t for t in tables if t.section == template.tables["sec2"].section]
    found, used = _sec2(template, sec2, others)
    placer.values.update(found.values)
    placer.facts.extend(found.facts)
    if used is not template:
        placer.facts.append(Fact("template-mixed", {"sec2": used.id, "sec2_name": used.name, "template": template.id,
                                                    "template_name": template.name},
                                 loc=next(iter(found.values.values())).loc if found.values else None))
    for table_id in ("sec3", "sec4"):
        spec = template.tables[table_id]
        mine = [t for t in tables if t.section == spec.section]
        if table_id == "sec4":
            placer.sec4(spec, mine)
        else:
            placer.labelled(spec, mine)
        placer.missing(spec, "table-missing")
    found = placer.values
    if not found and not placer.unreadable:  # nothing of any table: one cause, said once
        placer.facts = [f for f in placer.facts if f.rule not in ("table-missing", "table-missing-sec2")]
        placer.facts.append(Fact("tables-absent", {}))
    values = {key: found[key] for key in _order(template, used) if key in found}  # template order
    if len(values) < len(found):
        values.update(found)  # cells of neither template's tables, if ever: after the rest, in reading order
    return Records(template, values, tuple(placer.facts))


_ORDERS: dict[tuple, tuple] = {}


def _order(template: Template, sec2: Template) -> dict[Key, int]:
    """Template order of the cells, sec2 as `sec2` has it; worked out once per pair."""
    return remembered(_ORDERS, (id(template), id(sec2)), (template, sec2), lambda: _make_order(template, sec2))


def _make_order(template: Template, sec2: Template) -> dict[Key, int]:
    order: dict[Key, int] = {}
    for table_id in ("sec2", "sec3", "sec4"):
        spec = (sec2 if table_id == "sec2" else template).tables[table_id]
        for r in spec.rows:
            for c in spec.columns_of(r.id):
                order[(table_id, r.id, c)] = len(order)
    return order


def _label_text(lines: tuple[str, ...], tables: tuple[Table, ...]) -> str:
    """Where tell-tale labels are looked for: the tables' cells, each reduced to its key (cached: the same
    labels recur in every report), in reading order so a label wrapped over two cells still reads whole.
    Without tables, the whole text."""
    if not tables:
        return label_key("".join(lines))
    return "".join(label_key(c.text) for t in tables for row in t.rows for c in row)


def detect_template(templates: dict[str, Template], lines: tuple[str, ...], tables: tuple[Table, ...],
                    year: int | None = None) -> tuple[Template, Records]:
    """By what the tables hold, never by year, and never by what they lack. Tell-tale labels decide, unless the
    sec3 table shows another template's own rows (reports mix a new sec2 with the old sec3 and its single
    （六）其他处理 row): sec3 is the table the arithmetic runs on. Rows a report dropped are no evidence either
    way. With no evidence at all (no tables, or only rows both templates share), the records are matched
    against the template meant for `year` and marked as not known, so no finding claims a template."""
    text = _label_text(lines, tables)
    scores = {tid: sum(1 for m in t.markers if m in text) for tid, t in templates.items()}
    ranked = sorted(templates, key=lambda tid: -scores[tid])

    def fit(tid: str) -> Records:
        return match(templates[tid], tables, tuple(templates[o] for o in ranked if o != tid))

    first = fit(ranked[0])
    if not _sec3_gaps(first) and scores[ranked[0]] > (scores[ranked[1]] if len(ranked) > 1 else -1):
        return templates[ranked[0]], first
    fits = {ranked[0]: first, **{tid: fit(tid) for tid in ranked[1:]}}
    shown = {tid: _sec3_evidence(fits[tid], templates) for tid in ranked}
    best = max(ranked, key=lambda tid: (shown[tid], scores[tid], -_problems(fits[tid].facts)))
    if any(shown[tid] != shown[best] or scores[tid] != scores[best] for tid in ranked):
        return templates[best], fits[best]
    assumed = template_for_year(templates, year) if year is not None else None
    tid = assumed.id if assumed is not None and assumed.id in fits else best
    return templates[tid], replace(fits[tid], known=False)


def _sec3_evidence(records: Records, templates: dict[str, Template]) -> int:
    """Rows only this template has, placed with figures, less the rows with figures it could not place."""
    spec = records.template.tables["sec3"]
    shared = set.intersection(*({r.id for r in t.tables["sec3"].rows} for t in templates.values()))
    own = {r.id for r in spec.rows} - shared
    placed = {r for (t, r, _) in records.values if t == "sec3" and r in own}
    against = sum(1 for f in records.facts if f.rule in ("row-unplaced", "row-shape")
                  and f.params.get("table") == spec.title)
    return len(placed) - against


def _problems(facts) -> int:
    """Facts that tell against a fit; how the cells were written (run together) does not."""
    return sum(1 for f in facts if f.rule != "table-glued")


def _sec3_gaps(records: Records) -> int:
    return sum(1 for f in records.facts if f.rule in ("row-missing", "row-unplaced", "table-missing")
               and f.params.get("table") == records.template.tables["sec3"].title
               or f.rule == "table-missing")
