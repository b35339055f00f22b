# What verified waivers do to the decision (conftest's `exception` idiom: the policy, not
# the host program, decides what an exception lifts). Gatekeeper passes in input.waivers
# only waivers it has verified: signed by a trusted approver key, bound to this evidence,
# valid at this evaluation's time. Here the policy decides which rules a waiver may lift
# and how many distinct approvers (signing keys) that takes.
package gatekeeper.decision

import rego.v1

_waiver_limits := data.gatekeeper.thresholds.waivers

default _presented_waivers := []

_presented_waivers := input.waivers if is_array(input.waivers)

# Why a waiver cannot lift its rule, as [waiver_digest, rank, problem]: only the lowest
# rank is reported for each waiver.
_waiver_problems(waivers, fired) := (preconditions | unwaivable) | unfired if {
	preconditions := {[w.waiver_digest, 0, concat("", ["rule ", w.rule_id, " is an approval precondition: positive evidence, which no signature replaces"])] |
		some w in waivers
		startswith(w.rule_id, "GK-DEC-")
	}
	unwaivable := {[w.waiver_digest, 1, concat("", ["rule ", w.rule_id, " cannot be waived (thresholds.waivers.unwaivable_rules)"])] |
		some w in waivers
		w.rule_id in _waiver_limits.unwaivable_rules
	}
	unfired := {[w.waiver_digest, 2, concat("", ["rule ", w.rule_id, " did not fire in this decision"])] |
		some w in waivers
		not w.rule_id in fired
	}
}

_first_problems(waivers, problems) := {{"waiver_id": w.waiver_id, "waiver_digest": w.waiver_digest, "rule_id": w.rule_id, "problem": p[2]} |
	some w in waivers
	ranks := [q[1] | some q in problems; q[0] == w.waiver_digest]
	count(ranks) > 0
	some p in problems
	p[0] == w.waiver_digest
	p[1] == min(ranks)
}

# A rule is lifted once waivers from enough distinct approver keys name it: the default
# number, or the rule's own in thresholds.waivers.approvers_by_rule.
_waiver_outcome(waivers, fired) := {"lifted": lifted, "applied": applied, "void": void} if {
	# Limits missing or mistyped leave the decision undefined (an engine error), never a
	# waiver that nothing limits.
	is_array(_waiver_limits.unwaivable_rules)
	is_number(_waiver_limits.min_approvers)
	is_object(_waiver_limits.approvers_by_rule)
	problems := _waiver_problems(waivers, fired)
	troubled := {p[0] | some p in problems}
	sound := {w | some w in waivers; not w.waiver_digest in troubled}
	approvers := {rule_id: keys |
		some w in sound
		rule_id := w.rule_id
		keys := {v.keyid | some v in sound; v.rule_id == rule_id}
	}

	# `some k, v in x` inside a comprehension does not parse on regopy 1.5.2: index instead.
	needed := {rule_id: object.get(_waiver_limits.approvers_by_rule, rule_id, _waiver_limits.min_approvers) | approvers[rule_id]}
	lifted := {rule_id | keys := approvers[rule_id]; count(keys) >= needed[rule_id]}
	applied := {w | some w in sound; w.rule_id in lifted}
	short := {{"waiver_id": w.waiver_id, "waiver_digest": w.waiver_digest, "rule_id": w.rule_id, "problem": sprintf("rule %s needs waivers from %d distinct approvers; %d signed", [w.rule_id, needed[w.rule_id], count(approvers[w.rule_id])])} |
		some w in sound
		not w.rule_id in lifted
	}
	void := _first_problems(waivers, problems) | short
}
