# Waivers decided by the policy: tested through _decision with literal reason sets (fast on
# both engines), and end to end through the decision for the shared fixture bundle.
package gatekeeper.decision_test

import rego.v1

import data.gatekeeper.decision
import data.gatekeeper.fixtures_test as f

block_r1 := {"rule_id": "R-1", "message": "blocks", "fields": [], "values": {}}

escalate_r2 := {"rule_id": "R-2", "message": "escalates", "fields": [], "values": {}}

condition_r3 := {"rule_id": "R-3", "message": "a condition", "fields": [], "values": {}}

# Verified waivers as Gatekeeper passes them in (written out: regopy 1.5.2 mangles strings
# passed through function arguments).
waiver_base := {
	"waiver_id": "W-1",
	"waiver_digest": f.some_digest,
	"rule_id": "R-1",
	"approver": "Dana <dana@example.org>",
	"reason": "accepted risk",
	"issued_at": "2026-03-01T00:00:00Z",
	"expires_at": "2026-04-01T00:00:00Z",
	"keyid": "key-a",
}

lift_r1 := waiver_base

lift_r2 := object.union(waiver_base, {"waiver_id": "W-2", "waiver_digest": f.other_digest, "rule_id": "R-2"})

lift_r3 := object.union(waiver_base, {"waiver_id": "W-3", "waiver_digest": f.weights_digest, "rule_id": "R-3"})

lift_r1_same_key := object.union(waiver_base, {"waiver_id": "W-1b", "waiver_digest": f.other_digest})

lift_r1_other_key := object.union(lift_r1_same_key, {"keyid": "key-b"})

two_approvers_for_r1 := {"min_approvers": 1, "approvers_by_rule": {"R-1": 2}, "unwaivable_rules": []}

test_a_lifted_block_leaves_the_verdict_to_the_rest if {
	d := decision._decision({block_r1}, {escalate_r2}, set(), [lift_r1], true)
	d.unwaived_verdict == "block"
	d.verdict == "escalate"
	d.block_reasons == set()
	d.waived.block_reasons == {block_r1}
	d.waivers.applied == {lift_r1}
	d.waivers.void == set()
}

test_a_waiver_brings_a_verdict_to_approve_with_conditions_at_best if {
	d := decision._decision(set(), {escalate_r2}, set(), [lift_r2], true)
	d.verdict == "approve_with_conditions"
	count(d.escalate_reasons) == 0
}

test_a_waived_condition_is_still_a_condition_of_release if {
	d := decision._decision(set(), set(), {condition_r3}, [lift_r3], true)
	d.unwaived_verdict == "approve_with_conditions"
	d.verdict == "approve_with_conditions"
	d.conditions == set()
}

test_no_waiver_approves_without_the_preconditions if {
	d := decision._decision({block_r1}, set(), set(), [lift_r1], false)
	d.waivers.applied == {lift_r1}
	d.verdict == "escalate"
}

test_a_waiver_for_a_rule_that_did_not_fire_is_void if {
	d := decision._decision(set(), {escalate_r2}, set(), [lift_r1], true)
	d.verdict == "escalate"
	d.waivers.applied == set()
	some v in d.waivers.void
	v.problem == "rule R-1 did not fire in this decision"
}

test_a_rule_with_more_approvers_needs_distinct_keys if {
	limits := two_approvers_for_r1
	one := decision._decision({block_r1}, set(), set(), [lift_r1], true) with data.gatekeeper.thresholds.waivers as limits
	one.verdict == "block"
	{v.problem | some v in one.waivers.void} == {"rule R-1 needs waivers from 2 distinct approvers; 1 signed"}
	same := decision._decision({block_r1}, set(), set(), [lift_r1, lift_r1_same_key], true) with data.gatekeeper.thresholds.waivers as limits
	same.verdict == "block"
	two := decision._decision({block_r1}, set(), set(), [lift_r1, lift_r1_other_key], true) with data.gatekeeper.thresholds.waivers as limits
	two.verdict == "approve_with_conditions"
	count(two.waivers.applied) == 2
}

test_the_approval_preconditions_are_never_waived if {
	b := f.patched([{"op": "replace", "path": "/welfare/topics", "value": []}])
	ctx := f.context
	ws := [object.union(waiver_base, {"rule_id": "GK-DEC-001"})]
	d := data.gatekeeper.decision.result with input.bundle as b with input.context as ctx with input.waivers as ws
	d.verdict == "escalate"
	"GK-DEC-001" in f.ids(d.escalate_reasons)
	{v.problem | some v in d.waivers.void} == {"rule GK-DEC-001 is an approval precondition: positive evidence, which no signature replaces"}
}

test_a_critical_misuse_block_is_not_waivable if {
	b := f.patched([{"op": "replace", "path": "/misuse/categories/0/tier", "value": "critical"}])
	ctx := f.context
	ws := [object.union(waiver_base, {"rule_id": "GK-MIS-003"})]
	d := data.gatekeeper.decision.result with input.bundle as b with input.context as ctx with input.waivers as ws
	d.verdict == "block"
	"GK-MIS-003" in f.ids(d.block_reasons)
	{v.problem | some v in d.waivers.void} == {"rule GK-MIS-003 cannot be waived (thresholds.waivers.unwaivable_rules)"}
}

test_only_the_first_problem_of_a_waiver_is_reported if {
	# GK-DEC-001 did not fire here either; the precondition problem comes first.
	ws := [object.union(waiver_base, {"rule_id": "GK-DEC-001"})]
	d := decision._decision(set(), set(), set(), ws, true)
	count(d.waivers.void) == 1
	d.verdict == "approve"
}

test_missing_waiver_limits_leave_no_decision if {
	limits := {"min_approvers": 1}
	not decision._decision(set(), set(), set(), [], true) with data.gatekeeper.thresholds.waivers as limits
}
