"""JUnit XML for CI test tabs: one test case per reason, plus one for the verdict itself.

Block and escalate reasons are failures, conditions pass with their text in system-out,
waived reasons are skipped with the waiver named; the `verdict` case fails unless the
verdict approves, so a CI reading only JUnit still fails closed. Characters XML cannot
carry (a NUL in a model name) are written out as text, in every field.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from gatekeeper.decision.models import Reason
from gatekeeper.report.escape import xml_legal
from gatekeeper.report.view import HEADLINE, DecisionView


def _case(suite: ET.Element, reason: Reason, classname: str) -> ET.Element:
    title = reason.metadata.title if reason.metadata else reason.rule_id
    return ET.SubElement(suite, "testcase", {
        "name": f"{reason.rule_id}: {title}", "classname": classname, "time": "0",
    })


def _details(reason: Reason) -> str:
    lines = [reason.message]
    if reason.threshold is not None:
        t = reason.threshold
        lines.append(f"fires while {t.field} {t.operator} {t.value}")
    if reason.metadata and reason.metadata.remediation:
        lines.append(f"remediation: {reason.metadata.remediation}")
    if reason.metadata and reason.metadata.frameworks:
        lines.append("frameworks: " + "; ".join(reason.metadata.frameworks))
    return "\n".join(lines)


def render(view: DecisionView) -> str:
    result = view.result
    approving = result.verdict in ("approve", "approve_with_conditions")
    suites = ET.Element("testsuites", {"name": "gatekeeper"})
    suite = ET.SubElement(suites, "testsuite", {
        "name": f"gatekeeper {result.subject.model_name} {result.subject.model_version}",
        "timestamp": result.evaluated_at, "time": "0", "id": result.decision_id,
    })
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("decision_id", result.decision_id), ("verdict", result.verdict),
        ("weights_digest", result.subject.weights_digest),
        ("evidence_digest", result.inputs.evidence), ("policy_digest", result.policy.digest),
        ("engine", f"{result.engine.name} {result.engine.version}"),
        *((f"void_waiver.{v.waiver_id or v.waiver_digest}", v.problem)
          for v in view.void_waivers),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    verdict_case = ET.SubElement(suite, "testcase", {
        "name": "verdict", "classname": "gatekeeper.decision", "time": "0"})
    failures = 0
    if not approving:
        failures += 1
        ET.SubElement(verdict_case, "failure", {
            "type": result.verdict, "message": HEADLINE[result.verdict]}).text = (
            f"{len(result.reasons)} reason(s): " + ", ".join(r.rule_id for r in result.reasons))
    for reason in result.reasons:
        case = _case(suite, reason, f"gatekeeper.{reason.severity}")
        ET.SubElement(case, "failure", {"type": reason.severity,
                                        "message": reason.message}).text = _details(reason)
        failures += 1
    for reason in result.conditions:
        ET.SubElement(_case(suite, reason, "gatekeeper.condition"), "system-out").text = (
            _details(reason))
    skipped = 0
    for waiver in view.applied_waivers:
        for reason in waiver.waived:
            ET.SubElement(_case(suite, reason, f"gatekeeper.{reason.severity}"), "skipped", {
                "message": f"waived by {waiver.approver} until {waiver.expires_at} "
                           f"({waiver.waiver_id}): {waiver.reason}"})
            skipped += 1
    tests = 1 + len(result.reasons) + len(result.conditions) + skipped
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    suites.set("tests", str(tests))
    suites.set("failures", str(failures))
    suites.set("errors", "0")
    for element in suites.iter():  # every field, whatever it holds, stays XML
        element.text = xml_legal(element.text) if element.text else element.text
        element.attrib = {key: xml_legal(value) for key, value in element.attrib.items()}
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        suites, encoding="unicode") + "\n"

