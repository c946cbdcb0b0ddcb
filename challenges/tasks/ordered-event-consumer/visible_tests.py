"""Sample tests for OrderedConsumer (informative; the hidden probes go further)."""

from __future__ import annotations

from typing import Any

import pytest

from solution import OrderedConsumer


def _event(event_id: str, seq: int, key: str = "order-1") -> dict[str, Any]:
    """Build one event."""
    return {"id": event_id, "key": key, "seq": seq}


def test_in_order_events_are_handled_at_once() -> None:
    """Events that arrive in order are handled immediately."""
    seen: list[str] = []
    consumer = OrderedConsumer(lambda event: seen.append(event["id"]))
    assert consumer.receive(_event("a", 1)) == ["a"]
    assert consumer.receive(_event("b", 2)) == ["b"]
    assert seen == ["a", "b"] and consumer.last_seq("order-1") == 2


def test_out_of_order_events_wait_for_the_gap() -> None:
    """A later event waits until the missing one arrives, then both are handled."""
    seen: list[str] = []
    consumer = OrderedConsumer(lambda event: seen.append(event["id"]))
    assert consumer.receive(_event("b", 2)) == []
    assert consumer.pending("order-1") == [2]
    assert consumer.receive(_event("a", 1)) == ["a", "b"]
    assert seen == ["a", "b"]


def test_duplicate_delivery_is_ignored() -> None:
    """The same event delivered twice reaches the handler once."""
    seen: list[str] = []
    consumer = OrderedConsumer(lambda event: seen.append(event["id"]))
    consumer.receive(_event("a", 1))
    assert consumer.receive(_event("a", 1)) == []
    assert seen == ["a"]


def test_malformed_event_is_rejected() -> None:
    """An event without a usable seq is a ValueError."""
    consumer = OrderedConsumer(lambda event: None)
    with pytest.raises(ValueError):
        consumer.receive({"id": "a", "key": "order-1", "seq": 0})
