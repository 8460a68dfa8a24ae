"""Property tests: whatever bytes or text come in, only our typed errors come out.

Number parser, label normaliser, every layout reader (text layouts, Markdown, HTML, .docx, PDF), the whole
pipeline on mutated reports, rule files and the expression language. Example counts are kept small so the suite
stays fast; `database=None` keeps hypothesis from writing a .hypothesis folder into the checkout.
"""

from __future__ import annotations

import ast
import encodings.aliases
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreport_check.errors import InputError, RuleFileError
from govreport_check.layouts import docx as docx_layout
from govreport_check.layouts import html as html_layout
from govreport_check.layouts import text as text_layout
from govreport_check.model import Loc
from govreport_check.normalize import MAX_NUMBER_CHARS, label_key, parse_number, read_value
from govreport_check.read import decode
from govreport_check.report import check, load_report
from govreport_check.rules.expr import ExprError, evaluate, evaluate_with_sides, parse
from govreport_check.rules.load import builtin_rules, load_rule_file
from govreport_check.template.spec import builtin_templates
from test_hostile import EXAMPLE, docx_bytes, mutate, one_page_pdf

FAST = settings(max_examples=150, deadline=None, database=None)
MEDIUM = settings(max_examples=50, deadline=None, database=None)  # lxml and python-docx take ~50 ms an example
SLOW = settings(max_examples=25, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

CELL_PIECES = ["0", "1", "12", "1,234", "4,891,", "056", "23417.86", "万元", "件", "（", "）", "(", ")", "+", "-", "−",
               "—", "/", "无", "x", "×", " ", "\n", "\t", "\xa0", "&nbsp;", "１２", "五", "一、", "（三）", "2.", "不予公开",
               "本年增/减", "512（+284）", "9" * 30, ".", ",", "e5", "∞", "NaN", "٣"]
LINE_PIECES = CELL_PIECES + ["|", " | ", "|---|", ":---:", "\t", "  ", "    ", "#", "**", "三、收到和处理政府信息公开申请情况",
                             "四、政府信息公开行政复议、行政诉讼情况", "二、主动公开政府信息情况", "自然人", "总计", "行政复议",
                             "政府信息公开", "申请", "2021年", "\f", '"', "— 5 —"]


def joined(pieces: list[str], most: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=most).map("".join)


cell_text = st.one_of(st.text(max_size=40), joined(CELL_PIECES, 8))


@FAST
@given(cell_text)
def test_number_parser_and_value_reader_never_raise(text):
    number, unit, note = parse_number(text)
    assert number is None or (isinstance(number, Decimal) and number.is_finite())
    assert number is None or len(str(abs(number)).replace(".", "")) <= MAX_NUMBER_CHARS
    value = read_value(text, Loc("x.txt", 1))
    assert value.kind in ("blank", "placeholder", "text", "number", "word")
    assert (value.number is not None) == (value.kind == "number")


@FAST
@given(cell_text)
def test_label_key_never_raises(text):
    key = label_key(text)
    assert isinstance(key, str) and len(key) <= len(text) * 3


report_lines = st.lists(st.one_of(joined(LINE_PIECES, 12), st.text(max_size=30)), max_size=60).map("\n".join)


@FAST
@given(report_lines, st.sampled_from([None, *text_layout.LAYOUTS]), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_text_layouts_and_markdown_raise_only_input_errors(text, layout, encoding):
    data = ("政府信息公开\n" + text).encode(encoding, errors="replace")
    try:
        doc = text_layout.read(Path("fuzz.md"), data, None, layout)
    except InputError:
        return
    assert all(row for t in doc.tables for row in t.rows)


@FAST
@given(st.binary(max_size=2048))
def test_text_reader_on_raw_bytes(data):
    try:
        text_layout.read(Path("fuzz.txt"), data)
    except InputError:
        pass


edits = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 999), st.integers(1, 300), st.integers(0, 255)),
                 min_size=1, max_size=6)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@SLOW
@given(edits)
def test_whole_pipeline_on_mutated_reports(scratch, edits):
    """Load, place on the template and run every built-in rule: a damaged report gives findings or an input
    error, never an exception."""
    path = scratch / "mutated.txt"
    path.write_bytes(mutate(EXAMPLE.read_bytes(), edits))
    try:
        report = load_report(path)
    except InputError:
        return
    check(report, list(builtin_rules()))


span_value = st.sampled_from(["", "0", "1", "2", "3", "-1", "999999", "99999999999999999999", "abc", " 2", "1.5"])
TAGS = ["p", "div", "span", "br", "h1", "b", "td", "tr", "th", "table", "tbody", "caption", "script", "nav", "o:p"]


def _element(children: list[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda tag, rows, cols, body: f'<{tag} rowspan="{rows}" colspan="{cols}">{body}</{tag}>',
                     st.sampled_from(TAGS), span_value, span_value, st.just("".join(children)))


html_body = st.recursive(joined(CELL_PIECES + ["政府信息公开", "申请", "&amp;", "&#0;", "<", ">"], 4),
                         lambda inner: st.lists(inner, max_size=6).flatmap(_element), max_leaves=40)


@MEDIUM
@given(st.lists(html_body, max_size=5).map("".join), st.booleans())
def test_html_reader_raises_only_input_errors(body, declare):
    head = '<meta charset="gb2312">' if declare else ""
    page = f"<html><head>{head}<title>政府信息公开</title></head><body>{body}</body></html>"
    try:
        html_layout.read(Path("fuzz.html"), page.encode("utf-8"))
    except InputError:
        pass


CODECS = sorted(set(encodings.aliases.aliases.values()) | {"idna", "punycode", "utf-7", "utf-8-sig", "gb18030", "x"})


codec_names = st.one_of(st.sampled_from(["idna", "punycode", "utf-7", "unicode_escape"]), st.sampled_from(CODECS))
codec_input = st.one_of(st.binary(max_size=300), joined(["xn--", "9", "a", "-", "\\", "x", "+", "é", "."], 30)
                        .map(lambda t: t.encode("utf-8")))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # unicode_escape on `\\À`; the CLI never shows these
@FAST
@given(codec_input, codec_names)
def test_any_declared_encoding_raises_only_input_errors(data, codec):
    """--encoding and a page's <meta charset> may name any codec Python has (idna, punycode and rot13 included)."""
    try:
        decode(data, "x.txt", codec)
    except InputError:
        pass
    page = f'<html><head><meta charset="{codec}"></head><body><p>'.encode() + data
    try:
        html_layout.read(Path("fuzz.html"), page)
    except InputError:
        pass


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@MEDIUM
@given(st.sampled_from(CODECS), st.sampled_from(["7bit", "base64", "quoted-printable", "x-uuencode", "bogus"]),
       st.binary(max_size=300))
def test_mht_archives_raise_only_input_errors(codec, transfer, payload):
    mht = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n--B\r\n'
           b"Content-Type: text/html; charset=\"" + codec.encode() + b"\"\r\nContent-Transfer-Encoding: "
           + transfer.encode() + b"\r\n\r\n<html><body><p>" + "政府信息公开".encode() + payload + b"\r\n--B--\r\n")
    try:
        html_layout.read(Path("fuzz.mht"), mht)
    except InputError:
        pass


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
word_value = st.sampled_from(["", "0", "1", "2", "-3", "restart", "continue", "999999999", "x"])


def _tc(props: tuple, text: str) -> str:
    span, vmerge, hmerge = props
    pr = "".join(f'<w:{k} w:val="{v}"/>' for k, v in (("gridSpan", span), ("vMerge", vmerge), ("hMerge", hmerge))
                 if v is not None)
    return f"<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


word_cell = st.builds(_tc, st.tuples(st.none() | word_value, st.none() | word_value, st.none() | word_value),
                      joined(CELL_PIECES[:20], 3).map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;")))
word_row = st.builds(lambda before, cells: f'<w:tr><w:trPr><w:gridBefore w:val="{before}"/></w:trPr>{cells}</w:tr>',
                     word_value, st.lists(word_cell, max_size=8).map("".join))
word_table = st.lists(word_row, max_size=10).map(lambda rows: f"<w:tbl>{''.join(rows)}</w:tbl>")


@MEDIUM
@given(st.lists(st.one_of(word_table, st.just("<w:p><w:r><w:t>政府信息公开申请</w:t></w:r></w:p>"),
                          word_table.map(lambda t: f"<w:sdt><w:sdtContent>{t}</w:sdtContent></w:sdt>")), max_size=4))
def test_docx_reader_on_generated_tables_raises_only_input_errors(blocks):
    xml = f"<w:document {W}><w:body>{''.join(blocks)}</w:body></w:document>".encode()
    try:
        docx_layout.read(Path("fuzz.docx"), docx_bytes(xml))
    except InputError:
        pass


@pytest.fixture(scope="module")
def small_docx() -> bytes:
    return docx_bytes(f"<w:document {W}><w:body><w:p><w:r><w:t>政府信息公开</w:t></w:r></w:p><w:tbl><w:tr>"
                      f"{_tc(('2', 'restart', None), '一')}{_tc((None, None, None), '3')}</w:tr></w:tbl>"
                      "</w:body></w:document>".encode())


@SLOW
@given(edits)
def test_docx_reader_on_damaged_packages(small_docx, edits):
    try:
        docx_layout.read(Path("fuzz.docx"), mutate(small_docx, edits))
    except InputError:
        pass


@SLOW
@given(edits)
def test_pdf_reader_on_damaged_files(edits):
    pdf_layout = pytest.importorskip("govreport_check.layouts.pdf")
    pytest.importorskip("pdfplumber")
    page = one_page_pdf(b"BT /F1 12 Tf 72 700 Td (Zheng fu xin xi gong kai) Tj ET 72 600 300 100 re S")
    try:
        pdf_layout.read(Path("fuzz.pdf"), mutate(page, edits))
    except InputError:
        pass


EXPR_TOKENS = ["一", "二", "三.七", "三.三.*", "总计", "本年增/减", "0", "1", "35", "1e999", "0x10", "1_0", "1j", "'a'",
               '"sec3"', "x", "__import__", "__class__", "os", "open", "eval", "lambda", "not", "if", "else", "for",
               "in",
               "sum", "cell", "note", "last", "abs", "min", "max", "(", ")", "[", "]", "{", "}", ",", ".", ":", ";",
               "*", "**", "+", "-", "/", "//", "%", "@", "~", "<<", "×", "−", "＝", "==", "!=", "<", ">=", "and", "or",
               " ", "\\", "#", "\n", "\x00", ":=", "...", "yield", "await", "f'{1}'"]
ALLOWED = (ast.Expression, ast.Compare, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Call, ast.Load,
           ast.And, ast.Or, ast.Add, ast.Sub, ast.Mult, ast.USub, ast.UAdd, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt,
           ast.GtE)


def resolver(values: list[int]):
    def resolve(ref, part):
        return [Decimal(v) for v in values] or [Decimal(0)]
    return resolve


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.sampled_from(EXPR_TOKENS), max_size=20).map("".join),
       st.lists(st.integers(-10**12, 10**12), max_size=3))
def test_expression_parser_refuses_or_yields_a_whitelisted_tree(source, values):
    try:
        expr = parse(source)
    except ExprError:
        return
    assert all(isinstance(node, ALLOWED) for node in ast.walk(expr.tree))
    calls = {n.func.id for n in ast.walk(expr.tree) if isinstance(n, ast.Call)}
    assert calls <= {"sum", "abs", "min", "max", "note", "last", "__cell__"}
    evaluate(expr, resolver(values))
    evaluate_with_sides(expr, resolver(values))


operand = st.recursive(
    st.sampled_from(["一", "二", "三.七", "1", "0", "999999999999999", 'cell("sec3", "一", "总计")', "note(二)", "last(一)",
                     "sum(三.三.*)"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" + ", " - ", " * ", " × "]), inner).map("".join),
        inner.map(lambda e: f"-({e})"),
        st.tuples(st.sampled_from(["sum", "abs", "min", "max"]), st.lists(inner, min_size=1, max_size=3))
        .map(lambda t: f"{t[0]}({', '.join(t[1])})")),
    max_leaves=30)


@settings(max_examples=200, deadline=None, database=None)
@given(operand, st.sampled_from(["==", "!=", "<", ">="]), operand, st.lists(st.integers(-10**20, 10**20), max_size=3))
def test_valid_expressions_evaluate_to_decimals_without_raising(left, op, right, values):
    try:
        expr = parse(f"{left} {op} {right}")
    except ExprError:
        return  # too long, too deep or too many nodes: refused, never evaluated
    holds, lhs, rhs = evaluate_with_sides(expr, resolver(values))
    assert isinstance(holds, bool) and isinstance(lhs, Decimal) and isinstance(rhs, Decimal)


rule_value = st.one_of(st.none(), st.integers(), st.booleans(), st.floats(allow_nan=True), st.text(max_size=20),
                       st.sampled_from(["一 >= 0", "sec3", "row", "column", "error", "prose", "values", "2019",
                                        "{lhs}", "{", "{}", "(a+)+", "(?P<n>\\d+)件"]),
                       st.lists(st.sampled_from(["一", "sec3", "2019", 1, None]), max_size=3),
                       st.dictionaries(st.sampled_from(["total", "parts", "pass", "fail", "expr", "label"]),
                                       st.sampled_from(["一", 1, ["二"], {}]), max_size=3))
rule_keys = st.sampled_from(["id", "name", "severity", "message", "kind", "templates", "table", "foreach", "rows",
                             "columns", "expr", "sum", "when", "examples", "tags", "description", "pattern", "equals",
                             "exclude", "sections", "unit", "patterns", "words", "section", "value", "tables"])


@SLOW
@given(st.dictionaries(rule_keys, rule_value, max_size=8))
def test_rule_files_raise_only_rule_file_errors(scratch, fields):
    import yaml

    rule = {"id": "x", "name": "n", "severity": "error", "message": "m", **fields}
    path = scratch / "rules.yaml"
    path.write_text(yaml.safe_dump({"rules": [rule]}, allow_unicode=True), encoding="utf-8")
    try:
        load_rule_file(path, builtin_templates())
    except RuleFileError as err:
        assert err.path == str(path)


@FAST
@given(st.text(max_size=300))
def test_any_text_as_a_rule_file(scratch, text):
    path = scratch / "any.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_rule_file(path, builtin_templates())
    except RuleFileError:
        pass
