import pytest

from golden_cases import CASES, golden_path, render


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_golden_file(name):
    expected = golden_path(name).read_text(encoding="utf-8")
    assert render(CASES[name]) == expected, "output changed: run `python tests/update_golden.py` and review the diff"


def test_the_readme_sample_is_the_real_80_column_output():
    from tests_paths import ROOT

    sample = golden_path("check-example-error.rich.80.txt").read_text(encoding="utf-8").rstrip("\n")
    assert f"```\n{sample}\n```" in (ROOT / "README.md").read_text(encoding="utf-8")
