package gatekeeper.rules.card_test

import rego.v1

import data.gatekeeper.fixtures_test as f

# A card that agrees with the fixture bundle: same weights, gated download, gate declared.
card := {
	"file": "README.md",
	"digest": f.some_digest,
	"license": "apache-2.0",
	"license_name": null,
	"license_link": null,
	"license_link_kind": null,
	"base_model": [],
	"base_model_relation": null,
	"language": ["en"],
	"pipeline_tag": "text-generation",
	"gating": {"declared": true, "prompt": true, "fields": ["Company"], "eu_disallowed": false},
	"release_review": {
		"weights_digest": f.weights_digest,
		"release_mode": "gated_download",
		"release_plan": "release-plan.yaml",
		"evidence_bundle": "bundle.json",
	},
}

reasons(c) := r if {
	b := f.bundle
	ctx := f.context
	r := data.gatekeeper.rules.card_test.all_reasons with input.bundle as b with input.context as ctx with input.card as c
}

all_reasons := (data.gatekeeper.rules.card.block_reasons | data.gatekeeper.rules.card.escalate_reasons) | data.gatekeeper.rules.card.conditions

test_agreeing_card_has_no_reasons if {
	c := card
	count(reasons(c)) == 0
}

test_no_card_no_reasons if {
	b := f.bundle
	ctx := f.context
	count(data.gatekeeper.rules.card.escalate_reasons) == 0 with input.bundle as b with input.context as ctx
	count(data.gatekeeper.rules.card.conditions) == 0 with input.bundle as b with input.context as ctx
}

test_other_weights_block if {
	c := json.patch(card, [{"op": "replace", "path": "/release_review/weights_digest", "value": "sha256:2222222222222222222222222222222222222222222222222222222222222222"}])
	some r in reasons(c)
	r.rule_id == "GK-CRD-001"
	r.message == "The model card names weights sha256:2222222222222222222222222222222222222222222222222222222222222222, but the evidence was collected for sha256:1111111111111111111111111111111111111111111111111111111111111111."
}

test_card_mode_differs_from_plan if {
	c := json.patch(card, [{"op": "replace", "path": "/release_review/release_mode", "value": "fully_open"}])
	some r in reasons(c)
	r.rule_id == "GK-CRD-002"
	r.message == "The model card asks for release mode `fully_open`; the release plan declares `gated_download`."
}

test_gated_plan_without_gate_on_card if {
	c := json.patch(card, [{"op": "replace", "path": "/gating/declared", "value": false}])
	some r in reasons(c)
	r.rule_id == "GK-CRD-003"
	r.message == "The release plan declares `gated_download`, but the model card declares no access gate (no extra_gated_* fields)."
}

test_ungated_card_is_fine_for_an_api_release if {
	b := f.patched([{"op": "replace", "path": "/release/mode", "value": "api"}])
	c := json.patch(card, [
		{"op": "replace", "path": "/gating/declared", "value": false},
		{"op": "replace", "path": "/release_review/release_mode", "value": "api"},
	])
	ctx := f.context
	count(data.gatekeeper.rules.card.escalate_reasons) == 0 with input.bundle as b with input.context as ctx with input.card as c
}

test_licence_other_without_name_or_link if {
	c := json.patch(card, [{"op": "replace", "path": "/license", "value": "other"}])
	some r in reasons(c)
	r.rule_id == "GK-CRD-004"
	r.message == "The model card's licence is `other` but it lacks: license_link, license_name."
}

test_licence_other_with_name_but_no_link if {
	c := json.patch(card, [
		{"op": "replace", "path": "/license", "value": "other"},
		{"op": "replace", "path": "/license_name", "value": "acme-rail"},
	])
	some r in reasons(c)
	r.rule_id == "GK-CRD-004"
	r.message == "The model card's licence is `other` but it lacks: license_link."
}

test_licence_other_named_and_linked_is_fine if {
	c := json.patch(card, [
		{"op": "replace", "path": "/license", "value": "other"},
		{"op": "replace", "path": "/license_name", "value": "acme-rail"},
		{"op": "replace", "path": "/license_link", "value": "LICENSE"},
	])
	count(reasons(c)) == 0
}

test_no_licence if {
	c := json.patch(card, [{"op": "replace", "path": "/license", "value": null}])
	some r in reasons(c)
	r.rule_id == "GK-CRD-005"
}

test_card_without_release_review if {
	c := json.patch(card, [{"op": "replace", "path": "/release_review", "value": null}])
	found := {r.rule_id | some r in reasons(c)}
	found == {"GK-CRD-006"}
}
