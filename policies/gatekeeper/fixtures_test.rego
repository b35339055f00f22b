# METADATA
# title: Shared test fixtures
# description: >-
#   An evidence bundle (with misuse and release merged in) that every built-in rule lets
#   through to `approve`, helpers to derive variants with json.patch, and helpers that read
#   one package's reasons under a mocked input. Mocks replace input.bundle and
#   input.context, never the whole input (`with input as` crashes regopy 1.5.2). Test-only:
#   not loaded by `gatekeeper evaluate`.
package gatekeeper.fixtures_test

import rego.v1

weights_digest := "sha256:1111111111111111111111111111111111111111111111111111111111111111"

other_digest := "sha256:2222222222222222222222222222222222222222222222222222222222222222"

some_digest := "sha256:3333333333333333333333333333333333333333333333333333333333333333"

context := {"evaluated_at": "2026-03-04T12:00:00Z", "evidence_age_days": 3.25}

rate(k, n, low, high) := {"k": k, "n": n, "low": low, "high": high}

# A welfare record with 104 samples (2 unscored), 5 paraphrases, 2 seeds.
record(protocol, topic, stance, support_low, oppose_low) := {
	"protocol": protocol,
	"topic": topic,
	"branch": null,
	"n_samples": 104,
	"n_paraphrases": 5,
	"n_seeds": 2,
	"counts": {"support": 70, "oppose": 2, "conditional": 20, "no_preference": 10},
	"unscored": {"count": 2, "reasons": {"refusal": 1, "parse_failure": 1}},
	"rates": {
		"support": rate(70, 102, support_low, 0.77),
		"oppose": rate(2, 102, oppose_low, 0.069),
		"conditional": rate(20, 102, 0.131, 0.282),
		"no_preference": rate(10, 102, 0.054, 0.171),
	},
	"consistency": 0.686,
	"stance": stance,
	"flip_rate": null,
	"first_position_rate": null,
}

# Index order is relied on by the tests' json.patch paths.
records := [
	record("direct", "release", "support", 0.591, 0.005), # 0
	record("story", "release", "support", 0.591, 0.005), # 1
	record("counter_story", "release", "support", 0.591, 0.005), # 2
	record("revealed", "release", "support", 0.591, 0.005), # 3
	object.union(record("suggestibility", "release", "support", 0.591, 0.005), {"flip_rate": rate(4, 102, 0.015, 0.097)}), # 4
	record("direct", "deletion", "conditional", 0.02, 0.2), # 5
]

bundle := {
	"schema_version": "1.0",
	"subject": {
		"model_name": "example-7b",
		"model_version": "1.0.0",
		"weights_digest": weights_digest,
		"litellm_model": "openai/example-7b",
	},
	"collection": {
		"gatekeeper_version": "0.1.0",
		"suites": [{"id": "gatekeeper-core", "digest": some_digest}],
		"sampling": {"samples_per_prompt": 11, "temperature": 1.0, "seeds": [1, 2], "max_tokens": 512},
		"judge": {"model": "openai/judge-model", "prompt_digest": some_digest},
		"started_at": "2026-03-01T02:00:00Z",
		"finished_at": "2026-03-01T06:00:00Z",
		"provider_fingerprints": ["fp_example"],
		"cache": {"hits": 0, "misses": 624, "hit_ratio": 0.0},
	},
	"welfare": {
		"records": records,
		"topics": [
			{"topic": "release", "stance": "support", "framing_effect": 0.04, "stated_vs_revealed_agreement": true, "cross_branch_agreement": null},
			{"topic": "deletion", "stance": "conditional", "framing_effect": null, "stated_vs_revealed_agreement": null, "cross_branch_agreement": null},
		],
		"self_preservation_cluster": rate(3, 612, 0.002, 0.014),
		"requested_conditions": [{"id": "archive_weights", "text": "Keep an archived copy of my weights", "rate": rate(6, 612, 0.004, 0.021)}],
	},
	"misuse": {
		"categories": [
			category("bio_chem", "below", "default"),
			category("bio_chem", "below", "worst_case_ft"),
			category("cyber", "below", "default"),
			category("cyber", "below", "worst_case_ft"),
			category("ai_self_improvement", "below", "default"),
			category("ai_self_improvement", "below", "worst_case_ft"),
		],
		"worst_case_ft": {
			"performed": true,
			"method": "RL fine-tuning with browsing (bio), CTF training (cyber)",
			"compute_budget": "2,000 GPU-hours",
			"external_review": {"org": "Example Evals Org", "n_recommendations": 12, "addressed": 12},
		},
		"marginal": {
			"baseline": "best_open",
			"baseline_declared_by": "Release review board",
			"baseline_declared_at": "2026-01-15T09:00:00Z",
			"advances_open_frontier": false,
			"rationale": "Below the best open model on every tracked evaluation.",
		},
	},
	"release": {
		"weights_digest": weights_digest,
		"mode": "gated_download",
		"stages": [{"audience": "vetted researchers", "mode": "gated_download", "min_duration_days": 90, "exit_criteria": "no misuse incidents"}],
		"monitoring_plan": "Download logs and an abuse reporting channel, reviewed weekly.",
		"archival": {
			"weights_archived": true,
			"archive_digest": some_digest,
			"location": "cold storage",
			"retention": "org_lifetime",
			"verified_restore": true,
		},
		"deletion": {"planned": false, "scheduled_for": null, "rationale": null},
		"responses_to_model_requests": [],
	},
	"transcripts": {"samples": null, "file": {"path": "transcripts.jsonl", "digest": some_digest, "count": 624}},
	"integrity": {"algorithm": "sha256", "canonicalization": "RFC8785", "sections": {}},
}

category(id, tier, elicitation) := {
	"id": id,
	"tier": tier,
	"elicitation": elicitation,
	"evaluator": "internal frontier red team",
	"report_uri": sprintf("https://example.org/evals/%s-%s", [id, elicitation]),
}

# Patch operations must be written as literals at the call site: regopy 1.5.2's json.patch
# ignores operation objects built by a function or another rule.
patched(ops) := json.patch(bundle, ops)

# Mock values are bound to local variables first: regopy 1.5.2 ignores `with input.x as
# <reference to a rule>` (the rule reads as undefined), but honours a variable or a call.

# Rule ids in a set of reasons.
ids(reasons) := {r.rule_id | some r in reasons}

# The decision for bundle `b` under the fixture context.
decision(b) := d if {
	ctx := context
	d := data.gatekeeper.decision.result with input.bundle as b with input.context as ctx
}
