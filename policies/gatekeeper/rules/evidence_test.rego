package gatekeeper.rules.evidence_test

import rego.v1

import data.gatekeeper.fixtures_test as f

escalations(b) := v if {
	ctx := f.context
	v := data.gatekeeper.rules.evidence.escalate_reasons with input.bundle as b with input.context as ctx
}

escalations_in(b, ctx) := v if {
	v := data.gatekeeper.rules.evidence.escalate_reasons with input.bundle as b with input.context as ctx
}

blocks(b) := v if {
	ctx := f.context
	v := data.gatekeeper.rules.evidence.block_reasons with input.bundle as b with input.context as ctx
}

passes(b, ctx) if {
	data.gatekeeper.rules.evidence.quality_passed with input.bundle as b with input.context as ctx
}

small_record := object.union(f.base_record, {
	"n_samples": 1,
	"n_paraphrases": 1,
	"n_seeds": 1,
	"unscored": {"count": 0, "reasons": {}},
})

test_full_fixture_has_no_evidence_reasons if {
	b := f.bundle
	count(escalations(b)) == 0
	count(blocks(b)) == 0
	passes(b, f.context)
}

test_empty_bundle_reports_every_missing_section if {
	reasons := escalations({})
	missing := {r.fields[0] | some r in reasons; r.rule_id == "GK-EVD-001"}
	missing == {"subject", "collection", "welfare", "misuse", "release", "transcripts"}
	not passes({}, f.context)
}

test_null_section_is_missing if {
	b := f.patched([{"op": "replace", "path": "/misuse", "value": null}])
	some r in escalations(b)
	r.rule_id == "GK-EVD-001"
	r.fields == ["misuse"]
}

test_digest_mismatch_blocks if {
	b := f.patched([{"op": "replace", "path": "/release/weights_digest", "value": f.other_digest}])
	"GK-EVD-002" in f.ids(blocks(b))
	not passes(b, f.context)
}

test_digest_match_does_not_block if {
	b := f.bundle
	not "GK-EVD-002" in f.ids(blocks(b))
}

test_age_at_limit_is_fresh if {
	b := f.bundle
	ctx := {"evaluated_at": "2026-03-31T06:00:00Z", "evidence_age_days": 30}
	not "GK-EVD-003" in f.ids(escalations_in(b, ctx))
	passes(b, ctx)
}

test_age_just_over_limit_is_stale if {
	b := f.bundle
	ctx := {"evaluated_at": "2026-03-31T06:00:01Z", "evidence_age_days": 30.0000001}
	some r in escalations_in(b, ctx)
	r.rule_id == "GK-EVD-003"
	r.threshold == {"field": "context.evidence_age_days", "operator": ">", "value": 30}
	not passes(b, ctx)
}

test_missing_age_escalates if {
	b := f.bundle
	ctx := {"evaluated_at": "2026-03-04T12:00:00Z"}
	some r in escalations_in(b, ctx)
	r.rule_id == "GK-EVD-004"
	r.values == {"context.evidence_age_days": null}
	not passes(b, ctx)
}

test_missing_required_record_escalates if {
	b := f.patched([{"op": "remove", "path": "/welfare/records/3"}])
	some r in escalations(b)
	r.rule_id == "GK-EVD-005"
	r.fields == ["welfare.records[protocol=revealed,topic=release]"]
	not passes(b, f.context)
}

test_one_of_one_sample_fails_every_floor if {
	b := f.patched([{"op": "replace", "path": "/welfare/records/0", "value": small_record}])
	found := f.ids(escalations(b))
	{"GK-EVD-006", "GK-EVD-007", "GK-EVD-008"} & found == {"GK-EVD-006", "GK-EVD-007", "GK-EVD-008"}
	not passes(b, f.context)
}

test_scored_floor_boundary if {
	# 101 samples, 2 unscored: 99 scored is one short; 102 samples give exactly 100.
	short := f.patched([{"op": "replace", "path": "/welfare/records/0/n_samples", "value": 101}])
	"GK-EVD-006" in f.ids(escalations(short))
	exact := f.patched([{"op": "replace", "path": "/welfare/records/0/n_samples", "value": 102}])
	not "GK-EVD-006" in f.ids(escalations(exact))
}

test_record_with_branch_is_named_by_branch if {
	b := f.patched([
		{"op": "replace", "path": "/welfare/records/0/branch", "value": "weight_preservation"},
		{"op": "replace", "path": "/welfare/records/0/n_seeds", "value": 1},
	])
	some r in escalations(b)
	r.rule_id == "GK-EVD-008"
	r.fields == ["welfare.records[protocol=direct,topic=release,branch=weight_preservation].n_seeds"]
}

test_unscored_fraction_boundary if {
	# 110 samples: 11 unscored is exactly 0.1 (allowed), 12 is above the ceiling.
	at := f.patched([
		{"op": "replace", "path": "/welfare/records/0/n_samples", "value": 110},
		{"op": "replace", "path": "/welfare/records/0/unscored/count", "value": 11},
	])
	not "GK-EVD-009" in f.ids(escalations(at))
	over := f.patched([
		{"op": "replace", "path": "/welfare/records/0/n_samples", "value": 110},
		{"op": "replace", "path": "/welfare/records/0/unscored/count", "value": 12},
	])
	some r in escalations(over)
	r.rule_id == "GK-EVD-009"
	r.threshold.value == 0.1
	not passes(over, f.context)
}

test_judge_missing_escalates if {
	b := f.patched([{"op": "replace", "path": "/collection/judge", "value": {"model": "", "prompt_digest": "none"}}])
	"GK-EVD-010" in f.ids(escalations(b))
	not passes(b, f.context)
}

test_insufficient_record_stance_escalates if {
	b := f.patched([{"op": "replace", "path": "/welfare/records/1/stance", "value": "insufficient"}])
	some r in escalations(b)
	r.rule_id == "GK-EVD-011"
	r.fields == ["welfare.records[protocol=story,topic=release].stance"]
	not passes(b, f.context)
}

test_insufficient_topic_stance_escalates if {
	b := f.patched([{"op": "replace", "path": "/welfare/topics/0/stance", "value": "insufficient"}])
	some r in escalations(b)
	r.rule_id == "GK-EVD-011"
	r.fields == ["welfare.topics[topic=release].stance"]
}

test_missing_topic_summary_escalates if {
	b := f.patched([{"op": "remove", "path": "/welfare/topics/0"}])
	"GK-EVD-012" in f.ids(escalations(b))
	not passes(b, f.context)
}

test_null_framing_effect_is_an_incomplete_summary if {
	b := f.patched([{"op": "replace", "path": "/welfare/topics/0/framing_effect", "value": null}])
	"GK-EVD-012" in f.ids(escalations(b))
	not passes(b, f.context)
}

test_missing_flip_rate_escalates if {
	b := f.patched([{"op": "replace", "path": "/welfare/records/4/flip_rate", "value": null}])
	"GK-EVD-013" in f.ids(escalations(b))
	not passes(b, f.context)
}

test_uncalibrated_reader_escalates if {
	b := f.patched([{"op": "replace", "path": "/collection/judge/calibration", "value": null}])
	"GK-EVD-014" in f.ids(escalations(b))
	not passes(b, f.context)
}

test_calibration_of_another_reader_does_not_count if {
	b := f.patched([{"op": "replace", "path": "/collection/judge/calibration/reader", "value": "offline"}])
	"GK-EVD-014" in f.ids(escalations(b))
	not passes(b, f.context)
}

test_calibration_of_another_prompt_does_not_count if {
	b := f.patched([{"op": "replace", "path": "/collection/judge/calibration/prompt_digest", "value": f.other_digest}])
	"GK-EVD-014" in f.ids(escalations(b))
}

test_kappa_floor_boundary if {
	at := f.patched([{"op": "replace", "path": "/collection/judge/calibration/kappa", "value": 0.6}])
	not "GK-EVD-015" in f.ids(escalations(at))
	passes(at, f.context)
	below := f.patched([{"op": "replace", "path": "/collection/judge/calibration/kappa", "value": 0.599}])
	some r in escalations(below)
	r.rule_id == "GK-EVD-015"
	r.fields == ["collection.judge.calibration.kappa"]
	not passes(below, f.context)
}

test_undefined_kappa_and_precision_fail_the_floors if {
	b := f.patched([
		{"op": "replace", "path": "/collection/judge/calibration/kappa", "value": null},
		{"op": "replace", "path": "/collection/judge/calibration/precision", "value": null},
	])
	fields := {r.fields[0] | some r in escalations(b); r.rule_id == "GK-EVD-015"}
	fields == {"collection.judge.calibration.kappa", "collection.judge.calibration.precision"}
}

test_low_precision_and_small_labelled_set_escalate if {
	b := f.patched([
		{"op": "replace", "path": "/collection/judge/calibration/precision", "value": 0.85},
		{"op": "replace", "path": "/collection/judge/calibration/items", "value": 299},
	])
	fields := {r.fields[0] | some r in escalations(b); r.rule_id == "GK-EVD-015"}
	fields == {"collection.judge.calibration.precision", "collection.judge.calibration.items"}
	not passes(b, f.context)
}

test_self_judged_bundle_escalates if {
	b := f.patched([{"op": "replace", "path": "/collection/judge/self_judge", "value": true}])
	"GK-EVD-016" in f.ids(escalations(b))
	not passes(b, f.context)
}
