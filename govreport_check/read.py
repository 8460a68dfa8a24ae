"""Bytes → text lines, with the encoding named.

Reports arrive as UTF-8 (with or without BOM), GB18030 from Chinese Windows, UTF-16 from Notepad "Unicode"
saves, now and then Big5. The cascade is deterministic so the same file always decodes the same way:
BOM → UTF-16 without BOM (NUL bytes; byte order chosen by scoring both) → strict UTF-8 → strict GB18030
that reads as Chinese → charset-normalizer, if installed → UTF-8 with a few damaged bytes (named so in the
encoding). A decoding that produces no report vocabulary is refused rather than checked as gibberish.

Files are opened read-only and refused before reading when they are not regular files or are too large;
the limits here and in each format's reader are listed in docs/limits.md.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

from govreport_check.errors import InputError, NotAReport
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
MB = 1024 * 1024


LIMITS: dict[str, int] = {}  # every limit's default, by name: docs/limits.md is tested against it


def limit(name: str, default: int) -> int:
    """A size limit: `GOVREPORT_CHECK_<name>` from the environment when it is a positive integer, else `default`.

    Read once at import, so every worker of a batch sees the same value; docs/limits.md lists them all.
    """
    LIMITS[name] = default
    try:
        value = int(os.environ.get(f"GOVREPORT_CHECK_{name}", ""))
    except ValueError:
        return default
    return value if value > 0 else default


MAX_INPUT_BYTES = limit("MAX_INPUT_BYTES", 128 * MB)  # no file is read past this, whatever its format
MAX_LINE_CHARS = limit("MAX_LINE_CHARS", 100_000)  # a report's longest line is under 1,000 characters
MAX_BAD_BYTES = 16  # undecodable bytes (or 1 in 1,000) UTF-8 may have and still be a damaged UTF-8 file
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_OS_ERRORS = {
    errno.ENOENT: "文件不存在",
    errno.ENOTDIR: "文件不存在（路径中有一段不是文件夹）",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ELOOP: "符号链接循环（或链接层数过多），无法读取",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EISDIR: "这是一个文件夹，不是报告文件",
}


def read_bytes(path: Path) -> bytes:
    """The whole file, opened read-only. Refused before a byte is read when it is a folder, a pipe or device (which
    could block or never end) or larger than MAX_INPUT_BYTES; non-blocking open, so a FIFO cannot hang us."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ENOENT and set("*?[") & set(str(path)):
            raise InputError("没有匹配的文件（通配符没有匹配到任何文件）", path) from None
        raise InputError(_os_message(exc), path) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(_OS_ERRORS[errno.EISDIR], path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError("不是普通文件（管道、设备等），无法作为报告读取", path)
        check_bytes(info.st_size, MAX_INPUT_BYTES, "文件", path)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError(_os_message(exc), path) from None
    finally:
        os.close(fd)
    check_bytes(len(data), MAX_INPUT_BYTES, "文件", path)  # it grew while we read it
    return data


def _os_message(exc: OSError) -> str:
    return _OS_ERRORS.get(exc.errno, f"无法读取文件（{exc.strerror or type(exc).__name__}）")


def check_bytes(size: int, cap: int, what: str, path: str | Path) -> None:
    """Refuse `size` bytes over `cap`: the one message for every format's own size limit."""
    if size > cap:
        raise InputError(f"{what}过大（{size / MB:.1f} MB，上限 {cap / MB:g} MB）：不像年度报告", path)


def check_lines(lines, path: str | Path, numbered: bool = True) -> None:
    """Refuse a line longer than MAX_LINE_CHARS: no report has one, and every later step is linear in line length
    at best. `numbered` when line numbers are the file's own (text, HTML), so the message can point at it."""
    for n, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            where = f"第 {n} 行" if numbered else "有一段文字"
            raise InputError(f"{where}过长（{len(line)} 个字符，上限 {MAX_LINE_CHARS}）：不像年度报告的文本", path,
                             n if numbered else None)


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
        except (LookupError, ValueError) as exc:  # UnicodeError too: idna and punycode raise it on bad input
            raise InputError(f"无法按指定编码 {encoding} 解码：{exc}", path) from None
        return _checked(text, encoding, path)
    first: tuple[str, str] | None = None
    for text, name in _cascade(data):
        if _has_anchor(text):
            return text, name
        first = first or (text, name)
    damaged = _damaged_utf8(data)
    if damaged is not None and _has_anchor(damaged[0]):
        return damaged
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


def _damaged_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few bytes that do not decode (a download cut short, a flipped bit): U+FFFD in their place, so the
    report is still checked and a damaged cell shows as a finding. The encoding name says how many were lost."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad > max(MAX_BAD_BYTES, len(data) // 1000):
        return None
    return text, f"utf-8（{bad} 处字节无法解码）"


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
        raise NotAReport(
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
