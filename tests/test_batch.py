"""Folders, globs and worker processes: the same results as one by one, in the same order."""

import os

from govreport_check.batch import Options, expand, run


def make_folder(tmp_path, example, example_error):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    for i in range(3):
        (tmp_path / "a" / f"r{i}.txt").write_bytes(example.read_bytes())
    (tmp_path / "a" / "b" / "bad.txt").write_bytes(example_error.read_bytes())
    (tmp_path / "a" / "notes.psd").write_bytes(b"8BPS")  # not a report suffix (pictures are: read by OCR)
    (tmp_path / "a" / "b" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    return tmp_path / "a"


def test_expand_folders_globs_and_missing(tmp_path, example, example_error):
    folder = make_folder(tmp_path, example, example_error)
    names = [p.relative_to(tmp_path).as_posix() for p in expand([str(folder)])]
    assert names == ["a/b/bad.txt", "a/r0.txt", "a/r1.txt", "a/r2.txt"]
    assert [p.name for p in expand([str(folder / "r*.txt")])] == ["r0.txt", "r1.txt", "r2.txt"]
    assert [p.name for p in expand([str(tmp_path / "**" / "bad.txt")])] == ["bad.txt"]
    assert expand([str(tmp_path / "nope*.txt")]) == [tmp_path / "nope*.txt"]


def test_parallel_equals_sequential(tmp_path, example, example_error):
    files = expand([str(make_folder(tmp_path, example, example_error))]) * 3
    one = list(run(files, Options(), jobs=1))
    two = list(run(files, Options(), jobs=2))
    assert one == two
    assert [r.status for r in one][:4] == ["fail", "pass", "pass", "pass"]


def test_folder_gives_one_json_with_a_report_each(cli, tmp_path, example, example_error):
    folder = make_folder(tmp_path, example, example_error)
    code, data = cli.json("check", folder, "--jobs", "2")
    assert code == 1
    assert [os.path.basename(r["path"]) for r in data["reports"]] == ["bad.txt", "r0.txt", "r1.txt", "r2.txt"]


def test_batch_table_and_extract_csv_over_many(cli, tmp_path, example, example_error):
    folder = make_folder(tmp_path, example, example_error)
    code, out, _ = cli("check", folder, "--format", "rich", "--width", "150", "--no-color")
    assert code == 1
    assert "共 4 份报告" in out and "合计" in out and "示例区" in out
    code, out, _ = cli("extract", folder, "--format", "csv")
    rows = out.splitlines()
    assert code == 0 and len(rows) == 1 + 4 * 198
    assert rows[1].split(",")[1:3] == ["示例区", "2020"]
