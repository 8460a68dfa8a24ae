"""Expression rules (`kind: expr`): expand over rows or columns, evaluate each instance with Decimal, report failures."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from govreport_check.findings import CellRef, Fact
from govreport_check.normalize import label_key
from govreport_check.render import text as fmt
from govreport_check.rules.expr import Expr, Ref, evaluate, evaluate_with_sides
from govreport_check.rules.rule import Instance, Outcome, Rule
from govreport_check.template.match import Records
from govreport_check.template.spec import TableSpec

OPTIONS = frozenset({"unit"})
_ZERO = Decimal(0)


def prepare(raw: dict, templates) -> dict:
    """`unit: 正则` limits the rule to bodies whose name (from the title) matches, e.g. districts and towns."""
    if "unit" not in raw:
        return {}
    try:
        return {"unit": re.compile(str(raw["unit"]))}
    except re.error as exc:
        raise ValueError(f"unit 不是有效的正则表达式：{exc}") from None


@dataclass(frozen=True)
class Evaluation:
    """One rule instance evaluated."""

    holds: bool  # the expression is true
    lhs: Decimal | None  # value of the left side of a single comparison
    rhs: Decimal | None  # value of the right side
    read: dict  # every cell read, key → Value (None when absent), in reading order

    @property
    def cells(self) -> tuple[CellRef, ...]:
        """Built only when asked for: most evaluations hold and never need them."""
        return tuple(CellRef(*key, value) for key, value in self.read.items())


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


_PLANS: dict[tuple, tuple[Expr, dict[int, tuple]]] = {}  # holding the Expr keeps its id from being reused


def _plan(rule: Rule, expr: Expr, template, instance: Instance) -> dict[int, tuple]:
    """The cells each reference reads at one instance, keyed by the reference's id (hashing the Ref itself
    costs more than the lookup); worked out once per rule, template and instance."""
    key = (id(expr), rule.source, rule.id, template.id, instance)
    found = _PLANS.get(key)
    if found is not None:
        return found[1]
    if len(_PLANS) > 1 << 16:
        _PLANS.clear()
    row, column = instance
    spec = template.tables[rule.table] if rule.table else None
    plan = {}
    for ref in expr.refs.values():
        if ref.explicit:
            keys = [ref.explicit]
        elif rule.foreach == "row":
            keys = [(rule.table, row, c) for c in spec.column_ids if ref.matches(c)]
        else:
            keys = [(rule.table, r, column) for r in spec.row_ids if ref.matches(r)]
        plan[id(ref)] = tuple(keys if ref.is_glob else keys[:1])
    _PLANS[key] = (expr, plan)
    return plan


def _scope(rule: Rule, expr: Expr, records: Records, instance: Instance, read: dict,
           previous: Records | None = None):
    """A resolver for one instance; `absent` records whether a non-glob reference had no cell (this year's, or
    last year's for last(...))."""
    plan = _plan(rule, expr, records.template, instance)
    state = {"absent": False}

    def resolve(ref: Ref, part: str) -> list[Decimal]:
        out = []
        past = part.startswith("last")
        values = previous.values if past and previous is not None else ({} if past else records.values)
        for key in plan[id(ref)]:
            value = values.get(key)
            if not past:
                read[key] = value
            figure = None if value is None else (value.note if part.endswith("note") else value.number)
            if value is None or (part.endswith("note") and figure is None):
                state["absent"] = state["absent"] or not ref.is_glob
                continue
            out.append(figure if figure is not None else _ZERO)
        return out or [_ZERO]

    return resolve, state


def evaluate_at(rule: Rule, records: Records, instance: Instance,
                previous: Records | None = None) -> Evaluation | None:
    """None when the instance does not apply: a cell it needs is absent, or its `when` is false."""
    row, _ = instance
    spec = records.template.tables[rule.table] if rule.table else None
    if row is not None and any(c not in spec.columns_of(row) for c in _bare(rule.expr)):
        return None  # sec2: this item has no such column
    read: dict = {}
    if rule.when is not None:
        resolve, state = _scope(rule, rule.when, records, instance, {}, previous)
        if not evaluate(rule.when, resolve) or state["absent"]:
            return None
    resolve, state = _scope(rule, rule.expr, records, instance, read, previous)
    holds, lhs, rhs = evaluate_with_sides(rule.expr, resolve)
    if state["absent"]:
        return None
    return Evaluation(holds, lhs, rhs, read)


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
        params["equation"] = _equation(rule, records, instance, ev)
    first = next((c.value.loc for c in ev.cells if c.value is not None), None)
    return Fact(rule.id, params, ev.cells, first,
                expected=fmt(ev.rhs) if ev.rhs is not None else None,
                actual=fmt(ev.lhs) if ev.lhs is not None else None)


def run_records(rule: Rule, records: Records, previous: Records | None = None) -> Iterator[Outcome]:
    spec = records.template.tables[rule.table] if rule.table else None
    for instance in instances(rule, spec):
        ev = evaluate_at(rule, records, instance, previous)
        if ev is not None:
            yield Outcome(rule.id, instance, None if ev.holds else fact_for(rule, records, instance, ev))


def run(rule: Rule, report) -> Iterator[Outcome]:
    pattern = rule.options.get("unit")
    if pattern is not None and not (report.unit and pattern.search(report.unit)):
        return iter(())
    return run_records(rule, report.records, report.previous)


def _terms(cells: tuple[CellRef, ...], row: str | None) -> str:
    """`结果维持 1 + 结果纠正 2 + …`; long sums list only their non-zero terms."""
    shown = [c for c in cells if c.value is not None]
    long = len(shown) > 8
    if long:
        shown = [c for c in shown if c.value.number]
    name = (lambda c: c.column) if row is not None else (lambda c: c.row)
    text = " + ".join(f"{name(c)} {c.value.raw or '空'}" for c in shown) or "0"
    return text + ("（其余为 0 或空）" if long else "")


_SIGN = {"==": "≠", "!=": "=", "<": "≥", "<=": ">", ">": "≤", ">=": "<"}


def _equation(rule: Rule, records: Records, instance: Instance, ev: Evaluation) -> str:
    """`总计 23 ≠ 自然人 16 + 商业企业 4 + … = 24（相差 -1）`: each side's cells with their values."""
    body = rule.expr.tree.body
    plan = _plan(rule, rule.expr, records.template, instance)
    by_key = {(c.table, c.row, c.column): c for c in ev.cells}
    row, _ = instance

    def side(node, total: Decimal) -> str:
        names = [n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in rule.expr.refs]
        cells = tuple(by_key[k] for name in names for k in plan[id(rule.expr.refs[name])] if k in by_key)
        terms = _terms(cells, row)
        return terms if len(cells) == 1 and terms.endswith(fmt(total)) else f"{terms} = {fmt(total)}"

    sign = _SIGN[rule.expr.comparison]
    return f"{side(body.left, ev.lhs)} {sign} {side(body.comparators[0], ev.rhs)}（相差 {fmt(ev.lhs - ev.rhs)}）"


def _bare(expr: Expr) -> list[str]:
    return [ref.text for ref in expr.refs.values() if not ref.explicit and not ref.is_glob]


def reads(rule: Rule) -> str:
    where = {"row": "逐行", "column": "逐列", "none": ""}[rule.foreach]
    out = f"表 {rule.table} {where}检查：{rule.expr.source}"
    if rule.rows or rule.columns:
        out += f"（限于 {'、'.join(rule.rows + rule.columns)}）"
    if rule.when is not None:
        out += f"；仅当 {rule.when.source}"
    if "unit" in rule.options:
        out += f"；仅当单位名称匹配 {rule.options['unit'].pattern}"
    return out
