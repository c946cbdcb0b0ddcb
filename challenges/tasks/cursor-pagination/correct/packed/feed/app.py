"""Keyset pagination; a cursor is two packed 64-bit integers, base64url without padding."""

import base64
import re
import struct
from datetime import datetime, timedelta, timezone

from flask import Flask, jsonify, request

from feed.db import connect, init_db

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")
PACK = struct.Struct(">qq")


class ApiError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def to_micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def pack(moment: datetime, event_id: int) -> str:
    raw = PACK.pack(to_micros(moment), event_id)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unpack(token: str) -> tuple[datetime, int]:
    if not TOKEN.fullmatch(token):
        raise ApiError("invalid_cursor")
    micros, event_id = PACK.unpack(base64.urlsafe_b64decode(token + "=="))
    try:
        moment = EPOCH + timedelta(microseconds=micros)
    except OverflowError:
        raise ApiError("invalid_cursor") from None
    if event_id < 1 or pack(moment, event_id) != token:
        raise ApiError("invalid_cursor")
    return moment, event_id


def limit_of(args) -> int:
    raw = args.get("limit", "20")
    if not (raw.isascii() and raw.isdecimal()) or not 1 <= int(raw) <= 100:
        raise ApiError("invalid_limit")
    return int(raw)


def utc_text(moment: datetime) -> str:
    text = moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
    return text.replace("+00:00", "Z")


def create_app() -> Flask:
    app = Flask(__name__)
    init_db()

    @app.errorhandler(ApiError)
    def refuse(error: ApiError):
        return jsonify(error=error.code), 400

    @app.get("/events")
    def events():
        limit = limit_of(request.args)
        cursor = request.args.get("cursor")
        where, params = "", []
        if cursor is not None:
            where = "WHERE (created_at, id) < (%s, %s)"
            params = list(unpack(cursor))
        with connect() as conn:
            rows = conn.execute(
                f"SELECT id, created_at, kind FROM events {where}"
                " ORDER BY created_at DESC, id DESC LIMIT %s",
                [*params, limit],
            ).fetchall()
            last = rows[-1] if len(rows) == limit else None
            more = (
                last is not None
                and conn.execute(
                    "SELECT EXISTS (SELECT 1 FROM events WHERE (created_at, id) < (%s, %s))",
                    (last["created_at"], last["id"]),
                ).fetchone()["exists"]
            )
        return jsonify(
            items=[
                {"id": r["id"], "created_at": utc_text(r["created_at"]), "kind": r["kind"]}
                for r in rows
            ],
            next_cursor=pack(last["created_at"], last["id"]) if more else None,
        )

    return app
