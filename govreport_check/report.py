"""The pipeline for one input: read → layout → template → rules → findings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from govreport_check import meta
from govreport_check.findings import CellRef, Finding, Problem
from govreport_check.kind import ensure_one_report
from govreport_check.layouts import read_document
from govreport_check.model import Document, Loc, Section, Table
from govreport_check.rules.engine import Counts, evaluate
from govreport_check.rules.rule import Rule
from govreport_check.problems import group
from govreport_check.sections import find_sections, table_section
from govreport_check.template.match import Records, detect_template
from govreport_check.template.spec import Template, builtin_templates

@dataclass(frozen=True)
class Report:
    """A report read and matched to its template."""

    path: str  # as the user named it
    encoding: str  # how its bytes were decoded
    template: Template  # the template its labels follow
    year: int | None  # report year from the title or the 统计期限 sentence
    unit: str | None  # the body that published it, from the title
    sections: tuple[Section, ...]  # sections found, in order
    records: Records  # cells placed on the template
    document: Document  # the decoded input: lines and tables as laid out
    previous: Records | None = None  # last year's report of the same body, for cross-year rules
    previous_path: str | None = None  # the file last year's report was read from, for messages
    previous_unit: str | None = None  # the body last year's report names, to check the pairing
    previous_year: int | None = None  # the year last year's report covers, to check the pairing
    previous_prose: tuple[tuple[str, str], ...] = ()  # (section id, its prose as prose.compact reads it) of last
    # year's PREVIOUS_PROSE sections, for the copied-text rules: only these, so a paired report stays small

    def at(self, line: int) -> Loc:
        """Where line `line` of the document's text is in the file (text run together was re-split; a Word
        document's lines are paragraphs)."""
        return self.document.loc(line)


@dataclass(frozen=True)
class Summary:
    """What outputs say about a checked report: small, so a batch keeps thousands without keeping their text."""

    path: str  # as the user named it
    encoding: str  # how its bytes were decoded
    template: str | None  # template id ("2019", "2021"); None where the tables did not show it
    template_name: str  # e.g. 国办公开办函〔2019〕60号 格式（试行）
    notice: str  # the notice that issued the template
    year: int | None  # report year
    unit: str | None  # publishing body
    format: str = ""  # the kind of file: "text", "html", "docx", "pdf", "doc" (encoding names the text's decoding)


@dataclass(frozen=True)
class Result:
    """A checked report."""

    report: Summary  # what was read
    findings: tuple[Finding, ...]  # what is wrong with it
    counts: Counts  # how many checks ran and how they went
    ran: tuple[str, ...] = ()  # ids of the rules that checked something
    problems: tuple[Problem, ...] = ()  # the findings grouped by cause, in document order, for people
    cells: tuple[CellRef, ...] = ()  # every cell read, kept only for outputs that draw the tables (html)

    @property
    def status(self) -> str:
        return "fail" if self.counts.errors else "pass"


@dataclass(frozen=True)
class Unreadable:
    """An input that could not be checked (missing, not a report …): exit code 2, never a traceback."""

    path: str  # as the user named it
    message: str  # Chinese, from the InputError
    line: int | None = None  # where in the file, when known
    not_report: bool = False  # positively not a report (no report vocabulary), which --skip-non-reports passes over


def _placed(tables: tuple[Table, ...], sections: tuple[Section, ...],
            templates: dict[str, Template]) -> tuple[Table, ...]:
    """Each table under the section its labels name, wherever a report numbered off the template put it (sec3's
    rows are sec3 even under a title read as 二); else under the section its anchor line falls in. A section that
    already holds a table both ways keeps only its own: look-alike tables elsewhere (a summary in 总体情况) stay."""
    at = [next((s.id for s in sections if s.start <= t.anchor <= s.end), "") for t in tables]
    named = [table_section(t, templates) for t in tables]
    settled = {a for a, n in zip(at, named) if a and a == n}
    return tuple(replace(t, section=n if n and n not in settled else a) for t, a, n in zip(tables, at, named))


def load_report(path: str | Path, encoding: str | None = None, layout: str | None = None,
                templates: dict[str, Template] | None = None) -> Report:
    templates = templates or builtin_templates()
    doc = read_document(path, encoding, layout)
    specs = next(iter(templates.values())).sections
    sections = find_sections(doc.lines, specs)
    tables = _placed(doc.tables, sections, templates)
    year = meta.report_year(doc.lines)
    template, records = detect_template(templates, doc.lines, tables, year)
    ensure_one_report(doc, records, templates)
    return Report(doc.path, doc.encoding, template, year, meta.unit_name(doc.lines),
                  sections, records, doc)


PREVIOUS_PROSE = ("一", "五")  # the sections whose text a pairing keeps from last year's report


def with_previous(report: Report, last: Report) -> Report:
    """`report` paired with last year's report of the same body, for the cross-year rules. Last year's document is
    not kept, only its records and the prose of PREVIOUS_PROSE."""
    from govreport_check.checks.prose import compact

    lines, skip = last.document.lines, last.document.table_lines
    prose = tuple((s.id, compact(lines, s.start + 1, s.end, skip).text) for s in last.sections
                  if s.id in PREVIOUS_PROSE)
    return replace(report, previous=last.records, previous_path=last.path, previous_unit=last.unit,
                   previous_year=last.year, previous_prose=prose)


def summary(report: Report) -> Summary:
    t = report.template
    if not report.records.known:
        return Summary(report.path, report.encoding, None, "未能识别（表格缺失或不完整）", "", report.year, report.unit,
                       file_format(report.document))
    return Summary(report.path, report.encoding, t.id, t.name, t.notice, report.year, report.unit,
                   file_format(report.document))


def file_format(doc: Document) -> str:
    """What kind of file the report was: the reader's word for it, else the layout's (a Document built by hand)."""
    if doc.format:
        return doc.format
    return doc.layout if doc.layout in ("html", "docx", "pdf") else "text"


def check(report: Report, rules: list[Rule], keep_cells: bool = False) -> Result:
    findings, counts, ran = evaluate(report, rules)
    cells = tuple(report.records.ref(*key) for key in report.records.values) if keep_cells else ()
    return Result(summary(report), tuple(findings), counts, ran, group(tuple(findings), report.template), cells)
