from govreport_check.sections import find_sections
from govreport_check.template.spec import builtin_templates

SPECS = builtin_templates()["2019"].sections


def test_titles_found_in_order_with_paraphrases_and_table_rows_ignored():
    lines = (
        "示例区2020年政府信息公开工作年度报告",
        "一、总体情况",
        "一是加强领导。",
        " 二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "\t二、上年结转政府信息公开申请数量",
        "四、结转下年度继续办理\t1\t2",
        "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "无。",
    )
    found = find_sections(lines, SPECS)
    assert [(s.id, s.start, s.end) for s in found] == [
        ("一", 2, 3), ("二", 4, 4), ("三", 5, 7), ("四", 8, 8), ("五", 9, 9), ("六", 10, 11),
    ]
    assert found[3].title == "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况"


def test_out_of_order_title_is_not_a_section():
    lines = ("三、收到和处理政府信息公开申请情况", "二、主动公开政府信息情况")
    assert [s.id for s in find_sections(lines, SPECS)] == ["三"]
