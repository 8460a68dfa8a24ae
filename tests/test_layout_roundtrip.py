"""Property test: random figures rendered into every text layout, with the noise real reports carry, read back
to the same cells.

No hypothesis here (the project depends on the standard library plus typer, rich and pyyaml), so the cases are
drawn from seeded `random.Random` generators: reproducible, and a failure names its seed.
"""

from __future__ import annotations

import codecs
import random
from decimal import Decimal

import pytest

from govreport_check.report import load_report
from govreport_check.template.spec import builtin_templates

STRUCTURE = {"row-shape", "row-unplaced", "row-duplicate", "row-missing", "table-missing", "table-missing-sec2"}
SEC3_HEAD = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
             ["自然人", "法人或其他组织", "总计"],
             ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
SEC4_HEAD = [["行政复议", "行政诉讼"],
             ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]]
TITLES = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
          "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
CAPTIONS = {"规章": "（一）", "规范性文件": "（一）", "行政规范性文件": "（一）", "行政许可": "（五）",
            "其他对外管理服务事项": "（五）", "行政处罚": "（六）", "行政强制": "（六）", "行政事业性收费": "（八）",
            "政府集中采购": "（九）"}
TRADITIONAL = str.maketrans("开处报数机关经复议诉讼费纳请转结总计属于护无现内类务权", "開處報數機關經復議訴訟費納請轉結總計屬於護無現內類務權")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


class Case:
    """One random report: its figures by cell, and each figure's text as the report writes it."""

    def __init__(self, template: str, seed: int):
        self.rng = random.Random(seed)
        self.template = builtin_templates()[template]
        self.year = 2020 if template == "2019" else 2023
        self.expected: dict[tuple[str, str, str], Decimal | None] = {}
        self.sec2 = self._sec2()
        self.sec3 = self._sec3()
        self.sec4 = self._sec4()

    def figure(self, key, n: int, amount: bool = False) -> str:
        rng = self.rng
        if amount:
            text = f"{n}.{rng.randrange(100):02d}"
            self.expected[key] = Decimal(text)
            return text + rng.choice(["", "", "万元"])
        self.expected[key] = Decimal(n)
        if n == 0 and rng.random() < 0.1:
            self.expected[key] = None
            return rng.choice(["—", "/", "无"])
        text = f"{n:,}" if n >= 1000 and rng.random() < 0.5 else str(n)
        if rng.random() < 0.15:
            text = text.translate(FULL_WIDTH)
        return text + rng.choice(["", "", "", " ", "件"]) if key[0] == "sec3" else text

    def label(self, text: str) -> str:
        rng = self.rng
        if rng.random() < 0.2:
            text = text.replace("（", "(").replace("）", ")")
        if rng.random() < 0.2:
            text = text.replace(".", "、", 1)
        if rng.random() < 0.1:
            text = text.translate(TRADITIONAL)
        if rng.random() < 0.1 and len(text) > 4:
            text = text[:3] + " " + text[3:]
        return text

    def _sec2(self) -> list[tuple[str, list[str], list[str]]]:
        out = []
        for item in self.template.tables["sec2"].rows:
            spec = self.template.tables["sec2"]
            cells = [self.figure(("sec2", item.id, c), self.rng.randrange(0, 3000), c in spec.amounts)
                     for c in item.columns]
            heads = [spec.column(c).label for c in item.columns]
            out.append((self.label(item.label), heads, cells))
        return out

    def _sec3(self) -> list[list[str]]:
        spec = self.template.tables["sec3"]
        results = [r.id for r in spec.rows if r.id.startswith("三.") and r.id != "三.七"]
        parts = {r: [self.rng.choice([0, 0, 0, self.rng.randrange(1, 400)]) for _ in range(6)] for r in results}
        parts["三.七"] = [sum(parts[r][i] for r in results) for i in range(6)]
        parts["二"] = [self.rng.randrange(0, 4) for _ in range(6)]
        parts["四"] = [self.rng.randrange(0, 5) + parts["二"][i] for i in range(6)]
        parts["一"] = [parts["三.七"][i] + parts["四"][i] - parts["二"][i] for i in range(6)]
        groups = {g.id: g.label for g in spec.groups}
        rows, seen = [], set()
        for row in spec.rows:
            labels = []
            if row.group in groups and row.group not in seen:
                labels.append(groups[row.group])
                seen.add(row.group)
            labels.append(row.label)
            numbers = parts[row.id] + [sum(parts[row.id])]
            cells = [self.figure(("sec3", row.id, c.id), n) for c, n in zip(spec.columns, numbers)]
            rows.append([self.label(lab) for lab in labels] + cells)
        return rows

    def _sec4(self) -> list[str]:
        spec = self.template.tables["sec4"]
        out = []
        for row in spec.rows:
            parts = [self.rng.randrange(0, 9) for _ in range(4)]
            out += [self.figure(("sec4", row.id, c.id), n) for c, n in zip(spec.columns, parts + [sum(parts)])]
        return out

    def tables(self) -> dict[str, list[list[str]]]:
        """Rows per section, as a table reads in any layout: header rows, then labels and figures."""
        sec2, caption = [], None
        for label, heads, cells in self.sec2:
            item = label.translate(str.maketrans("開處報數機關經復議訴訟費納請轉結總計屬於護無現內類務權",
                                                 "开处报数机关经复议诉讼费纳请转结总计属于护无现内类务权"))
            now = CAPTIONS.get(item.replace(" ", ""), caption)
            if now != caption:
                sec2.append([f"第二十条第{now}项"])
                caption = now
            sec2 += [["信息内容", *heads], [label, *cells]]
        if self.rng.random() < 0.5:
            sec4 = SEC4_HEAD + [self.sec4]
        else:
            sec4 = [["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]]
            sec4 += [[r.label, *self.sec4[i * 5:(i + 1) * 5]] for i, r in enumerate(self.template.tables["sec4"].rows)]
        return {"二": sec2, "三": SEC3_HEAD + self.sec3, "四": sec4}


def tabcells(rows: list[list[str]], rng: random.Random) -> list[str]:
    """Word's lone TAB for a merged cell now and then; a long label wrapped onto a line without a TAB."""
    out = []
    for row in rows:
        if rng.random() < 0.3 and not row[0][:1].isdigit():
            out.append("\t")
        for cell in row:
            if len(cell) > 12 and rng.random() < 0.3:
                out += [f"\t{cell[:len(cell) - 12]}", cell[len(cell) - 12:]]
            else:
                out.append(f"\t{cell}")
        out.append("")
    return out


def tsv(rows: list[list[str]], rng: random.Random) -> list[str]:
    out = []
    for row in rows:
        cells = []
        for cell in row:
            if len(cell) > 12 and rng.random() < 0.3:
                cell = '"' + (cell[:8] + "\n" + cell[8:]).replace('"', '""') + '"'
            cells.append(cell)
        out += "\t".join(cells).split("\n")
    return out


def pipes(rows: list[list[str]], rng: random.Random) -> list[str]:
    return [" | ".join(row) + " |" for row in rows]


def pipe_cells(rows: list[list[str]], rng: random.Random) -> list[str]:
    """One cell per line: `|` lines either between rows, or between cells with a blank line between rows."""
    out = ["|"]
    between_cells = rng.random() < 0.5
    for row in rows:
        out += [x for cell in row for x in (cell, "|")] + [""] if between_cells else [*row, "|"]
    return out


def markdown(rows: list[list[str]], rng: random.Random) -> list[str]:
    width = max(len(r) for r in rows)
    out = []
    for i, row in enumerate(rows):
        labels = [c for c in row if not any(ch.isdigit() for ch in c) or "、" in c or "." in c]
        padded = row if len(row) == width else [row[0]] * (width - len(row)) + row
        out.append("| " + " | ".join(padded) + " |")
        if i == 0:
            out.append("|" + "---|" * width)
        del labels
    return out


def spaces(rows: list[list[str]], rng: random.Random) -> list[str]:
    """Cells two to five spaces apart; a long last label wrapped above its number line; page footers."""
    out = []
    for row in rows:
        lead = " " * rng.randrange(0, 4)
        texts = [c for c in row if not any(ch.isdigit() for ch in c)]
        last = row.index(texts[-1]) if texts and len(row) > len(texts) else -1
        if last >= 0 and len(row[last]) > 14 and rng.random() < 0.4:
            x = len(lead) + sum(len(c) + 3 for c in row[:last])
            cut = (len(row[last]) + 1) // 2
            out.append(" " * x + row[last][:cut])
            row = row[:last] + [row[last][cut:]] + row[last + 1:]
            out.append(lead + "".join(c + "   " for c in row).rstrip())
        else:
            out.append(lead + "".join(c + " " * rng.randrange(2, 6) for c in row).rstrip())
        if rng.random() < 0.05:
            out += ["", rng.choice(["— 3 —", "第 2 页", "-4-"]), ""]
    return out


LAYOUTS = {"tabcells": tabcells, "tsv": tsv, "pipes": pipes, "pipe-cells": pipe_cells, "markdown": markdown,
           "spaces": spaces}
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16-le", "utf-16")


def render(case: Case, layout: str) -> bytes:
    rng = case.rng
    draw = LAYOUTS[layout]
    tables = case.tables()
    lines = [f"测试区{case.year}年政府信息公开工作年度报告", "",
             f"本报告所列数据的统计期限自{case.year}年1月1日起至{case.year}年12月31日止。"]
    for title in TITLES:
        lines.append(title)
        sid = title[0]
        if sid in tables:
            lines += draw(tables[sid], rng)
        else:
            lines.append("无。")
    text = (rng.choice(["\n", "\r\n"])).join(lines) + "\n"
    encoding = rng.choice(ENCODINGS)
    data = text.encode(encoding)
    return codecs.BOM_UTF8 + text.encode("utf-8") if encoding == "utf-8-sig" else data


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_random_figures_read_back_in_every_layout(layout, template, seed, tmp_path):
    case = Case(template, seed * 97 + len(layout))
    path = tmp_path / "r.txt"
    path.write_bytes(render(case, layout))
    report = load_report(path)
    assert report.template.id == template
    assert [f for f in report.records.facts if f.rule in STRUCTURE] == []
    got = {k: v.number for k, v in report.records.values.items()}
    assert got == case.expected
