"""A declared rule and what running it yields: shared by the loader, the engine and every check kind."""

from __future__ import annotations

from dataclasses import dataclass, field

from govreport_check.findings import Fact, Severity
from govreport_check.rules.expr import Expr

Instance = tuple[str | None, str | None]  # (row, column) a rule is expanded at; (None, None) when not expanded


@dataclass(frozen=True)
class Rule:
    """One declared rule, validated against the templates."""

    id: str  # stable id used in output, --select and --ignore ("sec3-row-total")
    name: str  # Chinese name
    severity: Severity  # default severity
    tags: tuple[str, ...]  # for selection and listing
    message: str  # Chinese message template with {placeholders}
    description: str  # longer Chinese explanation for `explain`
    kind: str  # check kind: the module in govreport_check/checks that runs it
    source: str  # "file:line" of the declaration
    templates: tuple[str, ...]  # templates the rule applies to
    table: str | None = None  # table the rule reads
    foreach: str = "none"  # expand over every "row", every "column", or not at all
    rows: tuple[str, ...] = ()  # restrict to these rows (ids or globs); empty = all
    columns: tuple[str, ...] = ()  # restrict to these columns; empty = all
    expr: Expr | None = None  # the checked expression, for kinds that have one
    when: Expr | None = None  # a condition: the rule is only checked where it holds
    options: dict = field(default_factory=dict, compare=False, hash=False)  # kind-specific settings
    examples: dict = field(default_factory=dict, compare=False, hash=False)  # {"pass": …, "fail": …} for explain/tests


@dataclass(frozen=True, init=False)
class Outcome:
    """One evaluated instance of a rule, as the engine counts it. Made for every instance checked, a hundred a
    report: its __init__ writes the instance dict directly (see model.Loc)."""

    rule: str  # rule id
    instance: Instance  # where it was checked
    fact: Fact | None  # None when the instance held

    def __init__(self, rule: str, instance: Instance, fact: Fact | None) -> None:
        d = self.__dict__
        d["rule"], d["instance"], d["fact"] = rule, instance, fact
