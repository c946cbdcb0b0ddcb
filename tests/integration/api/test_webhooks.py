"""Webhooks: events queued in the caller's transaction, signed deliveries to a local HTTP
server (allowed through the private allow-list), retries with back-off, refusal of other
schemes and private hosts, the log."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from assess import webhooks
from assess.errors import ValidationFailed
from assess.extensions import db
from assess.models import DeliveryStatus, Role, WebhookDelivery, utcnow
from assess.webhooks import delivery, registry, signing
from assess.webhooks.destinations import AllowList, Destination, check
from tests.conftest import Factory
from tests.integration.api.conftest import Receiver, World, make_position

LOCAL = AllowList.parse("127.0.0.1/32")  # the test receiver listens there


def test_emit_queues_for_matching_webhooks_only(app: Flask, world: World) -> None:
    """Org-wide and same-position hooks get the event; other positions, events and
    organisations do not; nothing is queued until the caller commits."""
    recruiter, outsider = world.users["recruiter"], world.users["outsider"]
    assert world.position
    assert world.assigned
    other_position = make_position(recruiter.organization, "Another")
    everywhere, _ = registry.register(
        db.session, recruiter, "https://a.example/h", list(registry.EVENTS)
    )
    here, _ = registry.register(
        db.session, recruiter, "https://b.example/h", ["attempt.finished"], world.position
    )
    registry.register(
        db.session, recruiter, "https://c.example/h", ["attempt.finished"], other_position
    )
    registry.register(db.session, recruiter, "https://d.example/h", ["attempt.scored"])
    registry.register(db.session, outsider, "https://e.example/h", list(registry.EVENTS))
    db.session.commit()
    queued = webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    assert sorted(d.webhook_id for d in queued) == sorted([everywhere.id, here.id])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WebhookDelivery)) == 0
    webhooks.emit(db.session, webhooks.ATTEMPT_SCORED, world.assigned)
    db.session.commit()
    rows = db.session.scalars(sa.select(WebhookDelivery)).all()
    assert len(rows) == 2
    assert {r.event for r in rows} == {"attempt.scored"}
    body = json.loads(rows[0].payload)
    assert body["event"] == "attempt.scored"
    assert body["data"]["attempt"]["id"] == world.assigned.id
    assert body["data"]["scorecard"]["recommended_grade"] == "middle"
    with pytest.raises(ValueError, match="unknown webhook event"):
        webhooks.emit(db.session, "attempt.deleted", world.assigned)


def test_delivery_is_signed_and_logged(app: Flask, world: World, receiver: Receiver) -> None:
    """The receiver gets the stored body with a valid HMAC-SHA256 signature and timestamp."""
    assert world.assigned
    hook, secret = registry.register(
        db.session, world.users["recruiter"], receiver.url, ["attempt.finished"], allow=LOCAL
    )
    db.session.commit()
    webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    db.session.commit()
    now = utcnow()
    assert webhooks.deliver_due(db.session, now, allow=LOCAL) == 1
    assert len(receiver.requests) == 1
    sent = receiver.requests[0]
    headers = {k.lower(): v for k, v in sent["headers"].items()}
    stamp = int(headers["x-assess-timestamp"])
    assert headers["x-assess-event"] == "attempt.finished"
    assert headers["x-assess-signature"].startswith("sha256=")
    assert signing.verify(secret, stamp, sent["body"], headers["x-assess-signature"], now=stamp)
    assert not signing.verify(
        "whsec_wrong", stamp, sent["body"], headers["x-assess-signature"], now=stamp
    )
    assert secret.encode() not in sent["body"]
    assert secret not in str(sent["headers"])
    row = db.session.scalars(sa.select(WebhookDelivery)).one()
    assert row.status is DeliveryStatus.DELIVERED
    assert row.response_code == 204
    assert row.attempts == 1
    assert row.delivered_at is not None
    assert sent["body"].decode() == row.payload
    assert webhooks.deliver_due(db.session, now + timedelta(hours=1), allow=LOCAL) == 0
    assert hook.id == row.webhook_id


def test_failures_are_retried_with_back_off_then_given_up(
    app: Flask, world: World, receiver: Receiver
) -> None:
    """A 500 schedules the next try 30 s, then 60 s later; after the last try it fails."""
    assert world.assigned
    receiver.status = 500
    registry.register(
        db.session, world.users["admin"], receiver.url, ["attempt.finished"], allow=LOCAL
    )
    db.session.commit()
    webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    db.session.commit()
    start = utcnow()
    assert webhooks.deliver_due(db.session, start, max_tries=3, allow=LOCAL) == 0
    row = db.session.scalars(sa.select(WebhookDelivery)).one()
    assert (row.status, row.attempts, row.response_code) == (DeliveryStatus.PENDING, 1, 500)
    assert row.next_try_at == start + timedelta(seconds=30)
    webhooks.deliver_due(db.session, start + timedelta(seconds=10), max_tries=3, allow=LOCAL)
    assert len(receiver.requests) == 1
    second = start + timedelta(seconds=31)
    webhooks.deliver_due(db.session, second, max_tries=3, allow=LOCAL)
    db.session.refresh(row)
    assert row.attempts == 2
    assert row.next_try_at == second + timedelta(seconds=60)
    receiver.status = 200
    webhooks.deliver_due(db.session, second + timedelta(seconds=61), max_tries=3, allow=LOCAL)
    db.session.refresh(row)
    assert row.status is DeliveryStatus.DELIVERED
    assert row.attempts == 3
    assert len(receiver.requests) == 3


def test_network_errors_count_as_failed_tries(app: Flask, world: World) -> None:
    """An unreachable receiver is recorded with its error; the last try marks it failed."""
    assert world.assigned
    registry.register(
        db.session,
        world.users["admin"],
        "http://127.0.0.1:9/none",
        ["attempt.finished"],
        allow=LOCAL,
    )
    db.session.commit()
    webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    db.session.commit()

    def refuse(target: Destination, body: bytes, headers: dict[str, str], timeout: float) -> int:
        raise ConnectionRefusedError("connection refused")

    webhooks.deliver_due(db.session, utcnow(), http_post=refuse, max_tries=1, allow=LOCAL)
    row = db.session.scalars(sa.select(WebhookDelivery)).one()
    assert row.status is DeliveryStatus.FAILED
    assert row.attempts == 1
    assert row.error
    assert "ConnectionRefusedError" in row.error
    assert row.response_code is None


def test_private_destinations_are_refused_when_not_allowed(
    app: Flask, world: World, receiver: Receiver
) -> None:
    """Without an allow-list (the default everywhere), 127.0.0.1 is never called."""
    assert world.assigned
    registry.register(
        db.session, world.users["admin"], receiver.url, ["attempt.finished"], allow=LOCAL
    )
    db.session.commit()
    webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    db.session.commit()
    webhooks.deliver_due(db.session, utcnow())
    row = db.session.scalars(sa.select(WebhookDelivery)).one()
    assert receiver.requests == []
    assert row.error
    assert row.error.startswith("refused")


def test_a_delivery_is_claimed_once(app: Flask, world: World) -> None:
    """Two deliverers racing for the same try: only one claim succeeds."""
    assert world.assigned
    registry.register(db.session, world.users["admin"], "https://a.example/h", ["attempt.finished"])
    db.session.commit()
    row = webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)[0]
    db.session.commit()
    seen, now = row.next_try_at, utcnow()
    assert delivery._claim(db.session, row.id, seen, now)
    assert not delivery._claim(db.session, row.id, seen, now)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://h/",
        "http://",
        "https://user:pw@example.com/",
        "example.com/hook",
        "http://h:99999/",
        "",
    ],
)
def test_only_http_urls_can_be_registered(app: Flask, factory: Factory, url: str) -> None:
    """Other schemes, missing hosts and embedded credentials are refused."""
    user = factory.user(Role.RECRUITER)
    with pytest.raises(ValidationFailed):
        registry.register(db.session, user, url, ["attempt.finished"])


def test_events_must_be_known(app: Flask, factory: Factory) -> None:
    """An unknown or empty event list is refused."""
    user = factory.user(Role.RECRUITER)
    for events in ([], ["attempt.deleted"], ["attempt.finished", "nope"]):
        with pytest.raises(ValidationFailed):
            registry.register(db.session, user, "https://a.example/h", events)


def test_a_position_of_another_organisation_cannot_be_watched(app: Flask, world: World) -> None:
    """A recruiter cannot register a hook on another organisation's position."""
    from assess.errors import NotFound

    with pytest.raises(NotFound):
        registry.register(
            db.session,
            world.users["recruiter"],
            "https://a.example/h",
            ["attempt.finished"],
            world.other_position,
        )


def test_disabled_webhooks_give_up(app: Flask, world: World) -> None:
    """A delivery whose webhook was disabled meanwhile is marked failed, not sent."""
    assert world.assigned
    hook, _ = registry.register(
        db.session, world.users["admin"], "https://a.example/h", ["attempt.finished"]
    )
    db.session.commit()
    webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    hook.is_active = False
    db.session.commit()
    calls: list[str] = []

    def record(target: Destination, body: bytes, headers: dict[str, str], timeout: float) -> int:
        calls.append(target.url)
        return 200

    webhooks.deliver_due(db.session, utcnow(), http_post=record)
    assert calls == []
    row = db.session.scalars(sa.select(WebhookDelivery)).one()
    assert row.status is DeliveryStatus.FAILED


def test_the_poster_does_not_follow_redirects(receiver: Receiver) -> None:
    """A 3xx is the receiver's answer; the deliverer never follows it elsewhere."""
    receiver.status = 302
    target = check(receiver.url, LOCAL)
    status = delivery.pinned_post(target, b"{}", {"Content-Type": "application/json"}, 5)
    assert status == 302
    assert len(receiver.requests) == 1


def test_run_once_delivers_in_its_own_app_context(
    app: Flask, world: World, receiver: Receiver
) -> None:
    """The pass the thread and ``flask webhooks deliver`` run sends what is due, to the
    private addresses the app's allow-list names."""
    from assess.webhooks import runner

    assert world.assigned
    registry.register(
        db.session, world.users["admin"], receiver.url, ["attempt.finished"], allow=LOCAL
    )
    webhooks.emit(db.session, webhooks.ATTEMPT_FINISHED, world.assigned)
    db.session.commit()
    assert runner.run_once(app) == 0
    assert receiver.requests == []
    app.config["WEBHOOK_ALLOW_PRIVATE"] = "127.0.0.1/32"
    db.session.execute(sa.update(WebhookDelivery).values(next_try_at=utcnow()))
    db.session.commit()
    assert runner.run_once(app) == 1
    assert len(receiver.requests) == 1


def test_prune_keeps_pending_deliveries(app: Flask, world: World) -> None:
    """Old finished deliveries are deleted; pending ones and recent ones stay."""
    hook, _ = registry.register(
        db.session, world.users["admin"], "https://a.example/h", ["attempt.finished"]
    )
    now = utcnow()
    old = now - timedelta(days=40)
    rows = [
        WebhookDelivery(
            webhook_id=hook.id,
            event="attempt.finished",
            payload="{}",
            status=status,
            created_at=created,
        )
        for status, created in [
            (DeliveryStatus.DELIVERED, old),
            (DeliveryStatus.FAILED, old),
            (DeliveryStatus.PENDING, old),
            (DeliveryStatus.DELIVERED, now),
        ]
    ]
    db.session.add_all(rows)
    db.session.commit()
    assert delivery.prune(db.session, now - timedelta(days=30)) == 2
    db.session.commit()
    left = db.session.scalars(sa.select(WebhookDelivery.status)).all()
    assert sorted(left) == sorted([DeliveryStatus.PENDING, DeliveryStatus.DELIVERED])
