"""JUnit XML for CI test tabs: a suite per report, a testcase per rule that ran; errors are failures."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from govreport_check.report import Result, Unreadable


def check_document(results: list[Result | Unreadable], fail_on: str = "error") -> str:
    failing = {"error": ("error",), "warning": ("error", "warning"), "info": ("error", "warning", "info")}[fail_on]
    suites = ET.Element("testsuites", name="govreport-check")
    total = failures = errors = 0
    for item in results:
        suite = ET.SubElement(suites, "testsuite", name=item.path if isinstance(item, Unreadable) else item.report.path)
        if isinstance(item, Unreadable):
            case = ET.SubElement(suite, "testcase", classname=item.path, name="读取")
            ET.SubElement(case, "error", message=item.message, type="input").text = item.message
            suite.set("tests", "1")
            suite.set("failures", "0")
            suite.set("errors", "1")
            total += 1
            errors += 1
            continue
        by_rule: dict[str, list] = {rid: [] for rid in item.ran}
        for f in item.findings:
            by_rule.setdefault(f.rule, []).append(f)
        failed = 0
        for rid, found in by_rule.items():
            case = ET.SubElement(suite, "testcase", classname=item.report.path, name=rid)
            bad = [f for f in found if f.severity.value in failing]
            if bad:
                failed += 1
                text = "\n".join(f"{f.loc or item.report.path}: {f.message}" for f in bad)
                ET.SubElement(case, "failure", message=bad[0].message, type=bad[0].severity.value).text = text
            others = [f for f in found if f not in bad]
            if others:
                ET.SubElement(case, "system-out").text = "\n".join(f"{f.severity.value}: {f.message}" for f in others)
        suite.set("tests", str(len(by_rule)))
        suite.set("failures", str(failed))
        suite.set("errors", "0")
        total += len(by_rule)
        failures += failed
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    suites.set("errors", str(errors))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
