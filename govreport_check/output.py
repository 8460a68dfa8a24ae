"""Writing outputs: atomically (temp file + rename, so a reader never sees half a report) and never over an input."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from govreport_check.errors import InputError


def write_atomic(target: Path, text: str, inputs: list[Path] = ()) -> None:
    for source in inputs:
        try:
            if target.exists() and source.exists() and target.samefile(source):
                raise InputError(f"输出文件与输入文件 {source} 是同一个文件，拒绝覆盖", target)
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
            handle.flush()
            os.fsync(handle.fileno())  # the data is on disk before the name points at it
        os.chmod(temp, _mode(target))
        os.replace(temp, target)
    except BaseException as exc:  # nothing half-written is left behind, whatever stopped us
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(f"无法写入输出文件（{exc.strerror or exc}）", target) from None
        raise


def _mode(target: Path) -> int:
    """The replaced file's permissions, or what a plain `open` would give (mkstemp's are owner-only)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
