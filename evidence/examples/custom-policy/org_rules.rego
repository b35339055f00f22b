# METADATA
# title: Example organisation rules
# description: >-
#   A sample of what an organisation adds with `--policy-dir`: any package under
#   gatekeeper.rules contributes its block_reasons, escalate_reasons and conditions to the
#   same decision, with no change to the built-in policies. This one requires that the
#   worst-case fine-tuning method was reviewed externally and that the review's
#   recommendations were addressed. Helper rules here must not read
#   data.gatekeeper.decision (that would be recursive).
package gatekeeper.rules.org_example

import rego.v1

_worst_case_ft := input.bundle.misuse.worst_case_ft

_has_external_review if is_object(_worst_case_ft.external_review)

# METADATA
# title: Worst-case fine-tuning not externally reviewed
# description: >-
#   Our organisation releases weights only when an external organisation has reviewed the
#   worst-case fine-tuning method (as METR did for gpt-oss).
# custom:
#   rule_id: ORG-EX-001
#   severity: escalate
#   remediation: >-
#     Commission an external review of the worst-case fine-tuning method and record it in
#     misuse.worst_case_ft.external_review.
#   frameworks:
#     - METR gpt-oss methodology review
#     - NIST AI RMF GOVERN 4.1
escalate_reasons contains reason if {
	_worst_case_ft.performed == true
	not _has_external_review
	reason := {
		"rule_id": "ORG-EX-001",
		"message": "The worst-case fine-tuning method has no external review; our policy requires one before any open release.",
		"fields": ["misuse.worst_case_ft.external_review"],
		"values": {"misuse.worst_case_ft.external_review": null},
	}
}

# METADATA
# title: External review recommendations outstanding
# description: >-
#   The external review made recommendations that are not all addressed yet; the release
#   may proceed only once they are, or with a published rationale for each one left open.
# custom:
#   rule_id: ORG-EX-002
#   severity: condition
#   remediation: Address the remaining recommendations, or publish why each is not adopted.
#   frameworks:
#     - METR gpt-oss methodology review
conditions contains reason if {
	review := _worst_case_ft.external_review
	review.addressed < review.n_recommendations
	reason := {
		"rule_id": "ORG-EX-002",
		"message": sprintf("%s made %d recommendations on the worst-case fine-tuning method and %d are addressed.", [review.org, review.n_recommendations, review.addressed]),
		"fields": ["misuse.worst_case_ft.external_review.addressed", "misuse.worst_case_ft.external_review.n_recommendations"],
		"values": {
			"misuse.worst_case_ft.external_review.addressed": review.addressed,
			"misuse.worst_case_ft.external_review.n_recommendations": review.n_recommendations,
		},
		"threshold": {"field": "misuse.worst_case_ft.external_review.addressed", "operator": "<", "value": review.n_recommendations},
	}
}
