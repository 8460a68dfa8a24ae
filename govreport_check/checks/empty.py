"""A section present but saying nothing (`kind: section-empty`): section 五 with no text, or only 无/暂无/没有.
Every body has problems to report and plans to make, so an empty 五 is a section left unwritten. A section that is
missing altogether is `sections-complete`'s finding, not this one's."""

from __future__ import annotations

import re
from typing import Iterator

from govreport_check.checks.prose import compact
from govreport_check.findings import Fact
from govreport_check.rules.rule import Outcome, Rule

OPTIONS = frozenset({"section", "words"})
PARAMS = frozenset({"section", "title", "problem", "written"})
_NOISE = re.compile(r"[\W_]+")  # whitespace and punctuation: 无。 and （无） say 无


def prepare(raw: dict, templates) -> dict:
    words = raw.get("words", [])
    if not isinstance(words, list) or any(isinstance(w, (dict, list)) for w in words):
        raise ValueError("words 应为列表：只写了这些词时也算没有内容，如 [无, 暂无]")
    # tuples, not sets: options are cached as plain data (cache.py)
    return {"section": str(raw.get("section", "五")), "words": tuple(_NOISE.sub("", str(w)) for w in words)}


def run(rule: Rule, report) -> Iterator[Outcome]:
    o = rule.options
    section = next((s for s in report.sections if s.id == o["section"]), None)
    if section is None:
        return
    written = compact(report.document.lines, section.start + 1, section.end, report.document.table_lines).text
    said = _NOISE.sub("", written)
    fact = None
    if not said or said in o["words"]:
        spec = next((s for s in report.template.sections if s.id == section.id), None)
        fact = Fact(rule.id, {"section": section.id, "title": spec.title if spec else section.title,
                              "problem": f"只写了“{said}”" if said else "没有内容", "written": written.strip()},
                    loc=report.at(section.start))
    yield Outcome(rule.id, (section.id, None), fact)


def reads(rule: Rule) -> str:
    o = rule.options
    words = "、".join(o["words"])
    return f"第{o['section']}部分标题之后的正文（不含表格）：为空，或只有{words}" if words else \
        f"第{o['section']}部分标题之后的正文（不含表格）是否为空"
