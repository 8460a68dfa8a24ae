"""GitHub Actions: workflow-command annotations on the lines, and a Markdown summary for the job page."""

from __future__ import annotations

from govreport_check.render.markdown import check_summary
from govreport_check.report import Result, Unreadable

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def check_document(results: list[Result | Unreadable]) -> str:
    lines = []
    for item in results:
        if isinstance(item, Unreadable):
            lines.append(f"::error file={_prop(item.path)},title={_prop('无法读取')}::{_data(item.message)}")
            continue
        for f in item.findings:
            props = [f"file={_prop(item.report.path)}"]
            if f.loc is not None and f.loc.line is not None:
                props.append(f"line={f.loc.line}")
            props.append(f"title={_prop(f'{f.rule} {f.name}')}")
            lines.append(f"::{COMMAND[f.severity.value]} {','.join(props)}::{_data(f.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def step_summary(results: list[Result | Unreadable]) -> str:
    return check_summary(results)
