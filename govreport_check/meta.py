"""What a report says about itself: its year, the body that wrote it, the notices it cites."""

from __future__ import annotations

import re

from govreport_check.normalize import nfkc

_TITLE_YEAR = re.compile(r"(20\d{2})\s*年(?:度)?")
_PERIOD = re.compile(r"统计期限[^。\n]{0,20}?(20\d{2})\s*年\s*1\s*月\s*1\s*日")
_TITLE_TAIL = re.compile(r"(?:20\d{2}\s*年度?)|政府信息公开工作年度报告|政务公开工作年度报告|工作年度报告|年度报告")
_NOTICE = re.compile(r"国办公开办函\s*[〔\[［(（【]\s*(20\d{2})\s*[〕\]］)）】]\s*(\d+)\s*号")


def title_line(lines: tuple[str, ...]) -> tuple[int, str] | None:
    for n, line in enumerate(lines[:15], start=1):
        s = nfkc(line).strip()
        if "报告" in s and len(s) <= 60 and _TITLE_YEAR.search(s):
            return n, s
    return None


def title_year(lines: tuple[str, ...]) -> tuple[int, int] | None:
    """(year, line) from the title."""
    title = title_line(lines)
    return (int(_TITLE_YEAR.search(title[1]).group(1)), title[0]) if title else None


def period_year(lines: tuple[str, ...]) -> tuple[int, int] | None:
    """(year, line) where the 统计期限 sentence says the statistics start."""
    for n, line in enumerate(lines[:80], start=1):
        if "统计期限" not in line:  # NFKC neither makes nor unmakes these four characters: no need to apply it
            continue
        m = _PERIOD.search(nfkc(line))
        if m:
            return int(m.group(1)), n
    return None


def report_year(lines: tuple[str, ...]) -> int | None:
    """The title's year; failing that, the year the 统计期限 sentence starts in."""
    found = title_year(lines) or period_year(lines)
    return found[0] if found else None


def unit_name(lines: tuple[str, ...]) -> str | None:
    title = title_line(lines)
    if not title:
        return None
    name = _TITLE_TAIL.sub("", title[1]).strip(" 　《》“”\"")
    return name or None


def notices(lines: tuple[str, ...]) -> list[tuple[str, int, str]]:
    """Every 国办公开办函〔YYYY〕N号 cited: (normalised notice, line, as written)."""
    out = []
    text = "\n".join(lines)
    if "公开办函" not in text and "公開辦函" not in text:  # most reports cite none: one search, not one a line
        return out
    for n, line in enumerate(lines, start=1):
        if "公开办函" not in line and "公開辦函" not in line:
            continue
        for m in _NOTICE.finditer(nfkc(line)):
            out.append((f"国办公开办函〔{m.group(1)}〕{m.group(2)}号", n, m.group(0)))
    return out
