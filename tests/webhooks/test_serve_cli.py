"""``passerelle serve``: the receiver as a process, writing jobs into the data directory's store."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from passerelle.sandbox.webhook_sender import woocommerce_delivery
from passerelle.store import Store
from tests.waiting import ctrl_c_reaches_it, end_process, wait_for

from .support import SECRET, write_profile


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_queues_a_signed_order_and_refuses_a_forged_one(data_dir: Path) -> None:
    write_profile(data_dir, "shop", "woocommerce", secret="env:WEBHOOK_SECRET")
    write_profile(data_dir, "quiet", "woocommerce")
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "passerelle",
            "serve",
            "--workers",
            "0",  # no worker: the queue holds only what the delivery queued
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        preexec_fn=ctrl_c_reaches_it,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        url = f"http://127.0.0.1:{port}/webhooks/shop"
        body = json.dumps({"id": 31, "status": "processing"}).encode()
        delivery = woocommerce_delivery(
            url=url,
            secret=SECRET,
            webhook_id=1,
            topic="order.created",
            body=body,
            source="https://shop.example.org/",
            delivery_id="x",
            user_agent="WooCommerce/9.4.3",
        )
        answers: list[httpx.Response] = []

        def post() -> None:
            assert process.poll() is None, "not serving"
            try:
                answers.append(httpx.post(url, content=delivery.body, headers=delivery.headers))
            except httpx.TransportError:
                pass  # not listening yet

        # The server may start slowly on a loaded machine: only its death, or minutes
        # of nothing, fail.
        wait_for(
            lambda: bool(answers), lambda: None, what="the server's start", every=0.2, check=post
        )
        assert answers[0].status_code == 200
        forged = dict(delivery.headers, **{"X-WC-Webhook-Signature": "Zm9yZ2Vk"})
        assert httpx.post(url, content=body, headers=forged).status_code == 401
    finally:
        # SIGINT, as a merchant's Ctrl-C; the process is reaped even if it hangs.
        output = end_process(process, signal.SIGINT) or ""
    assert "shop: woocommerce deliveries to" in output
    assert "quiet:" in output and "takes no webhooks" in output
    assert SECRET not in output
    store = Store.open_data_dir(data_dir)
    try:
        assert [job.payload for job in store.queue.jobs("shop")] == [{"order_ids": ["31"]}]
    finally:
        store.close()
