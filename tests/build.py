"""The report builder lives in the package (the rules' examples are written with it); tests import it from here."""

from govreport_check.rules.examples import (  # noqa: F401
    SEC3_COLUMNS,
    SEC4_COLUMNS,
    SEC4_ROWS,
    SECTION_TITLES,
    consistent_sec3,
    report_text,
)
