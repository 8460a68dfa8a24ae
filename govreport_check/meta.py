"""What a report says about itself: its year and the body that wrote it."""

from __future__ import annotations

import re

from govreport_check.normalize import nfkc

_TITLE_YEAR = re.compile(r"(20\d{2})\s*年(?:度)?")
_PERIOD = re.compile(r"统计期限[^。\n]{0,20}?(20\d{2})\s*年\s*1\s*月\s*1\s*日")
_TITLE_TAIL = re.compile(r"(?:20\d{2}\s*年度?)|政府信息公开工作年度报告|政务公开工作年度报告|工作年度报告|年度报告")


def title_line(lines: tuple[str, ...]) -> tuple[int, str] | None:
    for n, line in enumerate(lines[:15], start=1):
        s = nfkc(line).strip()
        if "报告" in s and len(s) <= 60 and _TITLE_YEAR.search(s):
            return n, s
    return None


def report_year(lines: tuple[str, ...]) -> int | None:
    """The title's year; failing that, the year the 统计期限 sentence starts in."""
    title = title_line(lines)
    if title:
        return int(_TITLE_YEAR.search(title[1]).group(1))
    for line in lines[:60]:
        m = _PERIOD.search(nfkc(line))
        if m:
            return int(m.group(1))
    return None


def unit_name(lines: tuple[str, ...]) -> str | None:
    title = title_line(lines)
    if not title:
        return None
    name = _TITLE_TAIL.sub("", title[1]).strip(" 　《》“”\"")
    return name or None
