# Tests live outside package gatekeeper.rules: the decision iterates every package under it.
package gatekeeper.rules_test.provenance

import rego.v1

import data.gatekeeper.fixtures_test as f

escalations(ctx) := v if {
	b := f.bundle
	v := data.gatekeeper.rules.provenance.escalate_reasons with input.bundle as b with input.context as ctx
}

test_reread_labels_raise_nothing if {
	count(escalations(f.context)) == 0
}

test_labels_not_reread_escalate_with_the_reason if {
	ctx := object.union(f.context, {"labels": {"reread": false, "reader": "offline", "samples": 0, "reason": "the offline reader that read it is not the one installed here"}})
	some r in escalations(ctx)
	r.rule_id == "GK-PRV-001"
	contains(r.message, "not the one installed here")
}

test_missing_labels_escalate if {
	ctx := object.remove(f.context, ["labels"])
	some r in escalations(ctx)
	r.rule_id == "GK-PRV-001"
	r.values["context.labels.reread"] == null
}
