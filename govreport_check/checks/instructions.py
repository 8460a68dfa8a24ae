"""Template instructions left in the published text (`kind: instructions`): 编写说明, （文字描述…）, 此处报告 …"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from typing import Iterator

from govreport_check.findings import Fact
from govreport_check.model import Loc
from govreport_check.rules.rule import Outcome, Rule

OPTIONS = frozenset({"patterns"})


def prepare(raw: dict, templates) -> dict:
    patterns = raw.get("patterns")
    if not isinstance(patterns, list) or not patterns:
        raise ValueError("instructions 规则需要 patterns: [正则, …]")
    try:
        compiled = tuple(re.compile(str(p)) for p in patterns)
        return {"patterns": compiled, "any": re.compile("|".join(f"(?:{p.pattern})" for p in compiled), re.MULTILINE)}
    except re.error as exc:
        raise ValueError(f"patterns 中有无效的正则表达式：{exc}") from None


def run(rule: Rule, report) -> Iterator[Outcome]:
    """The first hit on each line, as a search of that line alone finds it. The text is searched whole (a
    search a line costs more than the check); `^` and `$` mark line ends, and where a hit runs on into the
    next line (`（文字描述` left open), its line is searched alone."""
    lines = report.document.lines
    text = "\n".join(lines)
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))  # starts[n] is where line n+1 begins
    pattern = rule.options["any"]
    hits, pos = 0, 0
    while (m := pattern.search(text, pos)) is not None:
        n = bisect_right(starts, m.start())
        hit = m if m.end() < starts[n] else pattern.search(lines[n - 1])
        pos = starts[n]
        if hit is not None:
            hits += 1
            yield Outcome(rule.id, (None, str(n)), Fact(rule.id, {"text": hit.group(0), "line": n},
                                                        loc=Loc(report.path, n)))
    if not hits:
        yield Outcome(rule.id, (None, None), None)


def reads(rule: Rule) -> str:
    return "全文每一行，查找：" + " | ".join(p.pattern for p in rule.options["patterns"])
