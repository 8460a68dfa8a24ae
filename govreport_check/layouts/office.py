"""Old Word and WPS files (.doc, .wps): converted to .docx by LibreOffice when it is installed.

The conversion runs on a copy in a private temporary folder, with its own LibreOffice profile (a desktop
LibreOffice already open would otherwise swallow the request), no stdin, and a time limit; the whole process
group is killed when the limit passes. The user's file is never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from govreport_check.errors import InputError
from govreport_check.model import Document

CONVERT_TIMEOUT_S = 50  # its first start builds a profile (~10 s), a report converts in seconds; under --timeout's 60
_ASK_FOR_DOCX = "这是旧版 Word/WPS 文件（.doc/.wps）：请另存为 .docx 后再检查（或安装 LibreOffice，以便自动转换）"


def read(path: Path, data: bytes, encoding: str | None = None) -> Document:
    from govreport_check.layouts import docx

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise InputError(_ASK_FOR_DOCX, path)
    with tempfile.TemporaryDirectory(prefix="govreport-check-") as tmp:
        work = Path(tmp)
        suffix = path.suffix.lower() if path.suffix.lower() in (".doc", ".wps") else ".doc"
        source = work / f"report{suffix}"
        source.write_bytes(data)
        command = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--convert-to", "docx", "--outdir", str(work / "out"), str(source)]
        _run(command, path)
        converted = work / "out" / "report.docx"
        if not converted.is_file():
            raise InputError(f"LibreOffice 未能把文件转换为 .docx。{_ASK_FOR_DOCX}", path)
        return docx.read(path, converted.read_bytes(), encoding, label="doc→docx")


def _run(command: list[str], path: Path) -> None:
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        raise InputError(f"无法启动 LibreOffice（{exc}）。{_ASK_FOR_DOCX}", path) from None
    try:
        process.wait(timeout=CONVERT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise InputError(f"LibreOffice 转换超时（{CONVERT_TIMEOUT_S} 秒）。{_ASK_FOR_DOCX}", path) from None
    except BaseException:  # the worker stopped by its time budget (SIGTERM → SystemExit): LibreOffice goes with it
        _stop(process)
        raise


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
