"""A batch's output always ends with its summary, also redirected, and file names are never broken."""

import shutil


def _batch(tmp_path, example, example_error):
    shutil.copy(example_error, tmp_path / "b-有误.txt")
    long = tmp_path / ("很长的单位名称与文件名" * 4 + "-2020.txt")
    shutil.copy(example_error, long)
    shutil.copy(example, tmp_path / "a.txt")
    (tmp_path / "c.txt").write_bytes(b"\xff\xfe\x00")
    return long


def test_plain_ends_with_the_counts_and_the_failing_reports_by_errors(cli, tmp_path, example, example_error):
    long = _batch(tmp_path, example, example_error)
    code, out, _ = cli("check", tmp_path, "--format", "plain")
    lines = out.splitlines()
    assert code == 2
    at = lines.index("共 4 份报告：通过 1，未通过 2，无法读取 1；错误 4，警告 0")
    assert lines[at + 1] == "未通过的报告（按错误数排列）："
    failing = sorted(str(p) for p in (tmp_path / "b-有误.txt", long))
    assert sorted(lines[at + 2:]) == [f"  {path}：错误 2，警告 0" for path in failing]
    assert len(lines) == at + 4


def test_rich_table_has_a_status_column_and_whole_file_names(cli, tmp_path, example, example_error):
    long = _batch(tmp_path, example, example_error)
    code, out, _ = cli("check", tmp_path, "--format", "rich", "--width", "60", "--no-color")
    table = out[out.index("共 4 份报告\n"):]
    assert table.splitlines()[1].split()[:3] == ["状态", "错误", "警告"]
    assert str(long) in table and "无法读取" in table and "未通过" in table
    assert out.rstrip().endswith("错误 2，警告 0")
