from govreport_check.template.spec import builtin_templates


def test_both_templates_have_the_official_rows_and_columns():
    t = builtin_templates()
    assert set(t) == {"2019", "2021"}
    ids19 = [r.id for r in t["2019"].tables["sec3"].rows]
    ids21 = [r.id for r in t["2021"].tables["sec3"].rows]
    assert len(ids19) == 23 and len(ids21) == 25
    assert "三.六" in ids19 and "三.六" not in ids21
    assert ids21[ids21.index("三.五.5") + 1:] == ["三.六.1", "三.六.2", "三.六.3", "三.七", "四"]
    assert [c.id for c in t["2019"].tables["sec3"].columns] == [
        "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    sec4 = t["2021"].tables["sec4"]
    assert [r.id for r in sec4.rows] == ["行政复议", "未经复议直接起诉", "复议后起诉"]
    assert [c.id for c in sec4.columns] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert t["2019"].tables["sec2"].columns_of("行政许可") == ("上一年项目数量", "本年增/减", "处理决定数量")
    assert t["2021"].tables["sec2"].columns_of("行政事业性收费") == ("本年收费金额",)
