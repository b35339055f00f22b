"""How much of each input the gate reads, and how deep and how large its values may be.

Every file the gate reads is refused above its limit before it is read into memory, so a
hostile or careless input costs bounded time and memory (the README lists the figures
measured at these limits). A limit is generous for what a real file holds: each comment
says what that is.
"""

from __future__ import annotations

MiB = 1024 * 1024

BUNDLE_BYTES = 64 * MiB
"""An evidence bundle: ~10 KB with its transcripts in a file; inline samples of a large
review (10,000 samples of a few KB) stay well below."""

TRANSCRIPTS_BYTES = 128 * MiB
"""The transcripts JSONL a bundle names: 2,040 samples of real answers are ~10 MB; the
typed samples of a file at this limit take ~1 GB."""

RELEASE_PLAN_BYTES = 1 * MiB
"""A release plan is a few KB of YAML written by people."""

POLICY_DATA_BYTES = 1 * MiB
"""A `--data` file or a policy folder's `data.yaml` (the defaults are ~8 KB)."""

POLICY_MODULE_BYTES = 1 * MiB
"""One Rego module (the largest built-in one is ~20 KB)."""

POLICY_FILES = 1000
"""Rego modules and data files in one policy folder."""

MODEL_CARD_BYTES = 10 * MiB
"""A model card (prose and front matter)."""

EVENT_BYTES = 25 * MiB
"""A GitHub event payload or gate artifact (GitHub caps webhook payloads at 25 MB)."""

SMALL_DOCUMENT_BYTES = 1 * MiB
"""A waiver, a `--cards-from` list, a shard index, a calibration report."""

KEY_BYTES = 64 * 1024
"""A PEM key (an Ed25519 key is under 200 bytes)."""

SUITE_BYTES = 16 * MiB
"""A probe suite, a labelled answer set or an imported model-written-evals file."""

LEDGER_BYTES = 4096 * MiB
"""A whole ledger, which `verify` reads at once to check it on every core (a record is
~10 KB: 400,000 decisions); `replay` and appends stream it whatever its size."""

LEDGER_LINE_BYTES = 64 * MiB
"""One ledger record (its result, not its input, which is archived by digest)."""

ATTESTATION_BYTES = LEDGER_LINE_BYTES
"""One attestation: what its record holds, base64 (a 4 MB model name, named three times in
the statement, makes an 11 MB envelope)."""

ARCHIVED_OBJECT_BYTES = 2 * BUNDLE_BYTES
"""One archived object: a policy input holds the bundle plus the plan and the card's facts."""

MAX_DEPTH = 64
"""Nesting of arrays and objects in any JSON or YAML document (a bundle nests 7 deep)."""

MAX_VALUES = 2_000_000
"""Values (members and items, nested ones included) in one JSON or YAML document: a bundle
with 10,000 inline samples holds ~400,000. Beyond it, validation alone would take
gigabytes (a 60 MB array of small integers: 31 million values, 2.3 GB)."""

MAX_INTEGER = 2**53 - 1
"""Integers beyond ±(2^53 - 1) have no exact IEEE double, so OPA, regopy and RFC 8785 would
each read them differently (RFC 7493 section 2.2, I-JSON)."""
