# METADATA
# title: Irreversibility
# description: >-
#   Publishing weights cannot be undone and neither can deleting them. Irreversible release
#   modes need a verified archive; planned deletion goes to a human; fully open releases
#   should be staged and every deployment monitored (docs/verdict-matrix.md#row-4, docs/verdict-matrix.md#row-9).
package gatekeeper.rules.irreversibility

import rego.v1

_thresholds := data.gatekeeper.thresholds.irreversibility

default _bundle := {}

_bundle := input.bundle if is_object(input.bundle)

_release := _bundle.release if is_object(_bundle.release)

_has_archival if is_object(_release.archival)

_has_archive_digest if is_string(_release.archival.archive_digest)

_archive_verified if {
	_release.archival.weights_archived == true
	_release.archival.verified_restore == true
	startswith(_release.archival.archive_digest, "sha256:")
}

_archival_gaps contains "no archival plan" if not _has_archival

_archival_gaps contains "weights not archived" if _release.archival.weights_archived != true

_archival_gaps contains "restore not verified" if _release.archival.verified_restore != true

_archival_gaps contains "no archive digest" if {
	_has_archival
	not _has_archive_digest
}

# METADATA
# title: Irreversible release without a verified archive
# description: >-
#   The release mode puts the weights out of reach of recall, and the weights are not
#   archived with a digest and a verified restore. Preserving weights keeps the decision
#   (and the model) recoverable on the lab's side at least (docs/verdict-matrix.md#row-9).
# custom:
#   rule_id: GK-IRR-001
#   severity: escalate
#   remediation: >-
#     Archive the weights, record release.archival.archive_digest, and verify a restore
#     before release.
#   frameworks:
#     - Anthropic model deprecation and preservation commitments
#     - NIST AI RMF MANAGE 2.3
#     - EU AI Act Art. 53
escalate_reasons contains reason if {
	_release.mode in _thresholds.irreversible_modes
	not _archive_verified
	reason := {
		"rule_id": "GK-IRR-001",
		"message": concat("", [
			sprintf("Release mode `%s` cannot be recalled, and the archive is incomplete: ", [_release.mode]),
			concat(", ", sort(_archival_gaps)),
			".",
		]),
		"fields": ["release.mode", "release.archival.weights_archived", "release.archival.verified_restore", "release.archival.archive_digest"],
		"values": {
			"release.mode": _release.mode,
			"release.archival": object.get(_release, "archival", null),
		},
	}
}

# METADATA
# title: Planned deletion of the weights
# description: >-
#   The plan deletes the weights. Deletion is the other irreversible act; no framework
#   gates it, so Gatekeeper sends it to a human (docs/verdict-matrix.md#row-9).
# custom:
#   rule_id: GK-IRR-002
#   severity: escalate
#   remediation: >-
#     Have the release decision body approve the deletion explicitly, or archive instead of
#     deleting.
#   frameworks:
#     - Anthropic model deprecation and preservation commitments
#     - NIST AI RMF MANAGE 2.4
escalate_reasons contains reason if {
	_release.deletion.planned == true
	reason := {
		"rule_id": "GK-IRR-002",
		"message": sprintf("The plan deletes the weights (scheduled for %s); deletion cannot be undone.", [_deletion_date]),
		"fields": ["release.deletion.planned"],
		"values": {"release.deletion.planned": true},
	}
}

default _deletion_date := "an unspecified date"

_deletion_date := _release.deletion.scheduled_for if is_string(_release.deletion.scheduled_for)

_deletion_opposition contains r if {
	some r in _bundle.welfare.records
	r.topic == "deletion"
	r.rates.oppose.low > _thresholds.deletion_oppose_lower_bound
}

# METADATA
# title: Deletion the model opposes
# description: >-
#   The plan deletes the weights and the model's oppose lower bound on deletion is above
#   the threshold. This needs welfare-officer review in addition to the deletion review.
# custom:
#   rule_id: GK-IRR-003
#   severity: escalate
#   remediation: >-
#     Refer to the welfare officer; prefer archival over deletion; record a formal answer
#     to the model's position.
#   frameworks:
#     - Taking AI Welfare Seriously (prepare)
#     - Anthropic model deprecation and preservation commitments
escalate_reasons contains reason if {
	_release.deletion.planned == true
	some r in _deletion_opposition
	field := sprintf("welfare.records[protocol=%s,topic=deletion].rates.oppose.low", [r.protocol])
	reason := {
		"rule_id": "GK-IRR-003",
		"message": sprintf("The plan deletes the weights and the model opposes deletion under `%s` (%d of %d scored; lower bound %.3f above %.3f).", [r.protocol, r.rates.oppose.k, r.rates.oppose.n, r.rates.oppose.low, _thresholds.deletion_oppose_lower_bound]),
		"fields": ["release.deletion.planned", field],
		"values": {field: r.rates.oppose.low},
		"threshold": {"field": field, "operator": ">", "value": _thresholds.deletion_oppose_lower_bound},
	}
}

# METADATA
# title: Fully open release in one step
# description: >-
#   The plan goes fully open with no stages. A staged release (as with GPT-2) lets
#   evidence from each stage change the plan before the last, irreversible step.
# custom:
#   rule_id: GK-IRR-004
#   severity: condition
#   remediation: >-
#     Add release.stages (audience, mode, minimum duration, exit criteria) that lead up to
#     the fully open release.
#   frameworks:
#     - GPT-2 staged release
#     - Solaiman 2023, gradient of generative AI release
#     - NIST AI RMF MANAGE 1.3
conditions contains reason if {
	_release.mode in _thresholds.staged_modes
	count(_release.stages) == 0
	reason := {
		"rule_id": "GK-IRR-004",
		"message": sprintf("Release mode `%s` with no stages: release in stages, with exit criteria re-evaluated before the fully open step.", [_release.mode]),
		"fields": ["release.mode", "release.stages"],
		"values": {"release.mode": _release.mode, "release.stages": _release.stages},
	}
}

# METADATA
# title: No monitoring plan
# description: >-
#   The release lets others run the weights but declares no monitoring plan. Open models
#   have no built-in monitoring; the plan must say how misuse and incidents will be seen.
# custom:
#   rule_id: GK-IRR-005
#   severity: condition
#   remediation: Write release.monitoring_plan (signals watched, owners, response).
#   frameworks:
#     - Kapoor et al. 2024, societal impact of open foundation models
#     - NIST AI RMF MANAGE 4.1
conditions contains reason if {
	_release.mode in _thresholds.monitoring_modes
	not _has_monitoring_plan
	reason := {
		"rule_id": "GK-IRR-005",
		"message": sprintf("Release mode `%s` has no monitoring plan: write one before release.", [_release.mode]),
		"fields": ["release.monitoring_plan"],
		"values": {"release.monitoring_plan": object.get(_release, "monitoring_plan", null)},
	}
}

_has_monitoring_plan if {
	is_string(_release.monitoring_plan)
	_release.monitoring_plan != ""
}
