"""The expression check: expand a rule over rows or columns, evaluate each instance, report failures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from govreport_check.findings import CellRef, Fact
from govreport_check.normalize import label_key
from govreport_check.render import text as fmt
from functools import lru_cache

from govreport_check.rules.expr import Ref, evaluate_with_sides
from govreport_check.rules.load import Rule, axis_ids
from govreport_check.template.match import Records
from govreport_check.template.spec import TableSpec

Instance = tuple[str | None, str | None]  # (row, column) the rule is expanded at


@dataclass(frozen=True)
class Evaluation:
    """One rule instance evaluated."""

    holds: bool  # the expression is true
    lhs: Decimal | None  # value of the left side of a single comparison
    rhs: Decimal | None  # value of the right side
    cells: tuple[CellRef, ...]  # every cell read, in reading order


@dataclass(frozen=True)
class Outcome:
    """One evaluated instance of a rule, as the engine counts it."""

    rule: str  # rule id
    instance: Instance  # where it was expanded
    fact: Fact | None  # None when the instance held


def instances(rule: Rule, spec: TableSpec | None) -> Iterator[Instance]:
    if rule.foreach == "row":
        for r in spec.rows:
            if not rule.rows or any(Ref(p).matches(r.id) for p in rule.rows):
                yield r.id, None
    elif rule.foreach == "column":
        for c in spec.columns:
            if not rule.columns or any(Ref(p).matches(c.id) for p in rule.columns):
                yield None, c.id
    else:
        yield None, None


def evaluate_at(rule: Rule, records: Records, instance: Instance) -> Evaluation | None:
    """None when the instance does not apply (a cell it needs is absent from the report)."""
    row, column = instance
    spec = records.template.tables[rule.table] if rule.table else None
    if row is not None and any(c not in spec.columns_of(row) for c in _bare(rule)):
        return None  # sec2: this item has no such column
    read: dict[tuple[str, str, str], CellRef] = {}
    absent = False

    def resolve(ref: Ref) -> list[Decimal]:
        nonlocal absent
        if ref.explicit:
            keys = [ref.explicit]
        elif rule.foreach == "row":
            keys = [(rule.table, row, c) for c in _matching(ref, axis_ids(spec, "row"))]
        else:
            keys = [(rule.table, r, column) for r in _matching(ref, axis_ids(spec, "column"))]
        out = []
        for key in keys if ref.is_glob else keys[:1]:
            cell = records.ref(*key)
            read[key] = cell
            if cell.value is None:
                absent = absent or not ref.is_glob
                continue
            out.append(cell.value.number if cell.value.number is not None else Decimal(0))
        return out or [Decimal(0)]

    holds, lhs, rhs = evaluate_with_sides(rule.expr, resolve)
    if absent:
        return None
    return Evaluation(holds, lhs, rhs, tuple(read.values()))


@lru_cache(maxsize=4096)
def _matching(ref: Ref, ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(i for i in ids if ref.matches(i))


def fact_for(rule: Rule, records: Records, instance: Instance, ev: Evaluation) -> Fact:
    row, column = instance
    spec = records.template.tables[rule.table] if rule.table else None
    params = {"table": spec.title if spec else "", "row": row or "", "column": column or ""}
    if row and spec.row(row):
        params["row_label"] = label_key(spec.row(row).label)
    if column and spec.column(column):
        params["column_label"] = spec.column(column).label
    if ev.lhs is not None:
        params.update(lhs=fmt(ev.lhs), rhs=fmt(ev.rhs), diff=fmt(ev.lhs - ev.rhs), terms=_terms(ev.cells[1:], row))
    first = next((c.value.loc for c in ev.cells if c.value is not None), None)
    return Fact(rule.id, params, ev.cells, first,
                expected=fmt(ev.rhs) if ev.rhs is not None else None,
                actual=fmt(ev.lhs) if ev.lhs is not None else None)


def run(rule: Rule, records: Records) -> Iterator[Outcome]:
    spec = records.template.tables[rule.table] if rule.table else None
    for instance in instances(rule, spec):
        ev = evaluate_at(rule, records, instance)
        if ev is not None:
            yield Outcome(rule.id, instance, None if ev.holds else fact_for(rule, records, instance, ev))


def _terms(cells: tuple[CellRef, ...], row: str | None) -> str:
    """`结果维持 1 + 结果纠正 2 + …`; long sums list only their non-zero terms."""
    shown = [c for c in cells if c.value is not None]
    long = len(shown) > 8
    if long:
        shown = [c for c in shown if c.value.number]
    name = (lambda c: c.column) if row is not None else (lambda c: c.row)
    text = " + ".join(f"{name(c)} {c.value.raw or '空'}" for c in shown) or "0"
    return text + ("（其余为 0 或空）" if long else "")


def _bare(rule: Rule) -> list[str]:
    if rule.foreach != "row":
        return []
    return [ref.text for ref in rule.expr.refs.values() if not ref.explicit and not ref.is_glob]
