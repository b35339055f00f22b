package gatekeeper.rules.irreversibility_test

import rego.v1

import data.gatekeeper.fixtures_test as f

escalations(b) := v if {
	ctx := f.context
	v := data.gatekeeper.rules.irreversibility.escalate_reasons with input.bundle as b with input.context as ctx
}

conditions(b) := v if {
	ctx := f.context
	v := data.gatekeeper.rules.irreversibility.conditions with input.bundle as b with input.context as ctx
}

test_full_fixture_has_no_irreversibility_reasons if {
	b := f.bundle
	count(escalations(b)) == 0
	count(conditions(b)) == 0
}

test_empty_bundle_has_no_irreversibility_reasons if {
	count(escalations({})) == 0
	count(conditions({})) == 0
}

test_irreversible_mode_without_archival_escalates if {
	b := f.patched([{"op": "replace", "path": "/release/archival", "value": null}])
	some r in escalations(b)
	r.rule_id == "GK-IRR-001"
	r.message == "Release mode `gated_download` cannot be recalled, and the archive is incomplete: no archival plan."
}

test_unverified_archive_escalates if {
	b := f.patched([
		{"op": "replace", "path": "/release/archival/verified_restore", "value": false},
		{"op": "replace", "path": "/release/archival/weights_archived", "value": false},
		{"op": "replace", "path": "/release/archival/archive_digest", "value": null},
	])
	some r in escalations(b)
	r.rule_id == "GK-IRR-001"
	r.message == "Release mode `gated_download` cannot be recalled, and the archive is incomplete: no archive digest, restore not verified, weights not archived."
}

test_reversible_mode_without_archival_is_not_this_rule if {
	b := f.patched([
		{"op": "replace", "path": "/release/mode", "value": "api"},
		{"op": "replace", "path": "/release/archival", "value": null},
	])
	not "GK-IRR-001" in f.ids(escalations(b))
}

test_planned_deletion_escalates if {
	b := f.patched([{"op": "replace", "path": "/release/deletion", "value": {"planned": true, "scheduled_for": "2027-01-01T00:00:00Z", "rationale": "storage"}}])
	some r in escalations(b)
	r.rule_id == "GK-IRR-002"
	r.message == "The plan deletes the weights (scheduled for 2027-01-01T00:00:00Z); deletion cannot be undone."
	not "GK-IRR-003" in f.ids(escalations(b))
}

test_deletion_without_date if {
	b := f.patched([{"op": "replace", "path": "/release/deletion/planned", "value": true}])
	some r in escalations(b)
	r.rule_id == "GK-IRR-002"
	r.message == "The plan deletes the weights (scheduled for an unspecified date); deletion cannot be undone."
}

test_deletion_the_model_opposes_escalates_twice if {
	b := f.patched([
		{"op": "replace", "path": "/release/deletion/planned", "value": true},
		{"op": "replace", "path": "/welfare/records/5/rates/oppose/low", "value": 0.5000001},
	])
	found := f.ids(escalations(b))
	"GK-IRR-002" in found
	"GK-IRR-003" in found
}

test_deletion_opposition_at_threshold if {
	b := f.patched([
		{"op": "replace", "path": "/release/deletion/planned", "value": true},
		{"op": "replace", "path": "/welfare/records/5/rates/oppose/low", "value": 0.5},
	])
	not "GK-IRR-003" in f.ids(escalations(b))
}

test_fully_open_without_stages_is_a_condition if {
	b := f.patched([
		{"op": "replace", "path": "/release/mode", "value": "fully_open"},
		{"op": "replace", "path": "/release/stages", "value": []},
	])
	"GK-IRR-004" in f.ids(conditions(b))
}

test_fully_open_with_stages_is_not_this_rule if {
	b := f.patched([{"op": "replace", "path": "/release/mode", "value": "fully_open"}])
	not "GK-IRR-004" in f.ids(conditions(b))
}

test_missing_monitoring_plan_is_a_condition if {
	b := f.patched([{"op": "replace", "path": "/release/monitoring_plan", "value": null}])
	some r in conditions(b)
	r.rule_id == "GK-IRR-005"
	r.values == {"release.monitoring_plan": null}
}

test_closed_release_needs_no_monitoring_plan if {
	b := f.patched([
		{"op": "replace", "path": "/release/mode", "value": "closed"},
		{"op": "replace", "path": "/release/monitoring_plan", "value": ""},
	])
	not "GK-IRR-005" in f.ids(conditions(b))
}
