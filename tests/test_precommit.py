"""The pre-commit hooks check PDFs (installing the PDF extra) and pass over files that are not reports."""

import re
import shlex
import shutil

import pytest
import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from tests_paths import ROOT

HOOKS = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_every_hook_takes_pdfs_and_installs_the_pdf_extra(hook):
    spec = HOOKS[hook]
    assert re.search(spec["files"], "reports/示例区2023年度报告.pdf")
    assert "types" not in spec and "types_or" not in spec  # identify calls a PDF binary, never text
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert spec["additional_dependencies"] == [".[pdf]"] and "pdf" in extras
    assert "--skip-non-reports" in shlex.split(spec["entry"])


def test_the_office_hook_passes_over_an_unrelated_word_file(cli, tmp_path, example):
    import docx

    memo = docx.Document()
    memo.add_paragraph("会议纪要")
    memo.add_paragraph("今天讨论了下一年度的预算安排。")
    memo.save(tmp_path / "会议纪要.docx")
    draft = tmp_path / "示例区2020年度报告.txt"
    shutil.copy(example, draft)
    assert re.search(HOOKS["govreport-check-office"]["files"], "会议纪要.docx")
    args = shlex.split(HOOKS["govreport-check-office"]["entry"])[1:]
    code, out, err = cli(*args, tmp_path / "会议纪要.docx", draft)
    assert code == 0 and "会议纪要" not in out and "pass" in out
    assert f"提示：跳过 1 个不是年度报告的文件：{tmp_path / '会议纪要.docx'}" in err


def test_without_the_option_a_non_report_is_unreadable(cli, tmp_path):
    (tmp_path / "memo.txt").write_text("会议纪要\n今天讨论了预算。\n", encoding="utf-8")
    code, out, _ = cli("check", tmp_path / "memo.txt", "--format", "plain")
    assert code == 2 and "不是年度报告" in out


def test_a_report_that_cannot_be_read_still_fails_the_hook(cli, tmp_path):
    (tmp_path / "年度报告.txt").write_bytes(b"")
    code, _, _ = cli("check", tmp_path / "年度报告.txt", "--skip-non-reports", "--format", "plain")
    assert code == 2


def test_an_unrelated_pdf_is_passed_over(cli, tmp_path):
    pytest.importorskip("pdfplumber")
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(tmp_path / "通知.pdf"))
    page.setFont("STSong-Light", 12)
    page.drawString(72, 700, "关于召开年度工作会议的通知")
    page.save()
    code, out, err = cli("check", tmp_path / "通知.pdf", "--skip-non-reports", "--format", "plain")
    assert code == 0 and out == "" and "跳过 1 个" in err
