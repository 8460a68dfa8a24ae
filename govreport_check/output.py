"""Writing outputs: atomically (temp file + rename, so a reader never sees half a report) and never over an input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from govreport_check.errors import InputError


def write_atomic(target: Path, text: str, inputs: list[Path] = ()) -> None:
    for source in inputs:
        try:
            if target.exists() and source.exists() and target.samefile(source):
                raise InputError("输出文件与输入的报告是同一个文件，拒绝覆盖", target)
        except OSError:
            continue
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"无法写入输出文件（{exc.strerror or exc}）", target) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"无法写入输出文件（{exc.strerror or exc}）", target) from None
