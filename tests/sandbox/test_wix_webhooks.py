"""The Wix sandbox's webhooks (passerelle/sandbox/wix/webhooks.py): each delivery's body is a
JWT signed RS256 that verifies with the public key the sandbox shows ("Verify Requests
Received from Wix"), holding the documented envelope ("About the Structure of Webhooks").
Verified here with ``cryptography`` by hand (PyJWT is not installed)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from passerelle.sandbox.wix import WixSandbox
from passerelle.sandbox.wix.platform import WixPlatform

from .test_wix_sandbox import DOCS
from .test_wix_stock import v3_candle


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verified(token: str, public_pem: str) -> dict[str, Any]:
    """The JWT's claims once its RS256 signature checks with ``public_pem`` (else raises)."""
    head, claims, signature = token.split(".")
    assert json.loads(_unb64(head))["alg"] == "RS256"
    key = serialization.load_pem_public_key(public_pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    key.verify(_unb64(signature), f"{head}.{claims}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return dict(json.loads(_unb64(claims)))


class Receiver:
    """An app's webhook endpoint on loopback: keeps every body, answers 200."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                received.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/wix"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiving(tmp_path: Path) -> Iterator[tuple[WixPlatform, Receiver]]:
    box = WixSandbox(tmp_path / "wix.json", cert_dir=tmp_path / "tls", seed=False)
    receiver = Receiver()
    box.webhooks.urls.append(receiver.url)
    yield WixPlatform(box), receiver
    box.stop()
    receiver.close()


def test_a_placed_order_sends_jwt_webhooks_that_verify_with_the_public_key(
    receiving: tuple[WixPlatform, Receiver],
) -> None:
    platform, receiver = receiving
    v3_candle(platform.sandbox, {"Figue": 5})
    order_id = platform.place_order({"CND-Figue": 1}, state="paid")
    assert platform.sandbox.sender.wait(10)
    events = []
    for body in receiver.bodies:
        claims = verified(body.decode("ascii"), platform.sandbox.webhooks.public_key_pem)
        assert claims["exp"] > claims["iat"]
        envelope = json.loads(claims["data"])
        assert set(DOCS["webhook_envelope"]["shape"]) <= set(envelope)
        assert envelope["instanceId"] == platform.sandbox.site_id
        event = json.loads(envelope["data"])
        assert set(DOCS["webhook_envelope"]["event_data_shape"]) <= set(event)
        assert event["entityId"] == order_id
        events.append(envelope["eventType"])
    assert events == [
        "wix.ecom.v1.order_created",
        "wix.ecom.v1.order_approved",
        "wix.ecom.v1.order_payment_status_updated",
    ]
    created = json.loads(
        json.loads(
            verified(receiver.bodies[0].decode(), platform.sandbox.webhooks.public_key_pem)["data"]
        )["data"]
    )
    assert created["createdEvent"]["entity"]["id"] == order_id


def test_a_tampered_webhook_or_another_key_does_not_verify(
    receiving: tuple[WixPlatform, Receiver],
) -> None:
    platform, receiver = receiving
    v3_candle(platform.sandbox, {"Figue": 5})
    platform.place_order({"CND-Figue": 1}, state="pending")
    assert platform.sandbox.sender.wait(10)
    token = receiver.bodies[0].decode()
    head, claims, signature = token.split(".")
    forged = base64.urlsafe_b64encode(_unb64(claims).replace(b"created", b"deleted"))
    with pytest.raises(InvalidSignature):
        verified(
            f"{head}.{forged.decode().rstrip('=')}.{signature}",
            platform.sandbox.webhooks.public_key_pem,
        )
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    other_pem = other.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    with pytest.raises(InvalidSignature):
        verified(token, other_pem)


def test_the_app_key_pair_is_kept_with_the_site(tmp_path: Path) -> None:
    first = WixSandbox(tmp_path / "wix.json", cert_dir=tmp_path / "tls", seed=False)
    first.state.flush()
    again = WixSandbox(tmp_path / "wix.json", cert_dir=tmp_path / "tls", seed=False)
    assert again.webhooks.public_key_pem == first.webhooks.public_key_pem
