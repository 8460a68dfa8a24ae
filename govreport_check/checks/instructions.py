"""Template instructions left in the published text (`kind: instructions`): 编写说明, （文字描述…）, 此处报告 …"""

from __future__ import annotations

import re
from typing import Iterator

from govreport_check.findings import Fact
from govreport_check.rules.rule import Outcome, Rule

OPTIONS = frozenset({"patterns"})
PARAMS = frozenset({"text", "line", "place"})
_BEYOND_LINE = ("(?=", "(?!", "(?<", "\\A", "\\Z")


def prepare(raw: dict, templates) -> dict:
    patterns = raw.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise ValueError("instructions 规则需要 patterns: [正则, …]")
    try:
        compiled = tuple(re.compile(str(p)) for p in patterns)
        # A pattern that finds nothing in the whole text finds nothing in any line of it, unless it looks past a
        # line's ends (lookarounds, \A, \Z): only such rules are searched line by line from the start.
        local = not any(mark in p.pattern for p in compiled for mark in _BEYOND_LINE)
        whole = tuple(re.compile(p.pattern, re.MULTILINE) for p in compiled) if local else None
        return {"patterns": compiled, "any": re.compile("|".join(f"(?:{p.pattern})" for p in compiled)),
                "whole": whole}
    except re.error as exc:
        raise ValueError(f"patterns 中有无效的正则表达式：{exc}") from None


def run(rule: Rule, report) -> Iterator[Outcome]:
    whole = rule.options["whole"]
    if whole is not None:  # one search of the text a pattern (C loops) settles most reports, which have none
        text = "\n".join(report.document.lines)
        if not any(p.search(text) for p in whole):
            yield Outcome(rule.id, (None, None), None)
            return
    hits = 0
    search = rule.options["any"].search
    for n, line in enumerate(report.document.lines, start=1):
        m = search(line)
        if m:
            hits += 1
            at = report.at(n)
            yield Outcome(rule.id, (None, str(n)), Fact(rule.id, {"text": m.group(0), "line": n, "place": at.place},
                                                        loc=at))
    if not hits:
        yield Outcome(rule.id, (None, None), None)


def reads(rule: Rule) -> str:
    return "全文每一行，查找：" + " | ".join(p.pattern for p in rule.options["patterns"])
