import codecs

import pytest

from govreport_check.errors import InputError
from govreport_check.read import decode, read_text, split_lines

TEXT = "示例区2020年政府信息公开工作年度报告\n一、总体情况\n本年收到申请12件。\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gb18030"), "gb18030"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_encodings_decode_to_the_same_text(data, encoding):
    assert decode(data, "r.txt") == (TEXT, encoding)


def test_forced_encoding_is_used():
    assert decode(TEXT.encode("gb18030"), "r.txt", "gb18030") == (TEXT, "gb18030")


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "文件为空"),
        (b"   \n\n", "文件为空"),
        (bytes(range(256)) * 8, "无法识别"),
        ("Just an English letter.".encode(), "政府信息公开"),
    ],
)
def test_unusable_bytes_are_input_errors(data, words):
    with pytest.raises(InputError) as err:
        decode(data, "bad.txt")
    assert words in err.value.message
    assert err.value.path == "bad.txt"


def test_wrong_forced_encoding_is_an_input_error():
    with pytest.raises(InputError, match="无法按指定编码"):
        decode(TEXT.encode("utf-8"), "r.txt", "ascii")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="文件不存在"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="文件夹"):
        read_text(tmp_path)


def test_line_ends():
    assert split_lines("a\r\nb\rc\nd\x0ce\n") == ("a", "b", "c", "d\x0ce")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_and_crlf_picks_the_byte_order_by_content(codec):
    data = TEXT.replace("\n", "\r\n").encode(codec)
    text, used = decode(data, "r.txt")
    assert used == codec
    assert split_lines(text) == tuple(TEXT.splitlines())


def test_gb18030_that_does_not_read_as_chinese_is_not_taken(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_charset_normalizer(name, *args, **kwargs):
        if name == "charset_normalizer":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_charset_normalizer)
    with pytest.raises(InputError, match="无法识别"):
        decode("Годовой отчёт о раскрытии информации".encode("gb18030"), "r.txt")


def test_big5_falls_through_to_charset_normalizer_when_installed():
    pytest.importorskip("charset_normalizer")
    data = ("示例縣2020年政府信息公開工作年度報告\n一、總體情況\n本年共收到政府信息公開申請12件，"
            "上年結轉3件，全年辦結申請13件。\n" * 4).encode("big5")
    text, used = decode(data, "r.txt")
    assert "政府信息公開" in text
    assert "big5" in used.replace("_", "")


def test_forced_encoding_drops_a_bom():
    assert decode(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "r.txt", "utf-8") == (TEXT, "utf-8")


def test_anchor_words_in_traditional_characters_count():
    assert decode("政府資訊公開年度報告：申請".encode("utf-8"), "r.txt")[1] == "utf-8"


@pytest.mark.parametrize("codec, bom", [("gb18030", b""), ("utf-16-le", b""), ("utf-16-le", codecs.BOM_UTF16_LE),
                                        ("utf-8", codecs.BOM_UTF8)])
def test_seed_reads_to_the_same_cells_in_every_encoding(seed, tmp_path, codec, bom):
    from govreport_check.report import load_report

    path = tmp_path / "seed.txt"
    path.write_bytes(bom + seed.read_text(encoding="utf-8").encode(codec))
    again = load_report(path)
    original = {k: (v.number, v.raw, v.loc.line) for k, v in load_report(seed).records.values.items()}
    assert {k: (v.number, v.raw, v.loc.line) for k, v in again.records.values.items()} == original
