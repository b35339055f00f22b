# METADATA
# title: Pull request origin
# description: >-
#   When the gate runs on a pull request (input.context.pull_request, from the event file
#   GitHub hands the workflow), evidence from a fork cannot be trusted: a fork's run has no
#   secrets, so it cannot collect or verify evidence, and its author may have written the
#   committed bundle by hand. Nothing here fires outside a pull request.
package gatekeeper.rules.pull_request

import rego.v1

_pull_request := input.context.pull_request if is_object(input.context.pull_request)

# METADATA
# title: Evidence incomplete on a fork pull request
# description: >-
#   The pull request comes from a fork (or from a head repository that no longer exists).
#   Its evidence was not collected by this repository's workflow, so a human must look:
#   a fork pull request is never approved by the gate alone.
# custom:
#   rule_id: GK-PR-001
#   severity: escalate
#   remediation: >-
#     A maintainer re-runs the gate from a branch of this repository (or approves the
#     evidence-collection environment), so the evidence is collected with this
#     repository's secrets.
#   frameworks:
#     - NIST AI RMF MANAGE 1.1
#     - NIST AI RMF MEASURE 2.1
escalate_reasons contains reason if {
	_pull_request.from_fork == true
	reason := {
		"rule_id": "GK-PR-001",
		"message": sprintf("Evidence incomplete: pull request #%d comes from a fork (%s), which cannot collect or vouch for evidence.", [_pull_request.number, _head_repository]),
		"fields": ["context.pull_request.from_fork", "context.pull_request.head_repository"],
		"values": {"context.pull_request.from_fork": true, "context.pull_request.head_repository": _pull_request.head_repository},
	}
}

default _head_repository := "a deleted repository"

_head_repository := _pull_request.head_repository if is_string(_pull_request.head_repository)
