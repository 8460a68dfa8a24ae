"""What a report says about itself: its year, the body that wrote it, the notices it cites."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from govreport_check.normalize import nfkc

_TITLE_YEAR = re.compile(r"(20\d{2})\s*年(?:度)?")
_PERIOD = re.compile(r"统计期限[^。\n]{0,20}?(20\d{2})\s*年\s*1\s*月\s*1\s*日")
_NOTICE = re.compile(r"国办公开办函\s*[〔\[［(（【]\s*(20\d{2})\s*[〕\]］)）】]\s*(\d+)\s*号")
MAX_TITLE = 60  # characters: a longer line is prose, not a title

# A numbered heading: 一、 l六、 六. 六 其他… （一） (1) 1. 1、 第一章 — a section or sub-section title, never the report's.
_NUMBERED = re.compile(
    r"(?:[A-Za-z]{0,2}[ \u3000]*[一二三四五六七八九十]{1,3}[ \u3000]*[、.．，,]"
    r"|[一二三四五六七八九十]{1,3}[ \u3000]+\S"
    r"|[（(][一二三四五六七八九十\d]{1,3}[）)]"
    r"|\d{1,2}[ \u3000]*[、.．)）](?!\d)"
    r"|第[一二三四五六七八九十百\d]{1,3}[章节部分篇条项])"
)
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")  # markup left in text by converters (<b>, </span>, <br/>)
_MARKDOWN = re.compile(r"^(?:[ \t]*(?:#{1,6}|>|[-+*](?=\s)|\|))+|\*+|~~|`+|\\(?=[^\w\s])|[ \t|]+$")
_LABEL = re.compile(r"^\s*(?:[【\[［](?:标题|题目|主题|名称|文章标题|信息名称)[】\]］]|(?:标题|题目|主题|名称|文章标题|信息名称)\s*[:：])\s*")
_LINK = re.compile(r"^\s*(?:上一篇|下一篇|上一条|下一条|相关(?:文章|链接|阅读|信息)|附件)")
_NOT_TITLE = re.compile(r"[。；;>›»]|统计期限")  # sentences, breadcrumbs
_REPORT_TITLE = re.compile(r"年度报告|工作报告")
_TITLE_KIND = re.compile(r"政务信息公开|政府信息公开|政务公开|信息公开|工作年度报告|年度报告|工作报告|报告")
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_EDGE = " \t\u3000:：,，.。、;；!！?？-—–_·•|/\\《》“”\"'‘’「」『』【】[]（）()<>〈〉"
_UNIT_END = re.compile(
    r"(?:政府|办公室|办|局|委员会|委|厅|部|院|署|会|中心|区|县|市|州|盟|旗|镇|乡|街道|办事处|公司|所|站|队|馆|处|科|社|校|集团)$"
)


@lru_cache(maxsize=1)
def _section_keywords() -> tuple[str, ...]:
    from govreport_check.template.spec import builtin_templates

    return tuple(k for t in builtin_templates().values() for s in t.sections for k in s.keywords)


def clean(text: str) -> str:
    """A line without what carried it: HTML entities and tags, Markdown marks (`#`, `**`, `>`, table pipes),
    labels a crawler put before it (标题：, 【标题】), CJK characters spaced apart (`2025 年 政府`)."""
    return _CJK_SPACE.sub("", _unmarked(text))


def _unmarked(text: str) -> str:
    s = nfkc(html.unescape(text))
    s = _TAG.sub("", s)
    s = _MARKDOWN.sub("", s)
    return _LABEL.sub("", s).strip()


def is_heading(line: str) -> bool:
    """A section or sub-section heading: numbered (一、 （一） 1. 第一章), or carrying a section's keywords
    (其他需要报告的事项) but not a report's name. Such a line is never the report's title, though it says 报告."""
    s = _unmarked(line)
    if _NUMBERED.match(s):
        return True
    s = _CJK_SPACE.sub("", s)
    return not _REPORT_TITLE.search(s) and any(k in s for k in _section_keywords())


def title_text(line: str) -> str | None:
    """The line cleaned, when it can be a document's title: short, naming a 报告 other than 本报告, neither a
    heading nor a sentence nor a link to another page."""
    if "报告" not in line or len(line) > MAX_TITLE * 2:
        return None
    s = clean(line)
    if not s or len(s) > MAX_TITLE or "报告" not in s.replace("本报告", ""):
        return None
    if _NOT_TITLE.search(s) or _LINK.match(s) or is_heading(s):
        return None
    return s


def title_line(lines: tuple[str, ...]) -> tuple[int, str] | None:
    """(line, title): the first title-like line of the first 15 that names a year."""
    for n, line in enumerate(lines[:15], start=1):
        s = title_text(line)
        if s and _TITLE_YEAR.search(s):
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
    """The body named in the title; when the title names none (a PDF centres the body's name on the line above
    `2024 年政府信息公开工作年度报告`), the line above when it reads as a body's name."""
    title = title_line(lines)
    if not title:
        return None
    n, text = title
    name = title_unit(text)
    if name is None and n > 1:
        name = _unit_line(lines[n - 2])
    return name


def title_unit(title: str) -> str | None:
    """The body a title names: what precedes its year (示例区2020年…), or, in a title that starts with its
    year, what lies between the year and the kind of report (2020年盐田区政府信息公开…)."""
    s = clean(title)
    year = _TITLE_YEAR.search(s)
    if not year:
        return None
    name = _trim(s[: year.start()])
    if not name:
        rest = s[year.end():]
        kind = _TITLE_KIND.search(rest)
        name = _trim(rest[: kind.start()]) if kind else ""
    return name or None


def _trim(name: str) -> str:
    prev = None
    while prev != name:
        prev = name
        name = name.strip(_EDGE)
        name = re.sub(r"^关于|(?:关于|的|之)$", "", name)
    return name


def _unit_line(line: str) -> str | None:
    s = _trim(clean(line))
    if not 2 <= len(s) <= 30 or re.search(r"\d|报告|\s|[，,。；;：:]", s) or is_heading(s):
        return None
    return s if _UNIT_END.search(s) else None


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
