"""Evidence collection: probe suites in, read samples and the sealed bundle out.

Data flows one way: `suite` (load + lint) -> `plan` (expand into samples) -> `runner`
(backends, retries, store) -> `normalise` (the reader: offline or `judge`) -> `assemble`
(transcripts, and the welfare figures from `gatekeeper.bundle.derive`, the same code the
loader re-derives them with). litellm is imported only inside `litellm_backend`.
"""
