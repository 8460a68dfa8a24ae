"""Inputs are read, never written: every input is hashed before and after each run. `-o` is written atomically and
never over anything the run read. And the "done when" run of issue 8: mutated seeds, hostile files and truncated
HTML/DOCX/PDF in one batch exit 0/1/2 without a traceback, each input byte for byte as it was.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import json
import os
import random
from pathlib import Path

import pytest

from govreport_check.errors import INTERNAL
from test_hostile import EXAMPLE, HOSTILE, low_limits, build, mutate, run
from tests_paths import EXAMPLES, SHARED

FIXTURES = Path(__file__).parent / "fixtures"
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def hashes(paths) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


def mutants(data: bytes, count: int, seed: int) -> list[bytes]:
    """Random byte flips, deletions and duplications (1 to 8 edits each), reproducible from `seed`."""
    rng = random.Random(seed)
    return [mutate(data, [(rng.randrange(3), rng.randrange(1000), rng.randint(1, 512), rng.randrange(256))
                          for _ in range(rng.randint(1, 8))]) for _ in range(count)]


def truncations(data: bytes, count: int) -> list[bytes]:
    return [data[:len(data) * k // (count + 1)] for k in range(1, count + 1)]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, bytes]:
    """The structured reports the layout tests draw: .docx by python-docx, .pdf by reportlab."""
    import test_layout_docx

    folder = tmp_path_factory.mktemp("built")
    out = {"docx": test_layout_docx.build_report(folder / "r.docx").read_bytes()}
    try:
        import test_layout_pdf

        out["pdf"] = test_layout_pdf.build_report(folder / "r.pdf").read_bytes()
    except pytest.skip.Exception:
        pass
    return out


def corpus(folder: Path, built: dict[str, bytes], seed_file: Path | None, per_seed: int) -> list[Path]:
    """Mutated text seeds, truncated and mutated HTML, DOCX and PDF, and every hostile file, in `folder`."""
    seeds = {p.stem: p.read_bytes() for p in sorted(EXAMPLES.glob("*.txt"))}
    if seed_file is not None:
        seeds["seed"] = seed_file.read_bytes()
    files: dict[str, bytes] = {}
    for n, (name, data) in enumerate(seeds.items()):
        files.update({f"{name}-m{i}.txt": d for i, d in enumerate(mutants(data, per_seed, n))})
    page = (FIXTURES / "html" / "cms_page.html").read_bytes()
    files.update({f"page-t{i}.html": d for i, d in enumerate(truncations(page, 6))})
    files.update({f"page-m{i}.html": d for i, d in enumerate(mutants(page, 6, 7))})
    for suffix, data in built.items():
        files.update({f"built-t{i}.{suffix}": d for i, d in enumerate(truncations(data, 6))})
        files.update({f"built-m{i}.{suffix}": d for i, d in enumerate(mutants(data, 6, 8))})
    for name, data in files.items():
        (folder / name).write_bytes(data)
    for name in HOSTILE:
        build(folder, name)
    return sorted(p for p in folder.iterdir())


def test_done_when_batch(cli, tmp_path, monkeypatch, built, request):
    """Issue 8's acceptance run, as one in-process batch so it stays fast; the yantian seed joins when ../shared
    is there."""
    low_limits(monkeypatch)
    seed = request.getfixturevalue("seed") if (SHARED / "FORMATS.md").is_file() else None
    files = corpus(tmp_path, built, seed, per_seed=15)
    before = hashes(files)
    code, out, err = cli("check", tmp_path, "--format", "json", "--jobs", "1")
    assert code == 2 and "Traceback" not in out + err
    reports = json.loads(out)["reports"]
    assert len(reports) == len(files)
    assert not [r["path"] for r in reports if INTERNAL in (r.get("error") or "")]
    assert {r["status"] for r in reports} <= {"pass", "fail", "error"}
    assert hashes(files) == before


def test_reading_never_opens_an_input_for_writing(cli, tmp_path, monkeypatch, built):
    files = [tmp_path / "r.txt", tmp_path / "r.html", tmp_path / "r.docx"]
    files[0].write_bytes(EXAMPLE.read_bytes())
    files[1].write_bytes((FIXTURES / "html" / "cms_page.html").read_bytes())
    files[2].write_bytes(built["docx"])
    if "pdf" in built:
        files.append(tmp_path / "r.pdf")
        files[-1].write_bytes(built["pdf"])
    inputs = {str(p.resolve()) for p in files}
    opened: list[tuple[str, str]] = []
    read: set[str] = set()
    real_os_open, real_open = os.open, builtins.open

    def spy_os_open(path, flags, *args, **kwargs):
        if os.path.realpath(path) in inputs:
            read.add(os.path.realpath(path))
            if flags & WRITE_FLAGS:
                opened.append((str(path), f"flags {flags:o}"))
        return real_os_open(path, flags, *args, **kwargs)

    def spy_open(path, mode="r", *args, **kwargs):
        if isinstance(path, (str, Path)) and os.path.realpath(path) in inputs and set(mode) & set("wax+"):
            opened.append((str(path), mode))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy_os_open)
    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    before = hashes(files)
    for args in (["check", *files, "--format", "json"], ["extract", *files], ["extract", *files, "--format", "csv"],
                 ["check", *files, "--format", "sarif", "-o", tmp_path / "out.sarif"]):
        code, _, _ = run(cli, *args, "--jobs", "1", "--timeout", "0")  # in this process, where the spy is
        assert code in (0, 1)
    assert read == inputs and opened == []  # the spy saw every input opened, none of them for writing
    assert hashes(files) == before


@pytest.mark.parametrize("fmt", ["plain", "json", "sarif", "junit", "github", "markdown", "rich"])
def test_every_format_leaves_inputs_untouched(cli, tmp_path, fmt):
    report = tmp_path / "report.txt"
    report.write_bytes((EXAMPLES / "示例区-2020-有误.txt").read_bytes())
    before = hashes([report])
    code, _, _ = run(cli, "check", report, "--format", fmt, "-o", tmp_path / f"out.{fmt}")
    assert code == 1 and hashes([report]) == before
    assert (tmp_path / f"out.{fmt}").stat().st_size > 0


def _refused(cli, target: Path, *args) -> None:
    watched = [p for p in [target, *map(Path, [a for a in args if isinstance(a, Path)])] if p.exists()]
    before = hashes(watched)
    code, text, _ = run(cli, *args, "-o", target)
    assert code == 2 and "拒绝覆盖" in text
    assert hashes(watched) == before


def test_output_never_over_an_input(cli, tmp_path, monkeypatch):
    report = tmp_path / "report.txt"
    report.write_bytes(EXAMPLE.read_bytes())
    last = tmp_path / "last.txt"
    last.write_bytes(EXAMPLE.read_bytes())
    rules = tmp_path / "mine.yaml"
    rules.write_text("rules: []\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(report)
    os.link(report, tmp_path / "hard.txt")
    _refused(cli, report, "check", report)
    _refused(cli, tmp_path / "link.txt", "check", report)  # a symlink to the input
    _refused(cli, tmp_path / "hard.txt", "check", report)  # a hard link: the same file under another name
    _refused(cli, last, "check", report, "--previous", last)
    _refused(cli, rules, "check", report, "--rules", rules)
    _refused(cli, report, "extract", report)
    monkeypatch.chdir(tmp_path)
    _refused(cli, Path("report.txt"), "check", Path("./report.txt"))  # relative spellings of one file


def test_output_is_atomic_and_nothing_half_written_survives(cli, tmp_path, monkeypatch):
    report = tmp_path / "report.txt"
    report.write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    renames = []
    real_replace = os.replace

    def replace(src, dst):
        renames.append((Path(src), Path(dst), Path(src).read_text(encoding="utf-8")))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    code, _, _ = run(cli, "check", report, "--format", "json", "-o", out)
    assert code == 0
    [(temp, target, text)] = renames
    assert temp.parent == target.parent == tmp_path and target == out  # same folder: a rename, not a copy
    assert text == out.read_text(encoding="utf-8") and json.loads(text)["reports"]
    assert oct(out.stat().st_mode & 0o777) == oct(0o640)  # the replaced file keeps its permissions

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    out.write_text("old", encoding="utf-8")
    code, text, _ = run(cli, "check", report, "--format", "json", "-o", out)
    assert code == 2 and "无法写入输出文件" in text
    assert out.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "report.txt"]


def test_parallel_batch_leaves_inputs_untouched(cli, tmp_path, monkeypatch):
    low_limits(monkeypatch)
    for name in ("empty.txt", "garbage.txt", "truncated.txt", "rowspan.html", "no-pages.pdf", "not-a-zip.docx"):
        build(tmp_path, name)
    for i, data in enumerate(mutants(EXAMPLE.read_bytes(), 6, 11)):
        (tmp_path / f"m{i}.txt").write_bytes(data)
    files = sorted(tmp_path.iterdir())
    before = hashes(files)
    code, out, err = cli("check", tmp_path, "--format", "json", "--jobs", "2")
    assert code == 2 and "Traceback" not in out + err and INTERNAL not in out
    assert len(json.loads(out)["reports"]) == len(files)
    assert hashes(files) == before
