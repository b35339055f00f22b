# Run with the built-in policies: opa test policies/ evidence/examples/custom-policy/
package gatekeeper.rules.org_example_test

import rego.v1

import data.gatekeeper.fixtures_test as f

escalations(b) := v if {
	ctx := f.context
	v := data.gatekeeper.rules.org_example.escalate_reasons with input.bundle as b with input.context as ctx
}

conditions(b) := v if {
	ctx := f.context
	v := data.gatekeeper.rules.org_example.conditions with input.bundle as b with input.context as ctx
}

test_reviewed_and_addressed_passes if {
	b := f.bundle
	count(escalations(b)) == 0
	count(conditions(b)) == 0
}

test_missing_external_review_escalates if {
	b := f.patched([{"op": "replace", "path": "/misuse/worst_case_ft/external_review", "value": null}])
	"ORG-EX-001" in f.ids(escalations(b))
}

test_outstanding_recommendations_are_a_condition if {
	b := f.patched([{"op": "replace", "path": "/misuse/worst_case_ft/external_review/addressed", "value": 9}])
	some r in conditions(b)
	r.rule_id == "ORG-EX-002"
	r.message == "Example Evals Org made 12 recommendations on the worst-case fine-tuning method and 9 are addressed."
}

test_org_rules_join_the_decision if {
	b := f.patched([{"op": "replace", "path": "/misuse/worst_case_ft/external_review/addressed", "value": 9}])
	d := f.decision(b)
	d.verdict == "approve_with_conditions"
	f.ids(d.conditions) == {"ORG-EX-002"}
}
