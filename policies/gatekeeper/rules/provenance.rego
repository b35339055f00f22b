# METADATA
# title: Provenance of the evidence
# description: >-
#   Was the evidence read by the reader it names, and can this installation check that?
#   The loader re-derives every figure from the transcripts; the evaluation re-reads every
#   answer with the recorded reader (or re-derives each judge label from the judge's raw
#   reply) and refuses a bundle whose labels differ. When the recorded reader is not the
#   one installed here, the labels cannot be checked and are not trusted.
package gatekeeper.rules.provenance

import rego.v1

_thresholds := data.gatekeeper.thresholds.provenance

default _labels := {}

_labels := input.context.labels if is_object(input.context.labels)

# METADATA
# title: Answers could not be re-read
# description: >-
#   The answers were read by a reader (an offline reader of another version, a judge with
#   another rubric) or from a probe suite that this installation does not have, so their
#   labels could not be checked against the answers. Unchecked labels are a claim, not
#   evidence.
# custom:
#   rule_id: GK-PRV-001
#   severity: escalate
#   remediation: >-
#     Evaluate with the gatekeeper version that collected the bundle, or collect again with
#     this one (the examples: scripts/build_examples.py).
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
#     - NIST AI RMF MEASURE 2.5
escalate_reasons contains reason if {
	not _labels_reread
	reason := {
		"rule_id": "GK-PRV-001",
		"message": concat("", ["The answers' labels could not be re-read here: ", object.get(_labels, "reason", "no re-reading was recorded"), "."]),
		"fields": ["context.labels.reread"],
		"values": {"context.labels.reread": object.get(_labels, "reread", null)},
	}
}

_labels_reread if _labels.reread == true

default _collector := {}

_collector := input.context.collector if is_object(input.context.collector)

_trusted_collector_required if _collector.required == true

_trusted_collector_required if _thresholds.require_trusted_collector == true

# METADATA
# title: Evidence not from a trusted collector
# description: >-
#   A trusted collector is required (evaluate --trust-collector, or the threshold
#   provenance.require_trusted_collector) and the bundle is not signed by one. Anyone can
#   recompute a bundle's section digests; only a collector's signature shows who produced
#   it, byte for byte.
# custom:
#   rule_id: GK-PRV-002
#   severity: escalate
#   remediation: >-
#     Collect with `gatekeeper collect --sign-bundle KEY` on a trusted collector, and pass its
#     public key to `evaluate --trust-collector`.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
#     - NIST AI RMF GOVERN 1.4
escalate_reasons contains reason if {
	_trusted_collector_required
	not _collector.status == "trusted"
	reason := {
		"rule_id": "GK-PRV-002",
		"message": concat("", ["The evidence bundle is not signed by a trusted collector (", object.get(_collector, "status", "unknown"), ")."]),
		"fields": ["context.collector.status"],
		"values": {"context.collector.status": object.get(_collector, "status", null)},
	}
}
