"""An invented, consistent 2021-template report, as spans on the official grids: the DOCX and PDF tests draw it.

Figures match tests/fixtures/html/cms_page.html, so every format must extract the same 200 cells.
"""

from __future__ import annotations

from decimal import Decimal

TITLE = ("测试县人民政府办公室", "2023年政府信息公开工作年度报告")
PROSE = {
    "一、总体情况": "2023年，本机关共收到政府信息公开申请13件，上年结转1件。",
    "五、存在的主要问题及改进情况": "政策解读形式还不够丰富。",
    "六、其他需要报告的事项": "本年度未收取信息处理费。",
}
CLOSING = ("五、存在的主要问题及改进情况", "六、其他需要报告的事项")  # the sections after the tables, with PROSE each
SEC2_TITLE = "二、主动公开政府信息情况"
SEC3_TITLE = "三、收到和处理政府信息公开申请情况"
SEC4_TITLE = "四、政府信息公开行政复议、行政诉讼情况"

COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
SEC3_FIGURES = {
    "一": (10, 2, 0, 0, 1, 0, 13), "二": (1, 0, 0, 0, 0, 0, 1), "三.一": (5, 1, 0, 0, 1, 0, 7),
    "三.二": (2, 0, 0, 0, 0, 0, 2), "三.三.4": (1, 0, 0, 0, 0, 0, 1), "三.四.1": (1, 1, 0, 0, 0, 0, 2),
    "三.七": (9, 2, 0, 0, 1, 0, 12), "四": (2, 0, 0, 0, 0, 0, 2),
}
SEC3_ROWS = (  # (row id, label) in table order, from grid row 3
    ("一", "一、本年新收政府信息公开申请数量"), ("二", "二、上年结转政府信息公开申请数量"),
    ("三.一", "（一）予以公开"), ("三.二", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("三.三.1", "1.属于国家秘密"), ("三.三.2", "2.其他法律行政法规禁止公开"), ("三.三.3", "3.危及“三安全一稳定”"),
    ("三.三.4", "4.保护第三方合法权益"), ("三.三.5", "5.属于三类内部事务信息"), ("三.三.6", "6.属于四类过程性信息"),
    ("三.三.7", "7.属于行政执法案卷"), ("三.三.8", "8.属于行政查询事项"),
    ("三.四.1", "1.本机关不掌握相关政府信息"), ("三.四.2", "2.没有现成信息需要另行制作"),
    ("三.四.3", "3.补正后申请内容仍不明确"),
    ("三.五.1", "1.信访举报投诉类申请"), ("三.五.2", "2.重复申请"), ("三.五.3", "3.要求提供公开出版物"),
    ("三.五.4", "4.无正当理由大量反复申请"), ("三.五.5", "5.要求行政机关确认或重新出具已获取信息"),
    ("三.六.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("三.六.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"), ("三.六.3", "3.其他"),
    ("三.七", "（七）总计"), ("四", "四、结转下年度继续办理"),
)
GROUPS = (("三、本年度办理结果", 5, 22), ("（三）不予公开", 7, 8), ("（四）无法提供", 15, 3), ("（五）不予处理", 18, 5),
          ("（六）其他处理", 23, 3))  # (label, first grid row, rows); 三、 sits in column 0, the rest in column 1
SEC4_ROWS = ("行政复议", "未经复议直接起诉", "复议后起诉")
SEC4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
SEC4_FIGURES = (1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1)
SEC2 = (  # (item, header, figure or figures), each block under its 第二十条 heading
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), (("规章", (0, 0, 0)), ("行政规范性文件", (3, 1, 20)))),
    ("第二十条第（五）项", ("本年处理决定数量",), (("行政许可", (15,)),)),
    ("第二十条第（六）项", ("本年处理决定数量",), (("行政处罚", (30,)), ("行政强制", (2,)))),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), (("行政事业性收费", ("1.5",)),)),
)

Span = tuple  # (row, col, rowspan, colspan, text)


def sec2_spans() -> tuple[int, int, list[Span]]:
    spans, r = [], 0
    for heading, header, items in SEC2:
        spans.append((r, 0, 1, 4, heading))
        for label, cells in (("信息内容", header), *items):
            spans.append((r + 1, 0, 1, 1, label))
            if len(cells) == 1:
                spans.append((r + 1, 1, 1, 3, str(cells[0])))
            else:
                spans.extend((r + 1, 1 + i, 1, 1, str(v)) for i, v in enumerate(cells))
            r += 1
        r += 1
    return r, 4, spans


def sec3_spans() -> tuple[int, int, list[Span]]:
    spans = [(0, 0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"), (0, 3, 1, 7, "申请人情况"),
             (1, 3, 2, 1, "自然人"), (1, 4, 1, 5, "法人或其他组织"), (1, 9, 2, 1, "总计")]
    spans += [(2, 4 + i, 1, 1, name) for i, name in enumerate(COLUMNS[1:6])]
    spans += [(first, 0 if n == 0 else 1, rows, 1, label) for n, (label, first, rows) in enumerate(GROUPS)]
    for r, (row_id, label) in enumerate(SEC3_ROWS, start=3):
        if row_id in ("一", "二", "四"):
            spans.append((r, 0, 1, 3, label))
        elif row_id in ("三.一", "三.二", "三.七"):
            spans.append((r, 1, 1, 2, label))
        else:
            spans.append((r, 2, 1, 1, label))
        figures = SEC3_FIGURES.get(row_id, (0,) * 7)
        spans.extend((r, 3 + i, 1, 1, str(v)) for i, v in enumerate(figures))
    return 3 + len(SEC3_ROWS), 10, spans


def sec4_spans() -> tuple[int, int, list[Span]]:
    spans = [(0, 0, 1, 5, "行政复议"), (0, 5, 1, 10, "行政诉讼"), (1, 5, 1, 5, SEC4_ROWS[1]), (1, 10, 1, 5, SEC4_ROWS[2])]
    spans += [(1, i, 2, 1, name) for i, name in enumerate(SEC4_COLUMNS)]
    spans += [(2, 5 + i, 1, 1, SEC4_COLUMNS[i % 5]) for i in range(10)]
    spans += [(3, i, 1, 1, str(v)) for i, v in enumerate(SEC4_FIGURES)]
    return 4, 15, spans


def expected_cells() -> dict[tuple[str, str, str], Decimal]:
    out = {}
    for _, header, items in SEC2:
        for label, cells in items:
            columns = [col.split("（")[0] for col in header]  # 本年收费金额（单位：万元） is column 本年收费金额
            out.update({("sec2", label, col): Decimal(str(v)) for col, v in zip(columns, cells)})
    for row_id, _ in SEC3_ROWS:
        out.update({("sec3", row_id, col): Decimal(v) for col, v in zip(COLUMNS, SEC3_FIGURES.get(row_id, (0,) * 7))})
    for i, v in enumerate(SEC4_FIGURES):
        out[("sec4", SEC4_ROWS[i // 5], SEC4_COLUMNS[i % 5])] = Decimal(v)
    return out


def assert_reads_as_sample(cli, path, encoding: str) -> None:
    """The report extracts exactly the sample's cells, passes every check, and names its body and year."""
    from govreport_check.report import load_report

    records = load_report(path).records
    assert {k: v.number for k, v in records.values.items()} == expected_cells()
    code, out = cli.json("check", path)
    report = out["reports"][0]
    assert code == 0, report["findings"]
    assert (report["template"], report["year"], report["encoding"]) == ("2021", 2023, encoding)
    assert report["unit"] == "测试县人民政府办公室"
