"""Bytes → text lines, with the encoding named.

Reports arrive as UTF-8 (with or without BOM), GB18030 from Chinese Windows, UTF-16 from Notepad "Unicode"
saves, now and then Big5. The cascade is deterministic so the same file always decodes the same way:
BOM → UTF-16 without BOM (NUL bytes; byte order chosen by scoring both) → strict UTF-8 → strict GB18030
that reads as Chinese → charset-normalizer, if installed. A decoding that produces no report vocabulary
is refused rather than checked as gibberish.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

from govreport_check.errors import InputError
from govreport_check.normalize import simplified

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
ANCHORS = ("政府信息公开", "申请", "公开", "年度报告", "行政复议")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MIN_PLAUSIBLE = 0.9


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
    """(text, encoding name); the first decoding in cascade order that holds report vocabulary wins."""
    if not data.strip():
        raise InputError("文件为空", path)
    if encoding:
        try:
            text = data.decode(encoding).removeprefix("\ufeff")
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(f"无法按指定编码 {encoding} 解码：{exc}", path) from None
        return _checked(text, encoding, path)
    first: tuple[str, str] | None = None
    for text, name in _cascade(data):
        if _has_anchor(text):
            return text, name
        first = first or (text, name)
    if first is None:
        raise InputError("无法识别文件编码，或不是文本文件（可用 --encoding 指定编码）", path)
    return _checked(*first, path)


def _cascade(data: bytes) -> Iterator[tuple[str, str]]:
    """Plausible decodings, most trustworthy first. A BOM or NUL bytes settle the question alone."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                yield data[len(bom):].decode(name.replace("-sig", "")), name
            except UnicodeDecodeError:
                pass
            return
    if b"\x00" in data[:4096]:
        even = data[: len(data) // 2 * 2]
        scored = sorted(((_utf16_score(even, n), n) for n in ("utf-16-le", "utf-16-be")), reverse=True)
        score, name = scored[0]
        if score[1] > _MIN_PLAUSIBLE:
            yield even.decode(name, errors="replace"), name
        return
    for name in ("utf-8", "gb18030"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if name == "utf-8" or _looks_chinese(text):
            yield text, name
    guessed = _charset_normalizer(data)
    if guessed is not None:
        yield guessed


def _charset_normalizer(data: bytes) -> tuple[str, str] | None:
    """The optional last resort: only when the package happens to be installed."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    match = from_bytes(data).best()
    if match is None or not _looks_chinese(str(match)):
        return None
    return str(match), match.encoding


def _utf16_score(data: bytes, name: str) -> tuple[bool, float]:
    """Report words first, then the share of characters a Chinese report is made of."""
    text = data.decode(name, errors="replace")
    return _has_anchor(text), _plausibility(text)


def _plausibility(text: str) -> float:
    """Share of characters a Chinese report is made of: CJK, ASCII, CJK and full-width punctuation."""
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch in "\t\r\n" or " " <= ch <= "~" or _is_chinese(ch) or "\u2010" <= ch <= "\u206f")
    return good / len(text)


def _is_chinese(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def _looks_chinese(text: str) -> bool:
    """GB18030 decodes almost any byte string; accept it only when it reads as Chinese."""
    letters = [ch for ch in text if not ch.isspace() and not ch.isascii()]
    if not letters:
        return True
    return sum(1 for ch in letters if _is_chinese(ch)) / len(letters) > 0.8


def _has_anchor(text: str) -> bool:
    """Report words, in Simplified characters or (after mapping) Traditional ones."""
    sample = text[:200_000]
    return any(word in sample for word in ANCHORS) or any(word in simplified(sample) for word in ANCHORS)


def _checked(text: str, encoding: str, path: str | Path) -> tuple[str, str]:
    if not _has_anchor(text):
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
