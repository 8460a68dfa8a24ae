"""The pipeline for one input: read → layout → template → rules → findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govreport_check import meta
from govreport_check.findings import Finding
from govreport_check.layouts import tabcells
from govreport_check.model import Section, Table
from govreport_check.read import read_text, split_lines
from govreport_check.rules.engine import Counts, evaluate
from govreport_check.rules.load import Rule
from govreport_check.sections import find_sections
from govreport_check.template.match import Records, detect_template, match
from govreport_check.template.spec import Template, builtin_templates

TABLE_SECTIONS = ("二", "三", "四")


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


@dataclass(frozen=True)
class Result:
    """A report with its findings."""

    report: Report  # what was read
    findings: tuple[Finding, ...]  # what is wrong with it
    counts: Counts  # how many checks ran and how they went

    @property
    def status(self) -> str:
        return "fail" if self.counts.errors else "pass"


def _tables(lines: tuple[str, ...], sections: tuple[Section, ...], path: str) -> tuple[Table, ...]:
    out: list[Table] = []
    for s in sections:
        if s.id in TABLE_SECTIONS:
            out.extend(tabcells.read_tables(lines, s.start + 1, s.end, s.id, path))
    return tuple(out)


def load_report(path: str | Path, encoding: str | None = None,
                templates: dict[str, Template] | None = None) -> Report:
    templates = templates or builtin_templates()
    name = str(path)
    text, used = read_text(path, encoding)
    lines = split_lines(text)
    specs = next(iter(templates.values())).sections
    sections = find_sections(lines, specs)
    tables = _tables(lines, sections, name)
    template = detect_template(templates, lines, tables)
    return Report(name, used, template, meta.report_year(lines), meta.unit_name(lines), sections,
                  match(template, tables))


def check(report: Report, rules: list[Rule]) -> Result:
    findings, counts = evaluate(report.records, rules)
    return Result(report, tuple(findings), counts)
