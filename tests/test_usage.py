"""Usage errors and help pages speak Chinese, name the close matches and exit 2."""

import pytest

from govreport_check import usage


@pytest.mark.parametrize("args, said", [
    (("check", "x.txt", "--fromat", "json"), "错误：没有这个选项：--fromat；您是不是要用 --format、--from-list？"),
    (("check", "x.txt", "--format", "jsn"),
     "错误：--format 的取值 jsn 无效；可用：rich、plain、json、sarif、junit、github、markdown、html、csv；最接近的是 json"),
    (("chek", "x.txt"), "错误：没有这个命令：chek；可用：aggregate、check、explain、extract、metrics、rules；最接近的是 check"),
    (("check",), "错误：缺少参数 PATHS：报告文件、文件夹、通配符（如 'reports/**/*.docx'）或网址（http/https）"),
    (("check", "x.txt", "-j", "0"), "错误：--jobs 的取值 0 超出范围（应满足 x>=1）"),
    (("check", "x.txt", "-j", "two"), "错误：--jobs 的取值 two 不是整数"),
    (("check", "x.txt", "--timeout", "soon"), "错误：--timeout 的取值 soon 不是数字"),
    (("explain", "sec3-balance", "more"), "错误：多余的参数：more"),
    (("check", "x.txt", "--format"), "错误：选项 --format 需要一个取值"),
    (("check", "x.txt", "--exit-zero=yes"), "错误：选项 --exit-zero 不接受取值"),
])
def test_usage_errors_are_chinese_with_close_matches_and_exit_2(cli, args, said):
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == said
    assert "Error" not in err and "Usage" not in err


def test_a_usage_error_shows_the_usage_line_and_where_help_is(cli):
    _, _, err = cli("check", "x.txt", "--fromat", "json")
    assert err.splitlines()[:2] == ["用法：govreport-check check [选项] [paths]...",
                                    "运行 govreport-check check -h 查看帮助。"]


@pytest.mark.parametrize("args", [("-h",), ("check", "-h"), ("rules", "--help")])
def test_help_pages_have_chinese_headings(cli, args):
    code, out, _ = cli(*args)
    assert code == 0 and out.startswith("用法：govreport-check")
    for english in ("Usage:", "Options:", "Arguments:", "Commands:", "Show this message", "[required]", "[default:"):
        assert english not in out
    assert "选项：" in out and "显示本帮助并退出" in out


def test_no_command_shows_the_help_and_exits_2(cli):
    code, out, _ = cli()
    assert code == 2 and out.startswith("用法：govreport-check [选项] 命令 [参数]...") and "命令：" in out


def test_an_unrecognised_click_message_is_passed_on_as_it_is():
    class UsageError(Exception):
        message = "Something new."

    assert usage.message(UsageError()) == "Something new."
