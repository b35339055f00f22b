"""Evidence collection: probe suites in, classified samples and the `welfare` section out.

Data flows one way: `suite` (load + lint) -> `plan` (expand into samples) -> `runner`
(backends, retries, store) -> `classify` (offline or judge) -> `aggregate` (statistics)
-> `assemble` (the bundle).  litellm is imported only inside `backends.litellm_backend`.
"""
