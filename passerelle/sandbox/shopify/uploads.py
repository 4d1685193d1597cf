"""Staged uploads: where a bulk mutation's JSONL variables go before it runs.

https://shopify.dev/docs/api/usage/bulk-operations/imports: ``stagedUploadsCreate``
(resource ``BULK_MUTATION_VARIABLES``, ``text/jsonl``, POST) answers a target
``url`` and form ``parameters``; the app POSTs them as multipart/form-data with
the file last, and hands the ``key`` parameter to ``bulkOperationRunMutation`` as
``stagedUploadPath``. The file may be up to 100 MB
(https://shopify.dev/changelog/faster-bulk-operations, 2026-01, "up from 20MB"; the
20 MB limit was 20,971,520 bytes, so 100 MB is read as 100 MiB). A larger file is
refused by the storage behind the target, before Shopify sees it, with the storage's
XML error (``EntityTooLarge``, ``ProposedSize``, ``MaxSizeAllowed``: the answer
quoted in https://community.shopify.com/c/shopify-apis-and-sdks/graphql-bulk-operation-mutation-file-size-limit/m-p/1837033),
so the key is never stored and the bulk mutation then answers ``NO_SUCH_FILE``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from email import policy
from email.parser import BytesParser
from typing import Any

__all__ = ["MAX_UPLOAD_BYTES", "STAGED_UPLOAD_PATH", "StagedUploads"]

STAGED_UPLOAD_PATH = "/staged-uploads"
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
_XML = b"<?xml version='1.0' encoding='UTF-8'?>"


def _file_size(content_type: str, body: bytes) -> int | None:
    """The size of the multipart ``file`` part, found without parsing the whole body
    (a 100 MB file takes the email parser seconds): None when there is no such part."""
    boundary = next(
        (
            p.split("=", 1)[1].strip('"')
            for p in content_type.split(";")
            if p.strip().startswith("boundary=")
        ),
        None,
    )
    at = body.find(b'name="file"')
    if boundary is None or at < 0:
        return None
    start = body.find(b"\r\n\r\n", at) + 4
    end = body.find(b"\r\n--" + boundary.encode(), start)
    return None if start < 4 or end < 0 else end - start


class StagedUploads:
    """The targets handed out and the files received, in memory (their URLs expire)."""

    def __init__(self, base_url: Callable[[], str], max_bytes: int = MAX_UPLOAD_BYTES) -> None:
        self.base_url, self.max_bytes = base_url, max_bytes
        self.files: dict[str, bytes] = {}

    def create(self, inputs: list[dict[str, Any]]) -> dict[str, Any]:
        """``stagedUploadsCreate``: a target per input, or the inputs' userErrors."""
        targets, errors = [], []
        for index, item in enumerate(inputs):
            if item["resource"] != "BULK_MUTATION_VARIABLES":
                errors.append(
                    {
                        "field": ["input", str(index), "resource"],
                        "message": "Only BULK_MUTATION_VARIABLES uploads are served "
                        "by this sandbox.",
                    }
                )
                continue
            key = f"tmp/61000001/bulk/{uuid.uuid4()}/{item['filename']}"
            targets.append(
                {
                    "url": f"{self.base_url()}{STAGED_UPLOAD_PATH}",
                    "resourceUrl": None,
                    "parameters": [
                        {"name": "Content-Type", "value": item["mimeType"]},
                        {"name": "success_action_status", "value": "201"},
                        {"name": "acl", "value": "private"},
                        {"name": "key", "value": key},
                        {"name": "policy", "value": uuid.uuid4().hex},
                    ],
                }
            )
        if errors:
            return {"stagedTargets": None, "userErrors": errors}
        return {"stagedTargets": targets, "userErrors": []}

    def receive(self, content_type: str, body: bytes) -> tuple[int, bytes]:
        """A multipart/form-data POST to the staged target: the parameters, then ``file``."""
        size = _file_size(content_type, body)
        if size is not None and size > self.max_bytes:
            return 400, _XML + (
                "<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the "
                f"maximum allowed size</Message><ProposedSize>{size}</ProposedSize>"
                f"<MaxSizeAllowed>{self.max_bytes}</MaxSizeAllowed></Error>"
            ).encode()
        message = BytesParser(policy=policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        fields: dict[str, bytes] = {}
        if message.is_multipart():
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True)
                if isinstance(name, str) and isinstance(payload, bytes):
                    fields[name] = payload
        key = fields.get("key", b"").decode()
        if not key or "file" not in fields:
            return 400, _XML + (
                b"<Error><Code>InvalidArgument</Code><Message>A key and a file "
                b"are required.</Message></Error>"
            )
        self.files[key] = fields["file"]
        return 201, _XML + f"<PostResponse><Key>{key}</Key></PostResponse>".encode()
