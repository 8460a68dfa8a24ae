"""Regenerate docs/html-report.png: `python docs/screenshot.py` (needs Chromium: `apt-get install chromium
fonts-noto-cjk`; without a CJK font the labels come out as boxes), then look at the picture before committing it.

The page is `check --format html` on the example with one wrong cell, as a clerk opens it from a file.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "示例区-2020-有误.txt"
OUT = ROOT / "docs" / "html-report.png"


def main() -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium is not on PATH (apt-get install chromium fonts-noto-cjk)")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        subprocess.run([sys.executable, "-m", "govreport_check", "check", str(EXAMPLE.relative_to(ROOT)),
                        "--format", "html", "-o", str(page)], cwd=ROOT, check=False)
        if not page.is_file():
            sys.exit("govreport-check wrote no page")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--screenshot={OUT}", "--window-size=1200,1600", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
