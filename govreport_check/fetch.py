"""Reports given by web address: downloaded before anything is read, then checked as the files they were saved to.

Each address is fetched once, a few at a time, into a private temporary folder, and its file goes to the batch
like any other (so worker processes, time budgets and progress apply unchanged). What the batch hands back names
the temporary file; `restore` puts the address back in every place a path is shown, in one walk over the results,
and removes the folder. A download that fails becomes the address's own Unreadable result: the rest are checked.

Only http and https, with the standard library: no JavaScript runs, redirects are followed only to http(s), and
every address has time and size limits. A page without report tables that links the report as an attachment
(.docx, .pdf, .doc, .wps) is checked through that attachment.
"""

from __future__ import annotations

import atexit
import codecs
import dataclasses
import os
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from govreport_check import __version__
from govreport_check.errors import InputError, NotAReport
from govreport_check.read import MAX_INPUT_BYTES, MB, read_bytes

# pyproject.toml's [project.urls] Repository: a site's administrator who sees us in a log can find who we are.
PROJECT_URL = "https://github.com/govreport-check/govreport-check"
USER_AGENT = f"govreport-check/{__version__} (+{PROJECT_URL})"
SCHEMES = ("http", "https")
ATTACHMENTS = (".docx", ".pdf", ".doc", ".wps")  # in order of preference: Word's tables are read exactly
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]+://|data:)", re.I)
_CHUNK = 64 * 1024
URI_SAFE = "/:?#[]@!$&'()*+,;=%~"  # what an address may hold as it is; anything else is percent-encoded
_RETRY_AFTER_MAX_S = 10.0  # a longer Retry-After is not waited for: the address fails with its status
_TYPES = {
    "text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt", "text/markdown": ".md",
    "application/pdf": ".pdf", "application/x-pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc", "application/vnd.ms-word": ".doc",
    "application/vnd.ms-works": ".wps", "application/kswps": ".wps", "application/wps-office.wps": ".wps",
    "multipart/related": ".mht", "message/rfc822": ".mht", "application/x-mimearchive": ".mht",
}
_KNOWN = (".html", ".htm", ".txt", ".md", ".pdf", ".docx", ".doc", ".wps", ".mht", ".mhtml")
_PAGE_WORDS = ("年度报告", "政府信息公开")  # an attachment named so is the report, not a form or a notice
_MIN_LABELS = 3  # template labels a table holds to count as a report table


@dataclass(frozen=True)
class Limits:
    """How long and how much one address may take; the module's LIMITS is what the CLI uses (tests lower it)."""

    timeout: float = 20.0  # seconds to connect, and for each read from the connection
    total: float = 120.0  # seconds for one download from first request to last byte, retries and waits included
    max_bytes: int = MAX_INPUT_BYTES  # read.py's cap on any input file
    retries: int = 3  # further tries after a connection error, a 5xx or a 429
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    workers: int = 4  # addresses downloaded at a time


LIMITS = Limits()


@dataclass(frozen=True)
class Download:
    """One address: the file it was saved to, or why it could not be."""

    url: str  # as the user gave it
    file: Path  # where it was saved; a name that does not exist when it failed
    error: str | None = None  # the Chinese message, when it failed
    attachment: str | None = None  # the attachment checked in place of a page without tables


class _Failed(Exception):
    def __init__(self, message: str, retry: bool = False, after: float | None = None):
        super().__init__(message)
        self.message, self.retry, self.after = message, retry, after


def is_url(arg: str) -> bool:
    """A web address rather than a path: such an argument is never a missing file, nor a glob for its `?`."""
    return bool(_URL.match(arg))


def listed(source: Path) -> list[str]:
    """The addresses and paths of a --from-list file: one a line, blank lines and `#` comments skipped."""
    try:
        data = read_bytes(Path(source))
    except InputError as err:
        raise InputError(f"无法读取 --from-list 清单（{err.message}）", source) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")  # a list saved by Notepad on Chinese Windows
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


class _Session:
    """What `restore` needs after the batch: the folder, and which address each file there stands for."""

    def __init__(self, folder: Path):
        self.folder, self.owner = folder, os.getpid()
        self.names: dict[str, str] = {}  # saved file → address
        self.failed: dict[str, str] = {}  # saved file (absent) → why the address failed

    def remove(self) -> None:
        if os.getpid() == self.owner:  # not from a forked worker, whose parent still reads the folder
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)


_session: _Session | None = None


def download(args: list[str], limits: Limits | None = None) -> tuple[list[str], list[str]]:
    """`args` with each address replaced by the file it was saved to, and notices for the user (which attachment
    stood in for a page). Arguments that are not addresses are kept as they are, in their place."""
    global _session
    urls = list(dict.fromkeys(a for a in args if is_url(a)))
    if not urls:
        return list(args), []
    limits = limits or LIMITS
    cleanup()
    import tempfile  # here, as shutil in remove: every check imports this module (is_url), few download

    _session = _Session(Path(tempfile.mkdtemp(prefix="govreport-check-fetch-")))  # mode 0700
    from concurrent.futures import ThreadPoolExecutor

    from govreport_check.template.spec import builtin_templates

    builtin_templates()  # loaded here, not by the first threads at once
    folder = _session.folder
    with ThreadPoolExecutor(max_workers=max(1, min(limits.workers, len(urls)))) as pool:
        done = list(pool.map(lambda n: fetch(urls[n], folder / str(n + 1), limits), range(len(urls))))
    saved, notices = {}, []
    for item in done:
        saved[item.url] = str(item.file)
        _session.names[str(item.file)] = item.url
        if item.error is not None:
            _session.failed[str(item.file)] = item.error
        if item.attachment:
            notices.append(f"{item.url} 没有报告表格，改为检查它链接的附件 {item.attachment}")
    return [saved.get(a, a) for a in args], notices


def restore(results: list) -> list:
    """The batch's results with each downloaded file named by its address (reports, findings, cells, messages),
    each failed download as its address's Unreadable; then the downloads are removed."""
    global _session
    session, _session = _session, None
    if session is None:
        return results
    from govreport_check.report import Unreadable

    try:
        pattern = re.compile("|".join(re.escape(p) for p in sorted(session.names, key=len, reverse=True)))
        names, memo = session.names, {}

        def renamed(text: str) -> str:
            return pattern.sub(lambda m: names[m.group(0)], text) if str(session.folder) in text else text

        out = []
        for r in results:
            if isinstance(r, Unreadable) and r.path in session.failed:
                out.append(Unreadable(names[r.path], session.failed[r.path]))
            else:
                out.append(_walk(r, renamed, memo))
        return out
    finally:
        session.remove()


def cleanup() -> None:
    """Downloads of a run that never reached `restore` (an input error stopped it)."""
    global _session
    if _session is not None:
        _session.remove()
        _session = None


atexit.register(cleanup)


def _walk(value, renamed, memo: dict):
    """`value` with every string through `renamed`; frozen dataclasses, tuples, lists and dicts are rebuilt only
    where something changed, so a report's template and unchanged values stay shared."""
    kind = type(value)
    if kind is str:
        return renamed(value)
    if kind in (tuple, list):
        items = [_walk(v, renamed, memo) for v in value]
        return kind(items) if any(a is not b for a, b in zip(items, value)) else value
    if kind is dict:
        items = {k: _walk(v, renamed, memo) for k, v in value.items()}
        return items if any(items[k] is not v for k, v in value.items()) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if id(value) in memo:
            return memo[id(value)][1]
        changes = {}
        for f in dataclasses.fields(value):
            if f.init:
                old = getattr(value, f.name)
                new = _walk(old, renamed, memo)
                if new is not old:
                    changes[f.name] = new
        out = dataclasses.replace(value, **changes) if changes else value
        memo[id(value)] = (value, out)  # the original is kept alive so that its id is not reused
        return out
    return value


def fetch(url: str, stem: Path, limits: Limits = LIMITS) -> Download:
    """One address saved as `stem` plus the suffix its content calls for; never raises."""
    try:
        got = _get(url, limits)
        file = _save(stem, *got)
        attachment = _attachment(file, got[0]) if file.suffix == ".html" else None
        if attachment is None:
            return Download(url, file)
        try:
            linked = _get(attachment, limits)
        except _Failed as exc:
            return Download(url, stem.with_suffix(".failed"), f"附件 {attachment} {exc.message}", attachment)
        file.unlink()
        return Download(url, _save(stem, *linked), attachment=attachment)
    except _Failed as exc:
        return Download(url, stem.with_suffix(".failed"), exc.message)
    except Exception as exc:  # noqa: BLE001 - one address must not stop the others
        from govreport_check.errors import internal_error

        return Download(url, stem.with_suffix(".failed"), internal_error(exc))


def _get(url: str, limits: Limits) -> tuple[str, bytes, str, str, str]:
    """(final address, body, content type, charset, file name the server gives) after the retries it earns."""
    from urllib.parse import urlsplit

    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        raise _Failed(f"只能下载 http 或 https 网址，不支持 {scheme or url}:")
    deadline = time.monotonic() + limits.total
    for attempt in range(limits.retries + 1):
        try:
            return _once(url, limits, deadline)
        except _Failed as exc:
            pause = exc.after if exc.after is not None else limits.backoff * 2**attempt
            if not exc.retry or attempt == limits.retries or time.monotonic() + pause >= deadline:
                raise
            time.sleep(pause)
    raise AssertionError("unreachable")


def _once(url: str, limits: Limits, deadline: float):
    import http.client
    import socket
    import ssl
    from urllib.error import HTTPError, URLError
    from urllib.request import Request

    request = Request(_ascii(url), headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate",
                                    "Accept": "text/html,application/pdf,application/msword,*/*;q=0.8"})
    late = _Failed(f"下载超时（超过 {limits.total:g} 秒）")
    wait = min(limits.timeout, deadline - time.monotonic())
    if wait <= 0:
        raise late
    slow = _Failed(f"下载超时（{limits.timeout:g} 秒）")
    try:
        response = _opener().open(request, timeout=wait)
    except HTTPError as exc:
        code, reason = exc.code, _reason(exc.code, exc.reason)
        after = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
        exc.close()
        busy = code == 429 or code >= 500
        status = f"HTTP {code} {reason}" if reason else f"HTTP {code}"
        raise _Failed(f"无法下载（{status}）", busy and after is not False, after or None) from None
    except URLError as exc:
        raise _connection(exc.reason, url, slow) from None
    except (TimeoutError, socket.timeout):
        raise slow from None
    except (ConnectionError, http.client.HTTPException, ssl.SSLError, OSError) as exc:
        raise _connection(exc, url, slow) from None
    with response:
        try:
            return response.geturl(), _body(response, limits, deadline, late), *_kind(response.headers)
        except (TimeoutError, socket.timeout):
            raise slow from None
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            raise _Failed(f"下载中断（{type(exc).__name__}）", retry=True) from None


def _ascii(url: str) -> str:
    """The address as it goes on the wire: one pasted from a browser's bar shows Chinese a request may not hold."""
    from urllib.parse import quote, urlsplit

    if url.isascii():
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = parts.netloc.replace(host, host.encode("idna").decode("ascii")) if host and not host.isascii() else (
        parts.netloc)
    return parts._replace(netloc=netloc, path=quote(parts.path, safe=URI_SAFE),
                          query=quote(parts.query, safe=URI_SAFE), fragment="").geturl()


def _opener():
    """urllib with no file:, ftp: or data: handler, redirects only to http(s), cookies kept for one download."""
    import ssl
    from http.cookiejar import CookieJar
    from urllib.request import (HTTPCookieProcessor, HTTPDefaultErrorHandler, HTTPErrorProcessor, HTTPHandler,
                                HTTPSHandler, OpenerDirector, ProxyHandler, UnknownHandler)

    opener = OpenerDirector()
    for handler in (ProxyHandler(), UnknownHandler(), HTTPHandler(), HTTPSHandler(context=ssl.create_default_context()),
                    HTTPDefaultErrorHandler(), _redirects()(), HTTPErrorProcessor(), HTTPCookieProcessor(CookieJar())):
        opener.add_handler(handler)
    return opener


@lru_cache(maxsize=1)
def _redirects():
    """The redirect handler, made on first use: urllib.request pulls in http.client, ssl and email, which a run
    without addresses never needs."""
    from urllib.parse import urljoin, urlsplit
    from urllib.request import HTTPRedirectHandler

    class Redirects(HTTPRedirectHandler):
        def http_error_302(self, req, fp, code, msg, headers):
            target = urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
            if urlsplit(target).scheme.lower() not in SCHEMES:
                fp.close()
                raise _Failed(f"网址被重定向到 {target}：只下载 http 或 https 网址")
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    return Redirects


def _reason(code: int, reason) -> str:
    from http import HTTPStatus

    text = str(reason or "").strip()
    if not text:
        try:
            text = HTTPStatus(code).phrase
        except ValueError:
            text = ""
    return text


def _retry_after(value: str | None):
    """Seconds a 429 or 503 asks us to wait: None when it does not say, False when longer than we wait."""
    if not value or not value.strip().isdigit():
        return None
    seconds = float(value.strip())
    return seconds if seconds <= _RETRY_AFTER_MAX_S else False


def _connection(reason, url: str, slow: _Failed) -> _Failed:
    import socket
    import ssl
    from urllib.parse import urlsplit

    if isinstance(reason, _Failed):
        return reason
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return slow
    if isinstance(reason, ssl.SSLCertVerificationError):
        return _Failed(f"HTTPS 证书无法验证（{reason.verify_message or reason}）")
    if isinstance(reason, socket.gaierror):
        host = urlsplit(url).hostname or url
        return _Failed(f"无法解析域名 {host}", retry=reason.errno == socket.EAI_AGAIN)
    if isinstance(reason, ConnectionRefusedError):
        return _Failed("无法连接（连接被拒绝）", retry=True)
    if isinstance(reason, OSError):
        return _Failed(f"无法连接（{reason.strerror or type(reason).__name__}）", retry=True)
    return _Failed(f"无法连接（{reason}）", retry=True)


def _body(response, limits: Limits, deadline: float, late: _Failed) -> bytes:
    """The whole body, refused past the size cap (announced or counted) and the address's deadline; gzip and
    deflate are undone under the same cap, so a small compressed body cannot unpack into gigabytes."""
    import zlib

    cap = limits.max_bytes
    too_large = _Failed(f"下载内容超过上限 {cap / MB:g} MB")
    length = response.headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > cap:
        raise too_large
    coding = (response.headers.get("Content-Encoding") or "").strip().lower()
    unpack = zlib.decompressobj(47 if coding in ("gzip", "x-gzip") else zlib.MAX_WBITS) if coding in (
        "gzip", "x-gzip", "deflate") else None
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise late
        chunk = response.read(_CHUNK)
        if not chunk:
            break
        if unpack is not None:
            try:
                chunk = unpack.decompress(chunk, cap + 1 - size)
            except zlib.error:
                raise _Failed(f"下载内容无法解压（Content-Encoding: {coding}）") from None
        size += len(chunk)
        if size > cap or (unpack is not None and unpack.unconsumed_tail):
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _kind(headers) -> tuple[str, str, str]:
    """(content type, charset, file name from Content-Disposition), lower-cased where case means nothing."""
    from email.message import Message

    message = Message()
    for name in ("Content-Type", "Content-Disposition"):
        if headers.get(name):
            message[name] = headers.get(name)
    kind = message.get_content_type() if headers.get("Content-Type") else ""
    charset = message.get_content_charset() or ""
    try:
        filename = message.get_filename() or ""
    except (TypeError, ValueError, LookupError):
        filename = ""
    return kind, charset, filename


def _save(stem: Path, final: str, data: bytes, kind: str, charset: str, filename: str) -> Path:
    """The body written (owner-only, never over another file) under the suffix its type, name or bytes call for;
    an HTML page's HTTP charset is written into the page when the page declares none, since the HTML reader
    reads the page's own declaration."""
    file = stem.with_suffix(_suffix(final, data, kind, filename))
    if file.suffix == ".html":
        data = _declared(data, charset)
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return file


def _suffix(final: str, data: bytes, kind: str, filename: str) -> str:
    from urllib.parse import unquote, urlsplit

    if kind in _TYPES:
        return _TYPES[kind]
    for name in (filename, unquote(urlsplit(final).path)):
        suffix = Path(name).suffix.lower()
        if suffix in _KNOWN:
            return ".html" if suffix == ".htm" else suffix
    head = data[:4096].lstrip()
    for magic, suffix in ((b"%PDF-", ".pdf"), (b"PK\x03\x04", ".docx"), (b"\xd0\xcf\x11\xe0", ".doc")):
        if head.startswith(magic):
            return suffix
    return ".html" if head.startswith(b"<") else ".txt"


def _declared(data: bytes, charset: str) -> bytes:
    """The page with `<meta charset>` put before its first byte (on line 1: no source line moves)."""
    from govreport_check.layouts.html import CHARSET_WINDOW

    head = data[:CHARSET_WINDOW]
    if (not re.fullmatch(r"[a-z0-9_.:-]+", charset) or charset.startswith(("utf-16", "utf-32")) or b"\x00" in head
            or head.startswith(codecs.BOM_UTF8) or b"charset" in head.lower()):
        return data
    declaration = re.match(rb"\s*<\?xml[^>]*\?>", data)
    at = declaration.end() if declaration else 0
    return data[:at] + f'<meta charset="{charset}">'.encode("ascii") + data[at:]


def _attachment(file: Path, page: str) -> str | None:
    """The address of the report a page links when the page shows no report table of its own."""
    from govreport_check.layouts import html
    from govreport_check.sections import table_section
    from govreport_check.template.spec import builtin_templates

    data = file.read_bytes()
    try:
        doc = html.read(file, data)
    except NotAReport:
        pass  # a page that only links the report may hold no report words
    except InputError:
        return None  # too large, too deep …: the batch says so under the address
    else:
        templates = builtin_templates()
        if any(table_section(t, templates, _MIN_LABELS) for t in doc.tables):
            return None
    return _best_link(data, page)


def _best_link(data: bytes, page: str) -> str | None:
    """The link most likely to be the report: one whose address or text names a .docx/.pdf/.doc/.wps file,
    preferring those that say 年度报告 or 政府信息公开, then 附件, then Word over PDF, then the first."""
    import lxml.etree
    import lxml.html
    from urllib.parse import unquote, urljoin, urlsplit

    try:
        root = lxml.html.document_fromstring(_page_text(data))
    except (ValueError, lxml.etree.LxmlError):
        return None
    base = page
    for href in root.xpath("//base/@href")[:1]:
        base = urljoin(page, href.strip())
    best = None
    for order, link in enumerate(root.iter("a")):
        href = (link.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        target = urljoin(base, href)
        parts = urlsplit(target)
        if parts.scheme.lower() not in SCHEMES:
            continue
        text = " ".join(link.text_content().split())
        named = " ".join((text, link.get("title") or "", link.get("download") or "", unquote(parts.path)))
        suffix = next((s for s in ATTACHMENTS if unquote(parts.path).lower().endswith(s)), None) or next(
            (s for s in ATTACHMENTS if re.search(re.escape(s) + r"(?![a-z0-9])", named.lower())), None)
        if suffix is None:
            continue
        key = (not any(w in named for w in _PAGE_WORDS), "附件" not in text, ATTACHMENTS.index(suffix), order)
        if best is None or key < best[0]:
            best = (key, parts._replace(fragment="").geturl())
    return best[1] if best else None


def _page_text(data: bytes) -> str:
    """Good enough to read link texts and addresses: the page's own charset, else UTF-8, else GB18030."""
    from govreport_check.layouts.html import CHARSET_WINDOW

    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, errors="replace")
    declared = re.search(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", data[:CHARSET_WINDOW], re.I)
    names = ([declared.group(1).decode("ascii").lower()] if declared else []) + ["utf-8", "gb18030"]
    for name in names:
        try:
            text = data.decode({"gb2312": "gb18030", "gbk": "gb18030"}.get(name, name))
        except (LookupError, UnicodeDecodeError):
            continue
        return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    return data.decode("utf-8", errors="replace")
