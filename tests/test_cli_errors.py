"""Bad input of every kind through the CLI: the exit code and the Chinese message the user sees, never a traceback.

Each row builds what it needs in tmp_path and returns the command line; `{report}` is a good report (a copy of the
example), so the row's own argument is the only thing wrong.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from govreport_check.errors import INTERNAL
from test_hostile import EXAMPLE, HOSTILE, build
from tests_paths import EXAMPLES

EXAMPLE_ERROR = EXAMPLES / "示例区-2020-有误.txt"

RULE = ("rules:\n  - id: mine\n    name: 我的规则\n    severity: error\n    message: \"{row} 不对\"\n"
        "    table: sec3\n    foreach: column\n    expr: \"EXPR\"\n")


def rules_with(tmp: Path, expr: str = "一 >= 0", text: str | None = None, name: str = "mine.yaml") -> Path:
    path = tmp / name
    path.write_text(text if text is not None else RULE.replace("EXPR", expr.replace('"', '\\"')), encoding="utf-8")
    return path


def laughs(tmp: Path) -> Path:
    rows = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    return rules_with(tmp, text="\n".join(rows) + "\n" + RULE.replace("EXPR", "一 >= 0").replace(
        "    table:", "    tags: *a8\n    table:"))


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def toml(tmp: Path, text: str) -> Path:
    return write(tmp, "conf.toml", text.encode("utf-8"))


def empty_folder(tmp: Path) -> Path:
    (tmp / "empty").mkdir()
    (tmp / "empty" / "notes.xlsx").write_bytes(b"x")
    return tmp / "empty"


# (id, command line built from tmp, exit code, words the message holds; "{rules}" names the rule file and its line)
CASES = [
    ("missing report", lambda t: ["check", t / "nope.txt"], 2, "nope.txt: error input 文件不存在"),
    ("missing report, extract", lambda t: ["extract", t / "nope.txt"], 2, "文件不存在"),
    ("folder without reports", lambda t: ["check", empty_folder(t)], 2, "中没有可检查的报告文件"),
    ("folder without reports, extract", lambda t: ["extract", empty_folder(t)], 2, "中没有可检查的报告文件"),
    ("unknown encoding", lambda t: ["check", "{report}", "--encoding", "nope"], 2, "无法按指定编码 nope 解码"),
    ("wrong encoding", lambda t: ["check", "{report}", "--encoding", "latin-1"], 2, "编码识别有误"),
    ("undecodable in the given encoding", lambda t: ["check", "{report}", "--encoding", "ascii"], 2,
     "无法按指定编码 ascii 解码"),
    ("unknown layout", lambda t: ["check", "{report}", "--layout", "nope"], 2, "未知的版式 nope"),
    ("missing rule file", lambda t: ["check", "{report}", "--rules", t / "none.yaml"], 2, "规则文件不存在"),
    ("rule file is a folder", lambda t: ["check", "{report}", "--rules", t], 2, "文件夹，不是规则文件"),
    ("rule file not UTF-8", lambda t: ["check", "{report}", "--rules", write(t, "r.yaml", "规则".encode("gb18030"))],
     2, "不是 UTF-8 编码"),
    ("rule file too large", lambda t: ["check", "{report}", "--rules", write(t, "r.yaml", b"#" * (2 << 20))],
     2, "规则文件过大"),
    ("YAML billion laughs", lambda t: ["check", "{report}", "--rules", laughs(t)], 2, "展开别名后超过"),
    ("YAML alias into itself", lambda t: ["check", "{report}", "--rules", rules_with(t, text="rules: &r [*r]\n")],
     2, "展开别名后超过"),
    ("YAML nested 10,000 deep", lambda t: ["check", "{report}", "--rules",
                                           rules_with(t, text="rules: " + "[" * 10_000 + "]" * 10_000)], 2, "YAML"),
    ("YAML python tag", lambda t: ["check", "{report}", "--rules",
                                   rules_with(t, text="rules: !!python/object/apply:os.system ['echo pwned']\n")],
     2, "YAML 格式错误"),
    ("import in expression", lambda t: ["check", "{report}", "--rules",
                                        rules_with(t, "__import__('os').system('x') == 0")], 2, "{rules}:8: 只允许调用"),
    ("attribute", lambda t: ["check", "{report}", "--rules", rules_with(t, "().__class__.__mro__ == 0")],
     2, "{rules}:8: 不允许的语法"),
    ("attribute of a reference", lambda t: ["check", "{report}", "--rules", rules_with(t, "一.__class__ == 0")],
     2, "{rules}:8:"),
    ("subscript", lambda t: ["check", "{report}", "--rules", rules_with(t, "一[0] == 0")], 2, "{rules}:8: 不允许的语法"),
    ("lambda", lambda t: ["check", "{report}", "--rules", rules_with(t, "(lambda: 1)() == 0")], 2, "{rules}:8:"),
    ("comprehension", lambda t: ["check", "{report}", "--rules", rules_with(t, "sum([x for x in ()]) == 0")],
     2, "{rules}:8: 不允许的语法"),
    ("open()", lambda t: ["check", "{report}", "--rules", rules_with(t, "open('/etc/passwd') == 0")],
     2, "{rules}:8: 只允许调用"),
    ("keyword argument", lambda t: ["check", "{report}", "--rules", rules_with(t, "sum(一, start=1) == 0")],
     2, "{rules}:8: 只允许调用"),
    ("huge exponent", lambda t: ["check", "{report}", "--rules", rules_with(t, "2 ** 99999999 == 一")],
     2, "{rules}:8: 只允许 + - × 运算"),
    ("huge constant", lambda t: ["check", "{report}", "--rules", rules_with(t, "一 == " + "9" * 30)],
     2, "{rules}:8: 数值常量过大"),
    ("deep nesting", lambda t: ["check", "{report}", "--rules", rules_with(t, "-" * 60 + "一 == 0")],
     2, "{rules}:8: 表达式嵌套过深"),
    ("too many nodes", lambda t: ["check", "{report}", "--rules",
                                  rules_with(t, "sum(" + ",".join(["1"] * 450) + ") == 0")],
     2, "{rules}:8: 表达式过于复杂"),
    ("too long", lambda t: ["check", "{report}", "--rules", rules_with(t, "一 == 0" + " " * 1000)],
     2, "{rules}:8: 表达式过长"),
    ("walrus", lambda t: ["check", "{report}", "--rules", rules_with(t, "(x := 1) == 0")], 2, "{rules}:8:"),
    ("f-string", lambda t: ["check", "{report}", "--rules", rules_with(t, "f'{一}' == 0")], 2, "{rules}:8:"),
    ("NUL byte", lambda t: ["check", "{report}", "--rules", rules_with(t, "一 == 0\\0")], 2, "{rules}:8:"),
    ("message with {}", lambda t: ["check", "{report}", "--rules",
                                   rules_with(t, text=RULE.replace("{row} 不对", "{} 不对").replace("EXPR", "一 >= 0"))],
     2, "{rules}:2: message 中的占位符"),
    ("message reaching into objects", lambda t: ["check", "{report}", "--rules", rules_with(
        t, text=RULE.replace("{row} 不对", "{lhs.__class__}").replace("EXPR", "一 >= 0"))], 2, "占位符只能写成"),
    ("catastrophic regular expression", lambda t: ["check", "{report}", "--rules", rules_with(t, text=(
        "rules:\n  - id: p\n    name: 正则\n    severity: warning\n    kind: prose\n    message: m\n"
        "    pattern: \"收到(?P<n>(\\\\d+)+)件\"\n    equals:\n"
        "      - {label: x, expr: 'cell(\"sec3\", \"一\", \"总计\")'}\n"))],
     2, "{rules}:2: 正则表达式"),
    ("tags not a list", lambda t: ["check", "{report}", "--rules", rules_with(
        t, text=RULE.replace("EXPR", "一 >= 0").replace("    table:", "    tags: 5\n    table:"))], 2, "tags 应为列表"),
    ("missing config", lambda t: ["check", "{report}", "--config", t / "none.toml"], 2, "配置文件不存在"),
    ("config nested deep", lambda t: ["check", "{report}", "--config",
                                      toml(t, "[tool.govreport-check]\nselect = " + "[" * 5000 + "]" * 5000)],
     2, "嵌套过深"),
    ("config not TOML", lambda t: ["check", "{report}", "--config", toml(t, "select = [")], 2, "TOML 格式错误"),
    ("config unknown key", lambda t: ["check", "{report}", "--config", toml(t, "ignor = []\n")], 2, "未知的键：ignor"),
    ("config not UTF-8", lambda t: ["check", "{report}", "--config", write(t, "c.toml", b"select = ['\xff']\n")],
     2, "无法读取配置文件"),
    ("previous missing", lambda t: ["check", "{report}", "--previous", t / "last.txt"], 2, "上一年报告无法读取：文件不存在"),
    ("output over the input", lambda t: ["check", "{report}", "-o", "{report}"], 2, "拒绝覆盖"),
    ("output into a missing folder", lambda t: ["check", "{report}", "-o", t / "no" / "out.txt"], 2, "无法写入输出文件"),
    ("output is a folder", lambda t: ["check", "{report}", "-o", t], 2, "无法写入输出文件"),
    ("unknown rule to explain", lambda t: ["explain", "sec3-nope"], 2, "没有 id 为 sec3-nope 的规则"),
    ("rules --check on an attack", lambda t: ["rules", "--check", rules_with(t, "__import__('os') == 0")],
     2, "{rules}:8: 只允许调用"),
]


def command(tmp_path: Path, build_args) -> tuple[list[str], Path]:
    report = tmp_path / "report.txt"
    report.write_bytes(EXAMPLE.read_bytes())
    args = [str(a) for a in build_args(tmp_path)]
    return [str(report) if a == "{report}" else a for a in args], report


@pytest.mark.parametrize("build_args, code, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gives_its_exit_code_and_message(cli, tmp_path, build_args, code, words):
    args, report = command(tmp_path, build_args)
    before = report.read_bytes()
    got, out, err = cli(*args)
    rule_file = next((a for a in args if a.endswith(".yaml")), "")
    assert got == code, out + err
    assert words.replace("{rules}", rule_file) in out + err
    assert err.startswith("错误：") or " error input " in out  # stderr, or the plain report's line for that input
    assert "Traceback" not in out + err and INTERNAL not in out + err
    assert report.read_bytes() == before


IN_A_PROCESS = {"import in expression", "YAML billion laughs", "YAML python tag", "config nested deep",
                "output over the input", "catastrophic regular expression", "message with {}"}


def test_no_traceback_in_a_real_process(tmp_path):
    """The installed entry point, in a subprocess: every hostile file at once, then the worst rule and config files,
    with the real interpreter's stderr (CliRunner would hide what Python itself prints)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in HOSTILE:
        build(folder, name)
    runs = [["check", str(folder), "--format", "plain", "--jobs", "2"]]
    runs += [command(tmp_path, build_args)[0] for name, build_args, _, _ in CASES if name in IN_A_PROCESS]
    env = {**os.environ, "GOVREPORT_CHECK_MAX_PDF_TOKENS": "20000", "GOVREPORT_CHECK_MAX_PDF_OBJECTS": "5000"}
    batch = " ; ".join(_one_process_per(runs))
    result = subprocess.run([sys.executable, "-c", batch], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stdout + result.stderr
    assert INTERNAL not in result.stdout + result.stderr
    codes = [int(c) for c in result.stdout.split("EXIT=")[1:] for c in [c.split()[0]]]
    assert len(codes) == len(runs) and set(codes) <= {1, 2} and codes[0] == 2


def _one_process_per(runs: list[list[str]]) -> list[str]:
    """Python statements that run each command line in its own interpreter and print its exit code, so one
    subprocess start pays for all of them."""
    return ["import subprocess, sys", *(
        f"r = subprocess.run([sys.executable, '-m', 'govreport_check', *{args!r}], capture_output=True, text=True); "
        "sys.stdout.write(r.stdout + r.stderr + f' EXIT={r.returncode}\\n')" for args in runs)]


def test_a_bug_met_on_one_input_is_reported_for_that_input_only(cli, tmp_path, monkeypatch):
    """The catch-all in batch.check_one: a bug of ours costs one input, not the batch, and prints no traceback."""
    import govreport_check.report as report_module

    bad = tmp_path / "bad.txt"
    bad.write_bytes(EXAMPLE.read_bytes())
    real = report_module.load_report

    def load_report(path, *args, **kwargs):
        if Path(path) == bad:
            raise ZeroDivisionError("division by zero")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(report_module, "load_report", load_report)
    for command_line in (["check", EXAMPLE, bad, "--format", "json", "--jobs", "1"], ["extract", EXAMPLE, bad]):
        code, out, err = cli(*command_line)
        assert code == 2 and "Traceback" not in out + err
        assert f"{bad}: {INTERNAL}（ZeroDivisionError: division by zero）" in err
    assert '"status": "pass"' in cli("check", EXAMPLE, bad, "--format", "json", "--jobs", "1")[1]


@pytest.mark.xfail(strict=True, reason="batch.expand: glob('**') follows symlinked folders; Path.glob would not")
def test_glob_through_a_symlink_loop_ends(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")  # every path through it is a new path to glob
    (tmp_path / "sub" / "self").symlink_to(".")
    (tmp_path / "a.txt").write_bytes(EXAMPLE.read_bytes())
    code = f"from govreport_check.batch import expand; print(len(expand([{str(tmp_path / '**' / '*.txt')!r}])))"
    try:
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=3)
    except subprocess.TimeoutExpired:
        pytest.fail("expand() was still globbing after 3 s")
    assert result.stdout.strip() == "1"
