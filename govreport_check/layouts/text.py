"""Plain-text reports: decode, then find tables in whichever text layout they were written."""

from __future__ import annotations

from pathlib import Path

from govreport_check.errors import InputError
from govreport_check.layouts import tabcells
from govreport_check.model import Document
from govreport_check.read import decode, split_lines

LAYOUTS = {"tabcells": tabcells}


def read(path: Path, data: bytes, encoding: str | None = None, layout: str | None = None) -> Document:
    text, used = decode(data, path, encoding)
    lines = split_lines(text)
    if layout is not None and layout not in LAYOUTS:
        raise InputError(f"未知的版式 {layout}（可用：{'、'.join(LAYOUTS)}）", path)
    name = layout or "tabcells"
    tables = LAYOUTS[name].read_tables(lines, str(path))
    return Document(str(path), used, lines, tuple(tables), name)
