"""Hidden probes for OrderedConsumer: deliveries in, observations out."""

from __future__ import annotations

import random
from typing import Any

from probekit import probe


class HandlerDown(Exception):
    """Raised by the recording handler when told to fail."""


class Recorder:
    """A handler that records what it was given and fails on request."""

    def __init__(self, fail: dict[str, int] | None = None) -> None:
        """``fail`` maps an event id to how many times handling it should fail."""
        self.calls: list[Any] = []
        self.fail = dict(fail or {})

    def __call__(self, event: Any) -> None:
        """Record one handler call (or fail it)."""
        event_id: Any = event.get("id") if isinstance(event, dict) else None
        if self.fail.get(event_id, 0) > 0:
            self.fail[event_id] -= 1
            raise HandlerDown(event_id)
        payload = event.get("payload") if isinstance(event, dict) else None
        self.calls.append([event_id, event.get("seq"), payload])


def ev(event_id: str, seq: Any, key: Any = "k", **extra: Any) -> dict[str, Any]:
    """Build one event dict."""
    event: dict[str, Any] = {"id": event_id, "key": key, "seq": seq}
    event.update(extra)
    return event


def step(consumer: Any, event: Any) -> Any:
    """Deliver one event and describe the outcome as plain data."""
    try:
        return consumer.receive(event)
    except HandlerDown:
        return ["raised", "HandlerDown"]
    except OverflowError:
        return ["raised", "OverflowError"]
    except ValueError:
        return ["raised", "ValueError"]
    except (KeyError, TypeError, AttributeError, IndexError):
        return ["raised", "other"]


def feed(solution: Any, events: list[Any], max_pending: int = 100, fail: Any = None) -> Any:
    """Deliver ``events`` one by one; return every step's outcome and the handler log."""
    recorder = Recorder(fail)
    consumer = solution.OrderedConsumer(recorder, max_pending=max_pending)
    steps = [step(consumer, event) for event in events]
    return consumer, recorder, steps


def state(consumer: Any, *keys: str) -> Any:
    """Describe last_seq and pending of ``keys``."""
    return [[consumer.last_seq(key), consumer.pending(key)] for key in keys]


@probe("in-order-handled-immediately", weight=2)
def _(solution: Any) -> Any:
    consumer, recorder, steps = feed(solution, [ev("a", 1), ev("b", 2), ev("c", 3)])
    return [steps, recorder.calls, state(consumer, "k")]


@probe("reverse-order-released-in-one-call", weight=3)
def _(solution: Any) -> Any:
    events = [ev("e4", 4), ev("e3", 3), ev("e2", 2)]
    consumer, recorder, steps = feed(solution, events)
    before = state(consumer, "k")
    steps.append(step(consumer, ev("e1", 1)))
    return [steps, before, recorder.calls, state(consumer, "k")]


@probe("gap-keeps-later-events-pending", weight=2)
def _(solution: Any) -> Any:
    events = [ev("a", 1), ev("c", 3), ev("e", 5), ev("d", 4)]
    consumer, recorder, steps = feed(solution, events)
    middle = state(consumer, "k")
    steps.append(step(consumer, ev("b", 2)))
    return [steps, middle, recorder.calls, state(consumer, "k")]


@probe("keys-are-independent", weight=2)
def _(solution: Any) -> Any:
    events = [
        ev("x2", 2, "x"),
        ev("y1", 1, "y"),
        ev("x1", 1, "x"),
        ev("y3", 3, "y"),
        ev("z1", 1, "z"),
        ev("y2", 2, "y"),
    ]
    consumer, recorder, steps = feed(solution, events)
    return [steps, recorder.calls, state(consumer, "x", "y", "z", "unknown")]


@probe("duplicate-id-after-handled-ignored", weight=2)
def _(solution: Any) -> Any:
    events = [ev("a", 1), ev("a", 1), ev("b", 2), ev("a", 1), ev("b", 2)]
    consumer, recorder, steps = feed(solution, events)
    return [steps, recorder.calls, state(consumer, "k")]


@probe("duplicate-id-while-pending-ignored", weight=3)
def _(solution: Any) -> Any:
    events = [ev("c", 3), ev("c", 3), ev("b", 2), ev("c", 3), ev("a", 1), ev("c", 3)]
    consumer, recorder, steps = feed(solution, events)
    return [steps, recorder.calls, state(consumer, "k")]


@probe("replay-with-new-id-below-last-ignored", weight=2)
def _(solution: Any) -> Any:
    events = [ev("a", 1), ev("b", 2), ev("a-again", 1), ev("b-again", 2), ev("c", 3)]
    consumer, recorder, steps = feed(solution, events)
    return [steps, recorder.calls, state(consumer, "k")]


@probe("same-seq-pending-first-wins", weight=2)
def _(solution: Any) -> Any:
    events = [
        ev("first", 2, payload="one"),
        ev("second", 2, payload="two"),
        ev("a", 1, payload="zero"),
        ev("second", 2, payload="two"),
    ]
    consumer, recorder, steps = feed(solution, events)
    return [steps, recorder.calls, state(consumer, "k")]


@probe("same-id-reused-on-another-key-ignored", weight=1)
def _(solution: Any) -> Any:
    events = [ev("shared", 1, "p"), ev("shared", 1, "q"), ev("q1", 1, "q")]
    consumer, recorder, steps = feed(solution, events)
    return [steps, recorder.calls, state(consumer, "p", "q")]


@probe("malformed-events-rejected", weight=3)
def _(solution: Any) -> Any:
    consumer, recorder, _steps = feed(solution, [])
    bad: list[Any] = [
        {"key": "k", "seq": 1},
        {"id": "", "key": "k", "seq": 1},
        {"id": 7, "key": "k", "seq": 1},
        {"id": "a", "seq": 1},
        {"id": "a", "key": 3, "seq": 1},
        {"id": "a", "key": "k"},
        {"id": "a", "key": "k", "seq": 0},
        {"id": "a", "key": "k", "seq": -2},
        {"id": "a", "key": "k", "seq": True},
        {"id": "a", "key": "k", "seq": "1"},
        {"id": "a", "key": "k", "seq": 1.0},
        [("id", "a"), ("key", "k"), ("seq", 1)],
        None,
    ]
    outcomes = [step(consumer, event) for event in bad]
    after = step(consumer, ev("a", 1))
    return [outcomes, after, recorder.calls, state(consumer, "k")]


@probe("max-pending-validated", weight=1)
def _(solution: Any) -> Any:
    out = []
    for value in (0, -1, True, 2.0, "3", 1):
        try:
            solution.OrderedConsumer(Recorder(), max_pending=value)
            out.append("ok")
        except ValueError:
            out.append("ValueError")
        except TypeError:
            out.append("TypeError")
    return out


@probe("full-buffer-raises-overflow", weight=3)
def _(solution: Any) -> Any:
    events = [ev("c", 3), ev("d", 4), ev("e", 5), ev("f", 6)]
    consumer, recorder, steps = feed(solution, events, max_pending=2)
    middle = state(consumer, "k")
    steps.append(step(consumer, ev("a", 1)))
    steps.append(step(consumer, ev("b", 2)))
    steps.append(step(consumer, ev("e", 5)))
    return [steps, middle, recorder.calls, state(consumer, "k")]


@probe("full-buffer-still-accepts-next-and-duplicates", weight=2)
def _(solution: Any) -> Any:
    events = [ev("b", 2), ev("c", 3), ev("c", 3), ev("x", 1, "other"), ev("y", 3, "other")]
    consumer, recorder, steps = feed(solution, events, max_pending=2)
    steps.append(step(consumer, ev("z", 2, "other")))
    steps.append(step(consumer, ev("a", 1)))
    return [steps, recorder.calls, state(consumer, "k", "other")]


@probe("buffer-limit-is-per-key", weight=1)
def _(solution: Any) -> Any:
    events = [ev("p3", 3, "p"), ev("q3", 3, "q"), ev("p4", 4, "p"), ev("q4", 4, "q")]
    consumer, recorder, steps = feed(solution, events, max_pending=1)
    return [steps, recorder.calls, state(consumer, "p", "q")]


@probe("handler-failure-on-arriving-event", weight=3)
def _(solution: Any) -> Any:
    events = [ev("a", 1), ev("c", 3), ev("b", 2), ev("d", 4)]
    consumer, recorder, steps = feed(solution, events, fail={"b": 1})
    middle = state(consumer, "k")
    steps.append(step(consumer, ev("b", 2)))
    return [steps, middle, recorder.calls, state(consumer, "k")]


@probe("handler-failure-on-released-pending-event", weight=3)
def _(solution: Any) -> Any:
    events = [ev("c", 3), ev("d", 4), ev("b", 2), ev("a", 1)]
    consumer, recorder, steps = feed(solution, events, fail={"c": 1})
    middle = state(consumer, "k")
    steps.append(step(consumer, ev("e", 5)))
    steps.append(step(consumer, ev("c", 3)))
    return [steps, middle, recorder.calls, state(consumer, "k")]


@probe("handler-failure-twice-then-success", weight=1)
def _(solution: Any) -> Any:
    events = [ev("a", 1), ev("a", 1), ev("a", 1), ev("a", 1)]
    consumer, recorder, steps = feed(solution, events, fail={"a": 2})
    return [steps, recorder.calls, state(consumer, "k")]


@probe("pending-event-is-a-snapshot", weight=2)
def _(solution: Any) -> Any:
    recorder = Recorder()
    consumer = solution.OrderedConsumer(recorder)
    late = ev("b", 2, payload=["original"])
    steps = [step(consumer, late)]
    late["payload"] = "changed"
    late["seq"] = 9
    late["id"] = "zzz"
    steps.append(step(consumer, ev("a", 1, payload="first")))
    return [steps, recorder.calls, state(consumer, "k")]


@probe("payload-passed-to-handler", weight=1)
def _(solution: Any) -> Any:
    seen: list[Any] = []
    consumer = solution.OrderedConsumer(lambda event: seen.append(sorted(event.items())))
    consumer.receive(ev("b", 2, payload={"total": 5}, source="shop"))
    consumer.receive(ev("a", 1, payload=None))
    return seen


@probe("shuffled-stream-with-duplicates", weight=2)
def _(solution: Any) -> Any:
    rng = random.Random(1234)
    events = []
    for key in ("k1", "k2", "k3"):
        for seq in range(1, 61):
            events.append(ev(f"{key}-{seq}", seq, key))
    deliveries = events + rng.sample(events, 40)
    rng.shuffle(deliveries)
    consumer, recorder, steps = feed(solution, deliveries, max_pending=200)
    per_key = {
        key: [c[1] for c in recorder.calls if c[0].startswith(key)] for key in ("k1", "k2", "k3")
    }
    return [
        sum(len(s) for s in steps if type(s) is list and s[:1] != ["raised"]),
        per_key,
        state(consumer, "k1", "k2", "k3"),
    ]
