"""Wrapping Chinese messages for a terminal: between characters and words, never inside a number.

A terminal (and rich) breaks a line without spaces wherever the width runs out, so `相差 -1` or `应为 2019` could
be split mid-figure, and a line could start with `，`. We break where Chinese typesetting allows: between two
characters, before an ASCII word or number, never before closing punctuation nor after opening punctuation.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

# a cell read (三.三.1/科研机构=0); a figure with its sign, separators and per cent; an ASCII word or path; a space;
# one other character
_TOKEN = re.compile(r"[一二三四五六七八九十\d.]+/[^，；\s=]+=[^，；\s]+|[-+−]?\d[\d,.]*%?|[A-Za-z0-9_./:\\-]+|\s+|.", re.S)
_NO_START = set("，。、；：？！）》」』】〕’”…%·,.;:!?)]}")
_NO_END = set("（《「『【〔‘“([{")


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """`text` in lines of at most `width` display columns, the first `indent` columns taken by what precedes
    the first line and indents the others; a token wider than a line stands alone."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        out += _lines(paragraph, max(width - indent, 8))
    return out


def _lines(text: str, room: int) -> list[str]:
    lines: list[str] = []
    line: list[str] = []
    for token in _TOKEN.findall(text):
        if token.isspace():
            token = " "
            if not line:
                continue
        hangs = len(line) == 1 and token[0] in _NO_START  # a word filling the line keeps its comma, past the edge
        if line and not hangs and cell_len("".join(line) + token.rstrip()) > room:
            carry = [token]
            while len(line) > 1 and (carry[0][0] in _NO_START or line[-1][-1] in _NO_END or line[-1] == " "):
                carry.insert(0, line.pop())  # punctuation stays with its neighbour
            lines.append("".join(line).rstrip())
            line = [t for t in carry if t != " "] if carry[0] == " " else carry
            continue
        line.append(token)
    if line or not lines:
        lines.append("".join(line).rstrip())
    return lines
