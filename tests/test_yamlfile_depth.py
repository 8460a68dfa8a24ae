"""A rule or template file nested past MAX_YAML_DEPTH is refused at load with its file and line, before any walk over
its data (the loader's own, or a rule's examples) can run out of stack."""

from __future__ import annotations

import pytest

from govreport_check.errors import RuleFileError
from govreport_check.yamlfile import MAX_YAML_DEPTH, load_yaml

RULE = ("rules:\n  - id: deep\n    name: 深\n    severity: warning\n    message: 深\n    table: sec3\n"
        "    foreach: none\n    expr: \"1 >= 0\"\n    examples:\n      pass: {nested}\n")


@pytest.mark.parametrize("nested", ["[" * 490 + "1" + "]" * 490, "{a: " * 490 + "1" + "}" * 490,
                                    "[" * 60 + "]" * 60])
def test_deep_examples_exit_2_naming_file_and_line(cli, tmp_path, example, nested):
    path = tmp_path / "deep.yaml"
    path.write_text(RULE.format(nested=nested), encoding="utf-8")
    code, out, err = cli("check", example, "--rules", path, "--format", "plain", "--isolated")
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"错误：{path}:10: YAML 嵌套过深（超过 {MAX_YAML_DEPTH} 层列表或映射）" in err


def test_the_line_is_where_the_nesting_goes_too_deep(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a:\n  b: 1\n  c:\n    d: " + "[" * 80 + "]" * 80 + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_yaml(path)
    assert caught.value.line == 4
    path.write_text("a:\n  c:\n    d: " + "[" * (MAX_YAML_DEPTH - 3) + "]" * (MAX_YAML_DEPTH - 3) + "\n",
                    encoding="utf-8")
    assert load_yaml(path)["a"]["c"]["d"]
