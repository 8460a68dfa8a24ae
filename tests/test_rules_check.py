"""No silent traps in rule files: placeholders a rule does not provide, examples that disagree with their rule,
and overrides of built-in rules that would change what they check."""

import json
import string
import textwrap

import pytest

from govreport_check.batch import select_rules
from govreport_check.errors import RuleFileError
from govreport_check.findings import Severity
from govreport_check.rules import load
from govreport_check.rules.engine import fact_params, provided
from govreport_check.rules.examples import describe, disagreements, run
from govreport_check.rules.load import builtin_rule_files, builtin_rules, load_rules, load_rules_cached
from govreport_check.template.spec import builtin_templates

LOCAL = """\
rules:
  - id: local
    name: 本地
    severity: info
    table: sec4
    foreach: row
    expr: "总计 <= 5"
    message: "{row_words}：总计 {lhs}"
    examples:
      pass: {row: 行政复议, 总计: 5}
      fail: {row: 行政复议, 总计: 6}
"""


def write(tmp_path, text, name="rules.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def names(text: str) -> set[str]:
    return {n for _, n, _, _ in string.Formatter().parse(text) if n is not None}


def refused(tmp_path, text) -> RuleFileError:
    path = write(tmp_path, text)
    with pytest.raises(RuleFileError) as err:
        load_rules(builtin_rule_files() + [path], builtin_templates())
    assert err.value.path == str(path)
    return err.value


# --- placeholders -------------------------------------------------------------------------------------------

def test_a_placeholder_the_rule_does_not_provide_is_refused_with_line_and_names(tmp_path):
    err = refused(tmp_path, LOCAL.replace('"{row_words}：总计 {lhs}"', '"{colum} 为空"'))
    assert err.line == 8
    assert "message 中的占位符 {colum} 不存在" in err.message and "是不是 {column}" in err.message
    assert "可用：column、column_words、diff、equation、lhs" in err.message and "row_words" in err.message


@pytest.mark.parametrize("change, name", [
    (("foreach: row\n    expr: \"总计 <= 5\"", "foreach: column\n    expr: \"行政复议 <= 5\""), "row_label"),  # no row
    (('"总计 <= 5"', '"总计 <= 5 and 总计 >= 0"'), "lhs"),  # not one comparison: no sides
    (("foreach: row", "foreach: row\n    combine: \"{row}\""), "equation"),  # one finding for all rows
])
def test_what_a_rule_provides_depends_on_the_rule(tmp_path, change, name):
    text = LOCAL.replace(*change).replace("{row_words}：总计 {lhs}", "{row_words} {%s}" % name)
    assert f"占位符 {{{name}}} 不存在" in refused(tmp_path, text).message


def test_combined_rules_may_name_what_combining_adds_and_their_wording_is_checked_too(tmp_path):
    combined = LOCAL.replace("foreach: row", "foreach: row\n    combine: \"{row_words} {lhs}\"") \
        .replace("{row_words}：总计 {lhs}", "{count} 行不足：{items}")
    (rule,) = load_rules([write(tmp_path, combined)], builtin_templates())
    assert {"items", "count", "previous"} <= provided(rule) and "items" not in fact_params(rule)
    err = refused(tmp_path, combined.replace("combine: \"{row_words} {lhs}\"", "combine: \"{items}\""))
    assert err.line == 7 and "combine 中的占位符 {items} 不存在" in err.message
    err = refused(tmp_path, combined.replace("combine: \"{row_words} {lhs}\"", "combine: \"{lhs!r}\""))
    assert "combine 中的占位符只能写成 {名称}" in err.message


def test_a_kind_without_names_says_so(tmp_path):
    text = "rules:\n  - id: local\n    kind: structure\n    name: 本地\n    severity: info\n    message: \"{table}\"\n"
    assert "可用：无" in refused(tmp_path, text).message


def test_every_builtin_rule_declares_exactly_what_its_failing_example_provides(tmp_path):
    for rule in builtin_rules():
        carried = {name for c in run(rule, tmp_path) if c.verdict == "fail" for f in c.facts for name in f.params}
        assert carried == provided(rule), rule.id
        assert names(rule.message) <= provided(rule), rule.id
        assert names(rule.options.get("combine", "")) <= fact_params(rule), rule.id


# --- examples -----------------------------------------------------------------------------------------------

def test_the_runner_finds_examples_that_disagree_with_their_rule(tmp_path):
    (good,) = load_rules([write(tmp_path, LOCAL)], builtin_templates())
    assert disagreements(good, tmp_path) == []
    (lax,) = load_rules([write(tmp_path, LOCAL.replace("<= 5", "<= 9"))], builtin_templates())
    (case,) = describe(lax, disagreements(lax, tmp_path))
    assert case == "规则 local 的不通过示例（fail）没有触发该规则（模板 2019、2021）"
    (strict,) = load_rules([write(tmp_path, LOCAL.replace("<= 5", "<= 4"))], builtin_templates())
    lines = describe(strict, disagreements(strict, tmp_path))
    assert "规则 local 的通过示例（pass）触发了该规则（模板 2019、2021）：行政复议：总计 5" in lines


@pytest.mark.parametrize("example, words", [
    ("{row: 行政复议, 总计x: 5}", "总计x 不是表 sec4 的行 行政复议中的单元格"),
    ("{report: {colour: red}}", "report 中有未知的设置 colour"),
    ("{report: {omit: 3}}", "report 中的设置取值不对"),
    ("3", "示例应是一个映射"),
])
def test_an_example_that_cannot_run_is_a_disagreement(tmp_path, example, words):
    (rule,) = load_rules([write(tmp_path, LOCAL.replace("{row: 行政复议, 总计: 5}", example))], builtin_templates())
    (line,) = describe(rule, disagreements(rule, tmp_path))
    assert "通过示例（pass）无法运行" in line and words in line


def test_a_structure_rule_needs_report_examples(tmp_path):
    rule = next(r for r in builtin_rules() if r.id == "row-missing")
    cell = type(rule)(**{**rule.__dict__, "examples": {"fail": {"row": "三.一", "自然人": 1}}})
    (case,) = run(cell, tmp_path)
    assert not case.agrees and "结构规则的示例应写成 {report: {…}}" in case.problem


# --- overriding built-in rules ------------------------------------------------------------------------------

def builtin(rule_id):
    return next(r for r in builtin_rules() if r.id == rule_id)


def test_an_override_changes_only_severity_and_message(tmp_path):
    path = write(tmp_path, "rules:\n  - id: sec3-balance\n    severity: info\n    message: \"不平：{lhs} ≠ {rhs}\"\n")
    rules = load_rules(builtin_rule_files() + [path], builtin_templates())
    merged = next(r for r in rules if r.id == "sec3-balance")
    base = builtin("sec3-balance")
    assert (merged.severity, merged.message) == (Severity.INFO, "不平：{lhs} ≠ {rhs}")
    assert (merged.expr, merged.name, merged.examples, merged.source) == (base.expr, base.name, base.examples,
                                                                         base.source)
    assert [r.id for r in rules] == [r.id for r in builtin_rules()]  # still in its place, not added again
    only = write(tmp_path, "rules:\n  - id: sec3-balance\n    severity: warning\n")
    again = next(r for r in load_rules(builtin_rule_files() + [only], builtin_templates()) if r.id == "sec3-balance")
    assert (again.severity, again.message) == (Severity.WARNING, base.message)


@pytest.mark.parametrize("extra, words, line", [
    ("    severity: info\n    expr: \"一 == 一\"\n", "规则 sec3-balance 是内置规则，只能覆盖 severity 和 message（不能改 expr）", 4),
    ("    severity: info\n    name: 新名\n    tags: [x]\n", "（不能改 name、tags）", 4),
    ("    severity: info\n    message: \"{colum}\"\n", "message 中的占位符 {colum} 不存在", 4),
    ("    message: \"{lhs}\"\n    severity: fatal\n", "severity 只能是 error、warning 或 info", 4),
])
def test_an_override_may_not_change_what_a_builtin_checks(tmp_path, extra, words, line):
    err = refused(tmp_path, "rules:\n  - id: sec3-balance\n" + extra)
    assert words in err.message and err.line == line


def test_an_override_must_change_something(tmp_path):
    assert "请写出新的 severity 或 message" in refused(tmp_path, "rules:\n  - id: sec3-balance\n").message


def test_builtin_files_may_not_repeat_one_another_but_user_files_replace_their_own_rules(tmp_path, monkeypatch):
    first = write(tmp_path, LOCAL, "a.yaml")
    second = write(tmp_path, LOCAL.replace('"总计 <= 5"', '"总计 <= 9"').replace("info", "error"), "b.yaml")
    rule = load_rules(builtin_rule_files() + [first, second], builtin_templates())[-1]
    assert (rule.id, rule.expr.source, rule.severity) == ("local", "总计 <= 9", Severity.ERROR)
    monkeypatch.setattr(load, "builtin_rule_files", lambda: [first, second])
    with pytest.raises(RuleFileError, match="规则 id 重复：local") as err:
        load_rules([first, second], builtin_templates())
    assert (err.value.path, err.value.line) == (str(second), 2)


def test_cached_overrides_follow_edits_of_the_override_file(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVREPORT_CHECK_CACHE", str(tmp_path / "cache"))
    path = write(tmp_path, "rules:\n  - id: sec3-balance\n    severity: info\n")

    def severity():
        return next(r for r in load_rules_cached(builtin_rule_files() + [path]) if r.id == "sec3-balance").severity

    assert severity() is Severity.INFO
    assert severity() is Severity.INFO and len(list((tmp_path / "cache").iterdir())) == 1  # read back
    path.write_text("rules:\n  - id: sec3-balance\n    severity: warning\n", encoding="utf-8")
    assert severity() is Severity.WARNING


# --- through the CLI ----------------------------------------------------------------------------------------

def test_cli_rules_check_refuses_an_unknown_placeholder(cli, tmp_path):
    path = write(tmp_path, LOCAL.replace('"{row_words}：总计 {lhs}"', '"{colum} 为空"'))
    code, out, err = cli("rules", "--check", path)
    assert code == 2 and f"{path}:8: message 中的占位符 {{colum}} 不存在，是不是 {{column}}？可用：" in err
    assert "Traceback" not in err


def test_cli_rules_check_runs_the_examples(cli, tmp_path):
    code, out, err = cli("rules", "--check", write(tmp_path, LOCAL))
    assert code == 0 and "1 条规则，全部有效" in out and err == ""
    path = write(tmp_path, LOCAL.replace("<= 5", "<= 9"))
    code, out, err = cli("rules", "--check", path)
    assert code == 2 and f"错误：{path}:2: 规则 local 的不通过示例（fail）没有触发该规则（模板 2019、2021）" in err
    path = write(tmp_path, LOCAL.replace("<= 5", "<= 4"))
    code, out, err = cli("rules", "--check", path)
    assert code == 2 and f"{path}:2: 规则 local 的通过示例（pass）触发了该规则" in err


def test_cli_rules_check_only_notes_a_rule_without_examples(cli, tmp_path):
    path = write(tmp_path, LOCAL.split("    examples:")[0])
    code, out, err = cli("rules", "--check", path)
    assert code == 0 and "1 条规则，全部有效" in out
    assert f"提示：{path}:2: 规则 local 没有通过示例（pass）和不通过示例（fail）" in err


def test_cli_rules_check_takes_overrides_and_refuses_changed_expressions(cli, tmp_path):
    path = write(tmp_path, "rules:\n  - id: sec3-balance\n    severity: warning\n")
    code, out, err = cli("rules", "--check", path)
    assert code == 0 and "1 条规则，全部有效" in out
    path = write(tmp_path, "rules:\n  - id: sec3-balance\n    severity: warning\n    expr: \"一 == 一\"\n")
    code, out, err = cli("rules", "--check", path)
    assert code == 2 and f"{path}:4: 规则 sec3-balance 是内置规则，只能覆盖 severity 和 message（不能改 expr）" in err


def test_cli_check_applies_an_override_and_follows_its_edits(cli, tmp_path, example_error):
    path = write(tmp_path, "rules:\n  - id: sec3-row-total\n    severity: info\n    message: \"自定义：{lhs} ≠ {rhs}\"\n")
    args = ("check", example_error, "--rules", path, "--isolated", "--select", "sec3-row-total")
    code, report = cli.json(*args)
    (finding,) = report["reports"][0]["findings"]
    assert (finding["severity"], finding["message"].split("；")[0], code) == ("info", "自定义：23 ≠ 24", 0)
    _, out, _ = cli("rules", "--rules", path, "--format", "json")
    assert next(r for r in json.loads(out) if r["id"] == "sec3-row-total")["severity"] == "info"
    path.write_text(path.read_text(encoding="utf-8").replace("info", "error"), encoding="utf-8")
    select_rules.cache_clear()  # what a new process starts with: only the disk cache is kept
    code, report = cli.json(*args)
    assert (report["reports"][0]["findings"][0]["severity"], code) == ("error", 1)
