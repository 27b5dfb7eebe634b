"""JUnit XML, for CI servers' test reports: as ruff writes it, one <testsuite> per checked file, a
<testcase> per finding with a <failure> (message, type = the rule code, text path:line:col), and
one passing <testcase> for a file without findings, so the report shows what was checked.

Valid against the JUnit schema of Jenkins' xUnit plugin (tests/fixtures/junit-10.xsd), which
GitLab, Azure DevOps and CircleCI read too; positions are in the failure's text, as that schema
has no line attributes.
"""

from __future__ import annotations

from cfglint.api import CheckResult
from cfglint.reporters.base import Reporter


class JunitReporter(Reporter):
    def render(self, result: CheckResult) -> str:
        from xml.etree import ElementTree

        findings = len(result.findings)
        tests = sum(max(1, len(report.findings)) for report in result.files)
        root = ElementTree.Element("testsuites", name="cfglint", tests=str(tests), failures=str(findings), errors="0")
        for report in result.files:
            suite = ElementTree.SubElement(
                root, "testsuite", name=report.path, tests=str(max(1, len(report.findings))), failures=str(len(report.findings)), errors="0", package="cfglint", file=report.path
            )
            if not report.findings:
                ElementTree.SubElement(suite, "testcase", name="no findings", classname=report.path)
            for finding in report.findings:
                span = finding.span
                case = ElementTree.SubElement(suite, "testcase", name=f"{finding.code} ({finding.name})", classname=report.path)
                failure = ElementTree.SubElement(case, "failure", message=finding.message, type=finding.code)
                failure.text = f"{report.path}:{span.line}:{span.column}: {finding.code} [{finding.severity}] {finding.message}"
        ElementTree.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode")
