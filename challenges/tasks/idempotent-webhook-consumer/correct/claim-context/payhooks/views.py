"""HTTP endpoints."""

from __future__ import annotations

import redis
from flask import Blueprint, current_app, jsonify, request

from payhooks import ledger
from payhooks.events import InvalidEvent, parse_event
from payhooks.idempotency import EventClaim

bp = Blueprint("payhooks", __name__)


def _redis() -> redis.Redis:
    return current_app.extensions["payhooks.redis"]


@bp.post("/webhooks/payments")
def receive_payment():
    """Apply one event from the payment provider to its account's balance, at most once."""
    try:
        event = parse_event(request.get_json(silent=True))
    except InvalidEvent as exc:
        return jsonify(error=exc.code), 400
    client = _redis()
    fail = bool(current_app.config.get("PAYHOOKS_FAIL_PROCESSING", False))
    try:
        with EventClaim(client, event.id) as claim:
            if not claim.acquired:
                return jsonify(status="duplicate"), 200
            ledger.apply_event(client, event, fail=fail)
    except Exception:  # the claim was given back by EventClaim.__exit__
        return jsonify(error="processing_failed"), 500
    return jsonify(status="processed"), 200


@bp.get("/accounts/<account>/balance")
def account_balance(account: str):
    """The account's current balance in cents."""
    return jsonify(account=account, balance=ledger.get_balance(_redis(), account))
