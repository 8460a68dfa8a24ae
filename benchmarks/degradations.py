"""Five ways real reports reach the checker damaged, each a pure function of a report's text and a seeded
random.Random.

Each takes a report in the canonical layout (`canonical`: Word copy-paste, one TAB cell a line, a blank line
between rows, the official section titles) and gives the same report as a crawler, a PDF-to-Markdown converter,
a careless clerk, `pdftotext -layout` or a body that numbers its sections its own way would. Figures are never
changed, and a cell is blanked only where its figure is 0, so the canonical text's cells stay the truth to score
against. The shapes copy real files: ../shared/real/pingtan_2023.page.txt (glued), huaian_city_2024
.pdftotext-layout.txt (spaced), the converter output and section numbering described in issue 12.
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent / "tests")]

from build import SEC3_COLUMNS, SECTION_TITLES  # noqa: E402  (the tests' report builder)

from govreport_check.template.spec import LineSpec, builtin_templates  # noqa: E402

SEC3_HEAD = (("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"),
             ("自然人", "法人或其他组织", "总计"),
             ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"))
SEC4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
SEC4_HEAD = (("行政复议", "行政诉讼"), (*SEC4_COLUMNS, "未经复议直接起诉", "复议后起诉"), SEC4_COLUMNS * 2)
CAPTIONS = {"规章": "（一）", "规范性文件": "（一）", "行政规范性文件": "（一）", "行政许可": "（五）",
            "其他对外管理服务事项": "（五）", "行政处罚": "（六）", "行政强制": "（六）", "行政事业性收费": "（八）",
            "政府集中采购": "（九）"}
_FIGURE = re.compile(r"[\d,.+\-（）()万元件—/无\s]*")


@dataclass(frozen=True)
class Row:
    """A table row: its label cells (a group's label, then the row's), then its figures; a header or caption
    row has only cells."""

    cells: tuple[str, ...]
    figures: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Section:
    id: str  # "一" … "六"
    title: str
    body: tuple[str | Table, ...]  # prose lines and tables, in order


@dataclass(frozen=True)
class Model:
    preamble: tuple[str, ...]  # the lines before section 一: title, dates, the 统计期限 sentence
    sections: tuple[Section, ...]


def _row_specs() -> dict[str, LineSpec]:
    out: dict[str, LineSpec] = {}
    for t in builtin_templates().values():
        for spec in (t.tables["sec2"], t.tables["sec3"]):
            for row in spec.rows:
                out.setdefault(row.label, row)
    return out


ROWS = _row_specs()  # every sec2 item and sec3 row, by its official label


def group_text(group: LineSpec) -> str:
    """A sec3 group's label as tables print it: 三、本年度办理结果, （三）不予公开."""
    last = group.id.split(".")[-1]
    return f"（{last}）{group.label}" if "." in group.id else f"{last}、{group.label}"


GROUPS = {g.id: group_text(g) for t in builtin_templates().values() for g in t.tables["sec3"].groups}


def width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns, as in `pdftotext -layout`."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """Pieces of at most `columns` display columns (at least one character each)."""
    out, piece = [], ""
    for c in text:
        if piece and width(piece + c) > columns:
            out.append(piece)
            piece = ""
        piece += c
    return out + [piece] if piece else out or [""]


# ---------------------------------------------------------------------------------------------------------------
# the canonical layout


def canonical(model: Model) -> str:
    """Word copy-paste text: each cell on its own line after a TAB, a blank line after each row; a cell holding
    a line break goes on as a line without a TAB (a wrapped cell, as in ../shared/seed)."""
    lines = list(model.preamble)
    for s in model.sections:
        lines.append(s.title)
        for part in s.body:
            if isinstance(part, str):
                lines.append(part)
                continue
            for row in part.rows:
                for cell in row.cells + (row.figures or ()):
                    first, *rest = cell.split("\n")
                    lines += [f"\t{first}", *rest]
                lines.append("")
    return "\n".join(lines) + "\n"


def parse(text: str) -> Model:
    """The model back from `canonical`'s text (only that layout: the degradations start from it)."""
    titles = {t: sid for sid, t in SECTION_TITLES.items()}
    preamble: list[str] = []
    sections: list[tuple[str, str, list]] = []
    rows: list[Row] = []
    cells: list[str] = []

    def end_row() -> None:
        if cells:
            rows.append(_row(tuple(cells)))
            cells.clear()

    def end_table() -> None:
        end_row()
        if rows:
            sections[-1][2].append(Table(tuple(rows)))
            rows.clear()

    for line in text.split("\n"):
        if line.startswith("\t"):
            cells.append(line[1:])
            continue
        end_row()
        if not line.strip():
            continue
        end_table()
        if line in titles:
            sections.append((titles[line], line, []))
        elif sections:
            sections[-1][2].append(line)
        else:
            preamble.append(line)
    end_table()
    return Model(tuple(preamble), tuple(Section(i, t, tuple(b)) for i, t, b in sections))


def _row(cells: tuple[str, ...]) -> Row:
    labelled = [i for i, c in enumerate(cells) if c in ROWS]
    if labelled:
        return Row(cells[: labelled[-1] + 1], cells[labelled[-1] + 1:])
    if len(cells) >= 5 and all(_FIGURE.fullmatch(c) for c in cells):
        return Row((), cells)
    return Row(cells)


def tables(model: Model) -> dict[str, Table]:
    return {s.id: p for s in model.sections for p in s.body if isinstance(p, Table)}


def _label(row: Row) -> str:
    return row.cells[-1] if row.cells else ""


# ---------------------------------------------------------------------------------------------------------------
# 1. glued: a crawler's page text


def glued(text: str, rng: random.Random) -> str:
    """Every separator lost, as a crawler takes a page's text (`一、本年新收政府信息公开申请数量801000081`): a
    blank cell vanishes. The page is one long line after its title, or one line per section, or the prose
    kept in lines with each table run together on one, or on one line a row (a crawler that ends a line at
    each <tr>)."""
    m = parse(text)
    style = rng.choice(("page", "sections", "tables", "rows"))

    def run(t: Table) -> str:
        cells = ["".join(r.cells) + "".join(r.figures or ()) for r in t.rows]
        return "\n".join(cells) if style == "rows" else "".join(cells)

    parts = [[s.title, *(p if isinstance(p, str) else run(p) for p in s.body)] for s in m.sections]
    if style in ("tables", "rows"):
        lines = [*m.preamble, *(x for section in parts for x in section)]
    elif style == "sections":
        lines = [*m.preamble[:1], "".join(m.preamble[1:]), *("".join(section) for section in parts)]
    else:
        spaced = [(" " if rng.random() < 0.5 else "") + "".join(section) for section in parts]
        marker = [] if any("正文" in line for line in m.preamble) else ["==================== 正文 ===================="]
        lines = [*m.preamble[:1], *marker, "".join([*m.preamble[1:], *spaced])]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------------------------
# 2. shattered-markdown: a PDF-to-Markdown converter


def _fragments(cells: tuple[str, ...], rng: random.Random) -> list[list[str]]:
    """Header cells wrapped in narrow columns, one pipe row per wrapped line (`| 商业企 | 科研机 |` then
    `| 业 | 构 | 益组织 |`); the converter drops the empty ones."""
    cut = rng.choice((2, 3, 4))
    pieces = [[c[i:i + cut] for i in range(0, len(c), cut)] for c in cells]
    depth = max(len(p) for p in pieces)
    return [[p[i] for p in pieces if i < len(p)] for i in range(depth)]


def shattered_markdown(text: str, rng: random.Random) -> str:
    """A converter's Markdown: labels on lines of their own, pipe rows of figures without labels, header
    fragments, tables split into small ones at page breaks (with the page footer between)."""
    m = parse(text)
    out = [f"# {m.preamble[0]}", ""] if m.preamble else []
    for line in m.preamble[1:]:
        out += [line, ""]
    page = rng.randrange(2, 5)
    for s in m.sections:
        mark = rng.choice(("## ", "## ", "**", ""))
        out += [f"{mark}{s.title}{mark.strip('# ')}", ""]
        for part in s.body:
            if isinstance(part, str):
                out += [part, ""]
                continue
            items: list[tuple[str, object]] = []
            _shatter(part, s.id, rng, items)
            for kind, x in items:
                if kind == "break":
                    page += 1
                    footer = rng.choice((f"— {page} —", f"- {page} -", f"第 {page} 页", ""))
                    out += ["", footer, ""] if footer else [""]
                elif kind == "pipe" and out and out[-1].startswith("|"):
                    out.append("| " + " | ".join(x) + " |")
                elif kind == "pipe":
                    out += ["", "| " + " | ".join(x) + " |", "|" + "---|" * len(x)]
                else:
                    out += ["", x, ""]
            out.append("")
    return "\n".join(out) + "\n"


def _shatter(table: Table, sid: str, rng: random.Random, items: list) -> None:
    def pipe(cells) -> None:
        items.append(("pipe", list(cells)))

    def header(row: Row) -> None:
        cells = [c for c in row.cells if c]
        while cells and (cells[0].startswith("第二十条") or len(cells[0]) > 12):
            items.append(("text", rng.choice(("### ", "")) + cells.pop(0)))
        if cells and rng.random() < 0.35:
            pipe(cells)
        elif cells:
            for fragment in _fragments(tuple(cells), rng):
                pipe(fragment)

    rows = list(table.rows)
    if sid == "四":
        for row in rows:
            if row.figures is None:
                header(row)
        figures = next(r.figures for r in rows if r.figures is not None)
        how = rng.choice(("one", "three", "three-labelled", "split"))
        if how == "one":
            pipe(figures)
        elif how == "split":
            cut = rng.choice((5, 7, 10))
            pipe(figures[:cut])
            if rng.random() < 0.5:
                items.append(("break", None))
            pipe(figures[cut:])
        else:
            for label, i in zip(("行政复议", "未经复议直接起诉", "复议后起诉"), range(0, 15, 5)):
                if how == "three-labelled":
                    items.append(("text", label))
                pipe(figures[i:i + 5])
        return
    i = 0
    while i < len(rows):
        row = rows[i]
        if row.figures is None:
            header(row)
            i += 1
            continue
        run, length = [], rng.randint(1, 6)
        while i < len(rows) and rows[i].figures is not None and len(run) < length:
            run.append(rows[i])
            i += 1
        style = rng.choices(("pipe", "label-lines", "own-line", "unlabelled"), (3, 3, 3, 1))[0]
        if style == "label-lines":
            for r in run:
                for c in r.cells:
                    items.append(("text", c))
            for r in run:
                pipe(r.figures)
        else:
            for r in run:
                if style == "own-line":
                    for c in r.cells:
                        items.append(("text", c))
                    pipe(r.figures)
                elif style == "pipe":
                    labels = r.cells if rng.random() < 0.6 else r.cells[-1:]
                    pipe([*labels, *r.figures])
                else:
                    pipe(r.figures)
        if i < len(rows) and rng.random() < 0.15:
            items.append(("break", None))
            if rng.random() < 0.4:
                for fragment in _fragments(SEC3_HEAD[2] if sid == "三" else ("信息内容",), rng):
                    pipe(fragment)


# ---------------------------------------------------------------------------------------------------------------
# 3. damaged-labels: a clerk's or a text layer's row labels


NOTES = ("（含网上申请）", "（含当面申请）", "（件）", "（不含重复申请）", "（含补正后申请）", "（本级）", "（含依申请公开）")
EXTRA = "的之类等和及项其"


def damage(label: str, rng: random.Random) -> str:
    """One of the damages real labels carry: a character dropped or added, spaces inside, the label wrapped
    onto a second line, a local note in brackets."""
    kind = rng.choice(("drop", "drop", "add", "spaces", "wrap", "note"))
    if kind == "drop" and len(label) > 3:
        i = rng.randrange(len(label))
        n = 1 if len(label) < 8 or rng.random() < 0.6 else rng.randint(2, 3)
        return label[:i] + label[i + n:]
    if kind == "add":
        i = rng.randrange(1, len(label) + 1)
        return label[:i] + rng.choice((rng.choice(EXTRA), label[i - 1])) + label[i:]
    if kind == "spaces":
        if rng.random() < 0.3:
            return " ".join(label)
        for _ in range(rng.randint(1, 2)):
            i = rng.randrange(1, len(label))
            label = label[:i] + " " + label[i:]
        return label
    if kind == "wrap" and len(label) >= 6:
        i = rng.randrange(3, len(label) - 2)
        return label[:i] + "\n" + label[i:]
    return label + rng.choice(NOTES)


def damaged_labels(text: str, rng: random.Random) -> str:
    """Row labels of sec3 (and now and then sec2's items) damaged one way each, and a few rows' own labels
    dropped altogether (their figures stay, under a group label or none)."""
    m = parse(text)
    sec3 = tables(m).get("三")
    labelled = [i for i, r in enumerate(sec3.rows) if r.figures is not None and r.cells] if sec3 else []
    dropped = set(rng.sample(labelled, k=min(len(labelled), rng.randint(0, 2))))
    sections = []
    for s in m.sections:
        body = []
        for part in s.body:
            if isinstance(part, str):
                body.append(part)
                continue
            rows = []
            share = 0.4 if s.id == "三" else 0.2
            for i, row in enumerate(part.rows):
                if row.figures is not None and row.cells:
                    cells = [c for c in row.cells]
                    for j, c in enumerate(cells):
                        if rng.random() < share:
                            cells[j] = damage(damage(c, rng) if rng.random() < 0.2 else c, rng)
                    if part is sec3 and i in dropped:
                        cells = cells[:-1]
                    row = replace(row, cells=tuple(cells))
                rows.append(row)
            body.append(Table(tuple(rows)))
        sections.append(replace(s, body=tuple(body)))
    return canonical(replace(m, sections=tuple(sections)))


# ---------------------------------------------------------------------------------------------------------------
# 4. spaced-blank: pdftotext -layout, with blank cells


class Canvas:
    """Lines of text placed by display column, as `pdftotext -layout` writes a page."""

    def __init__(self) -> None:
        self.lines: list[list[tuple[int, str]]] = []

    def new(self) -> int:
        self.lines.append([])
        return len(self.lines) - 1

    def put(self, line: int, column: int, text: str) -> None:
        if text:
            self.lines[line].append((column, text))

    def text(self) -> list[str]:
        out = []
        for items in self.lines:
            s = ""
            for column, text in sorted(items):
                gap = column - width(s)
                s += " " * gap if gap > 0 else ("  " if s else "")
                s += text
            out.append(s.rstrip())
        return out


@dataclass(frozen=True)
class _Columns:
    """Where each figure column sits on the line, and how a figure sits in its column."""

    starts: tuple[int, ...]
    widths: tuple[int, ...]
    align: str  # "left", "center", "right"

    def at(self, j: int, text: str) -> int:
        pad = self.widths[j] - width(text)
        return self.starts[j] + {"left": 0, "center": max(pad // 2, 0), "right": max(pad, 0)}[self.align]


def _columns(first: int, widths: list[int], align: str) -> _Columns:
    starts, x = [], first
    for w in widths:
        starts.append(x)
        x += w
    return _Columns(tuple(starts), tuple(widths), align)


def _blanked(figures: tuple[str, ...], plan: tuple[float, float], rng: random.Random) -> list[str]:
    """Zeros left blank, as many reports leave them: a row is picked with the plan's first chance, each of its
    zeros with the second."""
    row_p, cell_p = plan
    pick = rng.random() < row_p
    return ["" if pick and f.strip() == "0" and rng.random() < cell_p else f for f in figures]


def _centred(canvas: Canvas, first: int, last: int, column: int, pieces: list[str]) -> None:
    """Pieces placed down a column, spread over lines first..last (a merged cell's vertical label)."""
    span = last - first + 1
    step = max(span // max(len(pieces), 1), 1)
    start = first + max((span - step * len(pieces)) // 2, 0)
    for i, piece in enumerate(pieces):
        line = min(start + i * step, last) if len(pieces) <= span else first + i * span // len(pieces)
        while line >= len(canvas.lines):
            canvas.new()
        canvas.put(line, column, piece)


def _spaced_sec3(table: Table, rng: random.Random, plan, page: list[int]) -> list[str]:
    canvas = Canvas()
    inner_x, label_x = 6, 16
    label_w = rng.choice((18, 22, 26, 30))
    cols = _columns(label_x + label_w + rng.randint(2, 6), [rng.choice((7, 8, 9, 10)) for _ in SEC3_COLUMNS],
                    rng.choice(("left", "center", "right")))
    numbers_first = rng.random() < 0.4
    end = cols.starts[-1] + cols.widths[-1]
    # header, as pdftotext breaks it: the note wrapped in the label area, the column names in their columns
    line = canvas.new()
    canvas.put(line, (cols.starts[0] + end) // 2 - 5, "申请人情况")
    canvas.new()
    note = wrap(SEC3_HEAD[0][0], label_x + label_w)
    for i, piece in enumerate(note):
        line = canvas.new()
        canvas.put(line, 0, piece)
        if i == 0:
            canvas.put(line, cols.starts[1] + 2, "法人或其他组织")
    line = canvas.new()
    canvas.put(line, cols.at(0, "自然人"), "自然人")
    canvas.put(line, cols.at(6, "总计"), "总计")
    heads = [wrap(h, cols.widths[j + 1] - 1) for j, h in enumerate(SEC3_HEAD[2])]
    for i in range(max(len(h) for h in heads)):
        line = canvas.new()
        for j, h in enumerate(heads):
            if i < len(h):
                canvas.put(line, cols.at(j + 1, h[i]) if cols.align != "left" else cols.starts[j + 1], h[i])
    canvas.new()
    spans: dict[str, list[int]] = {}
    for row in table.rows:
        if row.figures is None:
            continue
        spec = ROWS.get(_label(row))
        group = spec.group if spec else None
        x = 0 if group is None else inner_x if group == "三" else label_x
        pieces = wrap(_label(row), label_x + label_w - x - 2)
        figures = _blanked(row.figures, plan, rng)
        first = len(canvas.lines)
        if len(pieces) == 1 or numbers_first:
            lines = [canvas.new() for _ in pieces]
            at = lines[0]
        elif len(pieces) % 2:
            lines = [canvas.new() for _ in pieces]
            at = lines[len(pieces) // 2]
        else:
            lines = [canvas.new() for _ in range(len(pieces) + 1)]
            at = lines[len(pieces) // 2]
            lines = lines[:len(pieces) // 2] + lines[len(pieces) // 2 + 1:]
        for line, piece in zip(lines, pieces):
            canvas.put(line, x, piece)
        for j, f in enumerate(figures):
            canvas.put(at, cols.at(j, f), f)
        last = len(canvas.lines) - 1
        for g in (group, "三" if group and group != "三" else None):
            if g:
                spans.setdefault(g, [first, last])[1] = last
        if rng.random() < 0.6:
            canvas.new()
        if rng.random() < 0.06:
            page[0] += 1
            canvas.new()
            canvas.put(canvas.new(), rng.randrange(0, 40), f"-{page[0]}-")
            canvas.new()
    for g, (first, last) in spans.items():
        text = GROUPS.get(g, "")
        if g == "三":
            pieces = [text[:2], *text[2:]] if rng.random() < 0.6 else wrap(text, 4)
            _centred(canvas, first, last, 0, pieces)
        else:
            _centred(canvas, first, last, inner_x, wrap(text, label_x - inner_x - 2))
    return canvas.text()


def _spaced_sec2(table: Table, rng: random.Random, plan) -> list[str]:
    out: list[str] = []
    first = rng.choice((26, 30, 34))
    cols = None
    for row in table.rows:
        if row.figures is None and len(row.cells) == 1:
            caption = row.cells[0]
            out += ["", caption.replace("第二十条第", "第二十条 第") if rng.random() < 0.5 else caption, "", ""]
            continue
        canvas = Canvas()
        line = canvas.new()
        if row.figures is None:
            widths = [max(width(c) + rng.randint(4, 8), 14) for c in row.cells[1:]]
            cols = _columns(first, widths, rng.choice(("left", "center")))
            canvas.put(line, 0, row.cells[0])
            for j, c in enumerate(row.cells[1:]):
                canvas.put(line, cols.starts[j], c)
        else:
            canvas.put(line, 0, _label(row))
            figures = _blanked(row.figures, plan, rng)
            for j, f in enumerate(figures):
                if cols is not None and j < len(cols.starts):
                    canvas.put(line, cols.at(j, f), f)
        out += canvas.text() + [""]
    return out


def _spaced_sec4(table: Table, rng: random.Random, plan) -> list[str]:
    w = rng.choice((6, 7, 8))
    cols = _columns(0, [w] * 15, rng.choice(("left", "center")))
    canvas = Canvas()
    line = canvas.new()
    canvas.put(line, 0, "行政复议")
    canvas.put(line, cols.starts[5], "行政诉讼")
    canvas.new()
    line = canvas.new()
    canvas.put(line, cols.starts[5], "未经复议直接起诉")
    canvas.put(line, cols.starts[10], "复议后起诉")
    heads = [wrap(h, w - 2) for h in SEC4_COLUMNS * 3]
    for i in range(max(len(h) for h in heads)):
        line = canvas.new()
        for j, h in enumerate(heads):
            if i < len(h):
                canvas.put(line, cols.starts[j], h[i])
    for _ in range(rng.randint(1, 3)):
        canvas.new()
    figures = next(r.figures for r in table.rows if r.figures is not None)
    line = canvas.new()
    for j, f in enumerate(_blanked(figures, plan, rng)):
        canvas.put(line, cols.at(j, f), f)
    return canvas.text()


def _prose(line: str, indent: int = 6) -> list[str]:
    pieces = wrap(line, 60)
    return [" " * indent + pieces[0], *pieces[1:]]


def spaced_blank(text: str, rng: random.Random) -> str:
    """The tables as `pdftotext -layout` gives a PDF: columns aligned by display width (CJK counts two), labels
    wrapped within their column with the figures on the middle line, group labels down a merged column, column
    names wrapped over several lines, page footers inside tables; and zeros left blank."""
    m = parse(text)
    plan = (rng.choice((0.25, 0.5, 1.0)), rng.choice((0.5, 0.8, 1.0)))
    page = [rng.randrange(2, 5)]
    out = [" " * 10 + m.preamble[0], ""] if m.preamble else []
    for line in m.preamble[1:]:
        out += _prose(line)
    for s in m.sections:
        out += ["", " " * 6 + s.title]
        for part in s.body:
            if isinstance(part, str):
                out += _prose(part)
            elif s.id == "三":
                out += ["", *_spaced_sec3(part, rng, plan, page), ""]
            elif s.id == "二":
                out += _spaced_sec2(part, rng, plan)
            else:
                out += ["", *_spaced_sec4(part, rng, plan), "", ""]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------------------------
# 5. renumbered: sections numbered the body's own way


PROSE_CHAPTERS = (("一、总体情况", "二、主动公开情况", "三、依申请公开情况", "四、政府信息管理情况", "五、平台建设情况",
                   "六、监督保障情况"),
                  ("一、深化重点领域信息公开", "二、提升依申请公开办理质量", "三、加强政府信息管理", "四、推进公开平台建设",
                   "五、强化监督保障", "六、推进政务公开专区建设"))
PARAPHRASES = {"二": ("二、主动公开政府信息", "二、主动公开政府信息的情况"),
               "三": ("三、收到和处理政府信息公开申请的情况", "三、政府信息公开申请的收到和处理情况"),
               "四": ("四、因政府信息公开工作被申请行政复议和提起行政诉讼情况", "四、政府信息公开行政复议和行政诉讼情况"),
               "五": ("五、政府信息公开工作存在的主要问题及改进情况", "五、存在的主要问题和改进措施"),
               "六": ("六、其他需要报告的事项", "六、其他需要报告的事项")}
NUMERALS = "一二三四五六七八"
_FILLER = "按照有关要求扎实推进相关工作。"


def _typo(title: str, rng: random.Random) -> str:
    """A numeral mistyped: a stray letter before it (`l六、`), the wrong numeral, the wrong mark after it."""
    kind = rng.choice(("stray", "numeral", "mark"))
    if kind == "stray":
        return rng.choice(("l", "I", "1", "|")) + title
    if kind == "numeral" and title[0] in NUMERALS:
        i = NUMERALS.index(title[0])
        return NUMERALS[max(i - 1, 0) if i and rng.random() < 0.5 else i + 1] + title[1:]
    return title[0] + rng.choice((".", "，", "．", "")) + title[2:] if title[1:2] == "、" else title


def _chapters(lines: list[str], n: int) -> list[list[str]]:
    """Prose lines shared out over n chapters, long lines cut at sentence ends when there are too few."""
    sentences = list(lines)
    while len(sentences) < n:
        longest = max(range(len(sentences)), key=lambda i: len(sentences[i]), default=None)
        if longest is None or "。" not in sentences[longest].rstrip("。"):
            break
        s = sentences[longest]
        cut = s.index("。", len(s) // 3 if "。" in s[len(s) // 3:-1] else 0) + 1
        sentences[longest:longest + 1] = [s[:cut], s[cut:]]
    out = [sentences[i * len(sentences) // n:(i + 1) * len(sentences) // n] for i in range(n)]
    return [chunk or [_FILLER] for chunk in out]


def renumbered(text: str, rng: random.Random) -> str:
    """Section titles as real reports number them: Shanghai style (six prose chapters 一…六 first, the tables'
    sections numbered again from 一), shifted by one (a chapter 二、工作机制保障 before the tables), a typo in
    the numeral, paraphrased titles; tables untouched."""
    m = parse(text)
    by_id = {s.id: s for s in m.sections}
    style = rng.choice(("shanghai", "shifted", "typo", "paraphrase"))
    sections: list[Section] = []
    if style == "shanghai":
        titles = rng.choice(PROSE_CHAPTERS)
        chapters = _chapters([p for p in by_id["一"].body if isinstance(p, str)], len(titles))
        sections += [Section("一", t, tuple(c)) for t, c in zip(titles, chapters)]
        for i, sid in enumerate("二三四五六"):
            if sid in by_id:
                sections.append(replace(by_id[sid], title=NUMERALS[i] + by_id[sid].title[1:]))
    elif style == "shifted":
        for s in m.sections:
            i = NUMERALS.index(s.id)
            sections.append(s if i == 0 else replace(s, title=NUMERALS[i + 1] + s.title[1:]))
            if i == 0:
                sections.append(Section("一", "二、工作机制保障", ("健全政务公开工作机制，明确责任分工。",)))
    else:
        sections = list(m.sections)
        if style == "paraphrase":
            sections = [replace(s, title=rng.choice(PARAPHRASES[s.id])) if s.id in PARAPHRASES and rng.random() < 0.7
                        else s for s in sections]
    if style == "typo" or rng.random() < 0.3:
        for i in rng.sample(range(len(sections)), k=min(len(sections), rng.randint(1, 2))):
            sections[i] = replace(sections[i], title=_typo(sections[i].title, rng))
    return _render_titles(m, sections)


def _render_titles(m: Model, sections: list[Section]) -> str:
    """The canonical layout with the sections' own titles (which `parse` would not know again)."""
    lines = list(m.preamble)
    for s in sections:
        one = canonical(Model((), (replace(s, title=SECTION_TITLES["一"]),)))
        lines += [s.title, *one.split("\n")[1:-1]]
    return "\n".join(lines) + "\n"


DEGRADATIONS = {"glued": glued, "shattered-markdown": shattered_markdown, "damaged-labels": damaged_labels,
                "spaced-blank": spaced_blank, "renumbered": renumbered}
SUFFIX = {"shattered-markdown": ".md"}
