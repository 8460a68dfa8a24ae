"""Sections 五 and 一 copied from last year's report (crossyear-copied-sec5, -sec1): how much repeats, whatever the
figures, years and order of paragraphs; paired in a folder, with --previous, and only what the pairing needs kept."""

import pickle
import re
from dataclasses import replace

from govreport_check.report import PREVIOUS_PROSE, check, load_report, with_previous
from govreport_check.rules.load import builtin_rules

RULES = [r for r in builtin_rules() if r.id.startswith("crossyear-copied")]
FIVE, SIX = "五、存在的主要问题及改进情况\n", "六、其他需要报告的事项\n"
PROBLEMS = ("一是部分单位对政策解读工作重视不够，解读形式较为单一，图表图解、音视频解读运用偏少。",
            "二是依申请公开办理力量相对薄弱，部分工作人员对法律适用把握不准，答复文书的规范性仍需加强。",
            "三是基层政务公开标准化规范化工作推进不平衡，部分街道公开目录更新不够及时，栏目维护有待加强。")
OTHER = ("一是政务新媒体运营水平不高，信息发布的时效性和互动回应的及时性与群众期待还有差距。",
         "二是重点领域信息公开的深度不够，财政预决算和重大项目信息的公开内容仍以结果为主。")


def shifted(text, by):
    """The report moved `by` years: its title, 统计期限 and every year written as one."""
    return re.sub(r"(20\d\d)年", lambda m: f"{int(m.group(1)) + by}年", text)


def write(example, path, by=0, five=None):
    """示例区's report, `by` years from 2020, its section 五 replaced by `five` (a line each) when given."""
    text = shifted(example.read_text(encoding="utf-8"), by)
    if five is not None:
        head, rest = text.split(FIVE)
        text = head + FIVE + "".join(f"{line}\n" for line in five) + SIX + rest.split(SIX)[1]
    path.write_text(text, encoding="utf-8")
    return path


def copied(this, last):
    return [(f.rule, f.message) for f in check(with_previous(load_report(this), load_report(last)), RULES).findings]


def test_a_folder_with_last_years_section_unchanged_warns_with_the_share(cli, example, tmp_path):
    folder = tmp_path / "示例区"
    folder.mkdir()
    write(example, folder / "示例区-2019.txt", by=-1)
    write(example, folder / "示例区-2020.txt")
    code, data = cli.json("check", folder, "--select", "crossyear-copied")
    assert code == 0
    first, second = data["reports"]
    assert first["findings"] == []  # 2019 has no 2018 beside it
    messages = {f["rule"]: f["message"] for f in second["findings"]}
    assert messages["crossyear-copied-sec5"].startswith("第五部分与上年报告重复 100%（上年报告 示例区-2019.txt，")
    assert messages["crossyear-copied-sec1"].startswith("第一部分与上年报告重复 100%")
    [five] = [f for f in second["findings"] if f["rule"] == "crossyear-copied-sec5"]
    assert five["severity"] == "warning" and five["line"] == 399  # the section's title


def test_rewritten_section_passes_and_the_other_is_still_measured(cli, example, tmp_path):
    last = write(example, tmp_path / "2019.txt", by=-1, five=OTHER)
    this = write(example, tmp_path / "2020.txt", five=PROBLEMS)
    code, data = cli.json("check", this, "--previous", last, "--select", "crossyear-copied")
    assert [f["rule"] for f in data["reports"][0]["findings"]] == ["crossyear-copied-sec1"]
    assert data["reports"][0]["counts"]["checks"] == 2


def test_figures_years_and_the_order_of_paragraphs_do_not_hide_a_copy(example, tmp_path):
    last = write(example, tmp_path / "2019.txt", by=-1, five=[f"2019年办理{40 + i}件。{p}" for i, p in enumerate(PROBLEMS)])
    this = write(example, tmp_path / "2020.txt", five=[f"2020年办理{60 + i}件。{p}" for i, p in enumerate(PROBLEMS)][::-1])
    [five] = [m for r, m in copied(this, last) if r == "crossyear-copied-sec5"]
    assert five.startswith("第五部分与上年报告重复 100%")


def test_the_share_is_the_part_that_repeats(example, tmp_path):
    last = write(example, tmp_path / "2019.txt", by=-1, five=PROBLEMS[:2] + OTHER[:1])
    this = write(example, tmp_path / "2020.txt", five=PROBLEMS)
    [(rule, message)] = [c for c in copied(this, last) if c[0] == "crossyear-copied-sec5"]
    assert re.match(r"第五部分与上年报告重复 6\d%", message)  # two of three like sentences
    last = write(example, tmp_path / "2019.txt", by=-1, five=PROBLEMS[:1] + OTHER)
    assert [c for c in copied(this, last) if c[0] == "crossyear-copied-sec5"] == []  # one of three


def test_a_section_of_a_line_is_not_compared(example, tmp_path):
    last = write(example, tmp_path / "2019.txt", by=-1, five=["无。"])
    this = write(example, tmp_path / "2020.txt", five=["无。"])
    result = check(with_previous(load_report(this), load_report(last)), RULES)
    assert "crossyear-copied-sec5" not in result.ran and "crossyear-copied-sec1" in result.ran


def test_without_last_year_nothing_is_measured(example):
    assert [r.id for r in RULES] == ["crossyear-copied-sec5", "crossyear-copied-sec1"]
    assert check(load_report(example), RULES).ran == ()


def test_the_pairing_keeps_only_the_prose_the_rules_compare(example, tmp_path):
    last = load_report(write(example, tmp_path / "2019.txt", by=-1))
    paired = with_previous(load_report(example), last)
    assert [sid for sid, _ in paired.previous_prose] == list(PREVIOUS_PROSE) == ["一", "五"]
    assert paired.previous_prose[1][1].startswith("2019年,我区政府信息公开工作取得了一定成效")
    kept = len(pickle.dumps(paired)) - len(pickle.dumps(replace(paired, previous_prose=())))
    assert kept < len(pickle.dumps(last.document)) // 4  # two sections' text, not last year's document
