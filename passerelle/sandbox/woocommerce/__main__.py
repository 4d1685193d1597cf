"""``python -m passerelle.sandbox.woocommerce``: run the sandbox in the foreground."""

from __future__ import annotations

import argparse
from pathlib import Path

from .faults import FAULT_KINDS
from .server import serve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--state-file", type=Path, default=None, help="none: kept in memory")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8443)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--rate-limit", type=float, default=None)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument(
        "--fault-kinds", default="500", help=f"comma-separated, among {', '.join(FAULT_KINDS)}"
    )
    parser.add_argument("--consumer-key", default="ck_demo")
    parser.add_argument("--consumer-secret", default="cs_demo")
    parser.add_argument("--cert-dir", type=Path, default=None)
    args = parser.parse_args()
    serve(
        state_file=args.state_file,
        host=args.host,
        port=args.port,
        latency=args.latency,
        rate_limit=args.rate_limit,
        fault_rate=args.fault_rate,
        fault_kinds=tuple(k.strip() for k in args.fault_kinds.split(",") if k.strip()),
        consumer_key=args.consumer_key,
        consumer_secret=args.consumer_secret,
        cert_dir=args.cert_dir,
    )


if __name__ == "__main__":
    main()
