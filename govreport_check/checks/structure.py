"""Problems found while placing tables on the template. The extraction stage reports them as facts; these
rules only give them their id, severity and wording, so running them checks nothing more."""

from __future__ import annotations

OPTIONS: frozenset[str] = frozenset()
_TABLE = frozenset({"table", "section"})
_BY_ID = {  # what template/match.py puts in each fact it reports
    "table-missing": _TABLE,
    "table-missing-sec2": _TABLE,
    "row-missing": frozenset({"table", "row", "label", "row_words"}),
    "row-unplaced": frozenset({"table", "label", "found"}),
    "row-shape": frozenset({"table", "label", "expected", "found"}),
    "row-duplicate": frozenset({"table", "label", "row", "row_words"}),
    "row-extra": frozenset({"table", "label", "found"}),
    "table-glued": frozenset({"table", "rows"}),
    "row-ambiguous": frozenset({"table", "label", "digits", "candidates", "count"}),
    "tables-absent": frozenset(),
    "row-label-differs": frozenset({"table", "label", "row", "expected", "row_words"}),
    "rows-by-order": frozenset({"table", "rows", "first", "last", "first_words", "last_words"}),
    "template-mixed": frozenset({"sec2", "sec2_name", "template", "template_name"}),
}


def params(rule) -> frozenset[str]:
    """Each problem carries its own names; an id the extraction stage never reports carries none."""
    return _BY_ID.get(rule.id, frozenset())


def run(rule, report):
    return iter(())


def reads(rule) -> str:
    return "表格对应到模板时发现的问题（由解析阶段报告）"
