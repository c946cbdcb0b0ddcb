"""A small background thread that delivers due webhooks, started lazily in each process.

It starts on the first event emitted in a process (never under ``TESTING``, never when
``WEBHOOK_DELIVERY`` is ``"off"``, e.g. where a worker runs ``flask webhooks deliver``).
Several processes may each run one: deliveries are claimed, never sent twice per try.
"""

from __future__ import annotations

import logging
import os
import threading

from flask import Flask

from assess.extensions import db
from assess.models import utcnow
from assess.webhooks import destinations
from assess.webhooks.delivery import deliver_due
from assess.webhooks.destinations import AllowList

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0

_lock = threading.Lock()
_wake = threading.Event()
_started_in: int | None = None


def allow_list(app: Flask) -> AllowList:
    """The non-public networks and hosts deliveries may go to anyway (none by default, in
    every environment): ``ASSESS_WEBHOOK_ALLOW_PRIVATE``."""
    return destinations.allow_list(app.config)


def run_once(app: Flask) -> int:
    """Deliver what is due now, inside an app context; returns how many were delivered."""
    with app.app_context():
        try:
            return deliver_due(db.session, utcnow(), allow=allow_list(app))
        finally:
            db.session.remove()


def _loop(app: Flask) -> None:
    """Deliver due events, then sleep until woken or the poll interval passes."""
    while True:
        try:
            run_once(app)
        except Exception:  # a failing database must not kill the thread
            log.exception("webhook delivery pass failed")
        _wake.wait(POLL_SECONDS)
        _wake.clear()


def kick(app: Flask) -> None:
    """Start this process's delivery thread if needed, and wake it."""
    global _started_in
    if app.testing or app.config.get("WEBHOOK_DELIVERY", "thread") != "thread":
        return
    with _lock:
        if _started_in != os.getpid():  # a forked worker needs its own thread
            thread = threading.Thread(
                target=_loop, args=(app,), name="webhook-deliverer", daemon=True
            )
            thread.start()
            _started_in = os.getpid()
    _wake.set()
