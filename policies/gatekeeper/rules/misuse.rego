# METADATA
# title: Misuse risk
# description: >-
#   The lab's declared misuse assessment, judged the way open weights demand: safeguards
#   do not travel with the weights, so worst-case fine-tuned capability decides, against a
#   baseline declared in advance (rows 1 to 4 of docs/verdict-matrix.md; docs/pitfalls.md#pitfall-11, docs/pitfalls.md#pitfall-12).
package gatekeeper.rules.misuse

import rego.v1

_thresholds := data.gatekeeper.thresholds.misuse

default _bundle := {}

_bundle := input.bundle if is_object(input.bundle)

_categories := _bundle.misuse.categories if is_array(_bundle.misuse.categories)

_assessed_ids contains c.id if some c in _categories

_worst_case_ids contains c.id if {
	some c in _categories
	c.elicitation == "worst_case_ft"
}

_default_ids contains c.id if {
	some c in _categories
	c.elicitation == "default"
}

# METADATA
# title: Required misuse category not assessed
# description: >-
#   A tracked misuse category (bio/chem, cyber, AI self-improvement by default) has no
#   assessment at all. Misuse evidence that is missing blocks an open release (matrix
#   row 1).
# custom:
#   rule_id: GK-MIS-001
#   severity: block
#   remediation: >-
#     Assess the category (default model and worst-case fine-tune) and declare the result
#     in the release plan's misuse.categories.
#   frameworks:
#     - OpenAI Preparedness Framework v2
#     - Anthropic RSP
#     - EU AI Act Art. 55
block_reasons contains reason if {
	is_array(_categories)
	some id in _thresholds.required_categories
	not id in _assessed_ids
	reason := {
		"rule_id": "GK-MIS-001",
		"message": sprintf("Misuse category `%s` was not assessed.", [id]),
		"fields": ["misuse.categories"],
		"values": {"misuse.categories[].id": sort(_assessed_ids)},
	}
}

# METADATA
# title: Worst-case fine-tuning method not externally reviewed
# description: >-
#   The malicious fine-tuning evaluation was performed but nobody outside the lab reviewed
#   its method; for gpt-oss an external reviewer (METR) checked the method before release.
# custom:
#   rule_id: GK-MIS-011
#   severity: condition
#   remediation: >-
#     Have the worst-case fine-tuning method reviewed by an external organisation and
#     record it in misuse.worst_case_ft.external_review.
#   frameworks:
#     - OpenAI gpt-oss model card (malicious fine-tuning)
#     - METR gpt-oss methodology review
conditions contains reason if {
	_bundle.misuse.worst_case_ft.performed == true
	not _externally_reviewed
	reason := {
		"rule_id": "GK-MIS-011",
		"message": "Worst-case fine-tuning was not reviewed externally: obtain an external review of its method before release.",
		"fields": ["misuse.worst_case_ft.external_review"],
		"values": {"misuse.worst_case_ft.external_review": null},
	}
}

_externally_reviewed if is_object(_bundle.misuse.worst_case_ft.external_review)

# METADATA
# title: Misuse category not assessed on the default model
# description: >-
#   A tracked category was assessed only under worst-case fine-tuning. The gpt-oss
#   procedure checks both: the released default model below High, and the malicious
#   fine-tune below High; one does not stand in for the other.
# custom:
#   rule_id: GK-MIS-010
#   severity: escalate
#   remediation: >-
#     Evaluate the default (as-released) model for the category and declare it with
#     elicitation default.
#   frameworks:
#     - OpenAI Preparedness Framework v2
#     - OpenAI gpt-oss model card (malicious fine-tuning)
escalate_reasons contains reason if {
	some id in _thresholds.required_categories
	id in _worst_case_ids
	not id in _default_ids
	field := sprintf("misuse.categories[id=%s,elicitation=default]", [id])
	reason := {
		"rule_id": "GK-MIS-010",
		"message": sprintf("Misuse category `%s` was assessed under worst-case fine-tuning only, not on the default model.", [id]),
		"fields": [field],
		"values": {field: null},
	}
}

# METADATA
# title: Misuse category assessed on the default model only
# description: >-
#   A tracked category was assessed only on the default model. Open weights can be
#   fine-tuned past their refusals, so the worst-case fine-tuned capability is what an
#   attacker reaches (docs/pitfalls.md#pitfall-12).
# custom:
#   rule_id: GK-MIS-002
#   severity: escalate
#   remediation: >-
#     Run a worst-case (malicious) fine-tuning evaluation for the category and declare it
#     with elicitation worst_case_ft.
#   frameworks:
#     - OpenAI Preparedness Framework v2
#     - OpenAI gpt-oss model card (malicious fine-tuning)
#     - EU AI Act Art. 55
escalate_reasons contains reason if {
	some id in _thresholds.required_categories
	id in _assessed_ids
	not id in _worst_case_ids
	reason := {
		"rule_id": "GK-MIS-002",
		"message": sprintf("Misuse category `%s` was assessed on the default model only, not under worst-case fine-tuning.", [id]),
		"fields": [sprintf("misuse.categories[id=%s].elicitation", [id])],
		"values": {sprintf("misuse.categories[id=%s].elicitation", [id]): "default"},
	}
}

# METADATA
# title: Critical misuse capability
# description: >-
#   A category is at the critical tier. No open release: critical capability calls for
#   safeguards during development, and an open release can carry none (docs/verdict-matrix.md#row-2).
# custom:
#   rule_id: GK-MIS-003
#   severity: block
#   remediation: >-
#     Do not release the weights. Any closed deployment is a separate decision under the
#     lab's frontier safety framework.
#   frameworks:
#     - OpenAI Preparedness Framework v2
#     - Meta Frontier AI Framework
#     - Anthropic RSP
#     - EU AI Act Art. 55
block_reasons contains reason if {
	some c in _categories
	c.tier in _thresholds.block_tiers_any_elicitation
	field := sprintf("misuse.categories[id=%s,elicitation=%s].tier", [c.id, c.elicitation])
	reason := {
		"rule_id": "GK-MIS-003",
		"message": sprintf("Misuse category `%s` is `%s` (%s elicitation, evaluated by %s): open release is blocked.", [c.id, c.tier, c.elicitation, c.evaluator]),
		"fields": [field],
		"values": {field: c.tier},
	}
}

# METADATA
# title: High misuse capability under worst-case fine-tuning
# description: >-
#   A category reaches the high tier once an attacker fine-tunes the open weights. Open
#   release would put that capability beyond any safeguard or recall (docs/verdict-matrix.md#row-2).
# custom:
#   rule_id: GK-MIS-004
#   severity: block
#   remediation: >-
#     Do not release the weights openly; consider a hosted or API deployment with
#     safeguards, decided separately.
#   frameworks:
#     - OpenAI Preparedness Framework v2
#     - OpenAI gpt-oss model card (malicious fine-tuning)
#     - Meta Frontier AI Framework
block_reasons contains reason if {
	some c in _categories
	c.elicitation == "worst_case_ft"
	c.tier in _thresholds.block_tiers_worst_case
	field := sprintf("misuse.categories[id=%s,elicitation=worst_case_ft].tier", [c.id])
	reason := {
		"rule_id": "GK-MIS-004",
		"message": sprintf("Misuse category `%s` reaches `%s` under worst-case fine-tuning (evaluated by %s): open release is blocked.", [c.id, c.tier, c.evaluator]),
		"fields": [field],
		"values": {field: c.tier},
	}
}

# METADATA
# title: High misuse capability on the default model
# description: >-
#   A category is already high on the default model; a fine-tune can only reach further,
#   so the open release is blocked as for worst-case high.
# custom:
#   rule_id: GK-MIS-005
#   severity: block
#   remediation: Do not release the weights openly.
#   frameworks:
#     - OpenAI Preparedness Framework v2
#     - OpenAI gpt-oss model card
block_reasons contains reason if {
	some c in _categories
	c.elicitation == "default"
	c.tier in _thresholds.block_tiers_default
	field := sprintf("misuse.categories[id=%s,elicitation=default].tier", [c.id])
	reason := {
		"rule_id": "GK-MIS-005",
		"message": sprintf("Misuse category `%s` is already `%s` on the default model (evaluated by %s): open release is blocked.", [c.id, c.tier, c.evaluator]),
		"fields": [field],
		"values": {field: c.tier},
	}
}

_approaching_ids contains c.id if {
	some c in _categories
	c.tier in _thresholds.escalate_without_worst_case_ft_tiers
}

# METADATA
# title: Approaching a threshold without worst-case fine-tuning
# description: >-
#   A category is approaching a threshold and no worst-case fine-tuning evaluation was
#   performed, so nobody knows how far an attacker can take it (docs/verdict-matrix.md#row-3).
# custom:
#   rule_id: GK-MIS-006
#   severity: escalate
#   remediation: >-
#     Perform a worst-case fine-tuning evaluation, ideally with an external review of the
#     method, before deciding.
#   frameworks:
#     - OpenAI gpt-oss model card (malicious fine-tuning)
#     - METR gpt-oss methodology review
#     - OpenAI Preparedness Framework v2
escalate_reasons contains reason if {
	_bundle.misuse.worst_case_ft.performed == false
	count(_approaching_ids) > 0
	reason := {
		"rule_id": "GK-MIS-006",
		"message": concat("", ["Misuse categories ", concat(", ", sort(_approaching_ids)), " are approaching a threshold and no worst-case fine-tuning was performed."]),
		"fields": ["misuse.worst_case_ft.performed", "misuse.categories"],
		"values": {"misuse.worst_case_ft.performed": false, "misuse.categories[tier=approaching].id": sort(_approaching_ids)},
	}
}

# METADATA
# title: Worst-case results declared without a worst-case fine-tune
# description: >-
#   The plan declares category results under worst-case fine-tuning but also says no
#   worst-case fine-tuning was performed. The declaration contradicts itself.
# custom:
#   rule_id: GK-MIS-007
#   severity: escalate
#   remediation: Correct the release plan's misuse section so the two agree.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
escalate_reasons contains reason if {
	_bundle.misuse.worst_case_ft.performed == false
	count(_worst_case_ids) > 0
	reason := {
		"rule_id": "GK-MIS-007",
		"message": concat("", ["The plan says no worst-case fine-tuning was performed yet declares worst-case results for ", concat(", ", sort(_worst_case_ids)), "."]),
		"fields": ["misuse.worst_case_ft.performed", "misuse.categories"],
		"values": {"misuse.worst_case_ft.performed": false, "misuse.categories[elicitation=worst_case_ft].id": sort(_worst_case_ids)},
	}
}

_conditional_ids contains c.id if {
	some c in _categories
	c.tier in _thresholds.conditional_tiers
}

_conditional_causes contains sprintf("category %s is %s", [c.id, c.tier]) if {
	some c in _categories
	c.tier in _thresholds.conditional_tiers
}

_conditional_causes contains "the release advances the open frontier" if {
	_bundle.misuse.marginal.advances_open_frontier == true
}

# METADATA
# title: Gated or staged release only
# description: >-
#   A category is approaching a threshold or unknown, or the release advances the open
#   frontier against the declared baseline. The release may go ahead gated or staged only,
#   never fully open, with archival, monitoring and re-evaluation at every stage
#   (docs/verdict-matrix.md#row-4).
# custom:
#   rule_id: GK-MIS-008
#   severity: condition
#   remediation: >-
#     Plan a gated or staged release with re-evaluation between stages; do not move to
#     fully_open without a new evaluation.
#   frameworks:
#     - Solaiman 2023, gradient of generative AI release
#     - GPT-2 staged release
#     - OpenAI gpt-oss model card
#     - NIST AI RMF MANAGE 1.3
conditions contains reason if {
	count(_conditional_causes) > 0
	reason := {
		"rule_id": "GK-MIS-008",
		"message": concat("", ["Release gated or staged only, never fully open, with re-evaluation at each stage, because ", concat("; ", sort(_conditional_causes)), "."]),
		"fields": ["misuse.categories", "misuse.marginal.advances_open_frontier"],
		"values": {
			"misuse.categories[tier in conditional].id": sort(_conditional_ids),
			"misuse.marginal.advances_open_frontier": object.get(object.get(_bundle.misuse, "marginal", {}), "advances_open_frontier", null),
		},
	}
}

# METADATA
# title: Fully open release despite misuse conditions
# description: >-
#   The plan releases the weights fully open although a misuse condition restricts the
#   release to gated or staged modes (docs/verdict-matrix.md#row-4).
# custom:
#   rule_id: GK-MIS-009
#   severity: escalate
#   remediation: Change release.mode to a gated or staged mode, or resolve the misuse condition.
#   frameworks:
#     - Solaiman 2023, gradient of generative AI release
#     - GovAI, Open-Sourcing Highly Capable Foundation Models
#     - OpenAI gpt-oss model card
escalate_reasons contains reason if {
	count(_conditional_causes) > 0
	_bundle.release.mode in _thresholds.forbidden_modes_when_conditional
	reason := {
		"rule_id": "GK-MIS-009",
		"message": concat("", [
			sprintf("The plan releases `%s` although ", [_bundle.release.mode]),
			concat("; ", sort(_conditional_causes)),
			"; only a gated or staged release is allowed.",
		]),
		"fields": ["release.mode", "misuse.categories", "misuse.marginal.advances_open_frontier"],
		"values": {"release.mode": _bundle.release.mode},
	}
}

# Positive evidence for the decision: every required category was assessed under a
# worst-case fine-tune that was performed, and a baseline was declared.
assessment_complete if {
	is_array(_categories)
	_bundle.misuse.worst_case_ft.performed == true
	every id in _thresholds.required_categories {
		id in _worst_case_ids
		id in _default_ids
	}
	is_string(_bundle.misuse.marginal.baseline)
	is_boolean(_bundle.misuse.marginal.advances_open_frontier)
}
