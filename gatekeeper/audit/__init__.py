"""The audit trail: hash-chained ledger, content-addressed archive, signed attestations,
waivers, and offline `verify` and `replay`."""

from gatekeeper.audit.recording import DEFAULT_LEDGER, RecordedDecision, record_decision

__all__ = ["DEFAULT_LEDGER", "RecordedDecision", "record_decision"]
