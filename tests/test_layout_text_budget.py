"""One cell budget per text document: a file of a million cells is refused before a reader builds them."""

from __future__ import annotations

from build import report_text


def test_a_huge_tsv_is_refused_with_a_clear_message(tmp_path, cli):
    path = tmp_path / "huge.txt"
    row = "\t".join(["1"] * 40)
    path.write_text(report_text() + "\n".join([f"规章\t{row}"] * 2000) + "\n", encoding="utf-8")
    code, out, err = cli("check", path)
    assert code == 2
    assert "上限" in out + err and "不像年度报告" in out + err and "Traceback" not in out + err


def test_huge_pipe_and_spaced_tables_are_refused(tmp_path, cli):
    for name, line in (("pipes.md", "| 规章 |" + " 1 |" * 40), ("spaced.txt", "规章" + "   1" * 40)):
        path = tmp_path / name
        path.write_text(report_text() + "\n".join([line] * 2000) + "\n", encoding="utf-8")
        code, out, err = cli("check", path)
        assert code == 2 and "上限" in out + err


def test_every_report_we_have_is_within_the_budget(example, example_error, cli):
    for path in (example, example_error):
        code, _, _ = cli("check", path)
        assert code in (0, 1)
