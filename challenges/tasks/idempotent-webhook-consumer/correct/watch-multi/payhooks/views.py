"""HTTP endpoints."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from payhooks import ledger
from payhooks.events import InvalidEvent, parse_event

bp = Blueprint("payhooks", __name__)


@bp.route("/webhooks/payments", methods=["POST"])
def receive_payment():
    try:
        event = parse_event(request.get_json(silent=True))
    except InvalidEvent as exc:
        return {"error": exc.code}, 400
    client = current_app.extensions["payhooks.redis"]
    failing = current_app.config["PAYHOOKS_FAIL_PROCESSING"]
    try:
        ledger.apply_event(client, event, fail=failing)
    except ledger.Duplicate:
        return {"status": "duplicate"}, 200
    except ledger.ProcessingError:
        return {"error": "processing_failed"}, 500
    return {"status": "processed"}, 200


@bp.route("/accounts/<account>/balance", methods=["GET"])
def account_balance(account: str):
    client = current_app.extensions["payhooks.redis"]
    return {"account": account, "balance": ledger.get_balance(client, account)}
