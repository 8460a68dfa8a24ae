"""What checks report (facts) and what users see (findings, once the engine has stamped rule metadata)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from govreport_check.model import Loc, Value


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True)
class CellRef:
    """A template cell a rule read, with the value it found there."""

    table: str  # "sec2", "sec3", "sec4"
    row: str  # row id ("三.一", "行政复议")
    column: str  # column id ("总计")
    value: Value | None  # what the report holds; None when the report lacks the cell


@dataclass(frozen=True)
class Suggestion:
    """A value a cell probably should hold. Never applied to the file."""

    table: str  # the cell to change …
    row: str
    column: str
    value: Decimal  # … and the value that would satisfy the rules
    reason: str  # why, in Chinese


@dataclass(frozen=True)
class Fact:
    """What a check observed, before severity and wording are applied from the rule's YAML."""

    rule: str  # rule id the fact belongs to (must exist in the loaded rules)
    params: dict = field(default_factory=dict, hash=False, compare=True)  # values for the message template
    cells: tuple[CellRef, ...] = ()  # every cell the check read, with the values it used
    loc: Loc | None = None  # where to point the user
    expected: str | None = None  # what the rule expected, as text
    actual: str | None = None  # what the report has, as text
    suggestion: Suggestion | None = None  # a likely correction
    alternatives: tuple[Suggestion, ...] = ()  # when no cell is certain: every candidate, most likely first


@dataclass(frozen=True)
class Finding:
    """A fact as the user sees it."""

    rule: str  # rule id
    name: str  # the rule's Chinese name
    severity: Severity  # from the rule (or the user's override)
    message: str  # the rule's message template filled with the fact's params
    cells: tuple[CellRef, ...]  # cells read
    loc: Loc | None  # source location
    expected: str | None  # expected value, as text
    actual: str | None  # actual value, as text
    suggestion: Suggestion | None = None  # likely correction
    equation: str | None = None  # the broken equation with each cell's value, for arithmetic rules
    alternatives: tuple[Suggestion, ...] = ()  # when no cell is certain: every candidate, most likely first
    statement: str = ""  # the message without the suggestion appended, for outputs that print the suggestion apart


@dataclass(frozen=True)
class Problem:
    """One cause, as a person acts on it: the findings a single wrong cell (or a single fact) explains."""

    id: str  # "P1", "P2" … in document order within its report
    severity: Severity  # the most severe of its findings
    summary: str  # one Chinese sentence naming what to change, with labels rather than ids
    cells: tuple[CellRef, ...]  # the cell to change, or the candidate cells when none is certain
    suggestion: Suggestion | None  # the most likely correction (hedged in its reason when alternatives exist)
    alternatives: tuple[Suggestion, ...]  # ranked candidates when the evidence cannot single out one cell
    findings: tuple[int, ...]  # indexes into the report's findings: every finding belongs to exactly one problem
    loc: Loc | None  # where to look first, for document order


def known_by(finding: Finding) -> str:
    """The cell a finding is known by from one edit of a report to the next (baselines, SARIF fingerprints): the
    first it read, which a changed figure does not move (its suggestion may), else the one its suggestion names;
    "" for a finding on no cell."""
    cell = finding.cells[0] if finding.cells else finding.suggestion
    return f"{cell.table}/{cell.row}/{cell.column}" if cell is not None else ""


def position(loc: Loc | None) -> tuple:
    """Document order: page, then line or paragraph, then a Word table's row and cell; the whole file first."""
    if loc is None:
        return (0,)
    return (1, loc.page or 0, loc.line or 0, loc.paragraph or 0, loc.table or 0, loc.row or 0, loc.col or 0)
