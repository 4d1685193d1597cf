"""Why an order cannot be imported now, and how urgent that is."""

from __future__ import annotations

from passerelle.i18n.messages import M_, Message, Text

__all__ = ["OrderProblem", "located", "order_label", "refund_label", "without_label"]


class OrderProblem(Exception):
    """Why an order cannot be imported now; ``severity`` is info, retry or error.

    *info*: nothing to do (a cancelled order); *retry*: it will import by
    itself later (awaiting payment); *error*: a person must change something
    (the message says what). ``message`` is the English text; ``said`` the
    catalogue message it comes from, kept so the merchant reads it in their
    language.
    """

    def __init__(self, message: Text, severity: str = "error") -> None:
        super().__init__(str(message))
        self.said = message
        self.message = str(message)
        self.severity = severity

    def __str__(self) -> str:
        return self.message


def order_label(number: object) -> Message:
    """``order 1234``: how a reason names the order it is about."""
    return M_("order %(number)s", number=number)


def refund_label(number: object, refund: object) -> Message:
    """``order 1234, refund 7``: how a reason names a refund."""
    return located(order_label(number), M_("refund %(refund)s", refund=refund), ", ")


def located(where: Text, reason: Text, separator: str = ": ") -> Message:
    """``order 1234: reason``; the journal, which shows the order already, keeps the reason.

    ``separator`` is one of ": ", ", " or " " (``order 1234 is cancelled``).
    """
    if separator == ", ":
        return M_("%(where)s, %(reason)s", where=where, reason=reason)
    if separator == " ":
        return M_("%(where)s %(reason)s", where=where, reason=reason)
    return M_("%(where)s: %(reason)s", where=where, reason=reason)


_LOCATED = ("%(where)s: %(reason)s", "%(where)s, %(reason)s", "%(where)s %(reason)s")


def without_label(message: Text, label: Text) -> Text:
    """The message without its leading "order N" when the journal line already shows it."""
    if isinstance(message, Message):
        if message.id not in _LOCATED:
            return message
        where = message.params.get("where")
        if str(where) == str(label):
            reason: Text = message.params["reason"]
            return reason
        if isinstance(where, Message) and without_label(where, label) != where:
            # "order 1234, refund 7: ..." shown on the line of order 1234: "refund 7: ..."
            return Message(message.id, {**message.params, "where": without_label(where, label)})
        return message
    for separator in (": ", ", ", " "):
        if message.startswith(f"{label}{separator}"):
            return message[len(str(label)) + len(separator) :]
    return message
