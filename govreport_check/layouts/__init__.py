"""Layout readers: each turns one way a report can be written into a `Document` of lines and `Table`s.

Formats are chosen by content as well as suffix (an HTML page saved as .txt is still HTML). Each format's
library is imported inside its reader, so checking a text file never pays for lxml, python-docx, pdfplumber or
OCR. Pictures (PNG, JPEG, TIFF, BMP) are read by OCR (layouts/ocr.py, the optional `ocr` extra).
A reader module exposes `read(path: Path, data: bytes, encoding: str | None) -> Document`; old Word and WPS
files go through `office`, which converts them with LibreOffice when it is installed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from govreport_check.model import Document
from govreport_check.read import read_bytes



_PICTURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # PNG, JPEG, TIFF (both byte orders)


def sniff(path: Path, data: bytes) -> str:
    if data.startswith(_PICTURES) or (data.startswith(b"BM") and path.suffix.lower() == ".bmp"):
        return "image"  # before the text cascade, which would refuse the bytes as undecodable
    head = data[:4096].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    lowered = head[:2048].lower()
    if b"<html" in lowered or b"<table" in lowered or b"<!doctype html" in lowered:
        return "html"
    suffix = path.suffix.lower()
    if suffix in (".htm", ".html", ".mht", ".mhtml") and b"<" in head:
        return "html"
    if lowered.startswith(b"mime-version") and b"multipart/related" in lowered:
        return "html"  # a page saved as .mht under another name
    for bom_text in (b"\xff\xfe<\x00", b"\xfe\xff\x00<", b"<\x00h\x00t\x00m\x00l\x00"):
        if head.startswith(bom_text):
            return "html"
    return "text"


def read_document(path: str | Path, encoding: str | None = None, layout: str | None = None) -> Document:
    path = Path(path)
    data = read_bytes(path)
    kind = sniff(path, data)
    return replace(_read(path, data, kind, encoding, layout), format=kind)


def _read(path: Path, data: bytes, kind: str, encoding: str | None, layout: str | None) -> Document:
    if kind == "doc":
        from govreport_check.layouts import office

        return office.read(path, data, encoding)
    if kind == "html":
        from govreport_check.layouts import html

        return html.read(path, data, encoding)
    if kind == "docx":
        from govreport_check.layouts import docx

        return docx.read(path, data, encoding)
    if kind == "pdf":
        from govreport_check.layouts import pdf

        return pdf.read(path, data, encoding)
    if kind == "image":
        from govreport_check.layouts import ocr, pdf

        return pdf.assemble(path, ocr.read_image(path, data), "ocr", "ocr")
    from govreport_check.layouts import text

    return text.read(path, data, encoding, layout)
