"""Find the six report sections by their titles, in order, accepting the paraphrases real reports use."""

from __future__ import annotations

import re
from functools import lru_cache

from govreport_check.model import Section
from govreport_check.normalize import nfkc
from govreport_check.template.spec import SectionSpec

_TITLE = re.compile(r"^[ \u3000]*(?:[#*]+\s*)?([一二三四五六])\s*[、.．，]\s*(\S.{0,48}?)\s*[*]*\s*$")
_MAX_TITLE = 50


@lru_cache(maxsize=4)
def find_sections(lines: tuple[str, ...], specs: tuple[SectionSpec, ...]) -> tuple[Section, ...]:
    """Titles must not start with a TAB (that is a table cell) and must follow the previous one in order."""
    by_id = {s.id: s for s in specs}
    order = [s.id for s in specs]
    found: list[tuple[str, str, int]] = []
    for n, line in enumerate(lines, start=1):
        if not line or line[0] == "\t" or len(line) > _MAX_TITLE + 10:
            continue
        m = _TITLE.match(line)
        if not m:
            continue
        sid, title = m.group(1), nfkc(m.group(2))
        if sid not in by_id or any(ch.isdigit() for ch in title[:1]):
            continue
        if not any(k in title for k in by_id[sid].keywords):
            continue
        if found and order.index(sid) <= order.index(found[-1][0]):
            continue
        found.append((sid, line.strip(), n))
    out = []
    for i, (sid, title, start) in enumerate(found):
        end = found[i + 1][2] - 1 if i + 1 < len(found) else len(lines)
        out.append(Section(sid, title, start, end))
    return tuple(out)
