"""Expression rules (`kind: expr`): expand over rows or columns, evaluate each instance with Decimal, report failures."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterator

from govreport_check.findings import CellRef, Fact
from govreport_check.memo import remembered
from govreport_check.normalize import label_key
from govreport_check.render import text as fmt
from govreport_check.rules.expr import Expr, Ref, evaluate, evaluate_with_sides
from govreport_check.rules.rule import Instance, Outcome, Rule
from govreport_check.template.match import Key, Records
from govreport_check.template.spec import TableSpec

OPTIONS = frozenset({"unit", "combine"})
_ZERO = Decimal(0)
_PLACE = frozenset({"table", "row", "column", "row_words", "column_words"})  # "" where the rule is not expanded
_SIDES = frozenset({"lhs", "rhs", "diff", "terms", "equation"})


def params(rule: Rule) -> frozenset[str]:
    """The names `fact_for` fills: the label of the row or column expanded over, and both sides' values when the
    expression is one comparison (`a == b`, not `a > 0 and b > 0`)."""
    label = {"row": {"row_label"}, "column": {"column_label"}}.get(rule.foreach, set())
    sides = _SIDES if rule.expr is not None and rule.expr.sides is not None else frozenset()
    return _PLACE | label | sides


def prepare(raw: dict, templates) -> dict:
    """`unit: 正则` limits the rule to bodies whose name (from the title) matches, e.g. districts and towns;
    `combine: 措辞` makes the failing instances one finding (the engine joins each instance's wording)."""
    out = {"combine": str(raw["combine"])} if raw.get("combine") else {}
    if "unit" not in raw:
        return out
    try:
        return {**out, "unit": re.compile(str(raw["unit"]))}
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


_INSTANCES: dict[tuple, tuple[TableSpec | None, tuple[Instance, ...]]] = {}


def instances(rule: Rule, spec: TableSpec | None) -> tuple[Instance, ...]:
    """The (row, column) places the rule is checked at; worked out once per rule and table."""
    key = (rule.source, rule.id, rule.foreach, rule.rows, rule.columns, id(spec))
    return remembered(_INSTANCES, key, spec, lambda: _make_instances(rule, spec))


def _make_instances(rule: Rule, spec: TableSpec | None) -> tuple[Instance, ...]:
    if rule.foreach == "row":
        return tuple((r.id, None) for r in spec.rows if not rule.rows or any(Ref(p).matches(r.id) for p in rule.rows))
    if rule.foreach == "column":
        return tuple((None, c.id) for c in spec.columns
                     if not rule.columns or any(Ref(p).matches(c.id) for p in rule.columns))
    return ((None, None),)


_PLANS: dict[tuple, tuple[Expr, dict[int, tuple]]] = {}  # holding the Expr keeps its id from being reused


def _plan(rule: Rule, expr: Expr, template, instance: Instance) -> dict[int, tuple]:
    """The cells each reference reads at one instance, keyed by the reference's id (hashing the Ref itself
    costs more than the lookup); worked out once per rule, template and instance."""
    key = (id(expr), rule.source, rule.id, template.id, instance)
    return remembered(_PLANS, key, expr, lambda: _make_plan(rule, expr, template, instance))


def _make_plan(rule: Rule, expr: Expr, template, instance: Instance) -> dict[int, tuple]:
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


class _NotLinear(Exception):
    """The expression is not one comparison of two sums: it takes the general path."""


Term = tuple[tuple, bool]  # a cell (for note(...), its key plus "note"), and whether it must be present


@dataclass(frozen=True)
class Linear:
    """A rule instance that compares two sums of cells (almost every arithmetic rule: totals, balances). It is
    evaluated straight from the report's figures, without the resolver machinery, since a batch evaluates
    a hundred of these per report and nearly all of them hold."""

    left: tuple[tuple[Term, ...], tuple[Term, ...], Decimal]  # cells added, cells subtracted, constant
    right: tuple[tuple[Term, ...], tuple[Term, ...], Decimal]  # the same for the right-hand side
    op: Callable[[Decimal, Decimal], bool]  # the comparison
    reads: tuple[Key, ...]  # every cell the instance reads, as Evaluation.read lists them

    def sides(self, numbers: dict[Key, Decimal]) -> tuple[bool, Decimal, Decimal] | None:
        get = numbers.get
        totals = []
        for plus, minus, total in (self.left, self.right):
            for key, needed in plus:
                figure = get(key)
                if figure is not None:
                    total += figure
                elif needed:
                    return None
            for key, needed in minus:
                figure = get(key)
                if figure is not None:
                    total -= figure
                elif needed:
                    return None
            totals.append(total)
        lhs, rhs = totals
        return self.op(lhs, rhs), lhs, rhs


def coefficient(rule: Rule, template, instance: Instance, key: Key) -> int | None:
    """How far the instance's left side minus its right side moves when the figure in `key` grows by one;
    None when the instance is not linear (ask by evaluating instead)."""
    plan = _linear(rule, template, instance)
    if not isinstance(plan, Linear):
        return None
    (lp, lm, _), (rp, rm, _) = plan.left, plan.right
    count = lambda terms: sum(1 for k, _ in terms if k == key)  # noqa: E731
    return count(lp) - count(lm) - count(rp) + count(rm)


_NEVER = "never"  # the instance cannot apply in this template (sec2: the item has no such column)
_GENERAL = "general"  # not linear: evaluated by evaluate_at
_LINEAR: dict[tuple, tuple[Expr, "Linear | str"]] = {}


def _linear(rule: Rule, template, instance: Instance) -> "Linear | str":
    key = (id(rule.expr), rule.source, rule.id, template.id, instance)
    return remembered(_LINEAR, key, rule.expr, lambda: _make_linear(rule, template, instance))


def _make_linear(rule: Rule, template, instance: Instance) -> "Linear | str":
    row, _ = instance
    spec = template.tables[rule.table] if rule.table else None
    if row is not None and any(c not in spec.columns_of(row) for c in _bare(rule.expr)):
        return _NEVER
    if rule.when is not None or rule.expr.sides is None:
        return _GENERAL
    try:
        return _linear_form(rule.expr, _plan(rule, rule.expr, template, instance))
    except _NotLinear:
        return _GENERAL


def _linear_form(expr: Expr, plan: dict[int, tuple]) -> Linear:
    reads: dict[Key, None] = {}

    def side(node) -> tuple[tuple[Term, ...], tuple[Term, ...], Decimal]:
        plus: list[Term] = []
        minus: list[Term] = []
        constant = [_ZERO]

        def walk(n, positive: bool) -> None:
            if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Add, ast.Sub)):
                walk(n.left, positive)
                walk(n.right, positive == isinstance(n.op, ast.Add))
            elif isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.UAdd, ast.USub)):
                walk(n.operand, positive == isinstance(n.op, ast.UAdd))
            elif isinstance(n, ast.Constant):
                value = Decimal(str(n.value))
                constant[0] += value if positive else -value
            elif isinstance(n, ast.Name) or (isinstance(n, ast.Call) and n.func.id == "__cell__"):
                ref = expr.refs[n.id if isinstance(n, ast.Name) else n.args[0].id]
                keys = plan[id(ref)]
                reads.update(dict.fromkeys(keys))
                (plus if positive else minus).extend((k, not ref.is_glob) for k in keys)
            elif isinstance(n, ast.Call) and n.func.id == "note":  # the bracketed figure: it must be there
                keys = plan[id(expr.refs[n.args[0].id])][:1]
                reads.update(dict.fromkeys(keys))
                (plus if positive else minus).extend(((*k, "note"), True) for k in keys)
            elif isinstance(n, ast.Call) and n.func.id == "sum":
                for arg in n.args:
                    walk(arg, positive)
            else:
                raise _NotLinear

        walk(node, True)
        return tuple(plus), tuple(minus), constant[0]

    body = expr.tree.body
    left, right = side(body.left), side(body.comparators[0])
    return Linear(left, right, expr.sides[1], tuple(reads))


def sides_at(rule: Rule, records: Records, instance: Instance,
             previous: Records | None = None) -> tuple[bool, Decimal | None, Decimal | None] | None:
    """(holds, left, right) of one instance, None when it does not apply; what evaluate_at says, faster, and
    without the cells read (ask evaluate_at for those when a finding needs them)."""
    plan = _linear(rule, records.template, instance)
    if plan is _NEVER:
        return None
    if plan is _GENERAL:
        ev = evaluate_at(rule, records, instance, previous)
        return None if ev is None else (ev.holds, ev.lhs, ev.rhs)
    return plan.sides(records.numbers)


def fixed_reads(rule: Rule, template, instance: Instance) -> tuple[Key, ...] | None:
    """The cells an instance reads whatever the figures are: a linear instance's (none if it can never apply);
    None when that depends on the figures (ask reads_at)."""
    plan = _linear(rule, template, instance)
    if plan is _NEVER:
        return ()
    return None if plan is _GENERAL else plan.reads


def reads_at(rule: Rule, records: Records, instance: Instance) -> tuple[Key, ...] | None:
    """The cells one instance reads; None when it does not apply. A linear instance lists its cells even when
    one it needs is absent: changing a figure never makes that cell present, so the instance still won't apply."""
    plan = _linear(rule, records.template, instance)
    if plan is _GENERAL:
        ev = evaluate_at(rule, records, instance)
        return None if ev is None else tuple(ev.read)
    return None if plan is _NEVER else plan.reads


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
    params = {"table": spec.title if spec else "", "row": row or "", "column": column or "",
              "row_words": spec.row_words(row) if row and spec else row or "",
              "column_words": spec.column_words(column) if column and spec else column or ""}
    if row and spec.row(row):
        params["row_label"] = label_key(spec.row(row).label)
    if column and spec.column(column):
        params["column_label"] = spec.column(column).label
    if ev.lhs is not None:
        params.update(lhs=fmt(ev.lhs), rhs=fmt(ev.rhs), diff=fmt(ev.lhs - ev.rhs),
                      terms=_terms(ev.cells[1:], row, spec))
        params["equation"] = _equation(rule, records, instance, ev)
    first = next((c.value.loc for c in ev.cells if c.value is not None), None)
    return Fact(rule.id, params, ev.cells, first,
                expected=fmt(ev.rhs) if ev.rhs is not None else None,
                actual=fmt(ev.lhs) if ev.lhs is not None else None)


def run_records(rule: Rule, records: Records, previous: Records | None = None) -> Iterator[Outcome]:
    if rule.expr.uses_last and previous is None:
        return  # last(...) reads a report we do not have: no instance applies
    numbers = records.numbers
    for instance, plan in _plans(rule, records.template):
        if plan is _NEVER:
            continue
        if plan is _GENERAL:
            ev = evaluate_at(rule, records, instance, previous)
            if ev is not None:
                yield Outcome(rule.id, instance, None if ev.holds else fact_for(rule, records, instance, ev))
            continue
        verdict = plan.sides(numbers)
        if verdict is None:
            continue
        if verdict[0]:
            yield Outcome(rule.id, instance, None)
        else:
            ev = evaluate_at(rule, records, instance, previous)
            yield Outcome(rule.id, instance, fact_for(rule, records, instance, ev))


_ALL_PLANS: dict[tuple, tuple] = {}


def _plans(rule: Rule, template) -> tuple[tuple[Instance, "Linear | str"], ...]:
    """Each instance of the rule with its linear form (or _NEVER, _GENERAL), for a template."""
    key = (id(rule.expr), rule.source, rule.id, template.id)
    spec = template.tables[rule.table] if rule.table else None
    return remembered(_ALL_PLANS, key, rule.expr,
                       lambda: tuple((i, _linear(rule, template, i)) for i in instances(rule, spec)))


def run(rule: Rule, report) -> Iterator[Outcome]:
    pattern = rule.options.get("unit")
    if pattern is not None and not (report.unit and pattern.search(report.unit)):
        return iter(())
    return run_records(rule, report.records, report.previous)


def _terms(cells: tuple[CellRef, ...], row: str | None, spec: TableSpec | None = None) -> str:
    """`结果维持 1 + 结果纠正 2 + …`, each cell by its label (a row's cells by column, a column's by row);
    long sums list only their non-zero terms."""
    shown = [c for c in cells if c.value is not None]
    long = len(shown) > 8
    if long:
        shown = [c for c in shown if c.value.number]

    def name(c: CellRef) -> str:
        row_words, column_words = _words(c, spec)
        if row is None:
            return row_words
        return column_words if c.row == row else f"{row_words} / {column_words}"

    text = " + ".join(f"{name(c)} {c.value.raw or '空白'}" for c in shown) or "0"
    return text + ("（其余为 0 或空白）" if long else "")


def _words(c: CellRef, spec: TableSpec | None) -> tuple[str, str]:
    """A cell's row and column by their labels, in its own table (an explicit cell("sec4", …) may sit in another)."""
    if spec is None or c.table != spec.id:
        return c.row, c.column
    return spec.row_words(c.row), spec.column_words(c.column)


_SIGN = {"==": "≠", "!=": "=", "<": "≥", "<=": ">", ">": "≤", ">=": "<"}


def _equation(rule: Rule, records: Records, instance: Instance, ev: Evaluation) -> str:
    """`总计 23 ≠ 自然人 16 + 商业企业 4 + … = 24（相差 -1）`: each side's cells with their values."""
    body = rule.expr.tree.body
    plan = _plan(rule, rule.expr, records.template, instance)
    by_key = {(c.table, c.row, c.column): c for c in ev.cells}
    row, _ = instance
    spec = records.template.tables[rule.table] if rule.table else None

    def side(node, total: Decimal) -> str:
        names = [n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in rule.expr.refs]
        cells = tuple(by_key[k] for name in names for k in plan[id(rule.expr.refs[name])] if k in by_key)
        terms = _terms(cells, row, spec)
        if len(cells) == 1 and terms.endswith(fmt(total)):
            return terms
        return f"{terms}{'' if terms.endswith('）') else ' '}= {fmt(total)}"

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
