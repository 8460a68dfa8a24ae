"""Section 五 present but saying nothing (sections-empty); a missing one stays sections-complete's alone."""

import pytest

from govreport_check.report import check, load_report
from govreport_check.rules.load import builtin_rules

RULES = [r for r in builtin_rules() if r.id in ("sections-empty", "sections-complete")]
FIVE, SIX = "五、存在的主要问题及改进情况\n", "六、其他需要报告的事项\n"


def with_five(example, tmp_path, body):
    """示例区's report with section 五's text replaced by `body` (None: the whole section left out)."""
    head, rest = example.read_text(encoding="utf-8").split(FIVE)
    five = "" if body is None else FIVE + body
    path = tmp_path / "r.txt"
    path.write_text(head + five + SIX + rest.split(SIX)[1], encoding="utf-8")
    return check(load_report(path), RULES)


@pytest.mark.parametrize("body, said", [
    ("", "没有内容"),
    ("\n\u3000\u3000\n", "没有内容"),
    ("无。\n", "只写了“无”"),
    ("（暂无）\n", "只写了“暂无”"),
    ("  没有\n", "只写了“没有”"),
])
def test_an_empty_section_five_is_a_warning_at_its_title(example, tmp_path, body, said):
    [finding] = with_five(example, tmp_path, body).findings
    assert finding.rule == "sections-empty" and finding.severity.value == "warning"
    assert finding.message == f"第五部分“存在的主要问题及改进情况”{said}"
    assert finding.loc.line == 399


@pytest.mark.parametrize("body", ["无明显问题，下一步将继续规范依申请公开办理。\n", "一是公开深度仍需拓展。\n"])
def test_a_section_that_says_something_passes(example, tmp_path, body):
    result = with_five(example, tmp_path, body)
    assert result.findings == () and "sections-empty" in result.ran


def test_the_example_passes(example):
    result = check(load_report(example), RULES)
    assert result.findings == () and "sections-empty" in result.ran


def test_a_missing_section_five_is_reported_once(example, tmp_path):
    assert sorted(r.id for r in RULES) == ["sections-complete", "sections-empty"]
    findings = with_five(example, tmp_path, None).findings
    assert [f.rule for f in findings] == ["sections-complete"]
