"""--quiet shows the failing reports and the summary; --statistics counts findings per rule, as ruff does."""

import shutil

import pytest


@pytest.fixture
def batch(tmp_path, example, example_error):
    shutil.copy(example, tmp_path / "a-正确.txt")
    shutil.copy(example_error, tmp_path / "b-有误.txt")
    (tmp_path / "README.md").write_text("# 各单位政府信息公开工作年度报告\n申请情况汇总说明。\n", encoding="utf-8")
    return tmp_path


def test_quiet_leaves_out_passing_reports_and_ends_with_the_summary(cli, batch):
    code, out, _ = cli("check", batch, "--quiet", "--format", "plain")
    assert code == 1
    assert "a-正确.txt" not in out.split("共 2 份报告")[0]
    assert f"{batch / 'b-有误.txt'}: fail — 需修改 1 处" in out
    assert out.splitlines()[-3:] == ["共 2 份报告：通过 1，未通过 1，无法读取 0；错误 2，警告 0", "未通过的报告（按错误数排列）：",
                                     f"  {batch / 'b-有误.txt'}：错误 2，警告 0"]


def test_quiet_on_a_clean_report_prints_only_the_summary(cli, example):
    code, out, _ = cli("check", example, "-q", "--format", "plain")
    assert code == 0 and out == "共 1 份报告：通过 1，未通过 0，无法读取 0；错误 0，警告 0\n"


def test_statistics_count_findings_per_rule_most_first(cli, batch, example_error):
    shutil.copy(example_error, batch / "c-有误.txt")
    code, out, _ = cli("check", batch, "--statistics", "--format", "plain")
    assert code == 1
    assert out.splitlines()[:2] == ["2  error    sec3-results-total  办理结果合计", "2  error    sec3-row-total      申请情况表行合计"]
    assert "P1" not in out and out.splitlines()[2] == "共 3 份报告：通过 1，未通过 2，无法读取 0；错误 4，警告 0"


def test_statistics_in_rich_keeps_the_columns(cli, batch):
    code, out, _ = cli("check", batch, "--statistics", "--format", "rich", "--no-color", "--width", "60")
    assert code == 1 and "  1  error    sec3-results-total  办理结果合计" in out.splitlines()
    assert "状态" not in out  # no batch table: the counts are the point


@pytest.mark.parametrize("flag", ["--quiet", "--statistics"])
def test_quiet_and_statistics_are_for_the_terminal_formats(cli, example, flag):
    code, out, err = cli("check", example, flag, "--format", "json")
    assert code == 2 and out == "" and f"{flag} 只用于 rich 和 plain 输出" in err


def test_a_folders_readme_is_not_checked_as_a_report(cli, batch):
    code, out, _ = cli("check", batch, "--format", "plain")
    assert "README" not in out and "共 2 份报告" in out
    code, out, _ = cli("check", batch / "README.md", "--format", "plain")  # named, it is read
    assert "README.md" in out
