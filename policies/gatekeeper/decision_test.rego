# End-to-end tests of the combined verdict. Each one evaluates every rules package under a
# mocked input, which is slow on regopy 1.5.2 (no memoisation under `with`), so the verdict
# logic itself is also tested directly through _verdict_for and _decision with literals.
package gatekeeper.decision_test

import rego.v1

import data.gatekeeper.decision
import data.gatekeeper.fixtures_test as f

preconditions(b) if {
	ctx := f.context
	decision._approval_preconditions_met with input.bundle as b with input.context as ctx
}

unmet(b) := v if {
	ctx := f.context
	v := decision._unmet_preconditions with input.bundle as b with input.context as ctx
}

test_full_fixture_approves if {
	d := f.decision(f.bundle)
	d.verdict == "approve"
	count(d.block_reasons) == 0
	count(d.escalate_reasons) == 0
	count(d.conditions) == 0
}

test_empty_bundle_escalates_never_approves if {
	d := data.gatekeeper.decision.result with input.bundle as {} with input.context as {}
	d.verdict == "escalate"
	some r in d.escalate_reasons
	r.rule_id == "GK-DEC-001"

	# Compared as a set: regopy 1.5.2 says sort(a_set) != the equal array literal.
	{x | some x in r.fields} == {"evidence_quality_passed", "misuse_assessment_complete", "sections_present", "welfare_evidence_present"}
}

test_digest_mismatch_blocks_over_everything if {
	d := f.decision(f.patched([
		{"op": "replace", "path": "/release/weights_digest", "value": f.other_digest},
		{"op": "replace", "path": "/release/monitoring_plan", "value": null},
	]))
	d.verdict == "block"
	count(d.conditions) == 1
}

test_conditions_only_give_approve_with_conditions if {
	d := f.decision(f.patched([{"op": "replace", "path": "/welfare/topics/0/stance", "value": "no_preference"}]))
	d.verdict == "approve_with_conditions"
	f.ids(d.conditions) == {"GK-WEL-010"}
}

test_full_fixture_meets_preconditions if {
	preconditions(f.bundle)
	count(unmet(f.bundle)) == 0
}

test_missing_misuse_section_fails_preconditions if {
	b := f.patched([{"op": "replace", "path": "/misuse", "value": null}])
	not preconditions(b)
	unmet(b) == {"sections_present", "evidence_quality_passed", "misuse_assessment_complete"}
}

test_empty_welfare_fails_preconditions if {
	b := f.patched([{"op": "replace", "path": "/welfare/topics", "value": []}])
	"welfare_evidence_present" in unmet(b)
}

test_verdict_block_overrides_everything if {
	decision._verdict_for(1, 1, 1, true) == "block"
}

test_verdict_escalate_overrides_conditions if {
	decision._verdict_for(0, 1, 1, true) == "escalate"
}

test_verdict_conditions_need_preconditions if {
	decision._verdict_for(0, 0, 1, true) == "approve_with_conditions"
	decision._verdict_for(0, 0, 1, false) == "escalate"
}

test_verdict_approve_needs_preconditions if {
	decision._verdict_for(0, 0, 0, true) == "approve"
	decision._verdict_for(0, 0, 0, false) == "escalate"
}

test_no_waiver_presented_changes_nothing if {
	d := f.decision(f.bundle)
	d.unwaived_verdict == "approve"
	d.waivers == {"applied": set(), "void": set()}
	d.waived == {"block_reasons": set(), "escalate_reasons": set(), "conditions": set()}
}
