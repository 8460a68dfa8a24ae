"""The report builder lives in the package (the rules' examples are written with it); tests import it from here."""

from govreport_check.rules.examples import (  # noqa: F401
    SEC3_COLUMNS,
    SEC4_COLUMNS,
    SEC4_ROWS,
    SECTION_TITLES,
    consistent_sec3,
    report_text,
)


def edit_line(path, line: int, old: str, new: str) -> None:
    """One line of a written report changed in place, after checking it held what the test thinks it holds."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[line - 1] == old
    lines[line - 1] = new
    path.write_text("\n".join(lines), encoding="utf-8")
