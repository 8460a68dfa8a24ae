"""Settings from `[tool.govreport-check]` in the nearest pyproject.toml or a `.govreport-check.toml`.

Unknown keys are errors: a misspelt `ignor = [...]` that silently did nothing would be worse than a stop.
"""

from __future__ import annotations

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


def _toml(path: Path) -> dict:
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
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"配置文件 TOML 格式错误：{exc}", path) from None
    except RecursionError:  # tomllib recurses once per nested array or table
        raise InputError("配置文件 TOML 嵌套过深", path) from None


def find(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        own = folder / ".govreport-check.toml"
        if own.is_file():
            return own
        project = folder / "pyproject.toml"
        if project.is_file() and "govreport-check" in _toml(project).get("tool", {}):
            return project
    return None


def load(path: Path) -> Settings:
    data = _toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("govreport-check", {})
    unknown = set(data) - KEYS
    if unknown:
        raise InputError(f"配置中有未知的键：{'、'.join(sorted(unknown))}（可用：{'、'.join(sorted(KEYS))}）", path)

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"配置项 {key} 应为字符串列表", path)
        return tuple(value)

    fail_on = data.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise InputError(f"配置项 fail-on 只能是 {'、'.join(FAIL_ON)}", path)
    jobs = data.get("jobs")
    if jobs is not None and (not isinstance(jobs, int) or jobs < 1):
        raise InputError("配置项 jobs 应为正整数", path)
    fmt = data.get("format")
    if fmt is not None and not isinstance(fmt, str):
        raise InputError("配置项 format 应为字符串", path)
    rules = tuple(str((path.parent / r).resolve()) for r in strings("rules"))
    return Settings(strings("select"), strings("ignore"), rules, fail_on, fmt, jobs, str(path))


def settings(config: Path | None, isolated: bool) -> Settings:
    if isolated:
        return Settings()
    path = config or find(Path.cwd())
    if config is not None and not config.is_file():
        raise InputError("配置文件不存在", config)
    return load(path) if path else Settings()
