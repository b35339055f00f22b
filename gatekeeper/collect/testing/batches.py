"""A minimal OpenAI-style batch service for the loopback server: files and batch jobs.

`POST /v1/files` stores an uploaded JSONL file, `POST /v1/batches` starts a job over it,
`GET /v1/batches/{id}` reports its status (in progress at first, then completed), and
`GET /v1/files/{id}/content` returns the output and error files. Each line is answered by
the server's own chat logic, and the server's fault probabilities (429s, 500s) turn lines
into error lines, as a provider's batch service reports failed requests.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from gatekeeper.collect.testing.server import LoopbackServer

PROCESSING_SECONDS = 0.05
"""How long a job stays `in_progress` before it completes (so clients must poll)."""


class BatchService:
    def __init__(self, server: LoopbackServer) -> None:
        self._server = server
        self.files: dict[str, bytes] = {}
        self.jobs: dict[str, dict[str, Any]] = {}
        self.log: Counter[str] = Counter()
        """`created` jobs, `retrieved` status polls, `lines` answered, `failed` lines."""

    def route(self, router: web.UrlDispatcher) -> None:
        router.add_post("/v1/files", self._upload)
        router.add_get("/v1/files/{id}/content", self._content)
        router.add_post("/v1/batches", self._create)
        router.add_get("/v1/batches/{id}", self._retrieve)

    def _file(self, data: bytes) -> str:
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = data
        return file_id

    async def _upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form["file"]
        assert isinstance(upload, web.FileField), "the file comes as a multipart upload"
        content = upload.file.read()
        file_id = self._file(content)
        return web.json_response({"id": file_id, "object": "file", "bytes": len(content),
                                  "created_at": int(time.time()), "filename": "batch.jsonl",
                                  "purpose": str(form.get("purpose", "batch")),
                                  "status": "processed"})

    async def _content(self, request: web.Request) -> web.Response:
        data = self.files.get(request.match_info["id"])
        if data is None:
            return web.json_response({"error": {"message": "no such file"}}, status=404)
        return web.Response(body=data, content_type="application/jsonl")

    async def _create(self, request: web.Request) -> web.Response:
        body: dict[str, Any] = await request.json()
        if body.get("input_file_id") not in self.files:
            return web.json_response({"error": {"message": "no such input file"}}, status=400)
        job_id = f"batch-{len(self.jobs) + 1}"
        self.jobs[job_id] = {
            "id": job_id, "object": "batch", "endpoint": body["endpoint"], "errors": None,
            "input_file_id": body["input_file_id"],
            "completion_window": body["completion_window"], "status": "in_progress",
            "output_file_id": None, "error_file_id": None, "created_at": int(time.time()),
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
            "metadata": body.get("metadata"),
        }
        self.log["created"] += 1
        asyncio.get_running_loop().call_later(PROCESSING_SECONDS, self._process, job_id)
        return web.json_response(self.jobs[job_id])

    async def _retrieve(self, request: web.Request) -> web.Response:
        job = self.jobs.get(request.match_info["id"])
        if job is None:
            return web.json_response({"error": {"message": "no such batch"}}, status=404)
        self.log["retrieved"] += 1
        return web.json_response(job)

    def _process(self, job_id: str) -> None:
        job = self.jobs[job_id]
        done: list[str] = []
        failed: list[str] = []
        for raw in self.files[job["input_file_id"]].decode().splitlines():
            line = json.loads(raw)
            status, answer = self._line(line["body"])
            entry = json.dumps({"id": f"batch_req_{self.log['lines']}",
                                "custom_id": line["custom_id"], "error": None,
                                "response": {"status_code": status, "body": answer}})
            (done if status == 200 else failed).append(entry)
        job["request_counts"] = {"total": len(done) + len(failed), "completed": len(done),
                                 "failed": len(failed)}
        job["output_file_id"] = self._file("".join(f"{e}\n" for e in done).encode())
        job["error_file_id"] = self._file("".join(f"{e}\n" for e in failed).encode())
        job["status"] = "completed"

    def _line(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.log["lines"] += 1
        fault = self._server.roll_fault()
        if fault in ("rate_limit", "server_error"):
            self.log["failed"] += 1
            return (429 if fault == "rate_limit" else 500), {"error": {"message": fault}}
        return self._server.answer(body)
