"""Secret references of a profile; resolution lives in :mod:`passerelle.platforms.secrets`.

Kept so ``passerelle.profiles.secrets`` (used by the notifications, the
webhook receiver and the CLI) goes on naming the same objects.
"""

from passerelle.platforms.secrets import SecretError, resolve_secret

__all__ = ["SecretError", "resolve_secret"]
