"""Bytes → text lines, with the encoding named.

Reports arrive as UTF-8 (with or without BOM), GB18030 from Chinese Windows, UTF-16 from Notepad "Unicode"
saves. The cascade is deterministic so the same file always decodes the same way, and a decoding that
produces no report vocabulary is refused rather than checked as gibberish.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from govreport_check.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
ANCHORS = ("政府信息公开", "申请", "公开", "年度报告", "行政复议")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise InputError("这是一个文件夹，不是报告文件", path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("文件不存在", path) from None
    except PermissionError:
        raise InputError("没有读取权限", path) from None
    except OSError as exc:
        raise InputError(f"无法读取文件（{exc.strerror or exc}）", path) from None


def read_text(path: str | Path, encoding: str | None = None) -> tuple[str, str]:
    """Read a file and return (text, encoding name)."""
    return decode(read_bytes(Path(path)), path, encoding)


def decode(data: bytes, path: str | Path, encoding: str | None = None) -> tuple[str, str]:
    if not data.strip():
        raise InputError("文件为空", path)
    if encoding:
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(f"无法按指定编码 {encoding} 解码：{exc}", path) from None
        return _checked(text, encoding, path)
    text, name = _cascade(data)
    if text is None:
        raise InputError("无法识别文件编码，或不是文本文件（可用 --encoding 指定编码）", path)
    return _checked(text, name, path)


def _cascade(data: bytes) -> tuple[str | None, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name.replace("-sig", "")), name
            except UnicodeDecodeError:
                return None, name
    if b"\x00" in data[:4096]:
        best = max(("utf-16-le", "utf-16-be"), key=lambda n: _plausibility(data, n))
        if _plausibility(data, best) > 0.9:
            return data.decode(best, errors="replace"), best
        return None, ""
    for name in ("utf-8", "gb18030"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if name == "utf-8" or _looks_chinese(text):
            return text, name
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None, ""
    match = from_bytes(data).best()
    if match is None:
        return None, ""
    return str(match), match.encoding


def _plausibility(data: bytes, name: str) -> float:
    """Share of characters a Chinese report is made of: CJK, ASCII, CJK and full-width punctuation."""
    text = data[: len(data) // 2 * 2].decode(name, errors="replace")
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch in "\t\r\n" or " " <= ch <= "~" or _CJK.match(ch)
               or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u206f")
    return good / len(text)


def _looks_chinese(text: str) -> bool:
    """GB18030 decodes almost any byte string; accept it only when it reads as Chinese."""
    letters = [ch for ch in text if not ch.isspace() and not ch.isascii()]
    if not letters:
        return True
    return sum(1 for ch in letters if _CJK.match(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef") / len(letters) > 0.8


def _checked(text: str, encoding: str, path: str | Path) -> tuple[str, str]:
    if not any(word in text for word in ANCHORS):
        raise InputError(
            f"按 {encoding} 解码后找不到“政府信息公开”“申请”等字样：不是年度报告，或编码识别有误（可用 --encoding 指定）",
            path,
        )
    return text, encoding


def split_lines(text: str) -> tuple[str, ...]:
    """Split on CRLF, CR or LF only: str.splitlines() would also split on form feeds and U+2028."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(lines)
