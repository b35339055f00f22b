package gatekeeper.rules.pull_request_test

import rego.v1

import data.gatekeeper.fixtures_test as f

same_repository := {"number": 7, "base_repository": "acme/models", "head_repository": "acme/models", "from_fork": false}

from_fork := {"number": 8, "base_repository": "acme/models", "head_repository": "mallory/models", "from_fork": true}

from_deleted_fork := {"number": 9, "base_repository": "acme/models", "head_repository": null, "from_fork": true}

escalations(pr) := r if {
	b := f.bundle
	ctx := object.union(f.context, {"pull_request": pr})
	r := data.gatekeeper.rules.pull_request.escalate_reasons with input.bundle as b with input.context as ctx
}

test_no_pull_request_no_reason if {
	b := f.bundle
	ctx := f.context
	count(data.gatekeeper.rules.pull_request.escalate_reasons) == 0 with input.bundle as b with input.context as ctx
}

test_same_repository_pull_request_is_fine if {
	pr := same_repository
	count(escalations(pr)) == 0
}

test_fork_escalates_with_evidence_incomplete if {
	pr := from_fork
	some r in escalations(pr)
	r.rule_id == "GK-PR-001"
	r.message == "Evidence incomplete: pull request #8 comes from a fork (mallory/models), which cannot collect or vouch for evidence."
}

test_deleted_fork_escalates if {
	pr := from_deleted_fork
	some r in escalations(pr)
	r.message == "Evidence incomplete: pull request #9 comes from a fork (a deleted repository), which cannot collect or vouch for evidence."
}
