"""The rule cache: entries are data that cannot run code, keyed by the inputs' bytes, read only from a folder and
files no one else can write, and it leaves no temporary files behind."""

from __future__ import annotations

import errno
import json
import os
import pickle
import re
import stat
import time
from pathlib import Path

import pytest
from tests_paths import EXAMPLES

from govreport_check import cache
from govreport_check.batch import select_rules
from govreport_check.report import check, load_report
from govreport_check.rules.expr import Expr
from govreport_check.rules.load import builtin_rule_files, load_rules, load_rules_cached
from govreport_check.template.spec import builtin_templates, load_templates
from govreport_check.yamlfile import data_dir

OTHER_UID = 65534  # nobody
RULE = ("rules:\n  - id: mine\n    name: 我的规则\n    severity: warning\n    message: \"甲{row}\"\n"
        "    table: sec3\n    foreach: column\n    expr: \"一 >= 0\"\n")

needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("GOVREPORT_CHECK_CACHE", str(path))
    monkeypatch.setattr(cache, "notices", [], raising=False)
    return path


def rule_inputs() -> list[Path]:
    return [data_dir() / "template.yaml", *builtin_rule_files()]


def plain(value):
    """A value with compiled patterns and expressions spelt out, so options compare (Rule ignores them)."""
    if isinstance(value, re.Pattern):
        return ("re", value.pattern, value.flags)
    if isinstance(value, Expr):
        return ("expr", value.source, value.refs, value.uses_last, value.comparison)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v) for v in value)
    return value


def test_cached_rules_come_back_whole_and_check_alike(folder):
    fresh = load_rules(builtin_rule_files(), builtin_templates())
    load_rules_cached(builtin_rule_files())
    again = load_rules_cached(builtin_rule_files())
    assert {p.suffix for p in folder.iterdir()} == {".json"}
    assert again == fresh and again is not fresh
    assert [plain(r.options) for r in again] == [plain(r.options) for r in fresh]
    assert [r.examples for r in again] == [r.examples for r in fresh]
    report = load_report(EXAMPLES / "示例区-2020-有误.txt")
    assert check(report, again) == check(report, fresh)


def test_cached_templates_come_back_whole(folder):
    path = data_dir() / "template.yaml"
    fresh = load_templates(path)
    cache.cached("templates", [path], lambda: load_templates(path))
    assert cache.cached("templates", [path], lambda: pytest.fail("rebuilt")) == fresh
    (entry,) = folder.iterdir()
    assert entry.suffix == ".json" and set(json.loads(entry.read_bytes())["value"]) == set(fresh)


def test_an_entry_is_plain_json(folder):
    load_rules_cached(builtin_rule_files())
    (path,) = folder.glob("rules-*")
    data = json.loads(path.read_bytes())
    assert set(data) == {"format", "key", "value"} and isinstance(data["value"], list)


class Payload:
    """What a hostile pickle does on load: here, leave a mark."""

    def __init__(self, mark: Path) -> None:
        self.mark = mark

    def __reduce__(self):
        return (Path.write_text, (self.mark, "pwned"))


def test_a_planted_pickle_never_runs(folder, tmp_path):
    mark = tmp_path / "mark"
    inputs = rule_inputs()
    path = cache.entry("rules", inputs)
    folder.mkdir(mode=0o700)
    path.write_bytes(pickle.dumps(Payload(mark)))
    path.chmod(0o600)
    rules = load_rules_cached(builtin_rule_files())
    assert not mark.exists()
    assert rules == load_rules(builtin_rule_files(), builtin_templates())


def entry_text(folder: Path) -> tuple[Path, dict]:
    load_rules_cached(builtin_rule_files())
    (path,) = folder.glob("rules-*")
    return path, json.loads(path.read_bytes())


def expressions(data) -> list[dict]:
    found = []
    if isinstance(data, dict):
        if data.keys() == {"source", "text", "refs"}:
            found.append(data)
        for v in data.values():
            found += expressions(v)
    elif isinstance(data, list):
        for v in data:
            found += expressions(v)
    return found


def plant_rules(data) -> None:
    data["value"][0] = "planted"


def plant_severity(data) -> None:
    data["value"][0][2] = "catastrophic"


def plant_kind(data) -> None:
    data["value"][0][6] = "exec"


def plant_field_count(data) -> None:
    data["value"][0].append("extra")


def plant_expression(data) -> None:
    expressions(data)[0]["text"] = "__import__('os').system('echo pwned') == 0"


def plant_tags(data) -> None:
    data["value"][0][3] = "sec3"


def plant_unknown_tag(data) -> None:
    data["value"][0][15] = {"@": "subprocess.Popen", "value": ["echo"]}


def plant_templates(data) -> None:
    data["value"] = {"2019": [1, 2, 3]}


def plant_key(data) -> None:
    data["key"] = "0" * 40


@pytest.mark.parametrize("plant", [plant_rules, plant_severity, plant_kind, plant_field_count, plant_expression,
                                   plant_tags, plant_unknown_tag, plant_templates, plant_key])
def test_an_entry_of_the_wrong_shape_is_rebuilt(folder, plant):
    path, data = entry_text(folder)
    plant(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    rules = load_rules_cached(builtin_rule_files())
    assert rules == load_rules(builtin_rule_files(), builtin_templates())
    assert cache.notices == [f"缓存：缓存条目 {path} 内容无效，已重建"]
    assert json.loads(path.read_bytes())["key"] == path.stem.rsplit("-", 1)[-1]  # replaced by a good one


@pytest.mark.parametrize("junk", [b"", b"\x80\x04K\x05.", b"[5]", b"null", b"[" * 100_000 + b"]" * 100_000,
                                  pickle.dumps([5]), pickle.dumps({"format": 2})])
def test_a_junk_entry_never_gives_a_traceback(cli, folder, example, junk):
    load_rules_cached(builtin_rule_files())
    (path,) = folder.glob("rules-*")
    path.write_bytes(junk)
    select_rules.cache_clear()
    code, out, err = cli("check", example, "--format", "plain", "-v", "--isolated")
    assert code == 0 and "Traceback" not in err and "pass" in out
    assert f"提示：缓存：缓存条目 {path} 内容无效，已重建" in err


def test_expressions_come_back_through_the_whitelist(folder, tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(RULE.replace("一 >= 0", '一 == cell(\\"sec3\\", \\"一\\", \\"总计\\") + sum(三.*)'),
                     encoding="utf-8")
    fresh = load_rules([extra], builtin_templates())
    cache.cached("mine", [extra], lambda: fresh)
    again = cache.cached("mine", [extra], lambda: pytest.fail("rebuilt"))
    assert again[0].expr.refs == fresh[0].expr.refs and again[0].expr.source == fresh[0].expr.source
    (entry,) = folder.iterdir()
    (stored,) = expressions(json.loads(entry.read_bytes()))  # as the checker first saw it: no __cell__ yet
    assert stored["text"] == "_r0 == cell('sec3', '一', '总计') + sum(_r1)"
    assert stored["refs"] == {"_r0": "一", "_r1": "三.*"}


def make_entry(folder: Path, tmp_path: Path, value: str = "planted") -> Path:
    source = tmp_path / "input.txt"
    source.write_text("x", encoding="utf-8")
    assert cache.cached("thing", [source], lambda: value) == value
    assert cache.cached("thing", [source], lambda: "rebuilt") == value
    return source


def test_a_folder_others_can_write_is_not_used(folder, tmp_path):
    source = make_entry(folder, tmp_path)
    folder.chmod(0o777)
    assert cache.cached("thing", [source], lambda: "rebuilt") == "rebuilt"
    assert cache.notices == [f"缓存：缓存文件夹 {folder} 可被其他用户写入（权限 0777），未使用（规则在内存中重建）"]
    folder.chmod(0o770)
    assert cache.cached("thing", [source], lambda: "rebuilt") == "rebuilt"


@needs_root
def test_a_folder_of_another_user_is_not_used(folder, tmp_path):
    source = make_entry(folder, tmp_path)
    os.chown(folder, OTHER_UID, OTHER_UID)
    assert cache.cached("thing", [source], lambda: "rebuilt") == "rebuilt"
    assert cache.notices == [f"缓存：缓存文件夹 {folder} 属于另一用户（uid {OTHER_UID}），未使用（规则在内存中重建）"]
    assert json.loads(cache.entry("thing", [source]).read_bytes())["value"] == "planted"  # nor written to


@pytest.mark.parametrize("spoil", ["chmod", "chown", "symlink"])
def test_an_entry_others_could_have_written_is_not_used(folder, tmp_path, spoil):
    if spoil == "chown" and os.geteuid() != 0:
        pytest.skip("chown needs root")
    source = make_entry(folder, tmp_path)
    path = cache.entry("thing", [source])
    if spoil == "chmod":
        path.chmod(0o666)
    elif spoil == "chown":
        os.chown(path, OTHER_UID, OTHER_UID)
    else:
        target = tmp_path / "elsewhere.json"
        path.rename(target)
        path.symlink_to(target)
    assert cache.cached("thing", [source], lambda: "rebuilt") == "rebuilt"
    assert len(cache.notices) == 1 and str(path) in cache.notices[0]
    assert cache.cached("thing", [source], lambda: "again") == "rebuilt"  # replaced by our own
    st = os.lstat(path)
    assert stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) == 0o600


def test_the_notice_shows_with_verbose_only(cli, folder, example):
    folder.mkdir()
    folder.chmod(0o777)
    select_rules.cache_clear()
    _, _, err = cli("check", example, "--format", "plain", "--isolated")
    assert "缓存" not in err
    select_rules.cache_clear()
    _, _, err = cli("check", example, "--format", "plain", "--isolated", "-v")
    assert f"提示：缓存：缓存文件夹 {folder} 可被其他用户写入（权限 0777）" in err


def test_folders_are_made_private_whatever_the_umask(tmp_path, monkeypatch):
    monkeypatch.setenv("GOVREPORT_CHECK_CACHE", str(tmp_path / "a" / "b" / "cache"))
    source = tmp_path / "input.txt"
    source.write_text("x", encoding="utf-8")
    old = os.umask(0)
    try:
        cache.cached("thing", [source], lambda: 1)
    finally:
        os.umask(old)
    for made in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "cache"):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700
    assert cache.cached("thing", [source], lambda: 2) == 1


def test_a_same_size_edit_with_the_time_put_back_is_seen(folder, tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(RULE, encoding="utf-8")
    before = extra.stat()
    assert load_rules_cached(builtin_rule_files() + [extra])[-1].message == "甲{row}"
    extra.write_text(RULE.replace("甲", "乙"), encoding="utf-8")  # what `cp -p` or `rsync -a` of an edit leave
    os.utime(extra, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert extra.stat().st_size == before.st_size and extra.stat().st_mtime_ns == before.st_mtime_ns
    assert load_rules_cached(builtin_rule_files() + [extra])[-1].message == "乙{row}"


class FullDisk:
    """A file whose writes fail as on a full disk."""

    def __init__(self, fd: int, *args, **kwargs) -> None:
        self.fd = fd

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.fd)

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_write_leaves_no_temporary_file(folder, tmp_path, monkeypatch):
    source = tmp_path / "input.txt"
    source.write_text("x", encoding="utf-8")
    monkeypatch.setattr(os, "fdopen", FullDisk)
    for _ in range(3):
        assert cache.cached("thing", [source], lambda: "built") == "built"
    monkeypatch.undo()
    assert list(folder.iterdir()) == []


def test_temporary_files_of_killed_writes_are_swept(folder, tmp_path):
    folder.mkdir(mode=0o700)
    old, new = folder / "tmpk1ll3d_0.tmp", folder / "tmpwr1t1ng_.tmp"
    for path in (old, new):
        path.write_bytes(b"half an entry")
    past = time.time() - 3600
    os.utime(old, (past, past))
    legacy = folder / "rules-0123456789abcdef0123.pickle"
    legacy.write_bytes(pickle.dumps([1]))
    load_rules_cached(builtin_rule_files())
    assert not old.exists() and not legacy.exists()
    assert new.exists()  # another process may be writing it right now
