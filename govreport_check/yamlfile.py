"""YAML loading for rule and template files: the safe loader only, with source lines kept for messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from functools import lru_cache

from govreport_check.errors import RuleFileError

LINE = "__line__"
MAX_YAML_BYTES = 1024 * 1024  # the built-in rule files together are 35 KB
MAX_YAML_NODES = 100_000  # values after aliases are expanded: `&a [*b, *b, …]` nine deep is a billion
MAX_YAML_DEPTH = 50  # nested lists and mappings; the built-in files go 8 deep, and every walk over the data recurses


class Line(int):
    """A mapping's line, which also knows the line of each of its keys: a bad `expr:` is reported where it is
    written, not where its rule starts."""

    def __new__(cls, line: int, keys: dict[str, int] | None = None):
        made = super().__new__(cls, line)
        made.keys = keys or {}
        return made


def key_line(mapping: dict, key: str) -> int | None:
    """The line `key` is written on in `mapping`, else the mapping's own line."""
    line = mapping.get(LINE) if isinstance(mapping, dict) else None
    return getattr(line, "keys", {}).get(key, line)


@lru_cache(maxsize=1)
def _line_loader():
    """Safe loader that records each mapping's 1-based line under the key `__line__`. Built on first use:
    with the rule cache warm, a check never imports PyYAML."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # type: ignore[misc,valid-type]
        def construct_mapping(self, node, deep=False):  # noqa: D401 - PyYAML hook
            mapping = super().construct_mapping(node, deep=deep)
            keys = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k.value, str)}
            mapping[LINE] = Line(node.start_mark.line + 1, keys)
            return mapping

    return yaml, LineLoader


def load_yaml(path: Path) -> Any:
    """The file's data, refused when it is too large, too deep, or expands (through aliases) past MAX_YAML_NODES,
    so that no later `str()` or walk over it can run away."""
    if path.is_dir():
        raise RuleFileError("这是一个文件夹，不是规则文件", path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_YAML_BYTES + 1)
    except FileNotFoundError:
        raise RuleFileError("规则文件不存在", path) from None
    except PermissionError:
        raise RuleFileError("没有读取规则文件的权限", path) from None
    except OSError as exc:
        raise RuleFileError(f"无法读取规则文件（{exc.strerror or type(exc).__name__}）", path) from None
    if len(data) > MAX_YAML_BYTES:
        raise RuleFileError(f"规则文件过大（上限 {MAX_YAML_BYTES // 1024} KB）", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleFileError(f"规则文件不是 UTF-8 编码（第 {exc.start + 1} 个字节无法解码）", path) from None
    yaml, loader = _line_loader()
    try:
        loaded = yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleFileError(f"YAML 格式错误：{problem}", path, line) from None
    except RecursionError:
        raise RuleFileError("YAML 嵌套过深", path) from None
    if _expanded_size(loaded) > MAX_YAML_NODES:
        raise RuleFileError(f"YAML 展开别名后超过 {MAX_YAML_NODES} 个值：别名（&/*）用得过多，或有别名指向自身", path)
    deep = _too_deep(loaded)
    if deep is not None:
        raise RuleFileError(f"YAML 嵌套过深（超过 {MAX_YAML_DEPTH} 层列表或映射）", path, deep or None)
    return loaded


def _too_deep(data: Any) -> int | None:
    """Where `data` nests past MAX_YAML_DEPTH: the line of the key it goes deeper under (0 when no mapping holds
    it), or None. Run after _expanded_size, so the walk is finite."""
    stack = [(data, 0, 0)]
    while stack:
        item, depth, line = stack.pop()
        if not isinstance(item, (dict, list)):
            continue
        if depth >= MAX_YAML_DEPTH:
            return line
        if isinstance(item, list):
            stack.extend((v, depth + 1, line) for v in item)
            continue
        own = item.get(LINE)
        keys = getattr(own, "keys", {})
        stack.extend((v, depth + 1, keys.get(k, own or line)) for k, v in item.items() if k != LINE)
    return None


def _expanded_size(data: Any) -> int:
    """Values in `data`, counting an aliased value again wherever it is used; stops once past the limit (an
    alias that contains itself would never end)."""
    count, stack = 0, [data]
    while stack and count <= MAX_YAML_NODES:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def line_of(node: Any) -> int | None:
    return node.get(LINE) if isinstance(node, dict) else None


def data_dir() -> Path:
    """The bundled `rules/` folder: inside the installed package, or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if (candidate / "template.yaml").is_file():
            return candidate
    raise RuleFileError("找不到内置规则目录 rules/（安装不完整？）", here)
