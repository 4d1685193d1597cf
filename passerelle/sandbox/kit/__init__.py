"""What every shop sandbox shares: the loopback HTTPS server, its TLS material, the
fault, latency and rate-limit switches, the request log and the start/stop cycle.

A platform's sandbox subclasses :class:`LoopbackSandbox` and keeps only its routes,
its state and its rules (``handle``).
"""

from .faults import FAULT_KINDS, FaultInjector, Faults, RateLimiter, faults_at
from .platform import MerchantPlatform, SandboxPlatform, start_under
from .requests_log import RequestLog
from .responses import Answer, cut_short
from .sandbox import LoopbackSandbox, run_in_foreground
from .server import EVERY_METHOD, LoopbackServer, Wire
from .tls import CertificateAuthority, default_cert_dir

__all__ = [
    "EVERY_METHOD",
    "FAULT_KINDS",
    "Answer",
    "CertificateAuthority",
    "FaultInjector",
    "Faults",
    "LoopbackSandbox",
    "LoopbackServer",
    "MerchantPlatform",
    "RateLimiter",
    "RequestLog",
    "SandboxPlatform",
    "Wire",
    "cut_short",
    "default_cert_dir",
    "faults_at",
    "run_in_foreground",
    "start_under",
]
