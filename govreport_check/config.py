"""Settings from `[tool.govreport-check]` in the nearest pyproject.toml or a `.govreport-check.toml`.

Unknown keys are errors: a misspelt `ignor = [...]` that silently did nothing would be worse than a stop.
Discovery looks no higher than the project (the folder holding `.git`) or the home folder, and skips, with a
warning, a file another user owns or anyone may write: such a file in a shared folder above the reports (the
system's temporary folder, say) could otherwise `ignore` every rule of every check run below it.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from govreport_check.errors import InputError

KEYS = {"select", "ignore", "rules", "fail-on", "format", "jobs"}
MAX_CONFIG_BYTES = 1024 * 1024  # a pyproject.toml is a few KB
FAIL_ON = ("error", "warning", "info")


@dataclass(frozen=True)
class Settings:
    """Options a project fixes once instead of on every command line."""

    select: tuple[str, ...] = ()  # rule ids, id prefixes or tag:NAME
    ignore: tuple[str, ...] = ()  # same
    rules: tuple[str, ...] = ()  # extra rule files, relative paths resolved against the config file
    fail_on: str | None = None  # "error" (default), "warning" or "info"
    format: str | None = None  # output format
    jobs: int | None = None  # worker processes
    source: str | None = None  # the file these came from


def _parse(path: Path) -> tuple[dict, str]:
    """The file's data and text (for the line of a key in a message)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
        if len(data) > MAX_CONFIG_BYTES:
            raise InputError(f"配置文件过大（上限 {MAX_CONFIG_BYTES // 1024} KB）", path)
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取配置文件（{exc}）", path) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"配置文件 TOML 格式错误：{exc}", path) from None
    except RecursionError:  # tomllib recurses once per nested array or table
        raise InputError("配置文件 TOML 嵌套过深", path) from None


def find(start: Path) -> Path | None:
    tops = _tops()
    for folder in (start, *start.parents):
        own = folder / ".govreport-check.toml"
        if own.is_file() and _trusted(own):
            return own
        project = folder / "pyproject.toml"
        if project.is_file() and _trusted(project) and _table(project, *_parse(project)) is not None:
            return project
        if folder in tops or (folder / ".git").exists():
            return None
    return None


def _tops() -> tuple[Path, ...]:
    """The home folder (as written and resolved): discovery goes no higher."""
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no HOME and no password entry
        return ()
    return (home, Path(os.path.realpath(home)))


def _trusted(path: Path) -> bool:
    """False, with a warning, for a config file another (non-root) user owns or anyone may write."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - Windows: no owners or modes to check
        return True
    try:
        st = os.stat(path)
    except OSError:
        return True  # reading it will say what is wrong
    if st.st_uid not in (os.geteuid(), 0):
        why = f"它属于另一用户（uid {st.st_uid}）"
    elif st.st_mode & 0o002:
        why = f"任何用户都可以修改它（权限 {stat.S_IMODE(st.st_mode):04o}）"
    else:
        return True
    sys.stderr.write(f"警告：{path}: 跳过这个配置文件，因为{why}；如确要使用，请用 --config 指定\n")
    return False


_TYPES = {dict: "表", list: "数组", str: "字符串", int: "整数", float: "小数", bool: "布尔值"}


def _table(path: Path, data: dict, text: str) -> dict | None:
    """`[tool.govreport-check]` of a pyproject.toml, None when it has none."""
    for key in ("tool", "govreport-check"):
        data = data.get(key)
        if data is None:
            return None
        if not isinstance(data, dict):
            where = "tool" if key == "tool" else "tool.govreport-check"
            what = _TYPES.get(type(data), "日期或时间")
            raise InputError(f"{where} 应为表（如 [tool.govreport-check]），而不是{what}", path,
                             _line(text, where.split(".")))
    return data


_KEY = re.compile(r'''"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+)''')


def _line(text: str, key: list[str]) -> int | None:
    """The line a dotted key is written on (`a.b = …`, `b = …` under `[a]`, or `[a.b]`), else the line of the
    nearest enclosing key: tomllib keeps no lines, and a message without one leaves the user searching."""
    best: tuple[int, int] | None = None
    table: list[str] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.fullmatch(r"\[\[?([^\[\]]*)\]\]?\s*(?:#.*)?", line)
        if header:
            table = _keys(header.group(1))
            name = table
        elif "=" in line and not line.startswith("#"):
            name = table + _keys(line.split("=", 1)[0])
        else:
            continue
        depth = next((i for i, (a, b) in enumerate(zip(name, key)) if a != b), min(len(name), len(key)))
        if depth == len(key):
            return n
        if depth == len(name) and (best is None or depth > best[0]):
            best = (depth, n)
    return best[1] if best else None


def _keys(dotted: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in _KEY.finditer(dotted)]


def load(path: Path) -> Settings:
    data, text = _parse(path)
    if path.name == "pyproject.toml":
        data = _table(path, data, text) or {}
        prefix = ["tool", "govreport-check"]
    else:
        prefix = []

    def fail(message: str, key: str | None = None):
        raise InputError(message, path, _line(text, prefix + [key]) if key else None)

    unknown = set(data) - KEYS
    if unknown:
        fail(f"配置中有未知的键：{'、'.join(sorted(unknown))}（可用：{'、'.join(sorted(KEYS))}）", min(unknown))

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(f"配置项 {key} 应为字符串列表", key)
        return tuple(value)

    fail_on = data.get("fail-on")
    if fail_on is not None and (not isinstance(fail_on, str) or fail_on not in FAIL_ON):
        fail(f"配置项 fail-on 只能是 {'、'.join(FAIL_ON)}", "fail-on")
    jobs = data.get("jobs")
    if jobs is not None and (not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1):
        fail("配置项 jobs 应为正整数", "jobs")
    fmt = data.get("format")
    if fmt is not None and not isinstance(fmt, str):
        fail("配置项 format 应为字符串", "format")
    try:
        rules = tuple(str((path.parent / r).resolve()) for r in strings("rules"))
    except (OSError, ValueError) as exc:  # a NUL byte, a symlink loop
        fail(f"配置项 rules 中有无效的路径（{exc}）", "rules")
    return Settings(strings("select"), strings("ignore"), rules, fail_on, fmt, jobs, str(path))


def settings(config: Path | None, isolated: bool) -> Settings:
    if isolated:
        return Settings()
    try:
        start = Path.cwd()
    except OSError:  # the working folder was deleted: nothing to discover
        start = None
    path = config or (find(start) if start else None)
    if config is not None and not config.is_file():
        raise InputError("配置文件不存在", config)
    return load(path) if path else Settings()
