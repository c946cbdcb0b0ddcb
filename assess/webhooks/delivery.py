"""Delivering due webhook events: claim, sign, POST, record; retry with exponential back-off.

Safe with many processes: a delivery is claimed by a compare-and-set on its ``next_try_at``
(pushed a lease ahead), committed before the HTTP call, so two deliverers never send the same
try. The HTTP call happens outside any transaction.
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.models import DeliveryStatus, Webhook, WebhookDelivery
from assess.webhooks import signing
from assess.webhooks.destinations import (
    AllowList,
    Destination,
    DestinationRefusedError,
    IPAddress,
    Resolver,
    check,
    system_resolver,
)

log = logging.getLogger(__name__)

MAX_TRIES = 8
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 6 * 3600
LEASE_SECONDS = 60
TIMEOUT_SECONDS = 10.0
BATCH = 20
USER_AGENT = "Assess-Webhooks/1"
MAX_RESPONSE_BYTES = 64 * 1024

HttpPost = Callable[[Destination, bytes, dict[str, str], float], int]


def backoff(tries: int) -> timedelta:
    """How long to wait after the ``tries``-th failed try: 30 s, 60 s, 120 s... capped."""
    seconds = BACKOFF_BASE_SECONDS * 2 ** max(tries - 1, 0)
    return timedelta(seconds=min(seconds, BACKOFF_CAP_SECONDS))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to one checked address; the Host header still names the URL's host."""

    def __init__(self, host: str, port: int, address: IPAddress, timeout: float) -> None:
        """Remember the address to connect to."""
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        """Connect to the checked address, never resolving the host name again."""
        self.sock = socket.create_connection((str(self.address), self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to one checked address, with SNI and certificate checks for the URL's host."""

    def __init__(
        self,
        host: str,
        port: int,
        address: IPAddress,
        timeout: float,
        context: ssl.SSLContext,
    ) -> None:
        """Remember the address and the TLS context."""
        super().__init__(host, port, timeout=timeout, context=context)
        self.address = address
        self.tls = context

    def connect(self) -> None:
        """Connect to the checked address; TLS verifies the certificate for the host name."""
        sock = socket.create_connection((str(self.address), self.port), self.timeout)
        try:
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def pinned_post(
    destination: Destination,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    *,
    context: ssl.SSLContext | None = None,
) -> int:
    """POST ``body`` to one of the destination's checked addresses (the first that accepts
    the connection) and return the status; redirects are answers, never followed. Network and
    TLS errors raise OSError."""
    if destination.scheme not in ("http", "https"):
        raise DestinationRefusedError("only http and https URLs are called")
    if not destination.addresses:
        raise DestinationRefusedError(f"{destination.host} does not resolve")
    failure: OSError | None = None
    for address in destination.addresses:
        connection: http.client.HTTPConnection
        if destination.scheme == "https":
            tls = context or ssl.create_default_context()
            connection = _PinnedHTTPSConnection(
                destination.host, destination.port, address, timeout, tls
            )
        else:
            connection = _PinnedHTTPConnection(destination.host, destination.port, address, timeout)
        try:
            try:
                connection.connect()
            except ssl.SSLError:
                raise  # a certificate that does not match is an answer, not a dead address
            except OSError as exc:
                failure = exc
                continue
            connection.request("POST", destination.target, body=body, headers=headers)
            response = connection.getresponse()
            response.read(MAX_RESPONSE_BYTES)
            return int(response.status)
        except http.client.HTTPException as exc:
            raise OSError(f"bad HTTP response: {type(exc).__name__}") from exc
        finally:
            connection.close()
    assert failure is not None
    raise failure


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
    allow: AllowList,
    resolve: Resolver = system_resolver,
    max_tries: int = MAX_TRIES,
    timeout: float = TIMEOUT_SECONDS,
) -> bool:
    """Send one claimed delivery and record the result; True when it was delivered.

    The URL's host is resolved once and every address checked (see
    :mod:`assess.webhooks.destinations`); the POST goes to those very addresses."""
    webhook: Webhook = delivery.webhook
    code: int | None = None
    error: str | None = None
    if not webhook.is_active:
        delivery.status = DeliveryStatus.FAILED
        delivery.error = "the webhook is disabled"
        session.commit()
        return False
    try:
        destination = check(webhook.url, allow, resolve)
        headers = signed_headers(delivery, webhook.secret, now)
        code = http_post(destination, delivery.payload.encode("utf-8"), headers, timeout)
    except DestinationRefusedError as exc:
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
    http_post: HttpPost = pinned_post,
    *,
    allow: AllowList | None = None,
    resolve: Resolver = system_resolver,
    limit: int = BATCH,
    max_tries: int = MAX_TRIES,
) -> int:
    """Try every delivery due at ``now`` (at most ``limit``); returns how many were sent
    successfully. Commits after each claim and each result. Only public addresses are
    called, and those of ``allow`` (nothing more by default)."""
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
            session,
            delivery,
            now,
            http_post,
            allow=allow or AllowList(),
            resolve=resolve,
            max_tries=max_tries,
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
