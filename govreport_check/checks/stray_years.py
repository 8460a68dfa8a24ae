"""A year in the prose that is not the report's (`kind: stray-year`): 2021年共收到申请 in a 2023 report is a figure
copied from an old report and left unchanged. The report year, the one before (comparisons) and the one after (the
plans of section 五, the date it was published) are the years a report speaks of; `allowed` lists them as offsets.

Only years written as years count (2021年, 2021年度): a bare 2021 is a figure, and the years of document numbers
(〔2019〕60号) and web addresses carry no 年. Read apart, and never reported: what precedes the title (a crawled
page's header) and the title, the 统计期限 sentence (year-mismatch reads it), lines that only hold a date (落款, a
page's date), names in 《》 (规划（2021—2025年）), laws' revisions and dates in force ((2019年修订), 2019年5月15日
起施行), history (2015年以来, 自2018年起), reports named (上一篇：…2021年…年度报告), spans that include the report
year (2021—2025年), and targets after it (到2035年). The prose is read as prose.compact gives it, so that a
sentence a PDF wrapped is one sentence. One finding a sentence, the first `limit` of them; the last one listed
counts the rest.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Iterator

from govreport_check import meta
from govreport_check.checks.prose import compact
from govreport_check.findings import Fact
from govreport_check.normalize import nfkc
from govreport_check.rules.rule import Outcome, Rule

OPTIONS = frozenset({"allowed", "limit"})
PARAMS = frozenset({"quote", "years", "report_year", "line", "place", "more"})
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
# In the lines as written, before compact takes out the spaces; full-width digits too (int() reads them), so that
# the reports with no other year, most of them, are settled without normalising their text.
_SPACED_YEAR = re.compile(r"(?<![0-9０-９])([12１２][09０９][0-9０-９]{2})\s*年")
_SENTENCE = re.compile(r"[^。；;！？!?\n]+")
_DATE_LINE = re.compile(r"^[\s(（\[［【]*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?[\s)）\]］】]*"
                        r"(?:星期.|周.)?\s*$")
_DAY = r"(?:\d{1,2}月(?:\d{1,2}日)?)?"
_AFTER = re.compile(_DAY + r"(?:起|开始)?新?(?:修订|修正|修改|颁布|公布|施行|版)|" + _DAY + r"(?:以来|至今|起|开始)"
                    r"|度?[^，,。；;]{0,24}?报告")  # a report's name: 2021年政府信息公开工作年度报告
_SPAN = re.compile(r"(?<!\d)((?:19|20)\d{2})年?[-—–~～至到]((?:19|20)\d{2})年")
_DATE_CHARS = 40  # a line holding only a date is no longer than this, however it is spaced
_HEADING = 30  # characters: a longer line without a closing mark is a sentence wrapped, not a heading
_CLOSED = ("。", "；", ";", "：", ":", "！", "!", "？", "?")
_QUOTE = 60  # characters of a sentence quoted; a longer one is cut around its first stray year


def prepare(raw: dict, templates) -> dict:
    allowed, limit = raw.get("allowed", [-1, 0, 1]), raw.get("limit", 5)
    if not isinstance(allowed, list) or not all(isinstance(a, int) and not isinstance(a, bool) for a in allowed):
        raise ValueError("allowed 应为相对报告年度的年数列表，如 [-1, 0, 1]")
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"limit 应为正整数，而不是 {limit}")
    return {"allowed": tuple(allowed), "limit": limit}  # a tuple: options are cached as plain data (cache.py)


def run(rule: Rule, report) -> Iterator[Outcome]:
    if report.year is None:
        return
    allowed = {report.year + a for a in rule.options["allowed"]}
    lines = report.document.lines
    if not any(int(y) not in allowed for y in _SPACED_YEAR.findall("\n".join(lines))):
        yield Outcome(rule.id, (None, None), None)  # one search settles the reports that have none, most of them
        return
    title = meta.title_line(lines)
    start = title[0] + 1 if title else 1
    dates = {n for n in range(start, len(lines) + 1)
             if "年" in lines[n - 1] and len(lines[n - 1]) <= _DATE_CHARS and _DATE_LINE.match(nfkc(lines[n - 1]))}
    prose = compact(lines, start, len(lines), report.document.table_lines | dates)
    found = [(left, right, years) for left, right in _sentences(prose, lines)
             if (years := _stray(prose.text[left:right], allowed, report.year))]
    limit = rule.options["limit"]
    for i, (left, right, years) in enumerate(found[:limit]):
        first = left + years[0][1]
        line, _ = prose.where(first)
        at = report.at(line)
        more = f"；另有 {len(found) - limit} 句提到其他年份，未逐一列出" if i == limit - 1 and len(found) > limit else ""
        fact = Fact(rule.id, {"quote": _quote(prose, left, right, first), "years": "、".join(
            dict.fromkeys(f"{y}年" for y, _ in years)), "report_year": report.year, "line": line,
            "place": at.place, "more": more}, loc=at)
        yield Outcome(rule.id, (None, str(line)), fact)
    if not found:
        yield Outcome(rule.id, (None, None), None)


def _sentences(prose, lines: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of `prose.text`. A heading (（一）主动公开情况) ends one too: compact runs a line
    without a closing mark into the next, and the heading is no part of the sentence below it."""
    breaks = sorted(prose.starts[k + 1] for k, (n, _, _) in enumerate(prose.pieces[:-1])
                    if len(line := lines[n - 1].strip()) <= _HEADING and not line.endswith(_CLOSED)
                    and meta.is_heading(line))
    for m in _SENTENCE.finditer(prose.text):
        left = m.start()
        for cut in breaks[bisect_right(breaks, left):bisect_left(breaks, m.end())]:
            yield left, cut
            left = cut
        yield left, m.end()


def _stray(sentence: str, allowed: set[int], year: int) -> list[tuple[int, int]]:
    """(year, where in the sentence) of each year the sentence should not speak of."""
    if "统计期限" in sentence:
        return []
    spanned = set()
    for m in _SPAN.finditer(sentence):
        low, high = int(m.group(1)), int(m.group(2))
        if low <= year <= high or {low, high} & allowed:
            spanned.update(range(m.start(), m.end()))
    out = []
    for m in _YEAR.finditer(sentence):
        y, at = int(m.group(1)), m.start()
        if y in allowed or at in spanned:
            continue
        opened = sentence.rfind("《", 0, at)
        if opened != -1 and sentence.find("》", opened, at) == -1:
            continue  # a name: 《…规划（2021—2025年）》
        if _AFTER.match(sentence, m.end()) or sentence[max(0, at - 1):at] in ("自", "从"):
            continue
        if y > year and sentence[max(0, at - 1):at] in ("到", "至"):
            continue
        out.append((y, at))
    return out


def _quote(prose, start: int, end: int, first: int) -> str:
    """The sentence as written, cut to _QUOTE characters around `first` when longer."""
    left, right, at = prose.where(start)[1], prose.where(end - 1)[1] + 1, prose.where(first)[1]
    if right - left <= _QUOTE:
        return prose.original[left:right]
    cut = min(max(left, at - _QUOTE // 3), right - _QUOTE)
    return ("…" if cut > left else "") + prose.original[cut:cut + _QUOTE] + ("…" if cut + _QUOTE < right else "")


def reads(rule: Rule) -> str:
    offsets = "、".join(f"{a:+d}" if a else "本年" for a in sorted(rule.options["allowed"]))
    return f"标题之后正文中的“某某年”，允许的年份为报告年度 {offsets}；法规名称、文号、落款日期、历史沿革等不计"
