"""SARIF 2.1.0 for code-scanning tools: one result per reason, waived ones as suppressed.

Levels: block → error, escalate → warning, condition → note. Each result points at the
evidence bundle file and names the evidence fields it read as logical locations.
"""

from __future__ import annotations

import json
from typing import Any

from gatekeeper.decision.models import Reason
from gatekeeper.decision.verdict import exit_code_for
from gatekeeper.report.view import DecisionView

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"block": "error", "escalate": "warning", "condition": "note"}


def _rule(reason: Reason) -> dict[str, Any]:
    meta = reason.metadata
    rule: dict[str, Any] = {
        "id": reason.rule_id,
        "name": reason.rule_id.replace("-", ""),
        "shortDescription": {"text": meta.title if meta else reason.rule_id},
        "defaultConfiguration": {"level": _LEVEL[reason.severity]},
        "properties": {"tags": list(meta.frameworks) if meta else [],
                       "severity": reason.severity},
    }
    if meta:
        rule["fullDescription"] = {"text": meta.description or meta.title}
        rule["help"] = {"text": meta.remediation or meta.title,
                        "markdown": f"**Remediation:** {meta.remediation}"}
        rule["properties"]["source"] = meta.source
    return rule


def _result(reason: Reason, index: int, bundle_file: str,
            suppression: dict[str, Any] | None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "ruleId": reason.rule_id,
        "ruleIndex": index,
        "level": _LEVEL[reason.severity],
        "message": {"text": reason.message},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": bundle_file}},
            "logicalLocations": [{"fullyQualifiedName": f, "kind": "member"}
                                 for f in reason.fields],
        }],
        "properties": {"fields": reason.fields, "values": reason.values},
    }
    if reason.threshold is not None:
        item["properties"]["threshold"] = reason.threshold.model_dump(mode="json")
    if suppression is not None:
        item["suppressions"] = [suppression]
    return item


def document(view: DecisionView) -> dict[str, Any]:
    result = view.result
    waived = [(r, w) for w in view.applied_waivers for r in w.waived]
    everything = [*result.reasons, *result.conditions, *(r for r, _ in waived)]
    rules: dict[str, int] = {}
    rule_list: list[dict[str, Any]] = []
    for reason in everything:
        if reason.rule_id not in rules:
            rules[reason.rule_id] = len(rule_list)
            rule_list.append(_rule(reason))
    results = [_result(r, rules[r.rule_id], result.inputs.bundle_file, None)
               for r in [*result.reasons, *result.conditions]]
    results += [
        _result(r, rules[r.rule_id], result.inputs.bundle_file, {
            "kind": "external", "status": "accepted",
            "justification": f"waiver {w.waiver_id} by {w.approver} until {w.expires_at}: "
                             f"{w.reason}",
        })
        for r, w in waived
    ]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "gatekeeper",
                "version": result.gatekeeper_version,
                "rules": rule_list,
            }},
            "automationDetails": {"id": f"gatekeeper/{result.decision_id}"},
            "invocations": [{
                "executionSuccessful": True,
                "exitCode": int(exit_code_for(result.verdict)),
                "endTimeUtc": result.evaluated_at,
            }],
            "results": results,
            "properties": {
                "verdict": result.verdict,
                "decision_id": result.decision_id,
                "weights_digest": result.subject.weights_digest,
                "evidence_digest": result.inputs.evidence,
                "policy_digest": result.policy.digest,
                "engine": f"{result.engine.name} {result.engine.version}",
                "verdict_before_waivers": view.engine_verdict,
                "void_waivers": [v.model_dump(mode="json") for v in view.void_waivers],
            },
        }],
    }


def render(view: DecisionView) -> str:
    return json.dumps(document(view), indent=2, ensure_ascii=False) + "\n"

