"""Whether a document is one annual report, and not a text about reports: an evaluation or feedback note on
one (评估、测评、点评、反馈、通报), two reports in one file, or the figures of two years side by side.

Checking such a file would report every table missing or every total wrong, which misleads: it is an input
problem (exit code 2). Each test fires only on positive evidence of the other kind of document, never on what
a report merely lacks; a report whose tables are images is still a report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govreport_check import meta
from govreport_check.errors import InputError
from govreport_check.model import Document, Table
from govreport_check.normalize import nfkc
from govreport_check.sections import find_sections, table_section
from govreport_check.template.match import Records
from govreport_check.template.spec import Template

NOT_ONE = "不是一份年度报告"
HEAD_LINES = 15  # non-blank lines in which a document's own title stands
MIN_SECTIONS = 3  # sections each of two titles must head before they are read as two reports
MIN_LABELS = 3  # template labels a table must hold to be that template table

_YEAR = re.compile(r"(20\d{2})\s*年")
_YEAR_CELL = re.compile(r"^\s*(20\d{2})\s*(?:年度?)?\s*(?:[（(][^）)]{0,8}[）)])?\s*$")
_ABOUT = re.compile(r"评估|测评|点评|评议|考评|评价|反馈|通报|督查")  # a text about reports, not a report
_SUBJECT = re.compile(r"年度报告|工作报告|政府信息公开|政务公开|信息公开")
_COMPARE = re.compile(r"对比|比较|对照")


@dataclass(frozen=True)
class _Title:
    line: int  # 1-based line in Document.lines
    text: str  # cleaned
    year: int | None
    unit: str | None

    def differs(self, other: _Title) -> bool:
        """Another report: another year, or another body (a body named more fully, 示例区 and 示例区人民政府,
        is the same)."""
        if self.year and other.year and self.year != other.year:
            return True
        a, b = self.unit, other.unit
        return bool(a and b and a not in b and b not in a)


def ensure_one_report(doc: Document, records: Records, templates: dict[str, Template]) -> None:
    """Raises InputError (不是一份年度报告…) when the document is positively something else."""
    specs = next(iter(templates.values())).sections
    for test in (_two_reports, _side_by_side, _about_reports):
        problem = test(doc, records, templates, specs)
        if problem:
            message, line = problem
            raise InputError(f"{NOT_ONE}：{message}", doc.path, doc.source_line(line) if line else None)


def _title(line: int, text: str) -> _Title | None:
    s = meta.title_text(text)
    if not s or not _SUBJECT.search(s):
        return None
    year = _YEAR.search(s)
    return _Title(line, s, int(year.group(1)) if year else None, meta.title_unit(s))


def _own_title(lines: tuple[str, ...]) -> _Title | None:
    """The document's title: the first title-like line of its head that names a year, else the first."""
    found = [t for t in (_title(n, line) for n, line in _head(lines)) if t]
    return next((t for t in found if t.year), found[0] if found else None)


def _two_reports(doc: Document, records, templates, specs):
    """Two titles of different years or bodies, each followed by a report's sections of its own (总体情况 and
    two more: a line naming another year's report inside one report has sections on one side only); or two
    such titles heading the columns of a template table, as a comparison of two reports puts them."""
    for table in doc.tables:
        for row in table.rows:
            found = [_title(table.anchor, c.text) for c in row if not c.covered and "报告" in c.text]
            pair = _distinct([t for t in found if t and t.year])
            if pair and table_section(table, templates, MIN_LABELS):
                return _both(pair), table.anchor
    titles = [t for t in (_title(n, line) for n, line in enumerate(doc.lines, start=1)
                          if "报告" in line and line[:1] != "\t") if t and t.year]
    kept: list[_Title] = []
    for t in titles:
        if not kept or t.differs(kept[-1]):
            kept.append(t)
    if len(kept) < 2:
        return None
    first = specs[0].id
    for a, b, after in zip(kept, kept[1:], [*(t.line for t in kept[2:]), len(doc.lines) + 1]):
        one = {s.id for s in find_sections(doc.lines[a.line:b.line - 1], specs)}
        two = {s.id for s in find_sections(doc.lines[b.line:after - 1], specs)}
        if first in one and first in two and min(len(one), len(two)) >= MIN_SECTIONS:
            return _both((a, b)), b.line
    return None


def _distinct(titles: list[_Title]) -> tuple[_Title, _Title] | None:
    return next(((a, b) for i, a in enumerate(titles) for b in titles[i + 1:] if a.differs(b)), None)


def _both(pair: tuple[_Title, _Title]) -> str:
    a, b = pair
    return f"含有两份年度报告（「{a.text}」和「{b.text}」），请分成两个文件分别检查"


def _side_by_side(doc: Document, records, templates, specs):
    """A title that says it compares two years; or a template table laid out by year (columns 2022年,
    2023年) outside 总体情况 (where a report may compare its figures with last year's), when the report has no
    table of its own for the same figures."""
    title = _own_title(doc.lines)
    if title and len(set(_YEAR.findall(title.text))) >= 2 and _COMPARE.search(title.text):
        return f"标题「{title.text}」是两个年度的对比，不是一个年度的报告", title.line
    years = [_year_columns(table) for table in doc.tables]
    if not any(len(y) >= 2 for y in years):
        return None
    overview = next(((s.start, s.end) for s in find_sections(doc.lines, specs) if s.id == specs[0].id), (0, -1))
    by_year: dict[str, tuple[Table, list[int]]] = {}
    plain: set[str] = set()
    for table, shown in zip(doc.tables, years):
        held = table_section(table, templates, MIN_LABELS)
        if not held:
            continue
        if len(shown) < 2:
            plain.add(held)
        elif not overview[0] <= table.anchor <= overview[1]:
            by_year.setdefault(held, (table, shown))
    for held, (table, shown) in by_year.items():
        if held not in plain:
            return f"表格按年份（{'、'.join(f'{y}年' for y in shown)}）并列两个年度的数据，是年度之间的对比", table.anchor
    return None


def _about_reports(doc: Document, records, templates, specs):
    """A title that evaluates or answers reports (…年度报告的评估报告, 测评结果的通报, 反馈意见), with none of
    the template's tables in the document."""
    if records.values:
        return None
    title = _own_title(doc.lines)
    if title is None:
        return None
    words = _ABOUT.findall(title.text.replace(title.unit or "\0", ""))
    if words:
        return f"标题「{title.text}」是对年度报告的{words[0]}，文中没有年度报告的统计表格", title.line
    return None


def _head(lines: tuple[str, ...]):
    """(line, text) of the first HEAD_LINES non-blank lines."""
    seen = 0
    for n, line in enumerate(lines, start=1):
        if line.strip():
            yield n, line
            seen += 1
            if seen == HEAD_LINES:
                return


def _year_columns(table: Table) -> list[int]:
    """The distinct years that head columns of one row (the last part of a flattened header, 申请人/2023年)."""
    best: list[int] = []
    for row in table.rows:
        if not any("20" in c.text for c in row):  # most rows: no year anywhere
            continue
        years = sorted({int(m.group(1)) for c in row if not c.covered
                        for m in [_YEAR_CELL.match(nfkc(c.text).rsplit("/", 1)[-1])] if m})
        if len(years) > len(best):
            best = years
    return best
