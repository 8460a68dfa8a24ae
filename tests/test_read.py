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
