"""``passerelle sandbox KIND``: one command per registered platform with a sandbox,
each starting, printing how to reach it, and stopping on Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import ssl
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from passerelle.cli.main import app, sandbox_app
from passerelle.cli.sandbox_commands import sandbox_kinds
from passerelle.platforms import shop_platforms
from tests.waiting import ctrl_c_reaches_it

runner = CliRunner()


def test_one_command_per_platform_with_a_sandbox() -> None:
    with_sandbox = [kind for kind, platform in shop_platforms().items() if platform.sandbox]
    assert with_sandbox and sandbox_kinds() == with_sandbox
    names = {command.name for command in sandbox_app.registered_commands}
    assert names - {"woocommerce-export-orders"} == set(with_sandbox)


def test_each_platform_has_its_own_default_port() -> None:
    ports = [shop_platforms()[kind].sandbox_port for kind in sandbox_kinds()]
    assert all(ports) and len(set(ports)) == len(ports)
    assert shop_platforms()["woocommerce"].sandbox_port == 8443


@pytest.mark.parametrize("kind", sandbox_kinds())
def test_help_of_each_command(kind: str) -> None:
    result = runner.invoke(app, ["sandbox", kind, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for option in ("--port", "--latency", "--fault-rate", "--state-dir", "--data-dir"):
        assert option in result.output
    assert str(shop_platforms()[kind].sandbox_port) in result.output
    rate_limit = "rate_limit" in shop_platforms()[kind].sandbox_extras
    assert ("--rate-limit" in result.output) == rate_limit


def test_woocommerce_keeps_its_rate_limit_and_fault_kinds_options() -> None:
    result = runner.invoke(app, ["sandbox", "woocommerce", "--help"], terminal_width=200)
    assert "--rate-limit" in result.output and "--fault-kinds" in result.output


def _lines(stream: object, into: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line)
    into.put("")  # the end of the output


def test_shopify_sandbox_answers_then_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "passerelle", "sandbox", "shopify", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        preexec_fn=ctrl_c_reaches_it,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    output: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=_lines, args=(process.stdout, output), daemon=True)
    reader.start()
    try:
        printed: list[str] = []
        while not any(line.startswith("export ") for line in printed):
            line = output.get(timeout=60)
            assert line, "".join(printed)
            printed.append(line)
        url = next(line.split(": ", 1)[1].strip() for line in printed if "sandbox: " in line)
        assert url.startswith("https://127.0.0.1:")
        ca = tmp_path / "sandbox" / "tls" / "ca.pem"
        assert any(str(ca) in line for line in printed)
        assert any(line.strip() == "[shop]" for line in printed)
        assert any("PASSERELLE_DEMO_SHOPIFY_TOKEN" in line for line in printed)
        context = ssl.create_default_context(cafile=str(ca))
        try:
            with urllib.request.urlopen(f"{url}/", context=context, timeout=10) as answer:
                status = answer.status
        except urllib.error.HTTPError as error:  # an answer all the same
            status = error.code
        assert 100 <= status < 600

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        rest = []
        while line := output.get(timeout=10):
            rest.append(line)
        assert any("stopping" in line for line in rest)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        reader.join(timeout=10)
        assert process.stdout is not None
        process.stdout.close()
