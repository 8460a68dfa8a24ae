"""docs/ci.md's jobs are copyable: valid YAML, our real options, the SARIF upload and the JUnit report wired."""

import re
import shlex

import yaml

from tests_paths import ROOT

DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
BLOCKS = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", DOC, re.S)]


def _commands(block) -> list[list[str]]:
    text = yaml.safe_dump(block, allow_unicode=True)
    return [shlex.split(line.split("govreport-check", 1)[1].split("#")[0])
            for line in re.findall(r"govreport-check check [^\n']+", text)]


def test_the_github_job_uploads_our_sarif():
    job = next(b for b in BLOCKS if isinstance(b, dict) and "jobs" in b)
    steps = next(iter(job["jobs"].values()))["steps"]
    run = next(s["run"] for s in steps if "--format sarif" in s.get("run", ""))
    output = shlex.split(run)[shlex.split(run).index("-o") + 1]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == output
    assert job["permissions"]["security-events"] == "write"


def test_the_gitlab_job_reports_junit():
    job = next(b for b in BLOCKS if isinstance(b, dict) and "govreport-check" in b)["govreport-check"]
    run = next(line for line in job["script"] if "--format junit" in line)
    output = shlex.split(run)[shlex.split(run).index("-o") + 1]
    assert job["artifacts"]["reports"]["junit"] == output and job["artifacts"]["when"] == "always"


def test_every_command_in_the_jobs_is_one_the_cli_takes(cli, tmp_path, example):
    assert sum(len(_commands(b)) for b in BLOCKS) >= 3
    for block in BLOCKS:
        for args in _commands(block):
            args = [str(example) if a == "reports/" else str(tmp_path / a) if a.startswith("govreport") else a
                    for a in args[1:]]
            code, _, err = cli("check", *args)
            assert code in (0, 1), (args, err)


def test_the_pdf_extra_is_spelled_as_the_readme_installs_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert '".[pdf]"' in readme
    assert all("[pdf]" in line for line in DOC.splitlines() if "pip install" in line)
