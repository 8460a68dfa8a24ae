"""The pipeline for one input: read → layout → template → rules → findings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from govreport_check import meta
from govreport_check.findings import Finding
from govreport_check.layouts import read_document
from govreport_check.model import Document, Section, Table
from govreport_check.rules.engine import Counts, evaluate
from govreport_check.rules.rule import Rule
from govreport_check.sections import find_sections
from govreport_check.template.match import Records, detect_template, match
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


@dataclass(frozen=True)
class Result:
    """A report with its findings."""

    report: Report  # what was read
    findings: tuple[Finding, ...]  # what is wrong with it
    counts: Counts  # how many checks ran and how they went

    @property
    def status(self) -> str:
        return "fail" if self.counts.errors else "pass"


def _placed(tables: tuple[Table, ...], sections: tuple[Section, ...]) -> tuple[Table, ...]:
    """Each table under the section its anchor line falls in."""
    out = []
    for t in tables:
        section = next((s.id for s in sections if s.start <= t.anchor <= s.end), "")
        out.append(replace(t, section=section))
    return tuple(out)


def load_report(path: str | Path, encoding: str | None = None, layout: str | None = None,
                templates: dict[str, Template] | None = None) -> Report:
    templates = templates or builtin_templates()
    doc = read_document(path, encoding, layout)
    specs = next(iter(templates.values())).sections
    sections = find_sections(doc.lines, specs)
    tables = _placed(doc.tables, sections)
    template = detect_template(templates, doc.lines, tables)
    return Report(doc.path, doc.encoding, template, meta.report_year(doc.lines), meta.unit_name(doc.lines),
                  sections, match(template, tables), doc)


def check(report: Report, rules: list[Rule]) -> Result:
    findings, counts = evaluate(report, rules)
    return Result(report, tuple(findings), counts)
