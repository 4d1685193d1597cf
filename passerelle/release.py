"""Which passerelle this is: the installed distribution's version.

Read from the package metadata (what pip installed, what a wheel says) rather
than a constant in the code, so ``passerelle --version`` and the metrics'
``passerelle_build_info`` say what is really deployed.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["installed_version"]


def installed_version() -> str:
    """The version of the installed ``passerelle`` distribution ("unknown" from a bare checkout)."""
    try:
        return version("passerelle")
    except PackageNotFoundError:
        return "unknown"
