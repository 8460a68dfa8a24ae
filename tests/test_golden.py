import pytest

from golden_cases import CASES, golden_path, render


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_golden_file(name):
    expected = golden_path(name).read_text(encoding="utf-8")
    assert render(CASES[name]) == expected, "output changed: run `python tests/update_golden.py` and review the diff"
