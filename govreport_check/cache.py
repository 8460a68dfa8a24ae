"""A disk cache for what is slow to build and rarely changes: the validated rules and the templates.

Entries live in the user's own cache folder (like __pycache__) and are named by the paths, sizes and times of
their input files and of our own modules, so an edit or an upgrade makes a new entry; an unreadable entry is
rebuilt. A hit also spares importing PyYAML at all. `GOVREPORT_CHECK_CACHE=off` turns it off.
"""

from __future__ import annotations

import os
import pickle
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")


def folder() -> Path | None:
    root = os.environ.get("GOVREPORT_CHECK_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "govreport-check")
    return None if root in ("0", "off") else Path(root)


@lru_cache(maxsize=1)
def _code_files() -> tuple[Path, ...]:
    out = []
    for root, _, files in os.walk(Path(__file__).resolve().parent):
        out += [Path(root) / f for f in files if f.endswith(".py")]
    return tuple(sorted(out))


def entry(name: str, inputs: list[Path]) -> Path | None:
    from govreport_check import __version__

    base = folder()
    if base is None:
        return None
    parts = [__version__, name]
    for path in [*_code_files(), *inputs]:  # absolute paths: resolving each costs a system call a folder
        try:
            st = os.stat(path)
        except OSError:
            return None
        parts.append(f"{os.path.abspath(path)}\0{st.st_size}\0{st.st_mtime_ns}")
    key = "\n".join(parts).encode()
    return base / f"{name}-{zlib.crc32(key):08x}{zlib.adler32(key):08x}{len(key):x}.pickle"


def cached(name: str, inputs: list[Path], build: Callable[[], T]) -> T:
    path = entry(name, inputs)
    if path is not None:
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # noqa: BLE001 - any broken entry is rebuilt
            pass
    value = build()
    if path is not None:
        try:
            import tempfile

            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
            _prune(path.parent, name)
        except OSError:
            pass
    return value


KEEP = 8  # entries of each name kept: an upgrade or an edited rule file makes a new one, and old ones pile up


def _prune(base: Path, name: str) -> None:
    """Drop all but the KEEP newest entries of `name` (another process may be reading one: it has it open)."""
    entries = []
    for path in base.glob(f"{name}-*.pickle"):
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    for _, path in sorted(entries, reverse=True)[KEEP:]:
        try:
            path.unlink()
        except OSError:
            pass
