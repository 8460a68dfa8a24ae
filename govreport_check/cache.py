"""A disk cache for what is slow to build and rarely changes: the validated rules and the templates.

An entry is JSON of plain data, rebuilt on load into our own frozen dataclasses (and enums, regular expressions,
rule expressions) and checked against their field types, so loading one can only make values the loader could
have made: unlike a pickle, an entry someone else wrote cannot run code. Rule expressions come back through the
same whitelist a rule file's go through. An entry is named by a hash of the input files' bytes (a same-size edit
with the time put back, as `cp -p`, `rsync -a` or `tar` make, is still seen), of the version and of our modules'
sizes and times, so an edit or an upgrade makes a new entry. Only a folder and entries owned by the user (or
root) and writable by no one else are used; anything else, and any entry that does not rebuild, is rebuilt in
memory and named in `notices` (the CLI prints them under `-v`). A hit spares importing PyYAML at all.
`GOVREPORT_CHECK_CACHE=off` turns the cache off.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Callable
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

try:  # hashlib loads OpenSSL (3 ms of every start); its blake2b is this module's
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b

T = TypeVar("T")

FORMAT = 2  # of an entry; 1 was a pickle
KEEP = 8  # entries of each name kept: an upgrade or an edited rule file makes a new one, and old ones pile up
MAX_ENTRY_BYTES = 16 * 1024 * 1024  # the built-in rules make a 40 KB entry
MAX_INPUT_BYTES = 4 * 1024 * 1024  # a larger input is refused by its loader anyway: not worth hashing
STALE_SECONDS = 60  # a temporary file older than this is a write that never finished (the writer was killed)
_MISS = object()

notices: list[str] = []  # why the cache was not used, one line each, for `check -v`

# The only types an entry can make, by tag (Expr and regular expressions have their own tags).
_CLASSES = {
    "Rule": "govreport_check.rules.rule",
    "Ref": "govreport_check.rules.expr",
    "Severity": "govreport_check.findings",
    "Template": "govreport_check.template.spec",
    "TableSpec": "govreport_check.template.spec",
    "LineSpec": "govreport_check.template.spec",
    "SectionSpec": "govreport_check.template.spec",
}
_TAGS = {(module, name): name for name, module in _CLASSES.items()} | {("govreport_check.rules.expr", "Expr"): "Expr"}


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


def _key(name: str, inputs: list[Path]) -> str | None:
    """None when an input cannot be read: its loader then says why."""
    from govreport_check import __version__

    digest = blake2b(f"{FORMAT}\0{__version__}\0{name}\0".encode(), digest_size=20)
    for path in _code_files():  # absolute paths: resolving each costs a system call a folder
        try:
            st = os.stat(path)
        except OSError:
            return None
        digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    for path in inputs:  # the path as given too: rules carry it in their `source`
        try:
            with open(path, "rb", opener=_nonblocking) as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    return None  # a FIFO would never end
                data = handle.read(MAX_INPUT_BYTES + 1)
        except OSError:
            return None
        if len(data) > MAX_INPUT_BYTES:
            return None
        digest.update(f"{path}\0{os.path.abspath(path)}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _no_links(path: str, flags: int) -> int:
    """An entry is opened as itself: a symlink could point anywhere, a FIFO would never end."""
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))


def entry(name: str, inputs: list[Path]) -> Path | None:
    base = folder()
    key = _key(name, inputs) if base is not None else None
    return None if key is None else base / f"{name}-{key}.json"


def cached(name: str, inputs: list[Path], build: Callable[[], T]) -> T:
    path = entry(name, inputs)
    if path is not None:
        value = _read(path, name)
        if value is not _MISS:
            return value
    value = build()
    if path is not None:
        _write(path, name, value)
    return value


def _notice(text: str) -> None:
    if text not in notices:
        notices.append(text)


def _distrust(st: os.stat_result) -> str | None:
    """Why a folder or entry may not be used: someone else could have chosen what it holds."""
    if not hasattr(os, "geteuid"):  # pragma: no cover - Windows: no owners or modes to check
        return None
    if st.st_uid not in (os.geteuid(), 0):
        return f"属于另一用户（uid {st.st_uid}）"
    if st.st_mode & 0o022:
        return f"可被其他用户写入（权限 {stat.S_IMODE(st.st_mode):04o}）"
    return None


def _usable(base: Path) -> bool:
    try:
        st = os.stat(base)
    except OSError:
        return False  # not there yet: nothing to read, and writing makes it
    why = "不是文件夹" if not stat.S_ISDIR(st.st_mode) else _distrust(st)
    if why:
        _notice(f"缓存：缓存文件夹 {base} {why}，未使用（规则在内存中重建）")
        return False
    return True


def _read(path: Path, name: str):
    if not _usable(path.parent):
        return _MISS
    try:
        with open(path, "rb", opener=_no_links) as handle:
            st = os.fstat(handle.fileno())
            why = "不是普通文件" if not stat.S_ISREG(st.st_mode) else _distrust(st)
            data = handle.read(MAX_ENTRY_BYTES + 1) if why is None else b""
    except FileNotFoundError:
        return _MISS
    except OSError as exc:
        _notice(f"缓存：缓存条目 {path} 无法读取（{exc.strerror or type(exc).__name__}），已重建")
        return _MISS
    if why is None and len(data) > MAX_ENTRY_BYTES:
        why = "过大"
    if why is None:
        try:
            return _load(data, name, path.stem.rsplit("-", 1)[-1])
        except Exception:  # noqa: BLE001 - whatever an entry holds, it is only ever rebuilt
            why = "内容无效"
    _notice(f"缓存：缓存条目 {path} {why}，已重建")
    return _MISS


def _load(data: bytes, name: str, key: str):
    import orjson

    doc = orjson.loads(data)
    if not isinstance(doc, dict) or set(doc) != {"format", "key", "value"} or doc["format"] != FORMAT \
            or doc["key"] != key:
        raise ValueError("not an entry for these inputs")
    return _codec(_shape(name))[1](doc["value"])


def _write(path: Path, name: str, value) -> None:
    import orjson

    try:
        value = _codec(_shape(name))[0](value)
        data = orjson.dumps({"format": FORMAT, "key": path.stem.rsplit("-", 1)[-1], "value": value})
    except (TypeError, ValueError, RecursionError):  # something we cannot store as plain data: not cached
        return
    base = path.parent
    try:
        _make(base)
    except OSError:
        return
    if not _usable(base):
        return
    import tempfile

    temp = None
    try:
        fd, temp = tempfile.mkstemp(dir=base, prefix="tmp", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
        temp = None
    except OSError:  # a full disk, say: the next run tries again
        pass
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
        _prune(base, name)


def _make(base: Path) -> None:
    """The folder and any missing parents, each made 0700: a umask of 000 cannot open them to others."""
    missing = []
    while not os.path.lexists(base) and base != base.parent:
        missing.append(base)
        base = base.parent
    for made in reversed(missing):
        try:
            os.mkdir(made, 0o700)
        except FileExistsError:
            pass


_TEMP = re.compile(r"tmp[a-z0-9_]{8}\.tmp")  # tempfile.mkstemp(prefix="tmp", suffix=".tmp")


def _prune(base: Path, name: str) -> None:
    """Drop all but the KEEP newest entries of `name` (another process may be reading one: it has it open), the
    temporary files of writes that never finished, and the pickles this cache used to write."""
    import time

    entries = []
    old = time.time() - STALE_SECONDS
    try:
        found = list(os.scandir(base))
    except OSError:
        return
    for item in found:
        try:
            if item.name.startswith(f"{name}-") and item.name.endswith(".json"):
                entries.append((item.stat(follow_symlinks=False).st_mtime_ns, item.path))
            elif (_TEMP.fullmatch(item.name) and item.stat(follow_symlinks=False).st_mtime < old) \
                    or (item.name.startswith(f"{name}-") and item.name.endswith(".pickle")):
                os.unlink(item.path)
        except OSError:
            continue
    for _, path in sorted(entries, reverse=True)[KEEP:]:
        try:
            os.unlink(path)
        except OSError:
            pass


# Plain data. Where a field's type is declared, its value is stored as that type's JSON (a dataclass as the list
# of its fields, a tuple as a list) and must be of that type when loaded; where it is not (a rule's options and
# examples), JSON values are stored as they are and a tuple, a dict, one of _CLASSES, an Expr or a compiled regular
# expression as an object tagged by "@".

def _shape(name: str):
    """What a whole entry of `name` is; other names (the tests') are any plain data."""
    if name == "rules":
        return list[_class("Rule")]
    if name == "templates":
        return dict[str, _class("Template")]
    return Any


@cache
def _class(tag: str) -> type:
    import importlib

    return getattr(importlib.import_module(_CLASSES[tag]), tag)


def _fail(value):
    raise ValueError(f"unexpected {type(value).__name__}")


def _same(kind: type) -> tuple[Callable, Callable]:
    def check(value):
        return value if type(value) is kind else _fail(value)

    return check, check


@cache
def _codec(hint) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """(to JSON, from JSON) for values of the type `hint`, made once per type; either raises on a value that
    is not of it."""
    import dataclasses
    import types
    import typing

    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any or hint in (dict, tuple, list):
        return _encode, lambda data: _typed(_decode(data), hint)
    if hint in (str, int, bool, type(None)):
        return _same(hint)
    if (origin is typing.Union or origin is types.UnionType) and len(args) == 2 and type(None) in args:
        to, back = _codec(next(a for a in args if a is not type(None)))
        return (lambda v: None if v is None else to(v)), (lambda d: None if d is None else back(d))
    if origin in (tuple, list) and (origin is list or (len(args) == 2 and args[1] is Ellipsis)):
        to, back = _codec(args[0])
        return (lambda v: [to(x) for x in v] if type(v) is origin else _fail(v),
                lambda d: origin(back(x) for x in d) if type(d) is list else _fail(d))
    if origin is tuple:
        parts = [_codec(a) for a in args]
        return (lambda v: [c[0](x) for c, x in zip(parts, v)] if type(v) is tuple and len(v) == len(parts)
                else _fail(v),
                lambda d: tuple(c[1](x) for c, x in zip(parts, d)) if type(d) is list and len(d) == len(parts)
                else _fail(d))
    if origin is dict and args[0] is str:
        (key, _), (to, back) = _same(str), _codec(args[1])
        return (lambda v: {key(k): to(x) for k, x in v.items()} if type(v) is dict else _fail(v),
                lambda d: {k: back(x) for k, x in d.items()} if type(d) is dict else _fail(d))
    tag = _TAGS.get((getattr(hint, "__module__", None), getattr(hint, "__qualname__", None)))
    if tag == "Expr":
        return (lambda v: _expr_data(v) if type(v) is hint else _fail(v),
                lambda d: _expr(d) if type(d) is dict and d.keys() == {"source", "text", "refs"} else _fail(d))
    if tag is not None and issubclass(hint, Enum):
        return lambda v: v.value if type(v) is hint else _fail(v), hint
    if tag is not None and dataclasses.is_dataclass(hint):
        return _dataclass_codec(hint, tag)
    raise TypeError(f"no plain-data form for {hint!r}")


def _dataclass_codec(cls: type, tag: str) -> tuple[Callable, Callable]:
    import dataclasses

    fields = [f for f in dataclasses.fields(cls) if f.init]
    names = [f.name for f in fields]
    parts = [_codec(_annotation(cls, f.name, f.type)) for f in fields]
    holds = _holds(tag)

    def to(value):
        if type(value) is not cls:
            _fail(value)
        return [c[0](getattr(value, n)) for c, n in zip(parts, names)]

    def back(data):
        if type(data) is not list or len(data) != len(parts):
            _fail(data)
        made = cls(*[c[1](x) for c, x in zip(parts, data)])
        if not holds(made):
            raise ValueError(f"not a valid {tag}")
        return made

    return to, back


_HINT = re.compile(r"\s*(\.\.\.|[A-Za-z_][\w.]*|[][,|])")


def _annotation(cls: type, name: str, hint):
    """A field's annotation as a type. Under `from __future__ import annotations` it is a string, and
    typing.get_type_hints compiles each one (1.5 ms of every start for our classes), so the forms our
    dataclasses use (names, X[A, B], X | Y, ...) are read here; anything else goes to get_type_hints."""
    import builtins
    import sys

    if not isinstance(hint, str):
        return hint
    tokens = _HINT.findall(hint)
    namespace = vars(sys.modules[cls.__module__])
    at = 0

    def union():
        nonlocal at
        made = atom()
        while at < len(tokens) and tokens[at] == "|":
            at += 1
            made = made | atom()
        return made

    def atom():
        nonlocal at
        token = tokens[at]
        at += 1
        if token == "...":
            return Ellipsis
        head, *rest = token.split(".")
        made = namespace[head] if head in namespace else getattr(builtins, head)
        for part in rest:
            made = getattr(made, part)
        if at < len(tokens) and tokens[at] == "[":
            at += 1
            args = [union()]
            while tokens[at] == ",":
                at += 1
                args.append(union())
            if tokens[at] != "]":
                raise SyntaxError(hint)
            at += 1
            made = made[tuple(args) if len(args) > 1 else args[0]]
        return made

    try:
        made = union()
        if at != len(tokens) or "".join(tokens) != hint.replace(" ", ""):
            raise SyntaxError(hint)
        return made
    except (SyntaxError, IndexError, KeyError, AttributeError, TypeError):
        import typing

        return typing.get_type_hints(cls)[name]


def _holds(tag: str) -> Callable[[Any], bool]:
    """What a made value must hold beyond its fields' types."""
    if tag == "Rule":
        from govreport_check.checks import KINDS

        return lambda rule: rule.kind in KINDS  # the engine dispatches on it
    return lambda made: True


def _typed(value, hint):
    return value if hint is Any or type(value) is hint else _fail(value)


def _encode(value):
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        if not math.isfinite(value):
            raise ValueError("JSON has no NaN or infinity")
        return value
    if kind is list:
        return [_encode(v) for v in value]
    if kind is tuple:
        return {"@": "tuple", "items": [_encode(v) for v in value]}
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise TypeError("only string keys")
        return {"@": "dict", "items": {k: _encode(v) for k, v in value.items()}}
    if isinstance(value, re.Pattern):
        if not isinstance(value.pattern, str):
            raise TypeError("only text patterns")
        return {"@": "re", "pattern": value.pattern, "flags": value.flags}
    if (kind.__module__, kind.__qualname__) not in _TAGS:
        raise TypeError(f"{kind.__name__} is not plain data")
    tag = _TAGS[(kind.__module__, kind.__qualname__)]
    return {"@": tag, "value": _codec(kind)[0](value)}


def _decode(data):
    kind = type(data)
    if data is None or kind in (bool, int, str, float):
        return data
    if kind is list:
        return [_decode(v) for v in data]
    if kind is not dict or len(data) != 2 + (data.get("@") == "re"):
        _fail(data)
    tag = data["@"]
    if tag == "tuple":
        return tuple(_decode(v) for v in data["items"]) if type(data["items"]) is list else _fail(data)
    if tag == "dict":
        return {k: _decode(v) for k, v in data["items"].items()} if type(data["items"]) is dict else _fail(data)
    if tag == "re":
        pattern, flags = data["pattern"], data["flags"]
        return re.compile(pattern, flags) if type(pattern) is str and type(flags) is int else _fail(data)
    if tag in _CLASSES or tag == "Expr":
        return _codec(_class(tag) if tag != "Expr" else _expr_class())[1](data["value"])
    raise ValueError(f"unknown tag {tag!r}")


def _expr_class() -> type:
    from govreport_check.rules.expr import Expr

    return Expr


def _expr_data(expr) -> dict:
    """An Expr as its checked tree written back as text, with the `cell("t", "r", "c")` calls the checker
    rewrote put back, so loading runs the same whitelist a rule file's expression goes through."""
    import ast
    import copy

    tree = copy.deepcopy(expr.tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__cell__":
            node.func.id = "cell"
            node.args = [ast.Constant(part) for part in expr.refs[node.args[0].id].explicit]
    refs = {name: ref.text for name, ref in expr.refs.items() if ref.explicit is None}
    return {"source": expr.source, "text": ast.unparse(tree), "refs": refs}


_PLACEHOLDER = re.compile(r"_r\d+")  # how expr.parse names the references it swaps out


def _expr(data: dict):
    import ast

    from govreport_check.rules import expr as language

    source, text, names = data["source"], data["text"], data["refs"]
    if type(source) is not str or type(text) is not str or len(text) > 4 * language.MAX_LENGTH:
        raise ValueError("not an expression")
    if type(names) is not dict or not all(type(v) is str and _PLACEHOLDER.fullmatch(k) for k, v in names.items()):
        raise ValueError("not the references of an expression")
    refs = {k: language.Ref(v) for k, v in names.items()}
    tree = ast.parse(text, mode="eval")
    language._check(tree, refs)
    return language._build(source, tree, refs)
