"""The HTTP service: ``python -m shipping.server`` serves GET /quote?weight=..&zone=..
on port 8000 (standard library only)."""

import json
import os
from urllib.parse import parse_qs
from wsgiref.simple_server import make_server

from shipping import quote


def app(environ, start_response):
    """A WSGI application with one route."""
    query = parse_qs(environ.get("QUERY_STRING", ""))
    try:
        cents = quote(float(query["weight"][0]), query["zone"][0])
    except (KeyError, ValueError) as exc:
        start_response("400 Bad Request", [("Content-Type", "application/json")])
        return [json.dumps({"error": str(exc)}).encode()]
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps({"cents": cents}).encode()]


if __name__ == "__main__":
    make_server("0.0.0.0", int(os.environ.get("PORT", "8000")), app).serve_forever()  # noqa: S104
