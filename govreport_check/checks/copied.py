"""A section carried over from last year's report (`kind: copied`): the share of this year's section 五 (or 一)
that repeats last year's same section.

Both texts are compared without whitespace, punctuation and digits: the figures and the years change every year
in a text that is otherwise copied, and a copy that only updated them is still a copy. A character counts as
repeated when it lies in a run of `_RUN` characters that also occurs in last year's section, wherever it stands
there: paragraphs moved around are still repeated, while phrases every report shares (政府信息公开申请, 8
characters) are too short to count. Runs are looked up in a set of last year's runs, so a pair takes time in
proportion to the sections' length (a fraction of a millisecond for the usual few hundred characters), where
difflib's alignment grows with the product of the lengths and is thrown off by how often 公, 开 and 政 recur.
"""

from __future__ import annotations

import re
from typing import Iterator

from govreport_check.checks.prose import compact
from govreport_check.findings import Fact
from govreport_check.rules.rule import Outcome, Rule

OPTIONS = frozenset({"section", "share", "min_chars"})
PARAMS = frozenset({"section", "title", "percent", "previous", "repeated", "total"})
_RUN = 10  # characters: longer than the stock phrases reports share, shorter than a clause
_NOISE = re.compile(r"[\W\d_]+")  # whitespace, punctuation, digits (NFKC has made full-width ones ASCII)


def prepare(raw: dict, templates) -> dict:
    from govreport_check.report import PREVIOUS_PROSE

    section = str(raw.get("section", "五"))
    if section not in PREVIOUS_PROSE:
        raise ValueError(f"copied 规则的 section 应为 {'、'.join(PREVIOUS_PROSE)} 之一（配对时只保留上一年报告的这些部分），"
                         f"而不是 {section}")
    share, least = raw.get("share", 0.6), raw.get("min_chars", 30)
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
        raise ValueError(f"share 应为 0 到 1 之间的比例（如 0.6），而不是 {share}")
    if isinstance(least, bool) or not isinstance(least, int) or least < 1:
        raise ValueError(f"min_chars 应为正整数，而不是 {least}")
    return {"section": section, "share": float(share), "min_chars": least}


def normalised(prose: str) -> str:
    return _NOISE.sub("", prose)


def repeated(text: str, last: str, run: int = _RUN) -> int:
    """How many characters of `text` lie in a run of `run` characters that `last` holds too."""
    if len(text) < run or len(last) < run:
        return 0
    runs = {last[i:i + run] for i in range(len(last) - run + 1)}
    covered = reach = 0
    for i in range(len(text) - run + 1):
        if text[i:i + run] in runs:
            covered += i + run - max(reach, i)
            reach = i + run
    return covered


def run(rule: Rule, report) -> Iterator[Outcome]:
    o = rule.options
    last = dict(report.previous_prose).get(o["section"])
    section = next((s for s in report.sections if s.id == o["section"]), None)
    if report.previous is None or last is None or section is None:
        return
    text = normalised(compact(report.document.lines, section.start + 1, section.end, report.document.table_lines).text)
    if len(text) < o["min_chars"]:
        return  # a line or two (无。) says too little to call it copied; sections-empty speaks of an empty one
    same = repeated(text, normalised(last))
    fact = None
    if same >= o["share"] * len(text):
        spec = next((s for s in report.template.sections if s.id == section.id), None)
        name = (report.previous_path or "").replace("\\", "/").rsplit("/", 1)[-1]
        fact = Fact(rule.id, {"section": section.id, "title": spec.title if spec else section.title,
                              "percent": same * 100 // len(text), "previous": name, "repeated": same,
                              "total": len(text)}, loc=report.at(section.start))
    yield Outcome(rule.id, (section.id, None), fact)


def reads(rule: Rule) -> str:
    o = rule.options
    return (f"第{o['section']}部分的正文（去掉空白、标点和数字）中，与上一年报告同一部分相同的文字所占比例，"
            f"不低于 {o['share']:.0%} 时提示（不足 {o['min_chars']} 字的不比较）")
