"""Evidence collection: probe suites in, classified samples and the `welfare` section out.

Data flows one way: `suite` (load + lint) -> `plan` (expand into samples) -> `runner`
(backends, retries, store; or `workers` in several processes, `batch` through a provider's
batch service, a `partition` of the samples per `shard`) -> `classify` (offline or judge)
-> `aggregate` (statistics) -> `assemble` (the bundle).  litellm is imported only inside
`litellm_backend` (and `batch`, through it).
"""
