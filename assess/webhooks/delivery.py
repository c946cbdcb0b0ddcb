"""Delivering due webhook events: claim, sign, POST, record; retry with exponential back-off.

Safe with many processes: a delivery is claimed by a compare-and-set on its ``next_try_at``
(pushed a lease ahead), committed before the HTTP call, so two deliverers never send the same
try. The HTTP call happens outside any transaction.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.models import DeliveryStatus, Webhook, WebhookDelivery
from assess.webhooks import signing

log = logging.getLogger(__name__)

MAX_TRIES = 8
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 6 * 3600
LEASE_SECONDS = 60
TIMEOUT_SECONDS = 10.0
BATCH = 20
USER_AGENT = "Assess-Webhooks/1"

HttpPost = Callable[[str, bytes, dict[str, str], float], int]


class DeliveryRefusedError(Exception):
    """The destination may not be called (a private address when those are not allowed)."""


def backoff(tries: int) -> timedelta:
    """How long to wait after the ``tries``-th failed try: 30 s, 60 s, 120 s... capped."""
    seconds = BACKOFF_BASE_SECONDS * 2 ** max(tries - 1, 0)
    return timedelta(seconds=min(seconds, BACKOFF_CAP_SECONDS))


def check_destination(url: str) -> None:
    """Refuse URLs whose host resolves to a loopback, private, link-local or reserved address."""
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise DeliveryRefusedError(f"cannot resolve {host}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise DeliveryRefusedError(f"{host} resolves to a non-public address")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Never follow redirects: a 3xx is the receiver's answer, not a new destination."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        """Refuse every redirect."""
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def urllib_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` and return the response status; network errors raise OSError."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise DeliveryRefusedError("only http and https URLs are called")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(64 * 1024)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return int(exc.code)


def signed_headers(delivery: WebhookDelivery, secret: str, now: datetime) -> dict[str, str]:
    """The headers of one try: content type, event, delivery id, timestamp, signature."""
    timestamp = int(now.timestamp())
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.EVENT_HEADER: delivery.event,
        signing.DELIVERY_HEADER: str(delivery.id),
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.signature(
            secret, timestamp, delivery.payload.encode("utf-8")
        ),
    }


def _claim(session: DbSession, delivery_id: int, seen: datetime, now: datetime) -> bool:
    """Take one due delivery for a lease; False when another deliverer took it first."""
    result = session.execute(
        sa.update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_try_at == seen,
        )
        .values(next_try_at=now + timedelta(seconds=LEASE_SECONDS))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return getattr(result, "rowcount", 0) == 1


def _record(
    delivery: WebhookDelivery,
    now: datetime,
    code: int | None,
    error: str | None,
    max_tries: int,
) -> None:
    """Store how a try went and schedule the next one, or give up."""
    delivery.attempts += 1
    delivery.last_try_at = now
    delivery.response_code = code
    if code is not None and 200 <= code < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        delivery.error = None
        return
    delivery.error = (error or f"HTTP {code}")[:500]
    if delivery.attempts >= max_tries:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_try_at = now + backoff(delivery.attempts)


def deliver_one(
    session: DbSession,
    delivery: WebhookDelivery,
    now: datetime,
    http_post: HttpPost,
    *,
    allow_private: bool,
    max_tries: int = MAX_TRIES,
    timeout: float = TIMEOUT_SECONDS,
) -> bool:
    """Send one claimed delivery and record the result; True when it was delivered."""
    webhook: Webhook = delivery.webhook
    code: int | None = None
    error: str | None = None
    if not webhook.is_active:
        delivery.status = DeliveryStatus.FAILED
        delivery.error = "the webhook is disabled"
        session.commit()
        return False
    try:
        if not allow_private:
            check_destination(webhook.url)
        headers = signed_headers(delivery, webhook.secret, now)
        code = http_post(webhook.url, delivery.payload.encode("utf-8"), headers, timeout)
    except DeliveryRefusedError as exc:
        error = f"refused: {exc}"
    except (OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    _record(delivery, now, code, error, max_tries)
    session.commit()
    log.info(
        "webhook delivery %s (webhook %s, %s): try %s, %s",
        delivery.id,
        webhook.id,
        delivery.event,
        delivery.attempts,
        delivery.status.value,
    )
    return delivery.status is DeliveryStatus.DELIVERED


def deliver_due(
    session: DbSession,
    now: datetime,
    http_post: HttpPost = urllib_post,
    *,
    allow_private: bool = True,
    limit: int = BATCH,
    max_tries: int = MAX_TRIES,
) -> int:
    """Try every delivery due at ``now`` (at most ``limit``); returns how many were sent
    successfully. Commits after each claim and each result."""
    due = session.execute(
        sa.select(WebhookDelivery.id, WebhookDelivery.next_try_at)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_try_at <= now,
        )
        .order_by(WebhookDelivery.next_try_at, WebhookDelivery.id)
        .limit(limit)
    ).all()
    session.commit()
    delivered = 0
    for delivery_id, seen in due:
        if not _claim(session, delivery_id, seen, now):
            continue
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None:
            continue
        if deliver_one(
            session, delivery, now, http_post, allow_private=allow_private, max_tries=max_tries
        ):
            delivered += 1
    return delivered


def retry(delivery: WebhookDelivery, now: datetime) -> None:
    """Send a finished (failed or delivered) delivery again, from a fresh count of tries."""
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_try_at = now
    delivery.error = None


def prune(session: DbSession, before: datetime) -> int:
    """Delete delivered and failed deliveries created before ``before`` (pending ones stay);
    returns how many went. The caller commits."""
    result = session.execute(
        sa.delete(WebhookDelivery)
        .where(
            WebhookDelivery.created_at < before,
            WebhookDelivery.status != DeliveryStatus.PENDING,
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
