"""Which cell is wrong, and what it probably should be.

Arithmetic rules share cells: a wrong part breaks its row total and its column total, and the cell where the
broken rules cross is the likely culprit. We look for the one cell whose change makes every broken rule that
reads it hold without breaking any rule that held (a single-error Fellegi–Holt search); when only one rule
is broken, its cells cannot be told apart by the arithmetic, so every cell that would mend it is a candidate,
ranked by how likely the slip is (a transposed or doubled digit beats an arbitrary change) and by the evidence the
report gives beside its tables: the figures its prose quotes and last year's report, read by the rules that compare
them (a candidate that makes the prose agree ranks first; one that makes it disagree, last).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from govreport_check.findings import Fact, Suggestion
from govreport_check.memo import remembered
from govreport_check.model import LOW_CONFIDENCE, Value
from govreport_check.render import text as fmt
from govreport_check.checks.arith import coefficient, fixed_reads, instances, reads_at, sides_at
from govreport_check.rules.rule import Instance, Rule
from govreport_check.template.match import Key, Records


@dataclass(frozen=True)
class Failure:
    """A broken rule instance, as the engine found it."""

    rule: Rule  # the rule
    instance: Instance  # where it was expanded
    fact: Fact  # what it reported


def _gap(rule: Rule, records: Records, instance: Instance) -> Decimal | None:
    found = sides_at(rule, records, instance)
    if found is None or found[1] is None or rule.expr.comparison != "==":
        return None
    return found[1] - found[2]


@dataclass(frozen=True)
class Diagnosis:
    """What the search concluded for one broken rule instance."""

    suggestion: Suggestion  # the most likely correction (hedged in its reason when alternatives exist)
    alternatives: tuple[Suggestion, ...] = ()  # every candidate, most likely first, when none is certain


Evidence = Callable[[Records], dict[tuple, str]]  # failing evidence outcomes of figures → where the evidence is
Readers = dict[Key, list[tuple[Rule, Instance]]]
_FIXED: dict[tuple, tuple] = {}


def _fixed_readers(rules: tuple[Rule, ...], template) -> tuple[Readers, tuple[tuple[Rule, Instance], ...]]:
    """Readers of each cell among the instances whose cells do not depend on the figures (linear ones), worked
    out once per rule set and template; and the other instances, whose cells each report must tell."""
    return remembered(_FIXED, (tuple(id(r) for r in rules), template.id), rules,
                      lambda: _make_fixed_readers(rules, template))


def _make_fixed_readers(rules: tuple[Rule, ...], template) -> tuple[Readers, tuple[tuple[Rule, Instance], ...]]:
    readers: Readers = {}
    others = []
    for rule in rules:
        spec = template.tables[rule.table] if rule.table else None
        for inst in instances(rule, spec):
            cells = fixed_reads(rule, template, inst)
            if cells is None:
                others.append((rule, inst))
            for cell in cells or ():
                readers.setdefault(cell, []).append((rule, inst))
    return readers, tuple(others)


class _Index:
    """Which rule instances read which cell, so a "what if" only re-evaluates the instances it touches."""

    def __init__(self, rules: list[Rule], records: Records):
        self.fixed, others = _fixed_readers(tuple(rules), records.template)
        self.readers: Readers = {}
        for rule, inst in others:
            for key in reads_at(rule, records, inst) or ():
                self.readers.setdefault(key, []).append((rule, inst))

    def all_hold(self, key: Key, records: Records) -> bool:
        for readers in (self.fixed, self.readers):
            for rule, inst in readers.get(key, ()):
                found = sides_at(rule, records, inst)
                if found is not None and not found[0]:
                    return False
        return True


def _repair(key: Key, failures: list[Failure], records: Records, index: _Index) -> Decimal | None:
    """The value for `key` that mends every failure reading it and breaks nothing else, if there is one."""
    current = records.get(*key).number or Decimal(0)
    bumped = None
    deltas = set()
    for f in failures:
        before = _gap(f.rule, records, f.instance)
        slope = coefficient(f.rule, records.template, f.instance, key) if before is not None else None
        if slope is None:  # not a linear rule: see how far the gap moves when the cell grows by one
            bumped = bumped or records.with_number(key, current + 1)
            after = _gap(f.rule, bumped, f.instance)
            slope = None if before is None or after is None else after - before
        if not slope:
            return None
        deltas.add(-before / slope)
    if len(deltas) != 1:
        return None
    value = current + deltas.pop()
    if value < 0 or value != value.to_integral_value():
        return None
    return value if index.all_hold(key, records.with_number(key, value)) else None


def slip(was: str, old: Decimal, new: Decimal) -> str | None:
    """Name the typing slip that turns `new` into `old`, if it is a common one."""
    if not was.strip():
        return "该格空白"
    if old == -new and old != 0:
        return "正负号颠倒"
    if old == 0 and new != 0:
        return "误填为 0"
    if old != old.to_integral_value() or new != new.to_integral_value():
        return None
    a, b = str(abs(int(old))), str(abs(int(new)))
    drops = lambda longer, shorter: any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))  # noqa: E731
    if len(a) == len(b) + 1 and drops(a, b):
        return "多录了一位数字"
    if len(b) == len(a) + 1 and drops(b, a):
        return "漏录了一位数字"
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return "相邻两位数字颠倒"
        if len(diff) == 1:
            return "有一位数字录错"
    return None


OCR_SLIP = "扫描识别混淆"
OCR_CONFUSED = frozenset({frozenset("08"), frozenset("17"), frozenset("56"), frozenset("38")})  # look alike to OCR


def ocr_confusion(was: Value, value: Decimal) -> tuple[str, str] | None:
    """(the digit it should be, the digit read) when a cell read by OCR differs from `value` in one digit that OCR
    mistakes for another (8 read as 0, 7 as 1, 5 as 6, 8 as 3); None for a cell not read by OCR."""
    if was.confidence is None or was.number is None or value != value.to_integral_value() \
            or was.number != was.number.to_integral_value():
        return None
    a, b = str(abs(int(value))), str(abs(int(was.number)))
    diff = [i for i in range(len(a)) if len(a) == len(b) and a[i] != b[i]]
    if len(diff) == 1 and frozenset((a[diff[0]], b[diff[0]])) in OCR_CONFUSED:
        return a[diff[0]], b[diff[0]]
    return None


def doubtful(was: Value | None) -> bool:
    """Read by OCR with a low score: never the one sure culprit, since its figure itself may be misread."""
    return was is not None and was.confidence is not None and was.confidence < LOW_CONFIDENCE


def _reason(records: Records, key: Key, value: Decimal, hedge: bool = False, note: str = "") -> str:
    was = records.get(*key)
    current = was.number if was.number is not None else Decimal(0)
    confused = ocr_confusion(was, value)
    kind = OCR_SLIP if confused else slip(was.raw, current, value)
    now = f"现为 {was.raw}" if was.raw else "现为空白"
    text = f"{now}；若其余各格无误，应为 {fmt(value)}" if hedge else f"{now}，按其余数据应为 {fmt(value)}"
    said = f"可能是扫描识别把 {confused[0]} 认成了 {confused[1]}" if confused else \
        kind and f"可能{kind}" if kind != "该格空白" else "该格空白，按 0 计算"
    scanned = f"该格识别置信度低（{was.confidence:.0%}），请对照原件核对" if doubtful(was) else ""
    extras = [x for x in (said, scanned, note) if x]
    return text + (f"（{'；'.join(extras)}）" if extras else "")


def telling_slip(was: Value, value: Decimal) -> str | None:
    """The slip that turns `value` into what the cell holds, when it tells this candidate from others: any digit
    is one digit away from any other, so two one-digit figures say nothing (unless OCR confuses those two)."""
    if ocr_confusion(was, value):
        return OCR_SLIP
    current = was.number if was.number is not None else Decimal(0)
    kind = slip(was.raw, current, value)
    if kind == "有一位数字录错" and abs(current) < 10 and abs(value) < 10:
        return None
    return kind


SLIPS = {OCR_SLIP: 6, "相邻两位数字颠倒": 5, "多录了一位数字": 4, "漏录了一位数字": 4, "有一位数字录错": 3, "误填为 0": 3,
         "该格空白": 3, "正负号颠倒": 2}  # how often clerks make each slip, roughly: only the order matters


def _rank(candidates: list[tuple[Key, Decimal]], records: Records, total: Key,
          evidence: Evidence | None) -> list[Suggestion]:
    """Candidates most likely first: evidence beside the tables, then the slip's kind, then the total (a hand-added
    total is wrong more often than a copied part), then template order."""
    before = evidence(records) if evidence else {}
    scored = []
    for order, (key, value) in enumerate(candidates):
        after = evidence(records.with_number(key, value)) if evidence else {}
        agrees = sorted({before[k] for k in before.keys() - after.keys()})
        disagrees = sorted({after[k] for k in after.keys() - before.keys()})
        was = records.get(*key)
        kind = telling_slip(was, value)
        note = "；".join([f"与{w}一致" for w in agrees] + [f"但与{w}不符" for w in disagrees])
        score = (len(agrees) - len(disagrees), SLIPS.get(kind, 0), key == total, -order)
        scored.append((score, Suggestion(*key, value, _reason(records, key, value, hedge=True, note=note))))
    return [s for _, s in sorted(scored, key=lambda x: x[0], reverse=True)]


def _pair(keys: list[Key], failures: list[Failure], records: Records, index: _Index) -> list[tuple[Key, Decimal]]:
    """Two cells that together mend every failure they are read by, and break nothing: the smallest
    explanation when no single cell will do."""
    readers = {k: {i for i, f in enumerate(failures) if any((c.table, c.row, c.column) == k for c in f.fact.cells)}
               for k in keys}
    gaps = [_gap(f.rule, records, f.instance) for f in failures]
    coeff: dict[Key, list[Decimal | None]] = {}
    for k in keys:
        current = records.get(*k).number or Decimal(0)
        bumped = records.with_number(k, current + 1)
        coeff[k] = [None if g is None else (_gap(f.rule, bumped, f.instance) or Decimal(0)) - g
                    for f, g in zip(failures, gaps)]
    everything = set(range(len(failures)))
    found = []
    for x in range(len(keys)):
        for y in range(x + 1, len(keys)):
            a, b = keys[x], keys[y]
            if readers[a] | readers[b] != everything or any(gaps[i] is None for i in everything):
                continue
            solution = _solve([(coeff[a][i], coeff[b][i], -gaps[i]) for i in everything])
            if solution is None:
                continue
            values = [(records.get(*k).number or Decimal(0)) + d for k, d in zip((a, b), solution)]
            if any(v < 0 or v != v.to_integral_value() for v in values) or 0 in solution:
                continue
            mended = records.with_number(a, values[0]).with_number(b, values[1])
            if index.all_hold(a, mended) and index.all_hold(b, mended):
                found.append([(a, values[0]), (b, values[1])])
    return found[0] if len(found) == 1 else []


def _solve(rows: list[tuple]) -> tuple[Decimal, Decimal] | None:
    """d1, d2 with p·d1 + q·d2 = r for every row, if exactly one pair fits."""
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            (p1, q1, r1), (p2, q2, r2) = rows[i], rows[j]
            det = p1 * q2 - p2 * q1
            if det:
                d1, d2 = (r1 * q2 - r2 * q1) / det, (p1 * r2 - p2 * r1) / det
                if all(p * d1 + q * d2 == r for p, q, r in rows):
                    return d1, d2
                return None
    return None


def localise(failures: list[Failure], records: Records, rules: list[Rule],
             evidence: Evidence | None = None) -> dict[int, Diagnosis]:
    """Diagnoses by index into `failures`. `evidence` tells which outcomes of the rules that compare the tables
    with the prose and last year's report fail for given figures, to rank candidates the arithmetic cannot part."""
    reading: dict[Key, list[int]] = {}
    for i, f in enumerate(failures):
        for c in f.fact.cells:
            if c.value is not None:
                reading.setdefault((c.table, c.row, c.column), []).append(i)
    if not failures:
        return {}
    index = _Index(rules, records)
    repairs: list[tuple[int, Key, Decimal]] = []
    for key, idxs in reading.items():
        value = _repair(key, [failures[i] for i in idxs], records, index)
        if value is not None:
            repairs.append((len(idxs), key, value))
    out: dict[int, Diagnosis] = {}
    claimed: set[int] = set()
    for count, key, value in sorted(repairs, key=lambda r: -r[0]):
        idxs = reading[key]
        if claimed & set(idxs):
            continue
        rivals = [r for r in repairs if r[0] == count and r[1] != key and set(reading[r[1]]) & set(idxs)]
        if any(set(reading[r[1]]) != set(idxs) for r in rivals):
            continue  # candidates that each explain a different set of failures: left to the pair search
        if rivals:
            first = failures[idxs[0]].fact.cells[0]
            ranked = _rank([(key, value)] + [(r[1], r[2]) for r in rivals], records,
                           (first.table, first.row, first.column), evidence)
            diagnosis = Diagnosis(ranked[0], tuple(ranked))
        elif doubtful(records.get(*key)):  # the one cell that mends it, but OCR may have misread it: hedged
            s = Suggestion(key[0], key[1], key[2], value, _reason(records, key, value, hedge=True))
            diagnosis = Diagnosis(s, (s,))
        else:
            diagnosis = Diagnosis(Suggestion(key[0], key[1], key[2], value, _reason(records, key, value)))
        for i in idxs:
            out[i] = diagnosis
        claimed |= set(idxs)
    rest = [i for i in range(len(failures)) if i not in claimed]
    if len(rest) >= 2:
        keys = sorted({k for k, idxs in reading.items() if set(idxs) & set(rest)})
        if len(keys) <= 60:
            pair = _pair(keys, [failures[i] for i in rest], records, index)
            if pair:
                (a, va), (b, vb) = pair
                olds = (records.get(*a).number, records.get(*b).number)
                swapped = olds == (vb, va) and a[:2] == b[:2]
                words = {k: records.template.cell_words(*k) for k in (a, b)}
                notes = {a: f"与 {words[b]} 一并更正", b: f"与 {words[a]} 一并更正"}
                if swapped:
                    notes = {a: f"可能与 {words[b]} 两格数值互换", b: f"可能与 {words[a]} 两格数值互换"}
                for i in rest:
                    read = {(c.table, c.row, c.column) for c in failures[i].fact.cells}
                    k, v = (a, va) if a in read else (b, vb)
                    out[i] = Diagnosis(Suggestion(k[0], k[1], k[2], v, _reason(records, k, v, note=notes[k])))
    return out
