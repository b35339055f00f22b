package gatekeeper.rules.provenance_test

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

test_an_unsigned_bundle_is_fine_unless_a_trusted_collector_is_required if {
	not "GK-PRV-002" in f.ids(escalations(f.context))
	ctx := object.union(f.context, {"collector": {"status": "unsigned", "key_ids": [], "required": true}})
	some r in escalations(ctx)
	r.rule_id == "GK-PRV-002"
	contains(r.message, "unsigned")
}

test_a_bundle_signed_by_an_untrusted_key_escalates_when_required if {
	ctx := object.union(f.context, {"collector": {"status": "untrusted", "key_ids": ["k"], "required": true}})
	"GK-PRV-002" in f.ids(escalations(ctx))
	trusted := object.union(f.context, {"collector": {"status": "trusted", "key_ids": ["k"], "required": true}})
	not "GK-PRV-002" in f.ids(escalations(trusted))
}

test_the_threshold_requires_a_trusted_collector if {
	b := f.bundle
	ctx := f.context
	reasons := data.gatekeeper.rules.provenance.escalate_reasons with input.bundle as b with input.context as ctx with data.gatekeeper.thresholds.provenance.require_trusted_collector as true
	"GK-PRV-002" in f.ids(reasons)
}
