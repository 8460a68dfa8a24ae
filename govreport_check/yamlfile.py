"""YAML loading for rule and template files: the safe loader only, with source lines kept for messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from functools import lru_cache

from govreport_check.errors import RuleFileError

LINE = "__line__"


@lru_cache(maxsize=1)
def _line_loader():
    """Safe loader that records each mapping's 1-based line under the key `__line__`. Built on first use:
    with the rule cache warm, a check never imports PyYAML."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # type: ignore[misc,valid-type]
        def construct_mapping(self, node, deep=False):  # noqa: D401 - PyYAML hook
            mapping = super().construct_mapping(node, deep=deep)
            mapping[LINE] = node.start_mark.line + 1
            return mapping

    return yaml, LineLoader


def load_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleFileError("规则文件不存在", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"无法读取规则文件（{exc}）", path) from None
    yaml, loader = _line_loader()
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RuleFileError(f"YAML 格式错误：{problem}", path, line) from None


def line_of(node: Any) -> int | None:
    return node.get(LINE) if isinstance(node, dict) else None


def data_dir() -> Path:
    """The bundled `rules/` folder: inside the installed package, or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if (candidate / "template.yaml").is_file():
            return candidate
    raise RuleFileError("找不到内置规则目录 rules/（安装不完整？）", here)
