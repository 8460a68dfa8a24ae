"""How well scans of our own report read back: `python benchmarks/ocr.py [--dpi 100 150 200] [--seed S]`.

The two-page report tests/test_layout_pdf.py draws with reportlab (its table text is 6.5 pt, smaller than real
reports print it) is rasterised at each resolution, turned by up to a degree, blurred and speckled with noise as a
scanner would, and wrapped into a PDF of images only; the checker reads it through OCR. For each setting: the share
of the 200 cells read right, the cells read wrong, and seconds per page. Needs the `ocr` and `test` extras.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SETTINGS = (100, 150, 200)


def scan(pdf: Path, out: Path, dpi: int, seed: int = 1, turn: float = 1.0, blur: float = 0.6,
         noise: float = 8.0) -> Path:
    """An image-only PDF of `pdf` as a scanner gives it: each page at `dpi`, turned by up to `turn` degrees (the
    sign and size drawn from `seed`), a Gaussian blur of `blur` pixels and grey noise of `noise` levels."""
    import numpy as np
    import pypdfium2
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    noisy = np.random.default_rng(seed)
    images = []
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for page in document:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            angle = rng.uniform(0.5, 1.0) * turn * rng.choice((-1, 1))
            image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            if blur:
                image = image.filter(ImageFilter.GaussianBlur(blur))
            if noise:
                pixels = np.asarray(image, dtype=np.float32) + noisy.normal(0, noise, (image.height, image.width))
                image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
            images.append(image)
    finally:
        document.close()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out


def report_pdf(folder: Path) -> Path:
    import test_layout_pdf

    return test_layout_pdf.build_report(folder / "report.pdf")


def measure(dpi: int, folder: Path, seed: int = 1) -> dict:
    """Cells read right out of the sample's, the wrong ones, and seconds per page, for one resolution."""
    import sample_2021
    from govreport_check.report import load_report

    source = folder / "report.pdf"
    if not source.exists():
        report_pdf(folder)
    path = scan(source, folder / f"scan-{dpi}.pdf", dpi, seed)
    started = time.perf_counter()
    records = load_report(path).records
    seconds = time.perf_counter() - started
    expected = sample_2021.expected_cells()
    wrong = {key: (value, records.get(*key).number if records.get(*key) else None)
             for key, value in expected.items()
             if records.get(*key) is None or records.get(*key).number != value}
    return {"dpi": dpi, "cells": len(expected), "right": len(expected) - len(wrong), "wrong": wrong,
            "seconds_per_page": seconds / 2}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, nargs="+", default=list(SETTINGS))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'dpi':>4} {'cells right':>12} {'accuracy':>9} {'s/page':>7}  wrong (expected → read)")
        for dpi in args.dpi:
            m = measure(dpi, folder, args.seed)
            wrong = "; ".join(f"{'/'.join(k)} {e}→{r}" for k, (e, r) in list(m["wrong"].items())[:6])
            more = f" …(+{len(m['wrong']) - 6})" if len(m["wrong"]) > 6 else ""
            print(f"{dpi:>4} {m['right']:>5}/{m['cells']:<6} {m['right'] / m['cells']:>9.1%} "
                  f"{m['seconds_per_page']:>7.1f}  {wrong}{more}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
