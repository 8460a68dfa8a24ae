"""SARIF 2.1.0, for code-scanning dashboards: rule metadata from the YAML, one result per finding with the
source line (physicalLocation) and the template cell (logicalLocation)."""

from __future__ import annotations

import json

from govreport_check import __version__
from govreport_check.report import Result, Unreadable

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule(rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.name},
        "fullDescription": {"text": rule.description or rule.name},
        "defaultConfiguration": {"level": LEVEL[rule.severity.value]},
        "properties": {"tags": list(rule.tags), "templates": list(rule.templates)},
    }


def _location(path: str, finding) -> dict:
    physical: dict = {"artifactLocation": {"uri": path}}
    loc = finding.loc
    if loc is not None and loc.line is not None:
        physical["region"] = {"startLine": loc.line}
    out: dict = {"physicalLocation": physical}
    cell = finding.suggestion or (finding.cells[0] if finding.cells else None)
    if cell is not None:
        name = f"{cell.table}/{cell.row}/{cell.column}"
        out["logicalLocations"] = [{"name": name, "fullyQualifiedName": name, "kind": "element"}]
    if loc is not None and loc.line is None:
        out["properties"] = {"location": str(loc)}
    return out


def check_document(results: list[Result | Unreadable], rules) -> str:
    index = {r.id: i for i, r in enumerate(rules)}
    out, notifications = [], []
    for item in results:
        if isinstance(item, Unreadable):
            notifications.append({"level": "error", "message": {"text": f"{item.path}: {item.message}"},
                                  "locations": [{"physicalLocation": {"artifactLocation": {"uri": item.path}}}]})
            continue
        for f in item.findings:
            result = {"ruleId": f.rule, "level": LEVEL[f.severity.value], "message": {"text": f.message},
                      "locations": [_location(item.report.path, f)]}
            if f.rule in index:
                result["ruleIndex"] = index[f.rule]
            if f.suggestion is not None:
                result["properties"] = {"suggestion": {"table": f.suggestion.table, "row": f.suggestion.row,
                                                       "column": f.suggestion.column,
                                                       "value": str(f.suggestion.value)}}
            out.append(result)
    run = {
        "tool": {"driver": {"name": "govreport-check", "version": __version__,
                            "informationUri": "https://pypi.org/project/govreport-check/",
                            "rules": [_rule(r) for r in rules]}},
        "results": out,
    }
    if notifications:
        run["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": notifications}]
    return json.dumps({"version": "2.1.0", "$schema": SCHEMA, "runs": [run]}, ensure_ascii=False, indent=2)
