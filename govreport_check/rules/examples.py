"""Run the examples every rule carries (`examples: {pass: …, fail: …}`), for `rules --check` and the tests alike:
a failing example that passes means the rule does not check what it says, and would pass every report silently.

Cell examples (`{row: …, 列: 值}` or `{column: …, 行: 值}`) are set into a table of zeros; report examples
(`{report: {…}}`) are whole reports written by `report_text` with those settings, in the Word copy-paste layout.
"""

from __future__ import annotations

import inspect
import tempfile
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from govreport_check.checks import module
from govreport_check.errors import InputError
from govreport_check.findings import Fact
from govreport_check.model import Loc
from govreport_check.normalize import read_value
from govreport_check.report import load_report, with_previous
from govreport_check.rules.engine import combined
from govreport_check.rules.rule import Rule
from govreport_check.template.match import Records
from govreport_check.template.spec import builtin_templates

SEC3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
SEC4_ROWS = ("行政复议", "未经复议直接起诉", "复议后起诉")
SEC4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
SECTION_TITLES = {"一": "一、总体情况", "二": "二、主动公开政府信息情况", "三": "三、收到和处理政府信息公开申请情况",
                  "四": "四、政府信息公开行政复议、行政诉讼情况", "五": "五、存在的主要问题及改进情况",
                  "六": "六、其他需要报告的事项"}


def consistent_sec3(template: str = "2019", fee_rows: int = 0) -> dict[str, list]:
    """A consistent sec3 (一 17, 二 2, 三.七 17, 四 2 in 总计); `fee_rows` moves results into 三.六.2 (2021)."""
    rows = [r.id for r in builtin_templates()[template].tables["sec3"].rows]
    parts = {r: [0] * 6 for r in rows}
    parts["一"] = [10, 3, 1, 0, 2, 1]
    parts["二"] = [1, 0, 0, 0, 1, 0]
    parts["三.一"] = [5, 1, 1, 0, 1, 0]
    parts["三.二"] = [2, 0, 0, 0, 0, 0]
    parts["三.三.4"] = [1, 1, 0, 0, 0, 0]
    parts["三.四.1"] = [2, 1, 0, 0, 1, 1]
    if fee_rows:
        parts["三.四.1"][0] -= fee_rows
        parts["三.六.2"][0] += fee_rows
    parts["四"] = [1, 0, 0, 0, 1, 0]
    results = [r for r in rows if r.startswith("三.") and r != "三.七"]
    parts["三.七"] = [sum(parts[r][i] for r in results) for i in range(6)]
    return {r: v + [sum(v)] for r, v in parts.items()}


def report_text(template: str = "2019", year: int = 2020, sec3: dict | None = None, sec4: list | None = None,
                title: str | None = None, prose: str = "本年度共收到申请若干件。", section6: str = "无。",
                omit: tuple = (), extra: tuple = (), period_year: int | None = None, notice: str | None = None,
                fee_rows: int = 0, drop_rows: tuple = (), duplicate_rows: tuple = (), short_rows: tuple = (),
                extra_rows: tuple = (), rename: dict | None = None, mixed: bool = False, glued: bool = False,
                sec2_figures: dict | None = None, unlabelled_rows: tuple = (), cell_text: dict | None = None,
                blank_tables: tuple = (), section5: str | None = None, closing: tuple = ()) -> str:
    """A whole report; sections in `omit` are left out, `extra` lines go into section 五. The sec3 options
    break the table the ways real reports do: rows dropped, repeated, a figure short, local rows added,
    labels reworded or lost (`unlabelled_rows`: figures without their label); `mixed` writes the other
    template's sec2; `sec2_figures` gives items' figures (else 0).
    `glued` writes the body as a crawler takes a page's text: every separator lost, all on one line.
    `cell_text` writes a text in place of a figure (`{"三.一/自然人": "O"}`, `{"行政复议/总计": "2¹"}`);
    `blank_tables` leaves every figure of those tables (sec2, sec3, sec4) blank, as an unfilled template.
    `section5` is section 五's text in place of the default (lines apart at "\n"; "" leaves it empty), `extra`
    still following it; `closing` lines end the report after section 六 (落款: the body, the date)."""
    t = builtin_templates()[template]
    other = builtin_templates()["2021" if template == "2019" else "2019"]
    sec3 = sec3 if sec3 is not None else consistent_sec3(template, fee_rows)
    sec4 = sec4 if sec4 is not None else [1, 0, 0, 1, 2, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]
    intro = [f"本报告中所列数据的统计期限自{period_year or year}年1月1日起至{period_year or year}年12月31日止。"]
    if notice:
        intro.append(f"本报告依据《中华人民共和国政府信息公开工作年度报告格式》（{notice}）编制。")
    five = ["一是公开深度仍需拓展。"] if section5 is None else [line for line in section5.split("\n") if line]
    body = {"一": [prose], "五": [*five, *extra], "六": [section6, *closing]}
    body["二"] = []
    for item in (other if mixed else t).tables["sec2"].rows:
        figures = (sec2_figures or {}).get(item.id, [0] * len(item.columns))
        figures = [""] * len(figures) if "sec2" in blank_tables else figures
        body["二"] += ["\t信息内容", *(f"\t{c}" for c in item.columns), "", f"\t{item.label}",
                      *(f"\t{v}万元" if c == "采购总金额" and v != "" else f"\t{v}" for c, v in zip(item.columns, figures)), ""]
    body["三"] = ["\t申请人情况", "", "\t", *(f"\t{c}" for c in SEC3_COLUMNS), ""]
    groups = {g.id: g.label for g in t.tables["sec3"].groups}
    seen = set()
    for row in t.tables["sec3"].rows:
        if row.id in drop_rows:
            continue
        labels = []
        if row.group and row.group not in seen and row.group in groups:
            labels.append(groups[row.group])
            seen.add(row.group)
        if row.id not in unlabelled_rows:
            labels.append((rename or {}).get(row.id, row.label))
        figures = sec3.get(row.id, [])[: -1 if row.id in short_rows else None]
        figures = ["" if "sec3" in blank_tables else (cell_text or {}).get(f"{row.id}/{c}", v)
                   for c, v in zip((*SEC3_COLUMNS, *[""] * len(figures)), figures)]
        lines = [*(f"\t{lab}" for lab in labels), *(f"\t{v}" for v in figures), ""]
        body["三"] += lines * (2 if row.id in duplicate_rows else 1)
    for label in extra_rows:
        body["三"] += [f"\t{label}", *("\t0" for _ in SEC3_COLUMNS), ""]
    heads = ["\t结果维持", "\t结果纠正", "\t其他结果", "\t尚未审结", "\t总计"] if glued else []
    sec4 = ["" if "sec4" in blank_tables else (cell_text or {}).get(where, v)
            for where, v in zip((*(f"{r}/{c}" for r in SEC4_ROWS for c in SEC4_COLUMNS), *[""] * len(sec4)), sec4)]
    body["四"] = ["\t行政复议", "\t行政诉讼", *heads, "", *(f"\t{v}" for v in sec4), ""]
    out = [title or f"测试区{year}年政府信息公开工作年度报告", "", *intro]
    text = []
    for sid, heading in SECTION_TITLES.items():
        if sid not in omit:
            text += [heading, *body[sid]]
    if glued:
        text = ["".join(line.strip() for line in text)]
    return "\n".join(out + text) + "\n"


SETTINGS = ("table", "row", "column", "unit", "last")  # what a cell example says besides its cells
_VERDICTS = {"pass": "通过示例（pass）", "fail": "不通过示例（fail）"}
_BROKEN = (TypeError, ValueError, KeyError, AttributeError, IndexError)  # settings of the wrong shape or type


@dataclass(frozen=True)
class Case:
    """One example run through its rule."""

    verdict: str  # "pass" or "fail": what the rule file says the rule makes of it
    template: str | None  # the template a cell example was written into; None for a report example
    facts: tuple[Fact, ...]  # what the rule reported there
    problem: str = ""  # why the example could not be run (Chinese); `facts` is then empty

    @property
    def agrees(self) -> bool:
        return not self.problem and bool(self.facts) == (self.verdict == "fail")


def found(rule: Rule, report) -> list[Fact]:
    """The facts the rule reports, as the engine would combine them; structure rules are reported by the
    extraction stage."""
    if rule.kind == "structure":
        return [f for f in report.records.facts if f.rule == rule.id]
    facts = [o.fact for o in module(rule.kind).run(rule, report) if o.fact is not None]
    return combined(facts, rule, report) if facts and rule.options.get("combine") else facts


def run(rule: Rule, folder: Path) -> list[Case]:
    """Every example of the rule, a cell example once per template the rule applies to."""
    out = []
    for verdict, example in rule.examples.items():
        if isinstance(example, dict) and "report" in example:
            out.append(_report_case(rule, verdict, example["report"], folder))
        elif isinstance(example, dict) and "aggregate" in example:
            out.append(_aggregate_case(rule, verdict, example["aggregate"], folder))
        elif rule.kind == "across":
            out.append(Case(verdict, None, (), "汇总核对规则的示例应写成 {aggregate: {summary: {…}, parts: [{…}, …]}}"))
        elif rule.kind == "structure":
            out.append(Case(verdict, None, (), "结构规则的示例应写成 {report: {…}}：结构问题是读取表格时发现的"))
        elif not isinstance(example, dict):
            out.append(Case(verdict, None, (), "示例应是一个映射，如 {row: 三.一, 自然人: 3} 或 {report: {…}}"))
        else:
            out += _cell_cases(rule, verdict, example, folder)
    return out


def disagreements(rule: Rule, folder: Path) -> list[Case]:
    return [c for c in run(rule, folder) if not c.agrees]


def describe(rule: Rule, cases: list[Case]) -> list[str]:
    """What went wrong with the examples, in Chinese: one line for each way, naming the templates a cell example
    went wrong in."""
    ways: dict[tuple[str, str, str], list[str]] = {}
    for case in cases:
        if case.problem:
            how = ("无法运行", f"：{case.problem}")
        elif case.verdict == "fail":
            how = ("没有触发该规则", "")
        else:
            more = f"（共 {len(case.facts)} 条）" if len(case.facts) > 1 else ""
            how = ("触发了该规则", f"：{rule.message.format_map(_Kept(case.facts[0].params))}{more}")
        ways.setdefault((case.verdict, *how), []).append(case.template or "")
    out = []
    for (verdict, happened, detail), templates in ways.items():
        where = f"（模板 {'、'.join(templates)}）" if all(templates) else ""
        out.append(f"规则 {rule.id} 的{_VERDICTS.get(verdict, verdict)}{happened}{where}{detail}")
    return out


class _Kept(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _report_case(rule: Rule, verdict: str, settings, folder: Path) -> Case:
    allowed = tuple(inspect.signature(report_text).parameters)
    if not isinstance(settings, dict):
        return Case(verdict, None, (), "report 应是一个映射，如 {report: {omit: [三]}}")
    settings = dict(settings)
    last = settings.pop("previous", None)
    scores = settings.pop("confidence", None)
    unknown = [str(k) for k in (*settings, *(last if isinstance(last, dict) else ())) if k not in allowed]
    if unknown:
        return Case(verdict, None, (), f"report 中有未知的设置 {'、'.join(unknown)}（可用：{'、'.join(allowed)}、previous、"
                                       f"confidence）")
    if last is not None and not isinstance(last, dict):
        return Case(verdict, None, (), "previous 应是一个映射：上一年报告的设置")
    if scores is not None and not isinstance(scores, dict):
        return Case(verdict, None, (), "confidence 应是一个映射：单元格（行/列）到识别置信度，如 {三.一/自然人: 0.4}")
    try:
        path = folder / f"{rule.id}-{verdict}.txt"
        path.write_text(report_text(**settings), encoding="utf-8")
        report = load_report(path)
        if last is not None:  # last year's report, written the same way
            path = folder / f"{rule.id}-{verdict}-last.txt"
            path.write_text(report_text(**last), encoding="utf-8")
            report = with_previous(report, load_report(path))
        if scores is not None:
            report = _scanned(report, scores)
    except InputError as err:
        return Case(verdict, None, (), f"写出的报告无法读取（{err.message}）")
    except _BROKEN as exc:
        return Case(verdict, None, (), f"report 中的设置取值不对（{type(exc).__name__}: {exc}）")
    return Case(verdict, None, tuple(found(rule, report)))


def _scanned(report, scores: dict):
    """The report as if OCR had read it, the cells named (`行/列`) with the scores given: no text file carries
    one, and a scan would make the example need the `ocr` extra and seconds to read."""
    values = dict(report.records.values)
    for where, score in scores.items():
        row, _, column = str(where).partition("/")
        key = next((k for k in values if k[1:] == (row, column)), None)
        if key is None:
            raise KeyError(f"没有单元格 {where}")
        values[key] = replace(values[key], confidence=float(score))
    return replace(report, records=replace(report.records, values=values))


def _aggregate_case(rule: Rule, verdict: str, settings, folder: Path) -> Case:
    """A summary report and its parts, each written by `report_text` with its settings, compared by aggregate."""
    from govreport_check.aggregate import compare

    if not isinstance(settings, dict) or not isinstance(settings.get("parts"), list):
        return Case(verdict, None, (), "aggregate 应是一个映射：summary（汇总报告的设置）、parts（各单位报告的设置列表）、"
                                       "可选 roster（单位名单）")
    allowed = tuple(inspect.signature(report_text).parameters)
    written = []
    for n, given in enumerate([settings.get("summary") or {}, *settings["parts"]]):
        if not isinstance(given, dict) or any(k not in allowed for k in given):
            return Case(verdict, None, (), f"aggregate 中第 {n + 1} 份报告的设置应是映射，可用：{'、'.join(allowed)}")
        path = folder / f"{rule.id}-{verdict}-{n}.txt"
        try:
            path.write_text(report_text(**given), encoding="utf-8")
            written.append(load_report(path))
        except InputError as err:
            return Case(verdict, None, (), f"写出的报告无法读取（{err.message}）")
        except _BROKEN as exc:
            return Case(verdict, None, (), f"aggregate 中的设置取值不对（{type(exc).__name__}: {exc}）")
    roster = settings.get("roster")
    facts = compare(written[0], written[1:], {rule.id: rule}, [str(u) for u in roster] if roster else None).facts
    return Case(verdict, None, facts)


@lru_cache(maxsize=4)
def _base(folder: Path, template_id: str):
    """The clean built report for a template, read once per folder."""
    t = builtin_templates()[template_id]
    path = folder / f"base-{template_id}.txt"
    path.write_text(report_text(template_id, t.last_year or t.first_year), encoding="utf-8")
    return load_report(path)


def _cell_cases(rule: Rule, verdict: str, example: dict, folder: Path) -> list[Case]:
    table = str(example.get("table") or rule.table or "")
    if rule.templates and table not in builtin_templates()[rule.templates[0]].tables:
        return [Case(verdict, None, (), "单元格示例需要 table（规则本身没有 table 时写在示例中，如 table: sec3）")]
    cells = {str(k): v for k, v in example.items() if k not in SETTINGS}
    last = example.get("last", {})
    if not isinstance(last, dict):
        return [Case(verdict, None, (), "last 应是一个映射：上一年报告中的单元格，如 last: {四: 3}")]
    out, placed = [], set()
    for template_id in rule.templates:
        report = _base(folder, template_id)
        spec = report.template.tables[table]
        row = str(example.get("row", spec.rows[0].id))
        column = str(example.get("column", spec.columns[0].id))
        zeros = {k: replace(v, number=Decimal(0), raw="0") for k, v in report.records.values.items()}

        def filled(given: dict) -> dict:
            values = dict(zeros)
            for ref, raw in given.items():
                key = (table, str(ref), column) if rule.foreach == "column" else (table, row, str(ref))
                if key in values:
                    values[key] = read_value(str(raw), Loc("example", 1))
                    placed.add(str(ref))
            return values

        previous = Records(report.template, filled(last), ()) if "last" in example else None
        case = replace(report, records=Records(report.template, filled(cells), ()), previous=previous,
                       unit=example.get("unit", report.unit))
        out.append(Case(verdict, template_id, tuple(found(rule, case))))
    stray = [ref for ref in (*cells, *map(str, last)) if ref not in placed]
    if stray:
        what = "行" if rule.foreach == "column" else "列"
        at = f"表 {table} 的列 {column}" if rule.foreach == "column" else f"表 {table} 的行 {row}"
        return [Case(verdict, None, (), f"示例中的 {'、'.join(stray)} 不是{at}中的单元格（应写{what}名）")]
    return out


def check_rule_file(path: Path) -> tuple[int, list[str], list[str]]:
    """(rules in the file, problems, notes) for `rules --check`: every example of every rule the file adds is
    run, loaded with the built-in rules so that overriding entries resolve. A rule without examples is a note:
    nothing shows that it checks what it says."""
    from govreport_check.rules.load import builtin_rules, load_rule_file

    builtin = {r.id: r for r in builtin_rules()}
    rules = load_rule_file(path, builtin_templates(), builtin)
    problems, notes = [], []
    with tempfile.TemporaryDirectory(prefix="govreport-check-") as folder:
        for rule in rules:
            if rule.id in builtin:
                continue  # an override: the built-in's examples, which the built-in's tests run
            missing = [_VERDICTS[v] for v in ("pass", "fail") if v not in rule.examples]
            if missing:
                notes.append(f"{rule.source}: 规则 {rule.id} 没有{'和'.join(missing)}，无法确认它按预期判断")
            problems += [f"{rule.source}: {line}" for line in describe(rule, disagreements(rule, Path(folder)))]
    return len(rules), problems, notes
