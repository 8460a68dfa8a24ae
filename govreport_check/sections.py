"""Find the six report sections by what their titles say first, and by their numerals second.

Real reports number their sections off the template: the numbering restarts at 一 after chapters of prose
(一、总体情况 二、工作机制 … then 一、主动公开政府信息情况), shifts by one (二 is 工作机制保障, so 主动公开 is 三),
carries typos (`l六、`, `六.`), or titles are paraphrased. A title therefore names the section whose keywords it
carries, whatever its numeral; the numeral only decides between readings, and fills a gap the keywords leave
when both neighbours' numbering agrees on it. How a title is numbered is kept (`numbering`), for the warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from govreport_check.memo import remembered
from govreport_check.model import Section, Table
from govreport_check.normalize import label_key, nfkc
from govreport_check.template.spec import SectionSpec, Template

_NUMERALS = "一二三四五六七八九十"
_TITLE = re.compile(
    r"^[ \u3000]*(?:[#*]+\s*)?"
    r"(?P<number>[A-Za-z]{0,2}[ \u3000]*(?P<numeral>[一二三四五六七八九十]{1,2})"  # `l六`: a letter typed before it
    r"[ \u3000]*(?:[、.．，,]|[ \u3000])[ \u3000]*)"
    r"(?P<title>\S.{0,48}?)\s*[*]*\s*$"
)
_MAX_TITLE = 50
_SENTENCE = re.compile(r"[\d。；;：:！？!?\t|]")  # a title numbered off the template must still read as a title
_HEADING_END = re.compile(r"(?:情况|事项|问题|措施|举措|计划|方向|工作)$")  # a title without keywords: its shape


@dataclass(frozen=True)
class _Title:
    line: int  # 1-based
    numeral: int  # the number its numeral says, 1-based
    text: str  # the line as written, stripped
    title: str  # its words after the numbering, normalised
    ids: tuple[str, ...]  # sections whose keywords the title carries
    plain: bool  # reads as a title, not a sentence or a table row


def numbering(title: str) -> str:
    """A section title's numbering as written (`三、`, `l六、`, `六.`); "" when it has none."""
    m = _TITLE.match(title)
    return "".join(m.group("number").split()) if m else ""


@lru_cache(maxsize=4)
def find_sections(lines: tuple[str, ...], specs: tuple[SectionSpec, ...]) -> tuple[Section, ...]:
    """Titles must not start with a TAB (that is a table cell) and must follow the previous one in template
    order. Of the readings that find the most sections, the one whose numerals agree most wins, then the
    earliest titles."""
    titles = list(_titles(lines, specs))
    order = {s.id: i for i, s in enumerate(specs)}
    chain = _fill(_chain([t for t in titles if t.ids], order), titles, specs)
    out = []
    for i, (t, sid) in enumerate(chain):
        end = chain[i + 1][0].line - 1 if i + 1 < len(chain) else len(lines)
        out.append(Section(sid, t.text, t.line, end))
    return tuple(out)


def _titles(lines: tuple[str, ...], specs: tuple[SectionSpec, ...]):
    for n, line in enumerate(lines, start=1):
        if not line or line[0] == "\t" or len(line) > _MAX_TITLE + 10:
            continue
        m = _TITLE.match(line)
        if not m:
            continue
        title = nfkc(m.group("title"))
        numeral = _number(m.group("numeral"))
        if title[:1].isdigit() or numeral is None:
            continue
        plain = not _SENTENCE.search(title)
        ids = tuple(s.id for i, s in enumerate(specs)
                    if (plain or i + 1 == numeral) and any(k in title for k in s.keywords))
        yield _Title(n, numeral, line.strip(), title, ids, plain)


def _number(numeral: str) -> int | None:
    """一 … 十九 as a number; None for what is no numeral (十十)."""
    if len(numeral) == 1:
        return _NUMERALS.index(numeral) + 1
    if numeral[0] == "十" and numeral[1] != "十":
        return 10 + _NUMERALS.index(numeral[1]) + 1
    return None


_Chain = tuple[tuple[_Title, str], ...]


def _score(chain: _Chain, order: dict[str, int]) -> tuple:
    agree = sum(1 for t, sid in chain if t.numeral == order[sid] + 1)
    return len(chain), agree, tuple(-t.line for t, _ in chain)


def _chain(titles: list[_Title], order: dict[str, int]) -> _Chain:
    """The best reading: titles in line order, each naming one section of its keywords, sections in template
    order. best[k] is the best reading whose last section is the k-th; a title extends those before it."""
    best: dict[int, tuple[tuple, _Chain]] = {}
    for t in titles:
        before = dict(best)
        for sid in t.ids:
            k = order[sid]
            bases = [c for j, (_, c) in before.items() if j < k]
            base = max(bases, key=lambda c: _score(c, order)) if bases else ()
            chain = (*base, (t, sid))
            score = _score(chain, order)
            if k not in best or score > best[k][0]:
                best[k] = (score, chain)
    if not best:
        return ()
    return max(best.values(), key=lambda sc: sc[0])[1]


def _fill(chain: _Chain, titles: list[_Title], specs: tuple[SectionSpec, ...]) -> _Chain:
    """A section whose title carries none of its keywords (五、存在问题及整改措施) is still found between its
    neighbours, when both are numbered so that its own numeral follows the one and precedes the other."""
    order = [s.id for s in specs]
    out = list(chain)
    for i in range(len(chain) - 1):
        (a, aid), (b, bid) = chain[i], chain[i + 1]
        if order.index(bid) - order.index(aid) != 2 or b.numeral - a.numeral != 2:
            continue
        gap = [t for t in titles if a.line < t.line < b.line and t.numeral == a.numeral + 1 and t.plain
               and not t.ids and _HEADING_END.search(t.title)]
        if gap:
            out.append((gap[0], order[order.index(aid) + 1]))
    return tuple(sorted(out, key=lambda ts: ts[0].line))


def table_section(table: Table, templates: dict[str, Template], minimum: int = 1) -> str | None:
    """The section a table's own labels name: that of the template table most of whose labels (its rows,
    columns and groups, those no other table shares) it holds, at least `minimum` of them. None when no one
    table's labels lead."""
    keys = _table_keys(templates)
    held = {label_key(c.text) for row in table.rows for c in row if c.text and not c.covered}
    counts = {section: len(held & mine) for section, mine in keys.items()}
    top = max(counts.values(), default=0)
    leaders = [s for s, n in counts.items() if n == top]
    return leaders[0] if top >= minimum and len(leaders) == 1 else None


_KEYS: dict[tuple, tuple] = {}


def _table_keys(templates: dict[str, Template]) -> dict[str, frozenset[str]]:
    return remembered(_KEYS, (id(templates),), templates, lambda: _make_keys(templates))


def _make_keys(templates: dict[str, Template]) -> dict[str, frozenset[str]]:
    """Section id → label keys of the table that sits there, less those another table has too (总计)."""
    found: dict[str, set[str]] = {}
    for template in templates.values():
        for spec in template.tables.values():
            mine = found.setdefault(spec.section, set())
            groups = {g.id for g in spec.groups}
            for line in (*spec.rows, *spec.columns, *spec.groups):
                mine.update(line.keys)
                if line.group and line.group not in groups:  # a heading over columns or rows (法人或其他组织)
                    mine.add(label_key(line.group))
    shared = {k for s, ks in found.items() for k in ks if any(k in other for o, other in found.items() if o != s)}
    return {s: frozenset(k for k in ks if k and k not in shared) for s, ks in found.items()}
