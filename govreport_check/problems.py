"""Problems: the findings one cause explains, for the person who has to fix the report.

A wrong cell breaks its row total and its column total, and its prose sentence may disagree too: three findings,
one mistake. Machines keep the findings; people read problems. A finding joins the problem of the cell its
suggestion names; one without a suggestion joins the problem of a cell it reads that another finding already
blames (the prose that disagrees with a mistyped total), or one of its own when it reads a single cell (a blank
cell and the sum it breaks). Everything else is a problem by itself, so every finding belongs to exactly one.
"""

from __future__ import annotations

from dataclasses import replace

from govreport_check.diagnose import telling_slip
from govreport_check.findings import CellRef, Finding, Problem, Severity, Suggestion, position
from govreport_check.render import text as fmt
from govreport_check.template.spec import Template

_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
Key = tuple[str, str, str]


def _key(s: Suggestion | CellRef) -> Key:
    return s.table, s.row, s.column


def group(findings: tuple[Finding, ...], template: Template) -> tuple[Problem, ...]:
    """Problems in document order, numbered P1, P2 …; `Problem.findings` index into `findings`."""
    members: list[list[int]] = []
    blamed: dict[Key, int] = {}  # a cell → the problem that names it
    causes: dict[tuple, int] = {}

    def join(cause: tuple, i: int) -> int:
        if cause not in causes:
            causes[cause] = len(members)
            members.append([])
        members[causes[cause]].append(i)
        return causes[cause]

    for i, f in enumerate(findings):
        if f.suggestion is not None and not f.alternatives:
            blamed[_key(f.suggestion)] = join(("cell", _key(f.suggestion)), i)
    for i, f in enumerate(findings):
        if f.alternatives:
            n = join(("either",) + tuple(sorted(_key(a) for a in f.alternatives)), i)
            for a in f.alternatives:
                blamed.setdefault(_key(a), n)
    for i, f in enumerate(findings):
        if f.suggestion is not None:
            continue
        read = list(dict.fromkeys(_key(c) for c in f.cells))
        n = next((blamed[k] for k in read if k in blamed), None)
        if n is not None:
            members[n].append(i)
        elif len(read) == 1:
            blamed[read[0]] = join(("cell", read[0]), i)
        else:
            join(("alone", i), i)
    problems = [_problem(sorted(idxs), findings, template) for idxs in members]
    problems.sort(key=lambda p: (position(p.loc), p.findings[0]))
    return tuple(replace(p, id=f"P{n}") for n, p in enumerate(problems, 1))


def _problem(idxs: list[int], findings: tuple[Finding, ...], template: Template) -> Problem:
    own = [findings[i] for i in idxs]
    severity = min((f.severity for f in own), key=_RANK.__getitem__)
    lead = next((f for f in own if f.suggestion is not None), None)
    values = {_key(c): c for f in own for c in f.cells}
    if lead is None:
        first = next(f for f in own if f.severity is severity)
        cells = tuple(values.values())
        return Problem("", severity, first.statement or first.message, cells, None, (), tuple(idxs), first.loc)
    s = lead.suggestion
    chosen = lead.alternatives or (s,)
    cells = tuple(values.get(_key(a)) or CellRef(a.table, a.row, a.column, None) for a in chosen)
    at = cells[0].value.loc if cells[0].value is not None else lead.loc
    if not lead.alternatives:
        summary = f"{template.cell_words(s.table, s.row, s.column)}：{s.reason}"
    else:
        summary = _either(template, lead.alternatives, values)
    return Problem("", severity, summary, cells, s, lead.alternatives, tuple(idxs), at)


def _either(template: Template, alternatives: tuple[Suggestion, ...], values: dict[Key, CellRef]) -> str:
    """行政复议：总计应为 71，或 其他结果应为 9（可能多录了一位数字）: the candidates a single broken equation leaves,
    the most likely first, the row named once when they share it."""
    spec = template.tables.get(alternatives[0].table)
    rows = {a.row for a in alternatives}
    shared = spec is not None and len(rows) == 1
    items = []
    for a in alternatives[:3]:
        name = spec.column_words(a.column) if shared else template.cell_words(a.table, a.row, a.column)
        ref = values.get(_key(a))
        kind = telling_slip(ref.value, a.value) if ref is not None and ref.value is not None else None
        items.append(f"{name}应为 {fmt(a.value)}" + (f"（可能{kind}）" if kind and kind != "该格空白" else ""))
    more = f"，或另外 {len(alternatives) - 3} 格之一" if len(alternatives) > 3 else ""
    head = f"{spec.row_words(alternatives[0].row)}：" if shared else "无法确定是哪一格："
    return f"{head}{'，或 '.join(items)}{more}"
