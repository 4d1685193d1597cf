"""``passerelle serve`` stops on SIGTERM even while a browser keeps a flow's live journal open.

The flow page holds a server-sent-events stream for as long as it is open (up to half an
hour). Stopping the server must not wait for it: systemd would otherwise wait for its
stop timeout and kill the service, and a merchant's Ctrl-C would seem to do nothing.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from tests.waiting import end_process, wait_for

from .support import write_profile
from .test_serve_cli import free_port

OPERATOR = ("morgane", "a long enough password")


def _add_operator(data_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "passerelle", "user", "add", OPERATOR[0], "--role", "operator"]
        + ["--password-stdin", "--data-dir", str(data_dir)],
        input=OPERATOR[1] + "\n",
        text=True,
        check=True,
        capture_output=True,
    )


def _signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, page
    answer = client.post(
        "/login",
        data={"name": OPERATOR[0], "password": OPERATOR[1], "csrf_token": token.group(1)},
    )
    assert answer.status_code in (200, 303), answer.text
    assert client.get("/").status_code == 200
    return client


def test_a_stop_does_not_wait_for_an_open_live_journal(data_dir: Path, tmp_path: Path) -> None:
    write_profile(data_dir, "shop", "woocommerce")
    _add_operator(data_dir)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "passerelle", "serve", "--workers", "0"]
            + ["--port", str(port), "--data-dir", str(data_dir)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    streaming = threading.Event()
    try:

        def answers() -> bool:
            assert process.poll() is None, log.read_text()
            try:
                return httpx.get(f"{url}/login", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(answers, lambda: log.stat().st_size, what="passerelle serve answering")
        client = _signed_in(url)

        def hold_the_page_open() -> None:
            live = "/flows/shop/export-categories/live?after=0"
            try:
                with client.stream("GET", live, timeout=None) as stream:
                    assert stream.status_code == 200
                    streaming.set()
                    for _ in stream.iter_bytes():
                        pass
            except httpx.HTTPError:
                pass  # the server ended the stream: what a stop does
            finally:
                streaming.set()

        reader = threading.Thread(target=hold_the_page_open, daemon=True)
        reader.start()
        wait_for(streaming.is_set, lambda: None, what="the live journal opening")
    finally:
        # The grace is far longer than the server's own: a server still waiting for the
        # stream when it ends is killed, and the test sees SIGKILL's code.
        end_process(process, signal.SIGTERM, grace=120)
    assert process.returncode != -signal.SIGKILL, log.read_text()
    assert "Shutting down" in log.read_text()
