"""A document that is not one annual report is an input problem (exit code 2), named for what it is; a report,
however odd, never is."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import build
from govreport_check.batch import Options, run
from govreport_check.errors import InputError
from govreport_check.report import Unreadable, load_report

KIND = Path(__file__).parent / "fixtures" / "kind"
EVALUATION = KIND / "evaluation-2020.txt"


@pytest.mark.parametrize("name, words", [
    ("evaluation-2020.txt", "是对年度报告的评估"),
    ("feedback-2023.md", "是对年度报告的测评"),
    ("compare-2022-2023.md", "是两个年度的对比"),
    ("years-side-by-side.txt", "表格按年份（2022年、2023年）并列"),
    ("two-titles-side-by-side.html",
     "含有两份年度报告（「示例区2022年政府信息公开工作年度报告」和「示例区2023年政府信息公开工作年度报告」）"),
])
def test_not_one_report_exits_2_saying_what_it_is(cli, name, words):
    for command in (["check", "--format", "json"], ["extract"]):
        code, _, err = cli(*command, KIND / name)
        assert code == 2, command
        assert f"错误：{KIND / name}" in err and "不是一份年度报告" in err and words in err, err
    code, out, _ = cli("check", KIND / name)
    assert code == 2 and words in out


def two_reports(tmp_path: Path, example: Path, other: str) -> Path:
    path = tmp_path / "two.txt"
    path.write_text(example.read_text(encoding="utf-8") + "\n" + other, encoding="utf-8")
    return path


def test_two_reports_of_different_years_in_one_file(cli, tmp_path, example):
    path = two_reports(tmp_path, example, build.report_text(template="2021", year=2021,
                                                            title="示例区2021年政府信息公开工作年度报告"))
    code, _, err = cli("check", path, "--format", "json")
    assert code == 2
    assert "含有两份年度报告（「示例区2020年政府信息公开工作年度报告」和「示例区2021年政府信息公开工作年度报告」）" in err


def test_two_reports_of_different_bodies_in_one_file(tmp_path, example):
    text = example.read_text(encoding="utf-8").replace("示例区", "样本区")
    with pytest.raises(InputError, match="含有两份年度报告.*「样本区2020年政府信息公开工作年度报告」") as err:
        load_report(two_reports(tmp_path, example, text))
    assert err.value.line == len(example.read_text(encoding="utf-8").splitlines()) + 2


def test_batch_reports_the_file_unreadable_and_checks_the_others(cli, tmp_path, example):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_bytes(example.read_bytes())
    (folder / "b.txt").write_bytes(EVALUATION.read_bytes())
    (folder / "c.txt").write_bytes(example.read_bytes())
    results = list(run(sorted(folder.iterdir()), Options(), jobs=1))
    assert [type(r).__name__ for r in results] == ["Result", "Unreadable", "Result"]
    assert isinstance(results[1], Unreadable) and results[1].message.startswith("不是一份年度报告")
    code, out, _ = cli("check", folder, "--format", "json")
    reports = json.loads(out)["reports"]
    assert code == 2
    assert [(os.path.basename(r["path"]), r["status"]) for r in reports] == [
        ("a.txt", "pass"), ("b.txt", "error"), ("c.txt", "pass")]


def variant(tmp_path: Path, example: Path, after: str, lines: list[str], name: str = "variant.txt") -> Path:
    """The example with `lines` inserted after the first line starting with `after`."""
    out = []
    for line in example.read_text(encoding="utf-8").splitlines():
        out.append(line)
        if after and line.startswith(after):
            out += lines
            after = ""
    path = tmp_path / name
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


COMPARISON = ["\t项目", "\t2019年", "\t2020年", "", "\t规范性文件", "\t12", "\t14", "", "\t行政许可", "\t3", "\t5", "",
              "\t行政处罚", "\t80", "\t120", "", "\t行政强制", "\t2", "\t1", ""]
SEC3_BY_YEAR = ["\t项目", "\t2019年", "\t2020年", "", "\t一、本年新收政府信息公开申请数量", "\t40", "\t54", "",
                "\t二、上年结转政府信息公开申请数量", "\t1", "\t4", "", "\t（一）予以公开", "\t20", "\t23", "",
                "\t（七）总计", "\t37", "\t55", ""]


@pytest.mark.parametrize("after, lines", [
    ("（五）强化保障", COMPARISON),  # last year's figures beside this year's, in 总体情况
    ("六、其他需要报告的事项", SEC3_BY_YEAR),  # the same for sec3, beside the report's own sec3
    ("六、其他需要报告的事项", ["上一篇：示例区2019年政府信息公开工作年度报告", "示例区2021年政府信息公开工作年度报告"]),
    ("三、收到和处理", ["（2019年度报告见示例区人民政府门户网站）"]),
    ("（一）突出重点", ["接受第三方评估，评估结果为优秀。", "示例区2019年政府信息公开工作年度报告评估情况"]),
], ids=["comparison-in-overview", "sec3-by-year-beside-sec3", "links-to-other-years", "other-year-named-midway",
        "evaluation-mentioned"])
def test_a_report_mentioning_other_years_or_evaluations_is_checked(cli, tmp_path, example, after, lines):
    code, _, err = cli("check", variant(tmp_path, example, after, lines))
    assert code in (0, 1) and "不是一份年度报告" not in err


def test_a_report_without_tables_is_a_report(cli, tmp_path):
    """Tables published as images: the report's own error, not an input problem, even for an 评估中心."""
    text = build.report_text(title="示例市资产评估中心2020年政府信息公开工作年度报告")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("\t"))
    path = tmp_path / "images.txt"
    path.write_text(text, encoding="utf-8")
    code, _, err = cli("check", path)
    assert code == 1 and "不是一份年度报告" not in err


def test_an_evaluation_that_reproduces_the_tables_is_read(tmp_path):
    """Only positive evidence: a write-up that quotes the template's tables is checked like the report it is."""
    text = build.report_text(title="关于示例区2020年政府信息公开工作年度报告的评估报告")
    path = tmp_path / "quoted.txt"
    path.write_text(text, encoding="utf-8")
    assert load_report(path).records.values


def shared_files(root: Path) -> list[Path]:
    return sorted(p for d in ("corpus", "real", "seed") for p in (root / d).iterdir()
                  if p.is_file() and p.suffix != ".json")


def test_never_fires_on_our_or_shared_reports(cli, shared):
    ours = [p for p in (Path(__file__).parent / "fixtures").rglob("*") if p.is_file() and p.parent.name != "kind"]
    examples = sorted((Path(__file__).parent.parent / "examples").glob("*.txt"))
    for path in [*examples, *ours, *shared_files(shared)]:
        code, _, err = cli("check", path)
        assert code in (0, 1), (path, err)
