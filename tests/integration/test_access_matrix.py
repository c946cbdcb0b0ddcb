"""Every route, tried as every kind of visitor: the policy mark on each view is obeyed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.live.views import LIVE_CANDIDATE
from assess.models import Role
from assess.policy import CANDIDATE
from tests.conftest import Auth, BankFactory, Factory, make_attempt

PERSONAS = ("anonymous", "candidate", "interviewer", "recruiter", "admin")
OPERATOR = "operator"  # an admin with the operator flag: the only persona on operator routes
SKIPPED_ENDPOINTS = {"static"}


def all_routes(app: Flask) -> Iterator[tuple[str, str, str]]:
    """(endpoint, method, url) for every rule, with 1 for each URL parameter; sign-out last."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint == "auth.logout"):
        if rule.endpoint in SKIPPED_ENDPOINTS or getattr(
            app.view_functions[rule.endpoint], "bearer_auth", False
        ):
            continue  # the API answers 401 JSON; tests/integration/api/test_api_access.py
        url = rule.rule
        for argument in rule.arguments:
            url = url.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "1")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def persona_client(app: Flask, factory: Factory, persona: str) -> FlaskClient:
    """A client signed in as ``persona`` (a candidate holds an attempt in the session)."""
    client = app.test_client()
    if persona == "candidate":
        _, token = make_attempt(factory)
        assert client.post(f"/i/{token}", data={"agree": "y"}).status_code == 302
    elif persona == OPERATOR:  # set by the CLI only
        user = factory.user(Role.ADMIN)
        user.is_operator = True
        db.session.commit()
        assert Auth(client).login(user.email).status_code == 302
    elif persona != "anonymous":
        user = factory.user(Role(persona))
        assert Auth(client).login(user.email).status_code == 302
    return client


@pytest.fixture
def matrix_app(app: Flask, bank: BankFactory) -> Flask:
    """The app with CSRF off: this test is about authorization only (CSRF has its own)."""
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def test_every_view_declares_who_may_use_it(matrix_app: Flask) -> None:
    """A view without a policy mark fails the suite, so no route is open by accident."""
    unmarked = [
        endpoint
        for endpoint, view in matrix_app.view_functions.items()
        if endpoint not in SKIPPED_ENDPOINTS and not hasattr(view, "allowed_roles")
    ]
    assert unmarked == []


@pytest.mark.parametrize("persona", [*PERSONAS, OPERATOR])
def test_role_matrix(matrix_app: Flask, factory: Factory, persona: str) -> None:
    """Staff routes: anonymous and candidates are sent to sign in, wrong roles get 403, right
    roles pass; operator routes only let operators in (other admins get 403). Candidate
    routes: only a browser holding an attempt gets in."""
    client = persona_client(matrix_app, factory, persona)
    role = Role.ADMIN if persona == OPERATOR else None
    checked = 0
    for endpoint, method, url in all_routes(matrix_app):
        view = matrix_app.view_functions[endpoint]
        allowed = view.allowed_roles
        response = client.open(url, method=method)
        status = response.status_code
        location = response.headers.get("Location", "")
        if allowed is None:
            assert status < 500, (endpoint, method, status)
        elif LIVE_CANDIDATE in allowed:
            assert status == 403, (endpoint, method, status)  # nobody here holds a live link
        elif CANDIDATE in allowed:
            if persona == "candidate":
                assert status not in (401, 403) and status < 500, (endpoint, method, status)
            else:
                assert status == 403, (endpoint, method, status)
        elif persona in ("anonymous", "candidate"):
            assert status == 302 and "/login" in location, (endpoint, method, status)
        elif getattr(view, "operator_only", False) and persona != OPERATOR:
            assert status == 403, (endpoint, method, status)
        elif (role or Role(persona)) in allowed:
            assert status != 403 and "/login" not in location, (endpoint, method, status)
            assert status < 500, (endpoint, method, status)
        else:
            assert status == 403, (endpoint, method, status)
        checked += 1
    assert checked >= 8


def test_admin_cannot_touch_another_organisations_account(
    matrix_app: Flask, factory: Factory
) -> None:
    """Object-level check: an account of another organisation is 404 to an admin."""
    other = factory.user(Role.RECRUITER, organization=factory.organization("Elsewhere"))
    client = persona_client(matrix_app, factory, "admin")
    assert client.post(f"/admin/users/{other.id}/toggle").status_code == 404
    page = client.get("/admin/users")
    assert other.email not in page.text
