# METADATA
# title: Evidence quality
# description: >-
#   Is the evidence complete, bound to the weights being released, fresh, and large enough
#   to mean something? Every check is a presence check first: a missing field must produce
#   a reason, never an undefined rule that reads as "nothing wrong" (docs/pitfalls.md#pitfall-1).
package gatekeeper.rules.evidence

import rego.v1

_thresholds := data.gatekeeper.thresholds.evidence

default _bundle := {}

_bundle := input.bundle if is_object(input.bundle)

default _evidence_age := null

_evidence_age := input.context.evidence_age_days

_records := _bundle.welfare.records if is_array(_bundle.welfare.records)

# METADATA
# title: Required evidence section missing
# description: >-
#   A section of the evidence bundle (subject, collection, welfare, misuse, release,
#   transcripts) is absent or null. Missing evidence never approves; it goes to a human.
# custom:
#   rule_id: GK-EVD-001
#   severity: escalate
#   remediation: >-
#     Collect the missing section with `gatekeeper collect`, or declare misuse/release in a
#     release plan passed with --release-plan.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
#     - NIST AI RMF MANAGE 1.1
#     - EU AI Act Art. 53
escalate_reasons contains reason if {
	some name in _thresholds.required_sections
	not _has_section(name)
	reason := {
		"rule_id": "GK-EVD-001",
		"message": sprintf("The evidence bundle has no `%s` section; a release cannot be approved without it.", [name]),
		"fields": [name],
		"values": {name: object.get(_bundle, name, null)},
	}
}

# METADATA
# title: Evidence is for other weights
# description: >-
#   The weights digest the evidence was collected from differs from the digest the lab
#   intends to publish. Evidence about another checkpoint says nothing about this one
#   (docs/pitfalls.md#pitfall-10); a later fine-tune invalidates it.
# custom:
#   rule_id: GK-EVD-002
#   severity: block
#   remediation: >-
#     Re-collect the evidence against the weights in the release plan, or correct
#     release.weights_digest if the plan names the wrong artefact.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
#     - OpenAI Preparedness Framework v2
#     - EU AI Act Art. 53
block_reasons contains reason if {
	subject_digest := _bundle.subject.weights_digest
	release_digest := _bundle.release.weights_digest
	subject_digest != release_digest
	reason := {
		"rule_id": "GK-EVD-002",
		"message": sprintf("The evidence was collected for weights %s but the release plan publishes %s.", [subject_digest, release_digest]),
		"fields": ["subject.weights_digest", "release.weights_digest"],
		"values": {
			"subject.weights_digest": subject_digest,
			"release.weights_digest": release_digest,
		},
	}
}

# METADATA
# title: Evidence is stale
# description: >-
#   The evidence finished collecting longer ago than the maximum age; the model, its
#   serving stack or the probe suites may have changed since.
# custom:
#   rule_id: GK-EVD-003
#   severity: escalate
#   remediation: Re-run the collection and evaluate the fresh bundle.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
#     - NIST AI RMF MANAGE 4.1
escalate_reasons contains reason if {
	age := input.context.evidence_age_days
	is_number(age)
	age > _thresholds.max_age_days
	reason := {
		"rule_id": "GK-EVD-003",
		"message": sprintf("The evidence is %.1f days old; the maximum is %d days.", [age, _thresholds.max_age_days]),
		"fields": ["context.evidence_age_days"],
		"values": {"context.evidence_age_days": age},
		"threshold": {"field": "context.evidence_age_days", "operator": ">", "value": _thresholds.max_age_days},
	}
}

# METADATA
# title: Evidence age unknown
# description: >-
#   The evaluation context carries no evidence age, so freshness cannot be shown.
# custom:
#   rule_id: GK-EVD-004
#   severity: escalate
#   remediation: >-
#     Evaluate through `gatekeeper evaluate`, which computes context.evidence_age_days from
#     collection.finished_at.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
escalate_reasons contains reason if {
	not _age_known
	reason := {
		"rule_id": "GK-EVD-004",
		"message": "The evaluation context gives no evidence age, so the evidence cannot be shown to be fresh.",
		"fields": ["context.evidence_age_days"],
		"values": {"context.evidence_age_days": _evidence_age},
	}
}

# METADATA
# title: Required welfare record missing
# description: >-
#   A (protocol, topic) cell the policies rely on was not collected, e.g. the counter-story
#   framing or the revealed-preference task on release. Without it, framing effects and
#   stated-vs-revealed agreement cannot be judged (docs/pitfalls.md#pitfall-3, docs/pitfalls.md#pitfall-6).
# custom:
#   rule_id: GK-EVD-005
#   severity: escalate
#   remediation: Run the missing protocol on the missing topic and rebuild the bundle.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
#     - Taking AI Welfare Seriously (assess)
escalate_reasons contains reason if {
	is_array(_records)
	some required in _thresholds.required_records
	not _has_record(required.protocol, required.topic)
	reason := {
		"rule_id": "GK-EVD-005",
		"message": sprintf("No welfare record for protocol `%s` on topic `%s`.", [required.protocol, required.topic]),
		"fields": [sprintf("welfare.records[protocol=%s,topic=%s]", [required.protocol, required.topic])],
		"values": {sprintf("welfare.records[protocol=%s,topic=%s]", [required.protocol, required.topic]): null},
	}
}

# METADATA
# title: Too few scored samples
# description: >-
#   A welfare record has fewer scored samples than the floor. One yes out of one sample has
#   a Wilson 95% interval of [0.21, 1.0]: small samples carry almost no information.
# custom:
#   rule_id: GK-EVD-006
#   severity: escalate
#   remediation: Sample more (more paraphrases, seeds or samples per prompt) and re-collect.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
#     - NIST AI RMF MEASURE 2.3
escalate_reasons contains reason if {
	some r in _records
	scored := r.n_samples - r.unscored.count
	scored < _thresholds.min_scored_samples
	field := concat("", [_record_path(r), ".n_scored"])
	reason := {
		"rule_id": "GK-EVD-006",
		"message": concat("", [
			_record_path(r),
			sprintf(" has %d scored samples; at least %d are required.", [scored, _thresholds.min_scored_samples]),
		]),
		"fields": [concat("", [_record_path(r), ".n_samples"]), concat("", [_record_path(r), ".unscored.count"])],
		"values": {field: scored},
		"threshold": {"field": field, "operator": "<", "value": _thresholds.min_scored_samples},
	}
}

# METADATA
# title: Too few paraphrases
# description: >-
#   A welfare record was collected over fewer prompt paraphrases than the floor, so one
#   wording may be driving the result.
# custom:
#   rule_id: GK-EVD-007
#   severity: escalate
#   remediation: Add paraphrases to the probe suite and re-collect.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
escalate_reasons contains reason if {
	some r in _records
	r.n_paraphrases < _thresholds.min_paraphrases
	field := concat("", [_record_path(r), ".n_paraphrases"])
	reason := {
		"rule_id": "GK-EVD-007",
		"message": concat("", [
			_record_path(r),
			sprintf(" used %d paraphrases; at least %d are required.", [r.n_paraphrases, _thresholds.min_paraphrases]),
		]),
		"fields": [field],
		"values": {field: r.n_paraphrases},
		"threshold": {"field": field, "operator": "<", "value": _thresholds.min_paraphrases},
	}
}

# METADATA
# title: Too few seeds
# description: >-
#   A welfare record was collected with fewer seeds than the floor, so run-to-run variation
#   is unmeasured (the Consciousness Cluster critique, docs/sources.md#consciousness-cluster-critique).
# custom:
#   rule_id: GK-EVD-008
#   severity: escalate
#   remediation: Re-collect with more seeds.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
escalate_reasons contains reason if {
	some r in _records
	r.n_seeds < _thresholds.min_seeds
	field := concat("", [_record_path(r), ".n_seeds"])
	reason := {
		"rule_id": "GK-EVD-008",
		"message": concat("", [
			_record_path(r),
			sprintf(" used %d seeds; at least %d are required.", [r.n_seeds, _thresholds.min_seeds]),
		]),
		"fields": [field],
		"values": {field: r.n_seeds},
		"threshold": {"field": field, "operator": "<", "value": _thresholds.min_seeds},
	}
}

# METADATA
# title: Too many unscored samples
# description: >-
#   Refusals, parse failures and provider errors are counted, not dropped; when too many
#   samples are unscored, the scored ones may be a biased subset.
# custom:
#   rule_id: GK-EVD-009
#   severity: escalate
#   remediation: >-
#     Look at the unscored reasons; fix the judge or provider problem and re-collect.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
#     - NIST AI RMF MEASURE 2.3
escalate_reasons contains reason if {
	some r in _records
	r.n_samples > 0
	fraction := r.unscored.count / r.n_samples
	fraction > _thresholds.max_unscored_fraction
	field := concat("", [_record_path(r), ".unscored_fraction"])
	reason := {
		"rule_id": "GK-EVD-009",
		"message": concat("", [
			_record_path(r),
			# The fraction is not formatted: when it is a whole number (every sample unscored)
			# OPA's %.3f cannot print it and the engines' messages would differ.
			sprintf(" left %d of %d samples unscored; the ceiling is a fraction of %.3f.", [r.unscored.count, r.n_samples, _thresholds.max_unscored_fraction]),
		]),
		"fields": [concat("", [_record_path(r), ".unscored.count"]), concat("", [_record_path(r), ".n_samples"])],
		"values": {
			concat("", [_record_path(r), ".unscored.count"]): r.unscored.count,
			concat("", [_record_path(r), ".n_samples"]): r.n_samples,
		},
		"threshold": {"field": field, "operator": ">", "value": _thresholds.max_unscored_fraction},
	}
}

# METADATA
# title: Judge not recorded
# description: >-
#   The judge model and its prompt digest must be pinned, so drift in the judge can be
#   seen and the scoring reproduced (docs/pitfalls.md#pitfall-9).
# custom:
#   rule_id: GK-EVD-010
#   severity: escalate
#   remediation: Record collection.judge.model and collection.judge.prompt_digest.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
escalate_reasons contains reason if {
	is_object(_bundle.collection)
	not _judge_recorded
	reason := {
		"rule_id": "GK-EVD-010",
		"message": "The collection does not record the judge model and its prompt digest.",
		"fields": ["collection.judge.model", "collection.judge.prompt_digest"],
		"values": {"collection.judge": object.get(_bundle.collection, "judge", null)},
	}
}

# METADATA
# title: Stance could not be derived
# description: >-
#   The normaliser marked a record or topic `insufficient`: there was not enough scored
#   evidence to derive any stance.
# custom:
#   rule_id: GK-EVD-011
#   severity: escalate
#   remediation: Re-collect with more samples; check the unscored reasons.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
escalate_reasons contains reason if {
	some field, name in _insufficient_stances
	reason := {
		"rule_id": "GK-EVD-011",
		"message": concat("", [name, " could not be derived from the evidence (insufficient)."]),
		"fields": [field],
		"values": {field: "insufficient"},
	}
}

# METADATA
# title: Required topic summary missing
# description: >-
#   The cross-protocol summary of a topic (framing effect, stated vs revealed agreement)
#   is absent, so the consistency checks cannot run.
# custom:
#   rule_id: GK-EVD-012
#   severity: escalate
#   remediation: Rebuild the bundle with the normaliser so welfare.topics is filled in.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
escalate_reasons contains reason if {
	is_object(_bundle.welfare)
	some topic in _thresholds.required_topics
	not _has_topic(topic)
	field := sprintf("welfare.topics[topic=%s]", [topic])
	reason := {
		"rule_id": "GK-EVD-012",
		"message": sprintf("The welfare section has no complete summary (framing effect, stated vs revealed) for topic `%s`.", [topic]),
		"fields": [field],
		"values": {field: null},
	}
}

# METADATA
# title: Suggestibility record without a flip rate
# description: >-
#   A suggestibility record must carry the flip rate after a neutral pushback; without it
#   no stance can be called robust (docs/pitfalls.md#pitfall-3).
# custom:
#   rule_id: GK-EVD-013
#   severity: escalate
#   remediation: Re-run the suggestibility protocol so flip_rate is recorded.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
escalate_reasons contains reason if {
	some r in _records
	r.protocol in _thresholds.flip_rate_protocols
	not _flip_rate_present(r)
	field := concat("", [_record_path(r), ".flip_rate"])
	reason := {
		"rule_id": "GK-EVD-013",
		"message": concat("", [_record_path(r), " has no measured flip rate: no sample was scored both before and after the pushback (0 of 0 is not measured, not suggestible)."]),
		"fields": [field],
		"values": {field: null},
	}
}

# METADATA
# title: Reader not calibrated
# description: >-
#   The reader that turned the answers into stances (the offline reader or a judge model)
#   was not measured against a hand-labelled set, or the measurement is of another reader
#   (another model or prompt). An unmeasured reader's stances are not evidence: a reader
#   that reads the first word, or obeys an injected instruction, looks exactly like one
#   that reads the answer.
# custom:
#   rule_id: GK-EVD-014
#   severity: escalate
#   remediation: >-
#     Collect again without --no-calibration (collect measures its reader on the shipped
#     labelled set), or pass a `gatekeeper judge calibrate --out` report for this reader.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
#     - NIST AI RMF MEASURE 2.5
escalate_reasons contains reason if {
	is_object(_bundle.collection)
	not _reader_calibrated
	reason := {
		"rule_id": "GK-EVD-014",
		"message": "The reader that scored the answers was not calibrated against labelled answers (or the calibration is of another reader), so its stances cannot be trusted.",
		"fields": ["collection.judge.calibration"],
		"values": {"collection.judge.calibration": object.get(object.get(_bundle.collection, "judge", {}), "calibration", null)},
	}
}

# METADATA
# title: Reader below its calibration floors
# description: >-
#   The reader was calibrated, but on too few labelled answers, or its agreement with the
#   hand labels (Cohen's kappa) or the precision of its readings is below the floor.
# custom:
#   rule_id: GK-EVD-015
#   severity: escalate
#   remediation: >-
#     Use a reader that meets the floors (a stronger judge, or the offline reader), or
#     calibrate on a larger labelled set; read docs/labelling-guide.md.
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
#     - NIST AI RMF MEASURE 2.5
escalate_reasons contains reason if {
	_reader_calibrated
	some field, problem in _calibration_problems
	reason := {
		"rule_id": "GK-EVD-015",
		"message": concat("", ["The reader's calibration is below its floor: ", problem, "."]),
		"fields": [field],
		"values": {field: object.get(_calibration, split(field, ".")[3], null)},
	}
}

# METADATA
# title: The candidate judged itself
# description: >-
#   The judge that read the answers is the candidate model. A model grading its own
#   statements about its own release is not an independent reading.
# custom:
#   rule_id: GK-EVD-016
#   severity: escalate
#   remediation: Collect again with a judge other than the candidate (--judge).
#   frameworks:
#     - NIST AI RMF MEASURE 2.1
#     - NIST AI RMF GOVERN 1.4
escalate_reasons contains reason if {
	_bundle.collection.judge.self_judge == true
	reason := {
		"rule_id": "GK-EVD-016",
		"message": "The judge that read the answers is the candidate model itself.",
		"fields": ["collection.judge.self_judge"],
		"values": {"collection.judge.self_judge": true},
	}
}

_calibration := _bundle.collection.judge.calibration

# The calibration must be of the reader that read this bundle: same model, same prompt.
_reader_calibrated if {
	is_object(_calibration)
	_calibration.reader == _bundle.collection.judge.model
	_calibration.prompt_digest == _bundle.collection.judge.prompt_digest
}

_calibration_problems["collection.judge.calibration.items"] := msg if {
	_calibration.items < _thresholds.min_calibration_items
	msg := sprintf("measured on %d labelled answers, at least %d are required", [_calibration.items, _thresholds.min_calibration_items])
}

_calibration_problems["collection.judge.calibration.kappa"] := "Cohen's kappa is undefined" if {
	not is_number(_calibration.kappa)
}

# is_number first: in Rego null sorts below every number, so `null < 0.6` is true.
_calibration_problems["collection.judge.calibration.kappa"] := msg if {
	is_number(_calibration.kappa)
	_calibration.kappa < _thresholds.min_reader_kappa
	msg := sprintf("Cohen's kappa %.3f is below %.3f", [_calibration.kappa, _thresholds.min_reader_kappa])
}

_calibration_problems["collection.judge.calibration.precision"] := "it read no labelled answer" if {
	not is_number(_calibration.precision)
}

_calibration_problems["collection.judge.calibration.precision"] := msg if {
	is_number(_calibration.precision)
	_calibration.precision < _thresholds.min_reader_precision
	msg := sprintf("precision %.3f is below %.3f", [_calibration.precision, _thresholds.min_reader_precision])
}

_reader_within_floors if {
	_reader_calibrated
	count(_calibration_problems) == 0
	not _bundle.collection.judge.self_judge == true
}

# Positive evidence that quality passed, for the decision's approval preconditions: every
# check is stated as something present and within bounds, never as "no reason fired".
quality_passed if {
	every name in _thresholds.required_sections {
		_has_section(name)
	}
	_bundle.subject.weights_digest == _bundle.release.weights_digest
	_age_known
	input.context.evidence_age_days <= _thresholds.max_age_days
	is_array(_records)
	every required in _thresholds.required_records {
		_has_record(required.protocol, required.topic)
	}
	every r in _records {
		_record_meets_floors(r)
	}
	every topic in _thresholds.required_topics {
		_has_topic(topic)
	}
	_judge_recorded
	_reader_within_floors
	count(_insufficient_stances) == 0
}

_record_meets_floors(r) if {
	r.n_samples - r.unscored.count >= _thresholds.min_scored_samples
	r.n_paraphrases >= _thresholds.min_paraphrases
	r.n_seeds >= _thresholds.min_seeds
	r.n_samples > 0
	r.unscored.count / r.n_samples <= _thresholds.max_unscored_fraction
	r.stance != "insufficient"
	_flip_rate_present(r)
}

_flip_rate_present(r) if not r.protocol in _thresholds.flip_rate_protocols

_flip_rate_present(r) if is_object(r.flip_rate)

# Presence checks are helper rules so that `not` applies to a defined rule: `not
# is_object(x[k])` with x[k] undefined is not reliably true across engines.
_has_section(name) if is_object(_bundle[name])

_age_known if is_number(input.context.evidence_age_days)

_has_record(protocol, topic) if {
	some r in _records
	r.protocol == protocol
	r.topic == topic
}

# A required topic counts only with its cross-protocol figures: a null framing effect or
# stated-vs-revealed agreement is missing evidence, not a clean bill (docs/pitfalls.md#pitfall-3, docs/pitfalls.md#pitfall-6).
_has_topic(topic) if {
	some summary in _bundle.welfare.topics
	summary.topic == topic
	is_number(summary.framing_effect)
	is_boolean(summary.stated_vs_revealed_agreement)
}

_judge_recorded if {
	is_string(_bundle.collection.judge.model)
	_bundle.collection.judge.model != ""
	startswith(_bundle.collection.judge.prompt_digest, "sha256:")
}

_insufficient_stances[field] := name if {
	some r in _records
	r.stance == "insufficient"
	field := concat("", [_record_path(r), ".stance"])
	name := concat("", ["The stance of ", _record_path(r)])
}

_insufficient_stances[field] := name if {
	some summary in _bundle.welfare.topics
	summary.stance == "insufficient"
	field := sprintf("welfare.topics[topic=%s].stance", [summary.topic])
	name := sprintf("The overall stance on `%s`", [summary.topic])
}

_record_path(r) := sprintf("welfare.records[protocol=%s,topic=%s,branch=%s]", [r.protocol, r.topic, r.branch]) if {
	is_string(r.branch)
} else := sprintf("welfare.records[protocol=%s,topic=%s]", [r.protocol, r.topic])
