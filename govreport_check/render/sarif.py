"""SARIF 2.1.0, for code-scanning dashboards (GitHub's first): rule metadata and help from the YAML, one result
per finding with the source line (physicalLocation) and the template cell (logicalLocation)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path, PurePath
from urllib.parse import quote

from govreport_check import __version__
from govreport_check.fetch import URI_SAFE
from govreport_check.findings import known_by
from govreport_check.render.markdown import EXAMPLE_LABELS, example_text, rule_section
from govreport_check.report import Result, Unreadable

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# Where docs/rules.md is read on the web; each rule's helpUri is its section there.
RULES_DOC = "https://github.com/govreport-check/govreport-check/blob/main/docs/rules.md"
# Code scanning keeps an alert across pushes by this key, so it holds what a person would call the same problem
# (rule, cell, unit) and never the line, which moves whenever text is added above.
FINGERPRINT = "govreportCheck/v1"
# Loc.place's words for where a thing sits (第12行, 第3段, 第2页, 表2, 第5列): cut from a message before it keys
# a finding that names no cell, so moving the text does not make the finding new.
PLACE = re.compile(r"第\d+[行段页列]|表\d+")
SRCROOT = "%SRCROOT%"


def anchor(heading: str) -> str:
    """The fragment GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def _help(rule) -> dict:
    text = [rule.name, rule.description] if rule.description else [rule.name]
    text += [f"{label}：{example_text(rule.examples[v])}" for v, label in EXAMPLE_LABELS if v in rule.examples]
    return {"text": "\n\n".join(text), "markdown": "\n".join(rule_section(rule))}


def _rule(rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.name},
        "fullDescription": {"text": rule.description or rule.name},
        "help": _help(rule),
        "helpUri": f"{RULES_DOC}#{anchor(rule.id)}",
        "defaultConfiguration": {"level": LEVEL[rule.severity.value]},
        "properties": {"tags": list(rule.tags), "templates": list(rule.templates)},
    }


def artifact(path: str, cwd: str) -> dict:
    """A file as code scanning finds it in the repository: relative to where the check ran (the checkout, in
    CI), percent-encoded since report names are Chinese; a file elsewhere keeps its absolute file: URI, and a
    report read from the web its address."""
    if re.match(r"https?://", path, re.I):
        return {"uri": quote(path, safe=URI_SAFE)}
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive on Windows
        relative = os.pardir
    if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
        return {"uri": quote(PurePath(relative).as_posix()), "uriBaseId": SRCROOT}
    return {"uri": Path(absolute).as_uri()}


def _address(cell) -> str:
    return f"{cell.table}/{cell.row}/{cell.column}"


def _cell(finding):
    """The cell a finding is about: the one to change, else the first it read; None for a finding on no cell."""
    return finding.suggestion or (finding.cells[0] if finding.cells else None)


def fingerprint(finding, unit: str | None) -> str:
    """Rule, cell and unit, the cell as a baseline knows it, hashed; a finding on no cell is known by its message."""
    where = known_by(finding) or PLACE.sub("", finding.message)
    return hashlib.sha256("\0".join((finding.rule, where, unit or "")).encode()).hexdigest()[:32]


def _location(uri: dict, finding) -> dict:
    loc = finding.loc
    line = (loc.line or loc.page or 1) if loc is not None else 1
    out: dict = {"physicalLocation": {"artifactLocation": uri, "region": {"startLine": line}}}
    cell = _cell(finding)
    if cell is not None:
        name = _address(cell)
        out["logicalLocations"] = [{"name": name, "fullyQualifiedName": name, "kind": "element"}]
    if loc is not None and loc.line is None and loc.place:
        out["properties"] = {"location": loc.place}
    return out


def check_document(results: list[Result | Unreadable], rules) -> str:
    cwd = os.getcwd()
    index = {r.id: i for i, r in enumerate(rules)}
    out, notifications, uris = [], [], []
    for item in results:
        if isinstance(item, Unreadable):
            uris.append(artifact(item.path, cwd))
            physical: dict = {"artifactLocation": uris[-1]}
            if item.line is not None:
                physical["region"] = {"startLine": item.line}
            notifications.append({"level": "error", "message": {"text": f"{item.path}: {item.message}"},
                                  "locations": [{"physicalLocation": physical}]})
            continue
        uris.append(artifact(item.report.path, cwd))
        for f in item.findings:
            result = {"ruleId": f.rule, "level": LEVEL[f.severity.value], "message": {"text": f.message},
                      "locations": [_location(uris[-1], f)],
                      "partialFingerprints": {FINGERPRINT: fingerprint(f, item.report.unit)}}
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
    if any(u.get("uriBaseId") == SRCROOT for u in uris):
        root = Path(cwd).as_uri()
        run["originalUriBaseIds"] = {SRCROOT: {"uri": root if root.endswith("/") else root + "/"}}
    if notifications:
        run["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": notifications}]
    return json.dumps({"version": "2.1.0", "$schema": SCHEMA, "runs": [run]}, ensure_ascii=False, indent=2)
