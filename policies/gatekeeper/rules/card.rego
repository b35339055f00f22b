# METADATA
# title: Model card
# description: >-
#   The model card is what the public reads about a release. When `--model-card` is given,
#   its facts (input.card) must agree with the evidence and the release plan: the same
#   weights, the same release mode, an access gate where the plan gates downloads, and a
#   licence a downstream user can read. Nothing here fires without a card.
package gatekeeper.rules.card

import rego.v1

_thresholds := data.gatekeeper.thresholds.card

_card := input.card if is_object(input.card)

_review := _card.release_review if is_object(_card.release_review)

_release := input.bundle.release if is_object(input.bundle.release)

_has_review if is_object(_card.release_review)

_gate_declared if _card.gating.declared == true

# METADATA
# title: Model card names other weights
# description: >-
#   The card's release_review.weights_digest differs from the digest the evidence was
#   collected for: the page the public reads would describe weights the gate never saw.
# custom:
#   rule_id: GK-CRD-001
#   severity: block
#   remediation: >-
#     Put the evaluated weights' digest (gatekeeper weights digest PATH) in the card's
#     release_review.weights_digest, or re-collect the evidence for the weights the card
#     names.
#   frameworks:
#     - GPAI Code of Practice, Model Documentation Form 1.3 (model authenticity)
#     - EU AI Act Art. 53
#     - NIST AI RMF MEASURE 2.1
block_reasons contains reason if {
	card_digest := _review.weights_digest
	evidence_digest := input.bundle.subject.weights_digest
	card_digest != evidence_digest
	reason := {
		"rule_id": "GK-CRD-001",
		"message": sprintf("The model card names weights %s, but the evidence was collected for %s.", [card_digest, evidence_digest]),
		"fields": ["card.release_review.weights_digest", "subject.weights_digest"],
		"values": {
			"card.release_review.weights_digest": card_digest,
			"subject.weights_digest": evidence_digest,
		},
	}
}

# METADATA
# title: Model card and release plan disagree on the release mode
# description: >-
#   The card asks for one release mode and the reviewed release plan declares another; the
#   release must not go out more openly than the plan the gate evaluated.
# custom:
#   rule_id: GK-CRD-002
#   severity: escalate
#   remediation: >-
#     Make release_review.release_mode in the card and release.mode in the release plan
#     the same, then evaluate again.
#   frameworks:
#     - Solaiman 2023, gradient of generative AI release
#     - NIST AI RMF MANAGE 1.1
escalate_reasons contains reason if {
	_review.release_mode != _release.mode
	reason := {
		"rule_id": "GK-CRD-002",
		"message": sprintf("The model card asks for release mode `%s`; the release plan declares `%s`.", [_review.release_mode, _release.mode]),
		"fields": ["card.release_review.release_mode", "release.mode"],
		"values": {
			"card.release_review.release_mode": _review.release_mode,
			"release.mode": _release.mode,
		},
	}
}

# METADATA
# title: Gated release without an access gate on the card
# description: >-
#   The release plan gates downloads, but the card declares no Hub access gate
#   (extra_gated_* fields): published like this, the weights would be fully open.
# custom:
#   rule_id: GK-CRD-003
#   severity: escalate
#   remediation: >-
#     Add the access gate to the card (extra_gated_prompt and extra_gated_fields) and turn
#     gating on in the repository settings, or change the release plan's mode.
#   frameworks:
#     - Hugging Face gated models (models-gated.md)
#     - NIST AI RMF MANAGE 1.3
escalate_reasons contains reason if {
	_release.mode in _thresholds.gated_modes
	is_object(_card)
	not _gate_declared
	reason := {
		"rule_id": "GK-CRD-003",
		"message": sprintf("The release plan declares `%s`, but the model card declares no access gate (no extra_gated_* fields).", [_release.mode]),
		"fields": ["card.gating.declared", "release.mode"],
		"values": {"card.gating.declared": false, "release.mode": _release.mode},
	}
}

# Presence is a helper rule so `not` applies to a defined rule (pitfall shared with
# evidence.rego: `not is_string(x.y)` with x undefined differs between OPA and regopy).
_has_field(name) if is_string(_card[name])

_missing_licence_fields contains name if {
	some name in _thresholds.named_licence_fields
	not _has_field(name)
}

# METADATA
# title: Licence "other" without its name or link
# description: >-
#   The card's licence is `other` but it does not say which licence (license_name) or
#   where to read it (license_link), so a downstream user cannot know the terms.
# custom:
#   rule_id: GK-CRD-004
#   severity: condition
#   remediation: >-
#     Add license_name (a short slug) and license_link (LICENSE in the repository, or a
#     URL) to the card's front matter.
#   frameworks:
#     - Hugging Face model card metadata (license_name, license_link)
#     - EU AI Act Art. 53(1)(b), Annex XII
#     - GPAI Code of Practice, Model Documentation Form 3.x (licence)
conditions contains reason if {
	_card.license in _thresholds.licences_needing_name
	count(_missing_licence_fields) > 0
	missing := sort(_missing_licence_fields)
	reason := {
		"rule_id": "GK-CRD-004",
		"message": concat("", ["The model card's licence is `other` but it lacks: ", concat(", ", missing), "."]),
		"fields": ["card.license", "card.license_name", "card.license_link"],
		"values": {"card.license": _card.license, "card.missing": missing},
	}
}

# METADATA
# title: No licence on the model card
# description: >-
#   The card declares no licence, so downstream users have no terms and the EU AI Act's
#   open-source exemption (Art. 53(2)) cannot even be considered.
# custom:
#   rule_id: GK-CRD-005
#   severity: condition
#   remediation: Add `license:` (a Hub licence id, or `other` with license_name and license_link).
#   frameworks:
#     - EU AI Act Art. 53(2)
#     - GPAI Code of Practice, Model Documentation Form 3.x (licence)
conditions contains reason if {
	is_object(_card)
	not _has_field("license")
	reason := {
		"rule_id": "GK-CRD-005",
		"message": "The model card declares no licence.",
		"fields": ["card.license"],
		"values": {"card.license": null},
	}
}

# METADATA
# title: Model card without a release_review block
# description: >-
#   The card does not say which weights, release mode, release plan and evidence it is for,
#   so nothing binds the published page to the decision.
# custom:
#   rule_id: GK-CRD-006
#   severity: escalate
#   remediation: >-
#     Add a release_review block to the card's front matter (weights_digest, release_mode,
#     release_plan, evidence_bundle).
#   frameworks:
#     - GPAI Code of Practice, Model Documentation Form 1.3 (model authenticity)
#     - NIST AI RMF MANAGE 1.1
escalate_reasons contains reason if {
	is_object(_card)
	not _has_review
	reason := {
		"rule_id": "GK-CRD-006",
		"message": "The model card has no release_review block naming its weights, release mode, plan and evidence.",
		"fields": ["card.release_review"],
		"values": {"card.release_review": null},
	}
}
