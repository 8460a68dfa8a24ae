"""Problems found while placing tables on the template. The extraction stage reports them as facts; these
rules only give them their id, severity and wording, so running them checks nothing more."""

from __future__ import annotations

OPTIONS: frozenset[str] = frozenset()


def run(rule, report):
    return iter(())


def reads(rule) -> str:
    return "表格对应到模板时发现的问题（由解析阶段报告）"
