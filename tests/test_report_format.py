"""The summary names the kind of file apart from the text's encoding (which the JSON keeps as it was)."""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from test_layout_docx import build_report as build_docx

from govreport_check.report import file_format, load_report, summary

HTML = Path(__file__).parent / "fixtures" / "html" / "cms_page.html"


def _summary_of(path: Path):
    return summary(load_report(path))


def test_text_and_html(example):
    s = _summary_of(example)
    assert (s.format, s.encoding) == ("text", "utf-8")
    s = _summary_of(HTML)
    assert s.format == "html" and s.encoding != "html"


def test_docx_keeps_its_encoding_word_and_says_its_format(tmp_path, cli):
    path = build_docx(tmp_path / "report.docx")
    s = _summary_of(path)
    assert (s.format, s.encoding) == ("docx", "docx")
    _, data = cli.json("check", path)
    assert data["reports"][0]["encoding"] == "docx"  # unchanged for those who read the JSON


def test_a_docx_named_txt_is_still_docx(tmp_path):
    path = build_docx(tmp_path / "report.docx").rename(tmp_path / "report.txt")
    assert _summary_of(path).format == "docx"


def test_pdf(tmp_path):
    pdf = pytest.importorskip("test_layout_pdf")
    s = _summary_of(pdf.build_report(tmp_path / "report.pdf"))
    assert (s.format, s.encoding) == ("pdf", "pdf")


def test_old_word_converted(tmp_path, monkeypatch):
    """A stand-in `soffice` that "converts" by copying a .docx, as tests/test_layout_docx.py does."""
    docx_path = build_docx(tmp_path / "report.docx")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(
        f"#!{sys.executable}\nimport os, shutil, sys\nargs = sys.argv[1:]\nout = args[args.index('--outdir') + 1]\n"
        f"os.makedirs(out, exist_ok=True)\nshutil.copy({str(docx_path)!r}, os.path.join(out, 'report.docx'))\n",
        encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    s = _summary_of(path)
    assert (s.format, s.encoding) == ("doc", "doc→docx")


def test_a_document_built_without_a_reader_falls_back_on_its_layout(example):
    doc = load_report(example).document
    assert file_format(replace(doc, format="")) == "text"
    assert file_format(replace(doc, format="", layout="docx")) == "docx"
