"""Registering webhooks: where events go, which events, and the secret that signs them."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

import sqlalchemy as sa

from assess.errors import NotFound, ValidationFailed
from assess.extensions import DbSession
from assess.models import Position, User, Webhook, WebhookDelivery
from assess.webhooks.destinations import (
    AllowList,
    DestinationRefusedError,
    Resolver,
    check,
    system_resolver,
)

EVENTS = ("attempt.finished", "attempt.scored", "interview.finished")
SECRET_PREFIX = "whsec_"  # noqa: S105 - a public marker, not a secret
MAX_URL_LENGTH = 2000
WEBHOOKS_PER_ORGANIZATION = 50


def new_secret() -> str:
    """A random signing secret (256 bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def check_url(url: str) -> str:
    """An absolute http(s) URL with a host and no credentials, or ValidationFailed."""
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH:
        raise ValidationFailed("url: 1 to 2000 characters", {"url": "1 to 2000 characters"})
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ValidationFailed("url: not a valid URL", {"url": "not a valid URL"}) from exc
    if parts.scheme not in ("http", "https"):
        raise ValidationFailed("url: only http and https", {"url": "only http and https"})
    if not parts.hostname or (port is not None and not 0 < port < 65536):
        raise ValidationFailed("url: a host is required", {"url": "a host is required"})
    if parts.username or parts.password:
        raise ValidationFailed(
            "url: no credentials in the URL", {"url": "no credentials in the URL"}
        )
    return url


def check_destination(url: str, allow: AllowList, resolve: Resolver = system_resolver) -> None:
    """Refuse a URL whose host is, or resolves to, a non-public address (ValidationFailed
    saying which and why). A name that does not resolve yet is accepted: every delivery
    resolves and checks again, and calls only the address it checked."""
    try:
        check(url, allow, resolve, strict=False)
    except DestinationRefusedError as exc:
        raise ValidationFailed(f"url: {exc}", {"url": str(exc)}) from exc


def register(
    session: DbSession,
    creator: User,
    url: str,
    events: list[str],
    position: Position | None = None,
    *,
    allow: AllowList | None = None,
    resolve: Resolver = system_resolver,
) -> tuple[Webhook, str]:
    """A new webhook of the creator's organisation (or one of its positions); returns it and
    its secret, which the caller shows once. Only public destinations are accepted, and those
    of ``allow`` (none by default)."""
    url = check_url(url)
    check_destination(url, allow or AllowList(), resolve)
    chosen = [e for e in EVENTS if e in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        raise ValidationFailed(
            "events: choose from " + ", ".join(EVENTS),
            {"events": "choose at least one known event"},
        )
    if position is not None and position.organization_id != creator.organization_id:
        raise NotFound("no such position")
    count = session.scalar(
        sa.select(sa.func.count())
        .select_from(Webhook)
        .where(Webhook.organization_id == creator.organization_id)
    )
    if (count or 0) >= WEBHOOKS_PER_ORGANIZATION:
        raise ValidationFailed(
            f"at most {WEBHOOKS_PER_ORGANIZATION} webhooks", {"url": "too many webhooks"}
        )
    secret = new_secret()
    webhook = Webhook(
        organization_id=creator.organization_id,
        position_id=position.id if position else None,
        url=url,
        events=chosen,
        secret=secret,
        created_by_id=creator.id,
    )
    session.add(webhook)
    session.flush()
    return webhook, secret


def webhooks_of(session: DbSession, organization_id: int) -> list[Webhook]:
    """The organisation's webhooks, newest first."""
    return list(
        session.scalars(
            sa.select(Webhook)
            .where(Webhook.organization_id == organization_id)
            .order_by(Webhook.created_at.desc(), Webhook.id.desc())
        )
    )


def webhook_for(session: DbSession, user: User, webhook_id: int) -> Webhook:
    """A webhook of the user's organisation, or NotFound."""
    webhook = session.get(Webhook, webhook_id)
    if webhook is None or webhook.organization_id != user.organization_id:
        raise NotFound("no such webhook")
    return webhook


def recent_deliveries(
    session: DbSession, webhook: Webhook, limit: int = 50
) -> list[WebhookDelivery]:
    """The webhook's latest deliveries, newest first."""
    return list(
        session.scalars(
            sa.select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )
