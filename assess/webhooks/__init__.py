"""Webhooks: signed notifications of attempt events to URLs an organisation registers.

The code that finishes or scores an attempt calls :func:`emit` inside its own transaction;
the event is stored as a ``WebhookDelivery`` row and sent after the commit by a deliverer
(the lazily started thread in :mod:`assess.webhooks.runner`, or ``flask webhooks deliver``).
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import scoped_session

from assess.api.representations import attempt_json, iso, scorecard_json
from assess.extensions import DbSession
from assess.models import Attempt, Webhook, WebhookDelivery, utcnow
from assess.webhooks import runner
from assess.webhooks.delivery import deliver_due
from assess.webhooks.registry import EVENTS

ATTEMPT_FINISHED = "attempt.finished"
ATTEMPT_SCORED = "attempt.scored"
INTERVIEW_FINISHED = "interview.finished"

__all__ = [
    "ATTEMPT_FINISHED",
    "ATTEMPT_SCORED",
    "EVENTS",
    "INTERVIEW_FINISHED",
    "deliver_due",
    "emit",
    "payload",
]


def payload(event: str, attempt: Attempt, extra: dict[str, Any] | None = None) -> str:
    """The JSON body of an event: the attempt as the API shows it (plus the scorecard once
    scored, and what the event adds, such as the live interview that ended)."""
    data: dict[str, Any] = {"attempt": attempt_json(attempt)}
    if event == ATTEMPT_SCORED:
        data["scorecard"] = scorecard_json(attempt)
    data.update(extra or {})
    body = {"event": event, "occurred_at": iso(utcnow()), "data": data}
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


def emit(
    session: DbSession, event: str, attempt: Attempt, extra: dict[str, Any] | None = None
) -> list[WebhookDelivery]:
    """Queue ``event`` for every active webhook of the attempt's position or organisation.

    Adds the rows to ``session`` without committing: they are sent only if the caller's
    transaction commits.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    position = attempt.invitation.position
    hooks = session.scalars(
        sa.select(Webhook)
        .where(
            Webhook.organization_id == position.organization_id,
            Webhook.is_active.is_(True),
            sa.or_(Webhook.position_id.is_(None), Webhook.position_id == position.id),
        )
        .order_by(Webhook.id)
    ).all()
    wanted = [hook for hook in hooks if event in hook.events]
    if not wanted:
        return []
    body = payload(event, attempt, extra)
    deliveries = [WebhookDelivery(webhook_id=hook.id, event=event, payload=body) for hook in wanted]
    session.add_all(deliveries)
    if has_app_context():
        _kick_after_commit(session, current_app._get_current_object())  # type: ignore[attr-defined]
    return deliveries


def _kick_after_commit(session: DbSession, app: Flask) -> None:
    """Wake this process's deliverer once the caller's transaction has committed."""
    target = session() if isinstance(session, scoped_session) else session
    sa.event.listen(target, "after_commit", lambda _: runner.kick(app), once=True)
