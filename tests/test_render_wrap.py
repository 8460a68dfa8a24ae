"""Wrapping at the terminal's width: between characters and words, never inside a number."""

import random
import re

from rich.cells import cell_len

from govreport_check.render.wrap import wrap
from tests_paths import GOLDEN

EQUATION = "算式：总计 23 ≠ 自然人 16 + 商业企业 4 + 科研机构 3 + 社会公益组织 0 + 法律服务机构 1 + 其他 0 = 24（相差 -1）"


def test_lines_fit_and_keep_every_character():
    for width in range(12, 90):
        lines = wrap(EQUATION, width)
        assert all(cell_len(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == EQUATION.replace(" ", "")


def test_numbers_and_cell_reads_are_never_split_and_punctuation_stays_with_its_neighbour():
    rng = random.Random(7)
    for _ in range(300):
        figures = [str(rng.choice([rng.randint(0, 9), rng.randint(10, 99999), -rng.randint(1, 999)])) for _ in range(6)]
        text = "，".join(f"第{i}行所述 {f} 件与表格不符（应为 {f}.5%）" for i, f in enumerate(figures))
        text += "；读取：三.三.1/科研机构=12，三.一/总计=2023"
        for width in (20, 33, 47, 80):
            lines = wrap(text, width)
            for a, b in zip(lines, lines[1:]):
                assert not (re.search(r"[\d.,\-]$", a) and re.match(r"[\d.,%]", b)), (a, b)
                assert b[0] not in "，。、；：）", b
                assert a[-1] not in "（“", a
            assert "三.三.1/科研机构=12，" in "".join(lines) or any("三.三.1/科研机构=12" in line for line in lines)


def test_indent_leaves_room_for_what_precedes_the_first_line():
    assert wrap("一二三四五六七八九十", 14, indent=4) == ["一二三四五", "六七八九十"]


def test_golden_terminal_outputs_have_no_trailing_spaces_and_fit_their_width():
    for path in GOLDEN.glob("*.rich.*.txt"):
        width = int(path.name.split(".")[-2])
        for line in path.read_text(encoding="utf-8").splitlines():
            assert line == line.rstrip(), (path.name, line)
            assert cell_len(line) <= width, (path.name, line)
