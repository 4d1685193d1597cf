"""E-mail notifications (P6, R9): the profile's SMTP server, a test e-mail, the digest of
new problems. Standard library only (:mod:`smtplib`, :mod:`email`): no new dependency."""

from passerelle.notify.digest import DigestBookmark
from passerelle.notify.mailer import Mailer
from passerelle.notify.messages import digest_message, trial_message

__all__ = ["DigestBookmark", "Mailer", "digest_message", "trial_message"]
