"""HTTP endpoints."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from payhooks import ledger
from payhooks.events import InvalidEvent, parse_event

bp = Blueprint("payhooks", __name__)


@bp.post("/webhooks/payments")
def receive_payment():
    try:
        event = parse_event(request.get_json(silent=True))
    except InvalidEvent as exc:
        return jsonify(error=exc.code), 400
    client = current_app.extensions["payhooks.redis"]
    try:
        applied = ledger.apply_once(
            client, event, fail=bool(current_app.config.get("PAYHOOKS_FAIL_PROCESSING"))
        )
    except ledger.ProcessingError:
        return jsonify(error="processing_failed"), 500
    return jsonify(status="processed" if applied else "duplicate"), 200


@bp.get("/accounts/<account>/balance")
def account_balance(account: str):
    client = current_app.extensions["payhooks.redis"]
    return jsonify(account=account, balance=ledger.get_balance(client, account))
