"""The official templates, loaded from rules/template.yaml into frozen specs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from govreport_check.errors import RuleFileError
from govreport_check.normalize import label_key
from govreport_check.yamlfile import data_dir, line_of, load_yaml

_CN_DIGITS = "一二三四五六七八九十"
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．])")
_NOTE = re.compile(r"[（(][^（）()]*[)）]$")
_LONG = 16  # characters after the numbering beyond which a label is cut to its first clause


@dataclass(frozen=True)
class LineSpec:
    """A row or a column of a template table."""

    id: str  # address used in every output ("三.三.1", "总计")
    label: str  # official wording
    keys: tuple[str, ...]  # normalised label and aliases, for matching
    group: str | None = None  # id of the group row this row sits under ("三.三"), or column group
    columns: tuple[str, ...] = ()  # sec2 only: the item's own columns


@dataclass(frozen=True)
class TableSpec:
    id: str  # "sec2", "sec3", "sec4"
    section: str  # section id the table sits under
    title: str  # official title, for messages
    rows: tuple[LineSpec, ...]  # data rows in template order
    columns: tuple[LineSpec, ...]  # columns in template order (sec2: union of the items' columns)
    groups: tuple[LineSpec, ...] = ()  # label-only rows that announce sub-rows
    amounts: tuple[str, ...] = ()  # columns holding amounts rather than counts

    @cached_property
    def row_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rows)

    @cached_property
    def column_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.columns)

    @cached_property
    def _rows(self) -> dict[str, LineSpec]:
        return {r.id: r for r in self.rows}

    @cached_property
    def _columns(self) -> dict[str, LineSpec]:
        return {c.id: c for c in self.columns}

    def row(self, row_id: str) -> LineSpec | None:
        return self._rows.get(row_id)

    def column(self, col_id: str) -> LineSpec | None:
        return self._columns.get(col_id)

    def columns_of(self, row_id: str) -> tuple[str, ...]:
        spec = self._rows.get(row_id)
        if spec is not None and spec.columns:
            return spec.columns
        return self.column_ids

    @cached_property
    def _groups(self) -> dict[str, LineSpec]:
        return {g.id: g for g in self.groups}

    def row_words(self, row_id: str) -> str:
        """The row as a reader finds it in the printed template, for messages: its label without the bracketed
        note, after its group's where the label alone only numbers it inside that group
        (（四）无法提供 / 1.本机关不掌握相关政府信息). An id the template lacks is returned as it is."""
        row = self._rows.get(row_id)
        if row is None:
            return row_id
        words = shortened(row.label)
        group = self._groups.get(row.group) if row.group else None
        if group is not None and re.match(r"\d", words):
            return f"{_numbered(group)} / {words}"
        return words

    def column_words(self, column_id: str) -> str:
        """The column's label as printed, without its bracketed note (本年收费金额（单位：万元） → 本年收费金额)."""
        column = self._columns.get(column_id)
        return shortened(column.label) if column is not None else column_id

    def cell_words(self, row_id: str, column_id: str) -> str:
        """A cell by its labels: `（一）予以公开 / 科研机构`."""
        return f"{self.row_words(row_id)} / {self.column_words(column_id)}"


def shortened(label: str) -> str:
    """A label short enough for a message: the bracketed note after it dropped (（二）部分公开（区分处理的…）), and a
    long one cut to its first clause (1.申请人无正当理由逾期不补正、行政机关不再处理… → 1.申请人无正当理由逾期不补正)."""
    numbering = _NUMBERING.match(label)
    head = numbering.group(0) if numbering else ""
    body = label[len(head):]
    without = _NOTE.sub("", body)
    body = without or body
    if len(body) > _LONG:
        body = re.split("[、，；]", body, maxsplit=1)[0]
    return head + body


def _numbered(group: LineSpec) -> str:
    """A group row's label with the numbering the template prints before it (三 → 三、, 三.四 → （四）)."""
    last = group.id.split(".")[-1]
    if _NUMBERING.match(group.label) or not last or any(ch not in _CN_DIGITS for ch in last):
        return group.label
    return f"{last}、{group.label}" if "." not in group.id else f"（{last}）{group.label}"


@dataclass(frozen=True)
class SectionSpec:
    id: str  # "一" … "六"
    title: str  # official title
    keywords: tuple[str, ...]  # words that identify a paraphrased title


@dataclass(frozen=True)
class Template:
    id: str  # "2019" or "2021"
    name: str  # e.g. 国办公开办函〔2019〕60号 格式（试行）
    notice: str  # the 国办 notice that issued it
    markers: tuple[str, ...]  # normalised labels found only in this template
    first_year: int  # first report year the template is meant for
    last_year: int | None  # last report year it is meant for; None while current
    sections: tuple[SectionSpec, ...]  # the six sections, in order
    tables: dict[str, TableSpec]  # "sec2", "sec3", "sec4"

    def cell_words(self, table: str, row: str, column: str) -> str:
        """A cell by its labels (（一）予以公开 / 科研机构); ids where the template lacks the table."""
        spec = self.tables.get(table)
        return spec.cell_words(row, column) if spec is not None else f"{row}/{column}"


def _lines(items: list, template_id: str, path: Path, where: str) -> tuple[LineSpec, ...]:
    out = []
    for item in items or ():
        try:
            if template_id not in item.get("templates", [template_id]):
                continue
            label = str(item["label"])
            keys = tuple(dict.fromkeys(label_key(x) for x in [label, *item.get("aliases", [])]))
            out.append(
                LineSpec(
                    id=str(item["id"]),
                    label=label,
                    keys=keys,
                    group=item.get("group"),
                    columns=tuple(item.get("columns", ())),
                )
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise RuleFileError(f"{where} 的条目缺少字段或格式不对：{exc}", path, line_of(item)) from None
    return tuple(out)


def _table(table_id: str, raw: dict, template_id: str, path: Path) -> TableSpec:
    rows = _lines(raw.get("rows"), template_id, path, f"tables.{table_id}.rows")
    columns = _lines(raw.get("columns"), template_id, path, f"tables.{table_id}.columns")
    if not columns:
        labels = raw.get("column_labels", {})
        ids = dict.fromkeys(c for r in rows for c in r.columns)
        columns = tuple(LineSpec(id=c, label=labels.get(c, c), keys=(label_key(labels.get(c, c)),)) for c in ids)
    return TableSpec(
        id=table_id,
        section=str(raw["section"]),
        title=str(raw.get("title", table_id)),
        rows=rows,
        columns=columns,
        groups=_lines(raw.get("groups"), template_id, path, f"tables.{table_id}.groups"),
        amounts=tuple(raw.get("amounts", ())),
    )


def load_templates(path: Path) -> dict[str, Template]:
    raw = load_yaml(path)
    try:
        sections = tuple(
            SectionSpec(id=str(s["id"]), title=str(s["title"]), keywords=tuple(s.get("keywords", [s["title"]])))
            for s in raw["sections"]
        )
        out = {}
        for tid, t in raw["templates"].items():
            if tid == "__line__":
                continue
            tables = {k: _table(k, v, tid, path) for k, v in raw["tables"].items() if k != "__line__"}
            out[str(tid)] = Template(
                id=str(tid),
                name=str(t["name"]),
                notice=str(t["notice"]),
                markers=tuple(label_key(m) for m in t.get("markers", ())),
                first_year=int(t["first_year"]),
                last_year=int(t["last_year"]) if t.get("last_year") is not None else None,
                sections=sections,
                tables=tables,
            )
    except (KeyError, TypeError, AttributeError) as exc:
        raise RuleFileError(f"模板文件缺少字段或格式不对：{exc}", path) from None
    return out


def template_for_year(templates: dict[str, Template], year: int) -> Template | None:
    """The template a report of `year` should follow."""
    return next((t for t in templates.values()
                 if t.first_year <= year and (t.last_year is None or year <= t.last_year)), None)


@lru_cache(maxsize=1)
def builtin_templates() -> dict[str, Template]:
    from govreport_check.cache import cached

    path = data_dir() / "template.yaml"
    return cached("templates", [path], lambda: load_templates(path))
