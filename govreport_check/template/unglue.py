"""Split runs of digits back into a table's figures, with the table's own arithmetic.

A crawler's text of `一、本年新收…801000081` lost the separators between 80, 1, 0, 0, 0, 0 and 81. Every way of
cutting a run into the row's cells (no figure but 0 starts with 0) is a candidate; the relations the template
states (each row's 总计 is the sum of its parts; each sec3 column's （七）总计 is the sum of the results, and
一 + 二 = （七）总计 + 四) pick the split of the whole table that breaks the fewest. Published reports are often
wrong, so a split is kept only when it is the unique best: then the broken relations are reported by the rules
as for any report. Where two splits tie, the rows they differ in are named, with their candidates, and left
unplaced rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

Key = tuple[str, str]  # (row, column)
Relation = tuple[tuple[Key, ...], tuple[Key, ...]]  # left cells sum to right cells

MAX_DIGITS = 60  # sec4's fifteen figures of up to four digits
_MAX_CANDIDATES = 5000  # splits of one run weighed against the rest of the table
_MAX_STEPS = 200_000  # search steps for one run (a few tenths of a second)
_MAX_PRODUCT = 2000  # whole-table combinations weighed exactly; beyond, one row at a time


@dataclass(frozen=True)
class Outcome:
    """What the split of a table's runs came to."""

    figures: dict[str, tuple[int, ...]]  # row id → its figures, for every run split with certainty
    ambiguous: dict[str, tuple[tuple[int, ...], ...]]  # row id → the equally good splits, best first


def splits(digits: str, n: int, groups: int = 0, fixed: dict[int, int] | None = None) -> list[tuple[int, ...]]:
    """Every way to cut `digits` into n figures without leading zeros; with `groups`, only the ways in which each
    of that many equal runs of figures ends in the sum of the others (a row and its 总计). The search settles
    each total from its parts and stops a part as soon as no total could be that large, so long rows of
    large figures stay cheap; past _MAX_STEPS it gives up (none). `fixed` figures (by position) are known."""
    if not digits.isdigit() or not 0 < n <= len(digits) or len(digits) > MAX_DIGITS:
        return []
    size = n // groups if groups and n % groups == 0 else 0
    out: list[tuple[int, ...]] = []
    steps = 0

    def cut(pos: int, parts: tuple[int, ...], acc: int) -> None:
        nonlocal steps
        steps += 1
        if steps > _MAX_STEPS or len(out) > _MAX_CANDIDATES:
            return
        k = len(parts)
        if k == n:
            if pos == len(digits):
                out.append(parts)
            return
        later = n - k - 1  # figures after this one
        if fixed and k in fixed:
            text = str(fixed[k])
            if digits.startswith(text, pos) and len(digits) - pos - len(text) >= later:
                cut(pos + len(text), (*parts, fixed[k]), acc + fixed[k])
            return
        j = k % size if size else 0
        if size and j == size - 1:
            total = str(acc)
            if digits.startswith(total, pos) and len(digits) - pos - len(total) >= later:
                cut(pos + len(total), (*parts, acc), 0)
            return
        for end in range(pos + 1, len(digits) - later + 1):
            text = digits[pos:end]
            if len(text) > 1 and text[0] == "0":
                break
            v = int(text)
            if size:
                after = size - 2 - j  # parts of this group after this one, one digit each at least
                room = len(digits) - end - after - (later - after - 1)  # digits the group's total can have
                if len(str(acc + v)) > room:
                    break
            cut(end, (*parts, v), acc + v)

    cut(0, (), 0)
    return out if steps <= _MAX_STEPS and len(out) <= _MAX_CANDIDATES else []


def relations(rows: tuple[str, ...], columns: tuple[str, ...], total_row: str | None,
              results: tuple[str, ...], balance: tuple[tuple[str, ...], tuple[str, ...]] | None) -> list[Relation]:
    """Row totals (the last column is the sum of the others), and, where the table has them, each column's
    total row as the sum of the result rows and the balance of the official header."""
    out: list[Relation] = [(((r, columns[-1]),), tuple((r, c) for c in columns[:-1])) for r in rows]
    for c in columns:
        if total_row is not None and results:
            out.append((((total_row, c),), tuple((r, c) for r in results)))
        if balance is not None:
            out.append((tuple((r, c) for r in balance[0]), tuple((r, c) for r in balance[1])))
    return out


def _broken(rels: list[Relation], cells: dict[Key, int]) -> int:
    n = 0
    for left, right in rels:
        if all(k in cells for k in left) and all(k in cells for k in right):
            n += sum(cells[k] for k in left) != sum(cells[k] for k in right)
    return n


def solve(runs: dict[str, str], known: dict[Key, int], columns: tuple[str, ...],
          rels: list[Relation], groups: int = 0) -> Outcome:
    """Split each row's run (`runs`: row id → digits) given the cells already known. A row's candidates are the
    splits that keep its own totals (`groups` of them along the row), or, where none does (a real error in
    the row), every split."""
    options: dict[str, list[tuple[int, ...]]] = {}
    for row, digits in runs.items():
        options[row] = groups and splits(digits, len(columns), groups) or []
        if not options[row] and not groups:
            options[row] = splits(digits, len(columns))
    rows = [row for row in options if options[row]]
    pending = [row for row in options if not options[row]]
    if _size(rows, options) <= _MAX_PRODUCT:
        combos = list(product(*(options[r] for r in rows)))
    else:
        combos = [c for _, c in _one_at_a_time(rows, options, known, columns, rels)]
    scored = [_complete(rows, combo, pending, runs, known, columns, rels) for combo in combos]
    best = min(s for s, _ in scored) if scored else 0
    winners = [combo for s, combo in scored if s == best]
    figures: dict[str, tuple[int, ...]] = {}
    ambiguous: dict[str, tuple[tuple[int, ...], ...]] = {}
    for i, row in enumerate(rows + pending):
        seen = tuple(dict.fromkeys(combo[i] for combo in winners))
        if len(seen) == 1 and seen[0] is not None:
            figures[row] = seen[0]
        else:
            ambiguous[row] = tuple(c for c in seen if c is not None)
    return Outcome(figures, ambiguous)


def _complete(rows, combo, pending, runs, known, columns, rels) -> tuple[int, tuple]:
    """A combination of the rows that keep their totals, with the rows that cannot (figures the others imply,
    or None), scored by the relations it breaks; a row left unread costs as much as breaking all its cells."""
    figures = dict(zip(rows, combo))
    penalty = 0
    out = list(combo)
    for row in pending:
        found = _by_the_rest(row, runs[row], figures, known, columns, rels)
        if len(found) == 1:
            figures[row] = found[0]
            out.append(found[0])
        else:
            out.append(None)
            penalty += len(columns)
    return _broken(rels, _cells(list(figures), list(figures.values()), columns, known)) + penalty, tuple(out)


def _by_the_rest(row: str, digits: str, figures: dict[str, tuple[int, ...]], known: dict[Key, int],
                 columns: tuple[str, ...], rels: list[Relation]) -> list[tuple[int, ...]]:
    """A row no split of which keeps its own total (a real error, such as a 总计 of zeros): its figures as the
    other rows' relations imply them (（七）总计 of a column is the sum of its results), where the run holds
    exactly those; the figure they leave is what the run has left."""
    cells = dict(known)
    for r, fig in figures.items():
        cells.update(zip(((r, c) for c in columns), fig))
    implied: dict[int, int | None] = {}
    for i, c in enumerate(columns):
        key = (row, c)
        for left, right in rels:
            side, other = (left, right) if key in left else (right, left) if key in right else (None, None)
            if side is None or list(side).count(key) != 1 or key in other:
                continue
            rest = [k for k in side if k != key]
            if all(k in cells for k in (*rest, *other)):
                v = sum(cells[k] for k in other) - sum(cells[k] for k in rest)
                implied[i] = v if implied.get(i, v) == v and v >= 0 else None
    fixed = {i: v for i, v in implied.items() if v is not None}
    if len(fixed) < len(columns) - 1:
        return []
    found = splits(digits, len(columns), fixed=fixed)
    if not found:  # the wrong figure is one the others imply: free each in turn
        for i in fixed:
            found += splits(digits, len(columns), fixed={k: v for k, v in fixed.items() if k != i})
    return list(dict.fromkeys(found))


def _size(rows: list[str], options: dict[str, list]) -> int:
    n = 1
    for row in rows:
        n *= len(options[row])
        if n > _MAX_PRODUCT:
            break
    return n


def _cells(rows, combo, columns, known) -> dict[Key, int]:
    cells = dict(known)
    for row, figures in zip(rows, combo):
        cells.update(zip(((row, c) for c in columns), figures))
    return cells


def _one_at_a_time(rows, options, known, columns, rels) -> list[tuple[int, tuple]]:
    """Too many combinations to weigh them all: settle the rows with one candidate, then each other row by the
    relations given the rest at their current best, until nothing changes. A row with two equally good
    candidates stays ambiguous."""
    combo = [options[r][0] for r in rows]
    for _ in range(5):
        changed = False
        for i, row in enumerate(rows):
            def score(s, i=i):
                trial = combo[:i] + [s] + combo[i + 1:]
                return _broken(rels, _cells(rows, trial, columns, known))
            best = min(options[row], key=score)
            if score(best) < score(combo[i]):
                combo[i], changed = best, True
        if not changed:
            break
    base = _broken(rels, _cells(rows, combo, columns, known))
    out = [(base, tuple(combo))]
    for i, row in enumerate(rows):
        for s in options[row]:
            if s != combo[i]:
                trial = tuple(combo[:i] + [s] + combo[i + 1:])
                if _broken(rels, _cells(rows, trial, columns, known)) == base:
                    out.append((base, trial))
    return out
