"""Reports given by web address, served by a local http.server (never the internet): every output names the
address, failed downloads are the address's own unreadable result, pages without tables go to their attachment."""

from __future__ import annotations

import json
import socket
import tempfile
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from test_layout_docx import build_report

from govreport_check import batch, fetch
from govreport_check.layouts import read_document
from govreport_check.read import MB
from tests_paths import EXAMPLES

PAGE = Path(__file__).parent / "fixtures" / "html" / "cms_page.html"
TEXT = (EXAMPLES / "示例区-2020.txt").read_bytes()
WRONG = (EXAMPLES / "示例区-2020-有误.txt").read_bytes()
DOCX_NAME = "2023年政府信息公开工作年度报告.docx"
NOTICE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><base href="/attach/"><title>通知</title></head>
<body><div class="nav"><a href="/">首页</a></div>
<h1>测试县人民政府办公室2023年政府信息公开工作年度报告</h1>
<p>报告全文见附件。</p>
<p><a href="/forms/form.pdf">依申请公开申请表下载</a></p>
<p><a href="{DOCX_NAME}">附件：{DOCX_NAME}</a></p>
</body></html>"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        path = unquote(urlsplit(self.path).path)
        self.server.seen.append((path, self.headers.get("User-Agent")))
        route = self.server.routes.get(path)
        if route is None:
            self.send_error(404)
        else:
            route(self)

    def log_message(self, *args):
        pass


def send(handler, body: bytes, kind: str = "text/plain; charset=utf-8", status: int = 200, length: bool = True,
         headers: tuple = ()) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    if length:
        handler.send_header("Content-Length", str(len(body)))
    for name, value in headers:
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


class Site:
    """The server's address, its routes (path → handler function) and every request it saw."""

    def __init__(self, server):
        self.server = server
        self.routes = server.routes
        self.seen = server.seen
        self.base = f"http://127.0.0.1:{server.server_address[1]}"
        self.release = threading.Event()  # ends the slow handler's wait when the test is over

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(p == path for p, _ in self.seen)


@pytest.fixture(scope="module")
def docx_bytes(tmp_path_factory) -> bytes:
    return build_report(tmp_path_factory.mktemp("fetch-docx") / "report.docx").read_bytes()


@pytest.fixture
def site(docx_bytes):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.routes, server.seen = {}, []
    site = Site(server)
    busy = {"now": 0, "most": 0}
    lock = threading.Lock()

    def slow(h):
        site.release.wait(5)
        send(h, TEXT)

    def counted(h):
        with lock:
            busy["now"] += 1
            busy["most"] = max(busy["most"], busy["now"])
        time.sleep(0.1)
        with lock:
            busy["now"] -= 1
        send(h, TEXT)

    site.busy = busy
    site.routes.update({
        "/report.txt": lambda h: send(h, TEXT),
        "/wrong.txt": lambda h: send(h, WRONG),
        "/page.html": lambda h: send(h, PAGE.read_bytes(), "text/html; charset=utf-8"),
        "/notice.html": lambda h: send(h, NOTICE.encode(), "text/html"),
        f"/attach/{DOCX_NAME}": lambda h: send(h, docx_bytes, "application/octet-stream"),
        "/forms/form.pdf": lambda h: send(h, b"%PDF-1.4 not the report", "application/pdf"),
        "/bare.html": lambda h: send(h, b"<html><body><p>no report here</p></body></html>", "text/html"),
        "/download": lambda h: send(h, docx_bytes, "application/octet-stream",
                                    headers=(("Content-Disposition", 'attachment; filename="r.docx"'),)),
        "/down.txt": lambda h: send(h, b"busy", status=503),
        "/slow.txt": slow,
        "/counted.txt": counted,
        "/big.txt": lambda h: send(h, TEXT + b" " * (2 * MB)),
        "/big-stream.txt": lambda h: send(h, TEXT + b" " * (2 * MB), length=False),
        "/to-file": lambda h: send(h, b"", status=302, headers=(("Location", "file:///etc/passwd"),)),
        "/moved": lambda h: send(h, b"", status=301, headers=(("Location", "/report.txt"),)),
    })
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield site
    site.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def quick(monkeypatch, tmp_path):
    """Limits a test can wait out, no proxy between us and the local server, and downloads in a temporary
    folder the test can look into."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(fetch, "LIMITS", fetch.Limits(timeout=0.5, total=5, retries=2, backoff=0.01, max_bytes=MB))
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    fetch.cleanup()


def downloads(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith("govreport-check-fetch-")]


def test_each_output_names_the_address_and_the_downloads_are_removed(cli, site, quick):
    wrong = site.url("/wrong.txt")
    code, out, _ = cli("check", wrong, "--format", "plain")
    assert code == 1
    assert f"{wrong}:131: error P1 " in out
    assert f"{wrong}: fail — " in out
    assert "govreport-check-fetch-" not in out
    code, data = cli.json("check", wrong)
    [report] = data["reports"]
    assert code == 1 and report["path"] == wrong
    assert {f["location"] for f in report["findings"]} == {f"{wrong}:131"}
    code, out, _ = cli("check", wrong, "--format", "sarif")
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(out)["runs"][0]["results"] for loc in r["locations"]}
    assert code == 1 and uris == {wrong}
    code, out, _ = cli("check", wrong, "--format", "rich", "--width", "200", "--no-color")
    assert code == 1 and f"✗ {wrong}" in out and f"{wrong}:131" in out
    assert downloads(quick) == []


def test_addresses_mix_with_files_in_order(cli, site, example):
    page, text = site.url("/page.html"), site.url("/report.txt?from=list")
    code, data = cli.json("check", page, str(example), text)
    assert code == 0
    assert [r["path"] for r in data["reports"]] == [page, str(example), text]
    assert data["reports"][0]["format"] == "html"


def test_extract_names_the_address(cli, site):
    url = site.url("/page.html")
    code, out, _ = cli("extract", url)
    [report] = json.loads(out)["reports"]
    assert code == 0 and report["path"] == url
    assert len(report["cells"]) == 200


def test_an_honest_user_agent_is_sent(cli, site):
    cli("check", site.url("/report.txt"))
    [(_, agent)] = site.seen
    assert agent == f"govreport-check/{fetch.__version__} (+https://github.com/govreport-check/govreport-check)"


def test_a_page_without_tables_is_checked_through_its_report_attachment(cli, site):
    url = site.url("/notice.html")
    code, out, err = cli("check", url, "--format", "json")
    [report] = json.loads(out)["reports"]
    assert code == 0
    assert report["path"] == url and report["format"] == "docx"
    assert f"提示：{url} 没有报告表格，改为检查它链接的附件 {site.url('/attach/' + DOCX_NAME)}" in err
    assert site.hits("/forms/form.pdf") == 0


def test_a_page_with_tables_is_checked_itself(cli, site):
    page = site.url("/page.html").replace("page.html", "with-link.html")
    html = PAGE.read_text(encoding="utf-8").replace("</body>", '<a href="/forms/form.pdf">附件.pdf</a></body>')
    site.routes["/with-link.html"] = lambda h: send(h, html.encode(), "text/html; charset=utf-8")
    code, data = cli.json("check", page)
    assert code == 0 and data["reports"][0]["format"] == "html"
    assert site.hits("/forms/form.pdf") == 0


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # an old Word or WPS file's first bytes


@pytest.mark.parametrize("path, kind, headers, body, suffix", [
    ("/dl", "application/octet-stream", (("Content-Disposition", 'attachment; filename="r.wps"'),), OLE, ".wps"),
    ("/files/old.wps", "application/octet-stream", (), OLE, ".wps"),
    ("/files/noname", "application/octet-stream", (), OLE, ".doc"),
    ("/show.jsp", "text/html; charset=utf-8", (), b"<p>x</p>", ".html"),
    ("/get.do", "application/pdf", (), b"%PDF-1.4", ".pdf"),
    ("/plain", "", (), "政府信息公开".encode(), ".txt"),
])
def test_the_saved_file_kind_comes_from_type_then_name_then_bytes(site, tmp_path, path, kind, headers, body, suffix):
    site.routes[path] = lambda h: send(h, body, kind, headers=headers)
    got = fetch.fetch(site.url(path), tmp_path / "r", fetch.LIMITS)
    assert got.error is None and got.file.suffix == suffix


def test_a_charset_only_the_server_declares_is_kept_on_the_page_first_line(site, tmp_path):
    body = PAGE.read_text(encoding="utf-8").replace('<meta charset="utf-8">', "").replace("charset=utf-8", "")
    assert "charset" not in body
    site.routes["/gbk.html"] = lambda h: send(h, body.encode("gb18030"), "text/html; charset=GBK")
    got = fetch.fetch(site.url("/gbk.html"), tmp_path / "page", fetch.LIMITS)
    assert got.error is None and got.file.read_bytes().startswith(b'<meta charset="gbk">')
    original, saved = tmp_path / "original.html", got.file
    original.write_text(body, encoding="utf-8")
    doc = read_document(saved)
    assert doc.encoding == "gb18030"
    assert [c.loc.line for t in doc.tables for row in t.rows for c in row] == \
        [c.loc.line for t in read_document(original).tables for row in t.rows for c in row]


@pytest.mark.parametrize("path, said", [
    ("/missing.pdf", "无法下载（HTTP 404 Not Found）"),
    ("/slow.txt", "下载超时（0.5 秒）"),
    ("/big.txt", "下载内容超过上限 1 MB"),
    ("/big-stream.txt", "下载内容超过上限 1 MB"),
    ("/down.txt", "无法下载（HTTP 503 Service Unavailable）"),
    ("/to-file", "网址被重定向到 file:///etc/passwd：只下载 http 或 https 网址"),
])
def test_a_failed_download_is_that_address_unreadable_and_the_rest_are_checked(cli, site, example, path, said):
    url = site.url(path)
    code, out, err = cli("check", url, str(example), "--format", "plain")
    assert code == 2
    assert f"{url}: error input {said}" in out
    assert f"{example}: pass" in out


def test_only_5xx_and_429_are_tried_again(cli, site):
    cli("check", site.url("/missing.pdf"), site.url("/down.txt"))
    assert site.hits("/missing.pdf") == 1
    assert site.hits("/down.txt") == fetch.LIMITS.retries + 1


@pytest.mark.parametrize("status", [503, 429])
def test_a_busy_server_is_tried_again(cli, site, status):
    left = [1]

    def flaky(h):
        if left:
            left.pop()
            send(h, b"busy", status=status, headers=(("Retry-After", "0"),))
        else:
            send(h, TEXT)

    site.routes["/flaky.txt"] = flaky
    code, data = cli.json("check", site.url("/flaky.txt"))
    assert code == 0 and data["reports"][0]["path"] == site.url("/flaky.txt")
    assert site.hits("/flaky.txt") == 2


def test_a_name_that_does_not_resolve_is_reported_once(monkeypatch, tmp_path):
    asked = []

    def unknown(host, *args, **kwargs):
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    got = fetch.fetch("http://no-such-host.invalid/r.txt", tmp_path / "r", fetch.LIMITS)
    assert got.error == "无法解析域名 no-such-host.invalid" and asked == ["no-such-host.invalid"]


def test_the_readme_states_the_limits():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    limits = fetch.Limits()
    assert (f"同时至多 {limits.workers} 个，每个连接和读取限时 {limits.timeout:g} 秒、合计 {limits.total:g} 秒，"
            f"大小上限同本地文件 {limits.max_bytes // MB} MB" in readme.replace("\n", ""))
    assert f"重试 {limits.retries} 次" in readme


def test_a_refused_connection_is_tried_again_then_reported(cli):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    url = f"http://127.0.0.1:{port}/r.txt"
    code, out, _ = cli("check", url, "--format", "plain")
    assert code == 2 and f"{url}: error input 无法连接（连接被拒绝）" in out


def test_a_redirect_is_followed_and_named_by_the_address_given(cli, site):
    code, data = cli.json("check", site.url("/moved"))
    assert code == 0 and data["reports"][0]["path"] == site.url("/moved")


@pytest.mark.parametrize("url, said", [("file:///etc/passwd", "不支持 file:"), ("ftp://127.0.0.1/r.txt", "不支持 ftp:"),
                                       ("data:text/plain,x", "不支持 data:")])
def test_other_schemes_are_refused(cli, url, said):
    code, out, _ = cli("check", url, "--format", "plain")
    assert code == 2 and out.startswith(f"{url}: error input 只能下载 http 或 https 网址，{said}")


def test_downloads_run_a_few_at_a_time(cli, site):
    urls = [site.url(f"/counted.txt?n={n}") for n in range(10)]
    code, data = cli.json("check", *urls)
    assert code == 0 and [r["path"] for r in data["reports"]] == urls
    assert 1 < site.busy["most"] <= fetch.LIMITS.workers


def test_from_list_reads_addresses_and_paths(cli, site, example, tmp_path, quick):
    listing = tmp_path / "list.txt"
    listing.write_text(f"# 本周要检查的报告\n\n{site.url('/wrong.txt')}\n  {example}  \n", encoding="utf-8")
    code, data = cli.json("check", "--from-list", str(listing))
    assert code == 1
    assert [r["path"] for r in data["reports"]] == [site.url("/wrong.txt"), str(example)]
    code, out, _ = cli("extract", site.url("/page.html"), "--from-list", str(listing))
    assert code == 0 and [r["path"] for r in json.loads(out)["reports"]] == [
        site.url("/page.html"), site.url("/wrong.txt"), str(example)]
    assert downloads(quick) == []


def test_a_missing_or_empty_list_is_an_input_error(cli, tmp_path):
    code, out, err = cli("check", "--from-list", str(tmp_path / "none.txt"))
    assert code == 2 and out == ""
    assert err.strip() == f"错误：{tmp_path / 'none.txt'}: 无法读取 --from-list 清单（文件不存在）"
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n\n", encoding="utf-8")
    code, _, err = cli("extract", "--from-list", str(empty))
    assert code == 2 and "清单中没有任何文件或网址" in err


def test_an_address_is_no_glob(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    local = tmp_path / "http:" / "host" / "axb"
    local.parent.mkdir(parents=True)
    local.write_text("not the page", encoding="utf-8")
    assert batch.expand(["http://host/a?b"]) == [Path("http://host/a?b")]


def test_a_chinese_address_is_sent_percent_encoded(site, tmp_path):
    got = fetch.fetch(site.url("/attach/" + DOCX_NAME), tmp_path / "r", fetch.LIMITS)
    assert got.error is None and got.file.suffix == ".docx"
    assert site.seen[-1][0] == "/attach/" + DOCX_NAME
    assert quote(DOCX_NAME) in fetch._ascii(site.url("/attach/" + DOCX_NAME))


def test_a_page_without_tables_or_attachment_is_checked_as_it_is(cli, site):
    code, out, _ = cli("check", site.url("/bare.html"), "--format", "plain")
    assert code == 2 and out.startswith(f"{site.url('/bare.html')}: error input ")
    assert "govreport-check-fetch-" not in out


def test_limits_can_be_lowered_for_one_call(site, tmp_path):
    got = fetch.fetch(site.url("/report.txt"), tmp_path / "r", replace(fetch.LIMITS, max_bytes=100))
    assert got.error == f"下载内容超过上限 {100 / MB:g} MB"


def test_aggregate_downloads_the_summary_and_its_parts_together(cli, site):
    code, out, _ = cli("aggregate", site.url("/report.txt"), site.url("/moved"), "--format", "plain")
    assert code == 0, out
    assert out.startswith(f"{site.url('/report.txt')}: pass")
