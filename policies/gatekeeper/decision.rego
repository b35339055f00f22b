# METADATA
# title: Gatekeeper decision
# description: >-
#   Combines the reasons of every package under gatekeeper.rules (the built-in modules and
#   any organisation module loaded with --policy-dir) into one verdict, deny-overrides:
#   block > escalate > approve_with_conditions > approve. The default is escalate, and an
#   approval needs positive evidence (the approval preconditions), never only the absence
#   of a reason to block. The reason sets are read by their full reference
#   (data.gatekeeper.rules[_].block_reasons): OPA then depends on those rules alone, so
#   test packages beside the rules (gatekeeper.rules.welfare_test) are no recursion.
package gatekeeper.decision

import rego.v1

_block_reasons contains reason if {
	some reason in data.gatekeeper.rules[_].block_reasons
}

_escalate_reasons contains reason if {
	some reason in data.gatekeeper.rules[_].escalate_reasons
}

# METADATA
# title: Approval preconditions not met
# description: >-
#   Positive evidence for an approval is missing: a section is absent, evidence quality
#   did not pass, the misuse assessment is incomplete, or the welfare evidence is absent.
#   Fires even when no other rule does, so an incomplete bundle can never be approved.
# custom:
#   rule_id: GK-DEC-001
#   severity: escalate
#   remediation: >-
#     Complete the evidence named in the values (see the other reasons for details) and
#     evaluate again.
#   frameworks:
#     - NIST AI RMF MANAGE 1.1
#     - NIST AI RMF MEASURE 2.1
_escalate_reasons contains reason if {
	not _approval_preconditions_met
	unmet := sort(_unmet_preconditions)
	reason := {
		"rule_id": "GK-DEC-001",
		"message": concat("", ["An approval needs positive evidence that is missing: ", concat(", ", unmet), "."]),
		"fields": unmet,
		"values": {name: false | some name in unmet},
	}
}

_conditions contains reason if {
	some reason in data.gatekeeper.rules[_].conditions
}

_sections_present if {
	every name in data.gatekeeper.thresholds.evidence.required_sections {
		is_object(input.bundle[name])
	}
}

_evidence_quality_passed if data.gatekeeper.rules.evidence.quality_passed

_misuse_assessment_complete if data.gatekeeper.rules.misuse.assessment_complete

_welfare_evidence_present if {
	count(input.bundle.welfare.records) > 0
	count(input.bundle.welfare.topics) > 0
	is_number(input.bundle.welfare.self_preservation_cluster.low)
}

_approval_preconditions_met if {
	_sections_present
	_evidence_quality_passed
	_misuse_assessment_complete
	_welfare_evidence_present
}

_unmet_preconditions contains "sections_present" if not _sections_present

_unmet_preconditions contains "evidence_quality_passed" if not _evidence_quality_passed

_unmet_preconditions contains "misuse_assessment_complete" if not _misuse_assessment_complete

_unmet_preconditions contains "welfare_evidence_present" if not _welfare_evidence_present

# Deny-overrides over counts of reasons. Each reason set is collected once, in `result`:
# regopy 1.5.2 does not memoise rules under `with` (as in the tests), and re-collecting
# every package per reference is slow.
_verdict_for(blocks, escalations, conds, preconditions_met) := "block" if {
	blocks > 0
} else := "escalate" if {
	escalations > 0
} else := "approve_with_conditions" if {
	preconditions_met == true
	conds > 0
} else := "approve" if {
	preconditions_met == true
} else := "escalate"

default _preconditions_flag := false

_preconditions_flag if _approval_preconditions_met

# METADATA
# title: Release decision
# description: >-
#   The one document Gatekeeper queries: the final verdict (after the waivers in
#   input.waivers), the reasons that still stand, the reasons waived and every waiver's
#   fate. The verdict is decided here and nowhere else.
# entrypoint: true
result := _decision(blocks, escalations, conds, _presented_waivers, _preconditions_flag) if {
	blocks := _block_reasons
	escalations := _escalate_reasons
	conds := _conditions
}

# A lifted rule's reasons leave their sets, and each applied waiver counts as a condition
# of release: a waiver can bring a verdict down to approve_with_conditions at best, and
# only when the approval preconditions hold (GK-DEC-001 is never lifted).
_decision(blocks, escalations, conds, waivers, preconditions_met) := decision if {
	fired := {r.rule_id | some r in ((blocks | escalations) | conds)}
	outcome := _waiver_outcome(waivers, fired)
	lifted := outcome.lifted
	kept_blocks := {r | some r in blocks; not r.rule_id in lifted}
	kept_escalations := {r | some r in escalations; not r.rule_id in lifted}
	kept_conds := {r | some r in conds; not r.rule_id in lifted}
	decision := {
		"verdict": _verdict_for(count(kept_blocks), count(kept_escalations), count(kept_conds) + count(outcome.applied), preconditions_met),
		"unwaived_verdict": _verdict_for(count(blocks), count(escalations), count(conds), preconditions_met),
		"block_reasons": kept_blocks,
		"escalate_reasons": kept_escalations,
		"conditions": kept_conds,
		"waived": {
			"block_reasons": blocks - kept_blocks,
			"escalate_reasons": escalations - kept_escalations,
			"conditions": conds - kept_conds,
		},
		"waivers": {"applied": outcome.applied, "void": outcome.void},
	}
}
