"""Webhook events and their validation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TYPES = ("payment.succeeded", "payment.refunded")


class InvalidEvent(Exception):
    """The request does not hold a valid event; ``code`` is the error code to answer."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Event:
    """One payment event from the provider."""

    id: str
    type: str
    amount: int
    account: str

    @property
    def delta(self) -> int:
        """How much the event changes the account's balance, in cents."""
        return self.amount if self.type == "payment.succeeded" else -self.amount


def _non_empty_str(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def parse_event(payload: Any) -> Event:
    """Check ``payload`` (decoded JSON, or None) and return the event it describes."""
    if not isinstance(payload, dict):
        raise InvalidEvent("invalid_json")
    if not _non_empty_str(payload.get("id")):
        raise InvalidEvent("invalid_id")
    if payload.get("type") not in TYPES:
        raise InvalidEvent("invalid_type")
    amount = payload.get("amount")
    if type(amount) is not int or amount < 1:
        raise InvalidEvent("invalid_amount")
    if not _non_empty_str(payload.get("account")):
        raise InvalidEvent("invalid_account")
    return Event(payload["id"], payload["type"], amount, payload["account"])
