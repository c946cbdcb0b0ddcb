"""HTTP endpoints."""

from __future__ import annotations

import redis
from flask import Blueprint, current_app, jsonify, request

from payhooks import ledger
from payhooks.events import InvalidEvent, parse_event

bp = Blueprint("payhooks", __name__)


def _redis() -> redis.Redis:
    return current_app.extensions["payhooks.redis"]


@bp.post("/webhooks/payments")
def receive_payment():
    """Apply one event from the payment provider to its account's balance, once."""
    payload = request.get_json(silent=True)
    client = _redis()
    event_id = payload.get("id") if isinstance(payload, dict) else None
    if isinstance(event_id, str) and event_id and not ledger.claim(client, event_id):
        return jsonify(status="duplicate"), 200
    try:
        event = parse_event(payload)
    except InvalidEvent as exc:
        return jsonify(error=exc.code), 400
    try:
        ledger.apply_event(client, event, fail=current_app.config["PAYHOOKS_FAIL_PROCESSING"])
    except Exception as exc:
        ledger.release(client, event.id)
        if isinstance(exc, ledger.ProcessingError):
            return jsonify(error="processing_failed"), 500
        raise
    return jsonify(status="processed"), 200


@bp.get("/accounts/<account>/balance")
def account_balance(account: str):
    """The account's current balance in cents."""
    return jsonify(account=account, balance=ledger.get_balance(_redis(), account))
