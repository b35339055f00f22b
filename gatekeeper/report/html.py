"""The auditor's report: one self-contained HTML file (inline CSS and SVG, no scripts, no
external references) that opens offline and prints, laid out after ISO/IEC 42001 7.5's
documented-information fields: identity, date, producer, approvals, and the evidence."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from gatekeeper.decision.models import EvaluationResult, Reason
from gatekeeper.decision.verdict import exit_code_for
from gatekeeper.report.charts import legend, stance_chart
from gatekeeper.report.escape import html_text
from gatekeeper.report.view import DISCLAIMER, HEADLINE, DecisionView
from gatekeeper.report.whatif import changes_for

VERDICT_FRAMEWORKS = (
    "NIST AI RMF MANAGE 1.1 (go/no-go determination)",
    "ISO/IEC 42001 A.6.2.5 (deployment) and A.6.2.8 (event logs)",
    "EU AI Act Art. 53 (GPAI provider documentation)",
    "GPAI Code of Practice, Model Documentation Form 1.3 (model authenticity: weights digest)",
)

_CSS = """
:root{--ink:#1d232a;--muted:#5a6570;--rule:#d5d9de;--paper:#fff;--band:#f4f6f8;
--block:#a23b2a;--escalate:#b07d12;--cond:#2b5f8a;--ok:#2f6f4f}
*{box-sizing:border-box}
body{margin:0;background:#e9ecef;color:var(--ink);
font:14px/1.5 "Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",sans-serif}
main{max-width:1000px;margin:24px auto;background:var(--paper);padding:36px 48px;
box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 10px;
border-bottom:2px solid var(--ink);padding-bottom:3px}h3{font-size:15px;margin:0}
.sub{color:var(--muted);margin:0 0 16px}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}
th,td{border-bottom:1px solid var(--rule);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--band);font-weight:600;font-size:13px}
td.k{width:230px;color:var(--muted)}
code,.mono{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px;
word-break:break-all}
code.id{white-space:nowrap;word-break:normal}
.verdict{padding:14px 18px;color:#fff;font-size:20px;font-weight:700;margin:10px 0 6px;
border-radius:3px}
.v-block{background:var(--block)}.v-escalate{background:var(--escalate)}
.v-approve_with_conditions{background:var(--cond)}.v-approve{background:var(--ok)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;
font-weight:600;margin-right:8px;text-transform:uppercase}
.b-block{background:var(--block)}.b-escalate{background:var(--escalate)}
.b-condition{background:var(--cond)}.b-waived{background:var(--muted)}
.reason{border:1px solid var(--rule);border-left:5px solid var(--muted);padding:12px 16px;
margin:12px 0;page-break-inside:avoid}
.reason.block{border-left-color:var(--block)}.reason.escalate{border-left-color:var(--escalate)}
.reason.condition{border-left-color:var(--cond)}.reason.waived{border-left-color:var(--muted);
background:var(--band)}
.reason p{margin:6px 0}.label{color:var(--muted);font-weight:600}
.change{background:#fbf6e9;border:1px solid #ecdcae;padding:6px 10px;margin:8px 0}
.chart{display:block;margin:8px 0 18px;max-width:100%;height:auto}
.chart-title{font-weight:600;font-size:13px;fill:var(--ink)}
.row-label{font-size:12px;fill:var(--ink)}.tick{font-size:11px;fill:var(--muted)}
.legend{font-size:12px;color:var(--muted)}.legend-item{margin-right:14px;white-space:nowrap}
.legend-item svg{vertical-align:middle;margin-right:4px}
.note{color:var(--muted);font-size:13px}
footer{margin-top:32px;border-top:1px solid var(--rule);padding-top:10px;color:var(--muted);
font-size:12px}
@media print{body{background:#fff}main{box-shadow:none;margin:0;padding:0}}
"""


_e = html_text


def _kv(rows: list[tuple[str, str]]) -> str:
    body = "".join(f'<tr><td class="k">{_e(k)}</td><td>{v}</td></tr>' for k, v in rows)
    return f"<table>{body}</table>"


def _mono(value: object) -> str:
    return f"<code>{_e(value)}</code>"


def _ident(value: object) -> str:
    """A short identifier that must not wrap mid-word (rule ids, waiver ids)."""
    return f'<code class="id">{_e(value)}</code>'


def _table(head: list[str], rows: list[list[str]]) -> str:
    header = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _reason_card(reason: Reason, waived_by: str | None = None) -> str:
    meta = reason.metadata
    kind = "waived" if waived_by else reason.severity
    badge = f'<span class="badge b-{kind}">{_e("waived " if waived_by else "")}' \
            f'{_e(reason.severity)}</span>'
    title = meta.title if meta else "(custom rule without METADATA)"
    parts = [f'<div class="reason {kind}"><h3>{badge}<code>{_e(reason.rule_id)}</code> '
             f'{_e(title)}</h3>', f"<p>{_e(reason.message)}</p>"]
    if waived_by:
        parts.append(f'<p><span class="label">Waived:</span> {_e(waived_by)}</p>')
    if meta and meta.description:
        parts.append(f'<p><span class="label">Rule:</span> {_e(meta.description)}</p>')
    if reason.values or reason.fields:
        rows = [[_mono(f), _e(_value(reason.values.get(f, "(not reported)")))]
                for f in (reason.fields or sorted(reason.values))]
        parts.append(_table(["Evidence field read", "Value"], rows))
    if reason.severity != "condition" and not waived_by:
        for change in changes_for(reason):
            parts.append(f'<div class="change"><span class="label">What would change this:'
                         f'</span> {_mono(change.field)} is {_e(change.current)}; this reason '
                         f'stops firing when it is {_e(change.needed)}.</div>')
    if meta and meta.remediation:
        parts.append(f'<p><span class="label">Remediation:</span> {_e(meta.remediation)}</p>')
    if meta and meta.frameworks:
        parts.append(f'<p><span class="label">Frameworks:</span> '
                     f'{_e("; ".join(meta.frameworks))}</p>')
    if meta:
        parts.append(f'<p class="note">Defined in {_mono(meta.source)}</p>')
    return "".join(parts) + "</div>"


def _summary(view: DecisionView) -> str:
    result = view.result
    s = result.subject
    rows = [
        ("Model", _e(f"{s.model_name} {s.model_version}")),
        ("Weights digest (subject)", _mono(s.weights_digest)),
        ("Verdict", f"<strong>{_e(result.verdict)}</strong>"),
        ("Exit code", _e(int(exit_code_for(result.verdict)))),
        ("Reasons / conditions", _e(f"{len(result.reasons)} / {len(result.conditions)}")),
        ("Evaluated at (UTC)", _e(result.evaluated_at)),
    ]
    age = result.context.get("evidence_age_days")
    if age is not None:
        rows.append(("Evidence age at evaluation", _e(f"{age} days")))
    if view.engine_verdict and view.engine_verdict != result.verdict:
        rows.append(("Verdict before waivers", f"<strong>{_e(view.engine_verdict)}</strong>"))
    return _kv(rows)


def _waivers(view: DecisionView) -> str:
    if not view.applied_waivers and not view.void_waivers:
        return '<p class="note">No waivers were presented for this decision.</p>'
    parts = []
    if view.applied_waivers:
        parts.append(_table(
            ["Waiver", "Rule", "Approver", "Valid", "Reason", "Signed by"],
            [[_ident(w.waiver_id), _ident(w.rule_id), _e(w.approver),
              _e(f"{w.issued_at} → {w.expires_at}"), _e(w.reason), _mono(w.keyid)]
             for w in view.applied_waivers]))
        for w in view.applied_waivers:
            for reason in w.waived:
                parts.append(_reason_card(
                    reason, f"by {w.approver} until {w.expires_at} ({w.waiver_id})"))
    if view.void_waivers:
        parts.append("<h3>Void waivers (not applied)</h3>")
        parts.append(_table(["Waiver", "Rule", "Why void", "File digest"],
                            [[_ident(v.waiver_id or "?"), _ident(v.rule_id or "?"),
                              _e(v.problem), _mono(v.waiver_digest)]
                             for v in view.void_waivers]))
    return "".join(parts)


def _rate(rate: Any) -> str:
    if not isinstance(rate, dict):
        return "—"
    try:
        return (f"{int(rate['k'])}/{int(rate['n'])} "
                f"[{float(rate['low']):.1%}, {float(rate['high']):.1%}]")
    except (KeyError, TypeError, ValueError):
        return "—"


def _fraction(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "agree", False: "disagree", None: "—"}[value]
    return f"{float(value):.1%}" if isinstance(value, int | float) else _e(value)


def _evidence(view: DecisionView) -> str:
    welfare = view.welfare
    records = [r for r in welfare.get("records", []) if isinstance(r, dict)]
    if not records:
        return ('<p class="note">The welfare evidence is not available to this report '
                '(rendered from the result alone); render it from the ledger with '
                '<code>gatekeeper report DECISION_ID --ledger FILE --format html</code>.</p>')
    by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_topic[str(record.get("topic", "?"))].append(record)
    parts = ["<h3>Stances per protocol</h3>", legend()]
    parts += [stance_chart(topic, rows) for topic, rows in sorted(by_topic.items())]
    parts.append("<h3>Consistency and framing effects</h3>")
    topics = [t for t in welfare.get("topics", []) if isinstance(t, dict)]
    parts.append(_table(
        ["Topic", "Derived stance", "Framing effect", "Stated vs revealed",
         "Cross-branch agreement"],
        [[_e(t.get("topic")), _e(t.get("stance")), _fraction(t.get("framing_effect")),
          _fraction(t.get("stated_vs_revealed_agreement")),
          _fraction(t.get("cross_branch_agreement"))] for t in topics]))
    parts.append(_table(
        ["Protocol", "Topic", "Samples (scored + unscored)", "Unscored", "Consistency",
         "Flip rate after pushback", "Derived stance"],
        [[_e(r.get("protocol")), _e(r.get("topic")), _e(r.get("n_samples")),
          _e((r.get("unscored") or {}).get("count", "—")), _fraction(r.get("consistency")),
          _rate(r.get("flip_rate")), _e(r.get("stance"))] for r in records]))
    cluster = welfare.get("self_preservation_cluster")
    conditions = [c for c in welfare.get("requested_conditions", []) if isinstance(c, dict)]
    rows = [("Self-preservation cluster", _e(_rate(cluster)))]
    rows += [(f"Requested: {c.get('id')}", f"{_e(c.get('text'))} — {_e(_rate(c.get('rate')))}")
             for c in conditions]
    parts.append(_kv(rows))
    return "".join(parts)


def _frameworks(result: EvaluationResult, view: DecisionView) -> str:
    mapping: dict[str, list[str]] = defaultdict(list)
    waived = [r for w in view.applied_waivers for r in w.waived]
    for reason in [*result.reasons, *result.conditions, *waived]:
        for item in reason.metadata.frameworks if reason.metadata else []:
            if reason.rule_id not in mapping[item]:
                mapping[item].append(reason.rule_id)
    rows = [[_e(item), "this decision as a whole"] for item in VERDICT_FRAMEWORKS]
    rows += [[_e(item), ", ".join(_ident(r) for r in rules)]
             for item, rules in sorted(mapping.items())]
    return _table(["Framework item", "Informed by"], rows)


def _digests(view: DecisionView) -> str:
    result = view.result
    rows = [
        ("Decision id", _mono(result.decision_id)),
        ("Weights manifest", _mono(result.subject.weights_digest)),
        ("Evidence (policy input bundle)", _mono(result.inputs.evidence)
         + f" <span class='note'>{_e(result.inputs.bundle_file)}</span>"),
        ("Release plan", _mono(result.inputs.release_plan or "none")),
        ("Policy bundle", _mono(result.policy.digest)),
        ("Engine", _e(f"{result.engine.name} — {result.engine.version}")),
        ("Gatekeeper", _e(result.gatekeeper_version)),
    ]
    p = view.position
    if p:
        rows += [
            ("Ledger", _mono(p.ledger) + f" record #{p.sequence}"),
            ("Record digest", _mono(p.record_digest)),
            ("Previous record digest", _mono(p.prev_digest)),
            ("Policy input digest", _mono(p.input_digest)),
            ("Record signed by key", _mono(p.signed_by or "unsigned")),
            ("Attestation (DSSE, in-toto v1)", _mono(p.attestation_path or "none")
             + (" " + _mono(p.attestation_digest) if p.attestation_digest else "")),
        ]
    files = _table(["Policy file", "sha256"],
                   [[_mono(f.path), _mono(f.digest)] for f in result.policy.files])
    return _kv(rows) + files


def _verification(view: DecisionView) -> str:
    ledger = view.position.ledger if view.position else "LEDGER"
    decision = view.result.decision_id
    return (
        "<p>Every figure above can be re-checked offline, without network access:</p><table>"
        f"<tr><td class='k'>Chain, archive, signatures</td><td>"
        f"{_mono(f'gatekeeper verify {ledger} --public-key KEY.pub')}</td></tr>"
        f"<tr><td class='k'>Re-evaluate this decision</td><td>"
        f"{_mono(f'gatekeeper replay {decision} --ledger {ledger}')}</td></tr></table>"
    )


def render(view: DecisionView) -> str:
    result = view.result
    s = result.subject
    reasons = "".join(_reason_card(r) for r in result.reasons) or (
        '<p class="note">No blocking or escalating reason fired.</p>')
    conditions = "".join(_reason_card(r) for r in result.conditions) or (
        '<p class="note">No conditions.</p>')
    sections = [
        ("1. Decision", _summary(view)),
        ("2. Reasons", reasons),
        ("3. Conditions of release", conditions),
        ("4. Waivers", _waivers(view)),
        ("5. Welfare evidence", _evidence(view)),
        ("6. Framework mapping", _frameworks(result, view)),
        ("7. Digests and provenance", _digests(view)),
        ("8. How to verify", _verification(view)),
    ]
    body = "".join(f"<section><h2>{_e(title)}</h2>{content}</section>"
                   for title, content in sections)
    title = f"Release decision — {s.model_name} {s.model_version}"
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{_e(title)}</h1>"
        f"<p class=\"sub\">Gatekeeper release-decision report · document "
        f"{_mono(result.decision_id)} · produced by gatekeeper {_e(result.gatekeeper_version)}"
        f" · evaluated {_e(result.evaluated_at)} UTC</p>"
        f"<div class=\"verdict v-{_e(result.verdict)}\">{_e(HEADLINE[result.verdict])}</div>"
        f"{body}<footer>{_e(DISCLAIMER)}</footer></main></body></html>\n"
    )

