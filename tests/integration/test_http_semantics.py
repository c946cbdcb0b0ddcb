"""HTTP done right: a 405 says what is allowed on every route (pages and the API), HEAD and
OPTIONS behave, and an anonymous visitor's error page starts no session."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient


def routes_with_methods(app: Flask) -> list[tuple[str, set[str]]]:
    """Each route without URL variables and the methods it allows."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or rule.endpoint == "static":
            continue
        found.append((rule.rule, set(rule.methods or ())))
    return found


def test_every_route_answers_405_with_allow(app: Flask, client: FlaskClient) -> None:
    """A method a route does not take: 405 with an Allow header naming what it takes."""
    checked = 0
    for path, methods in routes_with_methods(app):
        wrong = next(m for m in ("DELETE", "PATCH", "PUT", "POST") if m not in methods)
        response = client.open(path, method=wrong)
        if response.status_code != 405:  # another rule with the same path takes the method
            continue
        allowed = {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}
        assert allowed and allowed >= (methods - {"HEAD", "OPTIONS"}), (path, allowed)
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("path", ["/api/v1/positions", "/login", "/healthz"])
def test_405_in_both_shapes(client: FlaskClient, path: str) -> None:
    """The API's JSON error and the HTML page both carry Allow."""
    response = client.delete(path)
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    if path.startswith("/api/"):
        assert response.json["error"]["code"] == "method_not_allowed"


def test_head_and_options(client: FlaskClient) -> None:
    """HEAD is GET without a body; OPTIONS lists the methods."""
    head = client.head("/login")
    assert head.status_code == 200 and head.data == b""
    options = client.options("/login")
    assert options.status_code == 200
    assert {"GET", "POST"} <= {m.strip() for m in options.headers["Allow"].split(",")}


@pytest.mark.parametrize("path", ["/no-such-page", "/api/v1/nothing", "/i/not-a-token"])
def test_anonymous_error_pages_set_no_cookie(client: FlaskClient, path: str) -> None:
    """A missing page, API route or invitation link sets no session cookie."""
    response = client.get(path)
    assert response.status_code == 404
    assert "Set-Cookie" not in response.headers, response.headers.get("Set-Cookie")
