"""A ``multipart/form-data`` body as the image endpoints read it.

Why: ``createProductImage`` takes an uploaded file ("For file uploads, use the
``multipart/form-data`` media type", ``reference/catalog/products_catalog.v3.yml``), and the
server otherwise reads JSON only. The fields come back as a dict with ``multipart: True``,
files as :class:`~.images.Upload`, text fields as strings.
"""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from .images import Upload

__all__ = ["form_fields"]


def form_fields(content_type: str, raw: bytes) -> dict[str, Any]:
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + raw
    )
    fields: dict[str, Any] = {"multipart": True}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        fields[name] = Upload(filename, data) if filename else data.decode("utf-8", "replace")
    return fields
