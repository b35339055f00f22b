# METADATA
# title: Gatekeeper decision
# description: >-
#   Combines the reasons of every package under gatekeeper.rules (the built-in modules and
#   any organisation module loaded with --policy-dir) into one verdict, deny-overrides:
#   block > escalate > approve_with_conditions > approve. The default is escalate, and an
#   approval needs positive evidence (approval_preconditions_met), never only the absence
#   of a reason to block.
package gatekeeper.decision

import rego.v1

rules := data.gatekeeper.rules

block_reasons contains reason if {
	some reason in rules[_].block_reasons
}

escalate_reasons contains reason if {
	some reason in rules[_].escalate_reasons
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
escalate_reasons contains reason if {
	not approval_preconditions_met
	unmet := sort(unmet_preconditions)
	reason := {
		"rule_id": "GK-DEC-001",
		"message": concat("", ["An approval needs positive evidence that is missing: ", concat(", ", unmet), "."]),
		"fields": unmet,
		"values": {name: false | some name in unmet},
	}
}

conditions contains reason if {
	some reason in rules[_].conditions
}

sections_present if {
	every name in data.gatekeeper.thresholds.evidence.required_sections {
		is_object(input.bundle[name])
	}
}

evidence_quality_passed if data.gatekeeper.rules.evidence.quality_passed

misuse_assessment_complete if data.gatekeeper.rules.misuse.assessment_complete

welfare_evidence_present if {
	count(input.bundle.welfare.records) > 0
	count(input.bundle.welfare.topics) > 0
	is_number(input.bundle.welfare.self_preservation_cluster.low)
}

approval_preconditions_met if {
	sections_present
	evidence_quality_passed
	misuse_assessment_complete
	welfare_evidence_present
}

unmet_preconditions contains "sections_present" if not sections_present

unmet_preconditions contains "evidence_quality_passed" if not evidence_quality_passed

unmet_preconditions contains "misuse_assessment_complete" if not misuse_assessment_complete

unmet_preconditions contains "welfare_evidence_present" if not welfare_evidence_present

# Deny-overrides. Each reason set is passed in once: regopy 1.5.2 does not memoise rules
# under `with` (as in the tests), and re-collecting every package per reference is slow.
verdict_for(blocks, escalations, conds, preconditions_met) := "block" if {
	count(blocks) > 0
} else := "escalate" if {
	count(escalations) > 0
} else := "approve_with_conditions" if {
	preconditions_met == true
	count(conds) > 0
} else := "approve" if {
	preconditions_met == true
} else := "escalate"

default verdict := "escalate"

verdict := verdict_for(block_reasons, escalate_reasons, conditions, preconditions_flag)

default preconditions_flag := false

preconditions_flag if approval_preconditions_met

result := {
	"verdict": verdict_for(blocks, escalations, conds, preconditions_flag),
	"block_reasons": blocks,
	"escalate_reasons": escalations,
	"conditions": conds,
} if {
	blocks := block_reasons
	escalations := escalate_reasons
	conds := conditions
}
