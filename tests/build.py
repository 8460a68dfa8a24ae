"""Write small reports in the Word copy-paste layout from figures, for tests that need a report of a given shape."""

from __future__ import annotations

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
                blank_tables: tuple = ()) -> str:
    """A whole report; sections in `omit` are left out, `extra` lines go into section 五. The sec3 options
    break the table the ways real reports do: rows dropped, repeated, a figure short, local rows added,
    labels reworded or lost (`unlabelled_rows`: figures without their label); `mixed` writes the other
    template's sec2; `sec2_figures` gives items' figures (else 0).
    `glued` writes the body as a crawler takes a page's text: every separator lost, all on one line.
    `cell_text` writes a text in place of a figure (`{"三.一/自然人": "O"}`, `{"行政复议/总计": "2¹"}`);
    `blank_tables` leaves every figure of those tables (sec2, sec3, sec4) blank, as an unfilled template."""
    t = builtin_templates()[template]
    other = builtin_templates()["2021" if template == "2019" else "2019"]
    sec3 = sec3 if sec3 is not None else consistent_sec3(template, fee_rows)
    sec4 = sec4 if sec4 is not None else [1, 0, 0, 1, 2, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]
    intro = [f"本报告中所列数据的统计期限自{period_year or year}年1月1日起至{period_year or year}年12月31日止。"]
    if notice:
        intro.append(f"本报告依据《中华人民共和国政府信息公开工作年度报告格式》（{notice}）编制。")
    body = {"一": [prose], "五": ["一是公开深度仍需拓展。", *extra], "六": [section6]}
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
