import os
import textwrap

import pytest

from govreport_check.errors import RuleFileError
from govreport_check.findings import Severity
from govreport_check.rules.load import builtin_rules, load_rules, builtin_rule_files
from govreport_check.template.spec import builtin_templates

GOOD = """\
rules:
  - id: my-rule
    name: 我的规则
    severity: warning
    tags: [sec3]
    table: sec3
    foreach: column
    expr: "一 >= 0"
    message: "{column}列：新收为 {lhs}"
"""


def write(tmp_path, text):
    path = tmp_path / "rules.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_builtin_rules_load_and_cover_the_foundation_checks():
    ids = {r.id for r in builtin_rules()}
    assert {"sec3-row-total", "sec3-results-total", "sec3-balance", "sec4-row-total"} <= ids
    assert all(r.name and r.message and r.tags for r in builtin_rules())


def test_a_user_file_adds_and_overrides(tmp_path):
    extra = write(tmp_path, GOOD + "  - id: sec3-balance\n    severity: info\n")
    rules = {r.id: r for r in load_rules(builtin_rule_files() + [extra], builtin_templates())}
    assert rules["my-rule"].severity is Severity.WARNING
    assert rules["sec3-balance"].severity is Severity.INFO
    assert rules["my-rule"].source == f"{extra}:2"


@pytest.mark.parametrize(
    "change, words, line",
    [
        (("expr: \"一 >= 0\"", "expr: \"__import__('os').system('ls') == 0\""), "只允许调用", 8),
        (("expr: \"一 >= 0\"", "expr: \"().__class__ == 0\""), "不允许的语法", 8),
        (("expr: \"一 >= 0\"", "expr: \"五 >= 0\""), "没有行 五", 8),
        (("foreach: column", "foreach: row"), "没有列 一", 8),
        (("severity: warning", "severity: fatal"), "severity", 4),
        (("table: sec3", "table: sec9"), "未知的表", 6),
        (("tags: [sec3]", "tags: [sec3]\n    colour: red"), "未知字段", 2),
        (("name: 我的规则", "name: ''"), "缺少字段 name", 2),
        (("expr: \"一 >= 0\"", "expr: \"一 >= (0\""), "语法错误", 8),
        (("    message", "  message"), "YAML", 9),
    ],
)
def test_broken_rules_are_refused_with_file_and_line(tmp_path, change, words, line):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RuleFileError) as err:
        load_rules([path], builtin_templates())
    assert words in err.value.message
    assert (err.value.path, err.value.line) == (str(path), line)


def test_duplicate_ids_in_one_file(tmp_path):
    path = write(tmp_path, GOOD + GOOD.replace("rules:\n", ""))
    with pytest.raises(RuleFileError, match="重复"):
        load_rules([path], builtin_templates())


def test_rule_for_a_row_one_template_lacks_must_say_which_template(tmp_path):
    text = GOOD.replace('"一 >= 0"', '"三.六 >= 0"')
    with pytest.raises(RuleFileError, match="模板 2021"):
        load_rules([write(tmp_path, text)], builtin_templates())
    ok = text.replace("tags: [sec3]", "tags: [sec3]\n    templates: [\"2019\"]")
    assert load_rules([write(tmp_path, ok)], builtin_templates())[0].templates == ("2019",)


def test_cached_rules_equal_fresh_ones_and_follow_edits(tmp_path, monkeypatch):
    from govreport_check.rules.load import load_rules_cached

    monkeypatch.setenv("GOVREPORT_CHECK_CACHE", str(tmp_path / "cache"))
    extra = write(tmp_path, GOOD)
    fresh = load_rules(builtin_rule_files() + [extra], builtin_templates())
    first = load_rules_cached(builtin_rule_files() + [extra])
    again = load_rules_cached(builtin_rule_files() + [extra])
    assert [r.id for r in first] == [r.id for r in again] == [r.id for r in fresh]
    assert again == fresh
    assert len(list((tmp_path / "cache").iterdir())) == 1
    extra.write_text(GOOD.replace("warning", "error") + "\n", encoding="utf-8")
    assert load_rules_cached(builtin_rule_files() + [extra])[-1].severity is Severity.ERROR


def test_the_cache_keeps_only_the_newest_entries(tmp_path, monkeypatch):
    from govreport_check import cache

    monkeypatch.setenv("GOVREPORT_CHECK_CACHE", str(tmp_path / "cache"))
    inputs = []
    for i in range(cache.KEEP + 3):
        source = tmp_path / f"input-{i}.txt"
        source.write_text(str(i), encoding="utf-8")
        inputs.append(source)
        assert cache.cached("thing", [source], lambda: i) == i
        os.utime(cache.entry("thing", [source]), (i, i))  # distinct times: a fast disk gives several the same
    kept = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert len(kept) == cache.KEEP and all(name.startswith("thing-") for name in kept)
    assert cache.cached("thing", [inputs[-1]], lambda: "rebuilt") == cache.KEEP + 2  # the newest is still there
