"""Evidence collection: probe suites in, read samples and the sealed bundle out.

Data flows one way: `suite` (load + lint) -> `plan` (expand into samples) -> `runner`
(backends, retries, store; or `workers` in several processes, `batch` through a provider's
batch service, a `partition` of the samples per `shard`) -> `normalise` (the reader: offline
or `judge`) -> `assemble` (transcripts, and the welfare figures from `gatekeeper.bundle.derive`,
the same code the loader re-derives them with). litellm is imported only inside
`litellm_backend` (and `batch`, through it).
"""
