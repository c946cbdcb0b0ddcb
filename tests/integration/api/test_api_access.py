"""The API's authorization matrix: every endpoint, as every kind of caller, on own and foreign
objects. Only a bearer token authenticates, and it never exceeds its owner's rights."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import Role
from tests.conftest import Auth
from tests.integration.api.conftest import World, bearer

BODIES: dict[str, Any] = {
    "api.create_position": {"title": "Platform engineer", "grade": "senior"},
    "api.create_invitations": {"candidates": [{"name": "Linus", "email": "linus@example.com"}]},
}


def api_routes(app: Flask) -> Iterator[tuple[str, str, Any]]:
    """(endpoint, method, rule) of every bearer-authenticated view."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if getattr(app.view_functions[rule.endpoint], "bearer_auth", False):
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, rule


def url_for_rule(rule: Any, world: World, *, foreign: bool, role: str = "recruiter") -> str:
    """The rule's URL with ids of the caller's organisation, or of the other one."""
    assert world.assigned
    assert world.other_attempt
    attempt = world.other_attempt if foreign else world.assigned
    values = {
        "position_id": attempt.invitation.position_id,
        "attempt_id": attempt.id,
        "invitation_id": attempt.invitation_id,
    }
    return rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]


def call(client: FlaskClient, method: str, url: str, endpoint: str, **kwargs: Any) -> Any:
    """Send the request, with a valid body when the endpoint needs one."""
    if endpoint in BODIES:
        kwargs["json"] = BODIES[endpoint]
    return client.open(url, method=method, **kwargs)


def test_every_api_endpoint_is_covered(app: Flask) -> None:
    """Every bearer view is an API operation with declared roles (so the matrix sees it)."""
    endpoints = {endpoint for endpoint, _, _ in api_routes(app)}
    assert len(endpoints) >= 10
    for endpoint in endpoints:
        view = app.view_functions[endpoint]
        assert view.allowed_roles
        assert view.api_operation.roles == view.allowed_roles
    open_views = {e for e in app.view_functions if e.startswith("api.")} - endpoints
    assert open_views == {"api.openapi_document", "api.swagger_ui"}


def test_no_token_is_401_everywhere(app: Flask, api: FlaskClient, world: World) -> None:
    """Without a token every endpoint answers 401 in the error shape, with a challenge."""
    for endpoint, method, rule in api_routes(app):
        response = call(api, method, url_for_rule(rule, world, foreign=False), endpoint)
        assert response.status_code == 401, (endpoint, method)
        assert response.json["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_alone_cannot_call_the_api(
    app: Flask, client: FlaskClient, world: World
) -> None:
    """A signed-in browser without a token gets 401 from every endpoint (no CSRF path)."""
    assert Auth(client).login(world.users["admin"].email).status_code == 302
    assert client.get("/dashboard").status_code == 200
    for endpoint, method, rule in api_routes(app):
        response = call(client, method, url_for_rule(rule, world, foreign=False), endpoint)
        assert response.status_code == 401, (endpoint, method)


@pytest.mark.parametrize("bad", ["Bearer ", "Bearer nope", "Basic YTpi", "Bearer ast_x" * 30])
def test_malformed_or_unknown_tokens_are_401(api: FlaskClient, world: World, bad: str) -> None:
    """Anything but a live token is refused."""
    response = api.get("/api/v1/competencies", headers={"Authorization": bad})
    assert response.status_code == 401


@pytest.mark.parametrize("who", ["admin", "recruiter", "interviewer"])
def test_role_matrix_on_own_organisation(
    app: Flask, api: FlaskClient, world: World, who: str
) -> None:
    """Allowed roles pass on their organisation's objects; other roles get 403."""
    checked = 0
    for endpoint, method, rule in api_routes(app):
        allowed = app.view_functions[endpoint].allowed_roles
        url = url_for_rule(rule, world, foreign=False)
        response = call(api, method, url, endpoint, headers=world.headers(who))
        if Role(who) in allowed:
            assert response.status_code in (200, 201), (endpoint, method, response.json)
        else:
            assert response.status_code == 403, (endpoint, method)
            assert response.json["error"]["code"] == "forbidden"
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("who", ["admin", "recruiter", "interviewer"])
def test_another_organisations_objects_are_404(
    app: Flask, api: FlaskClient, world: World, who: str
) -> None:
    """Objects of another organisation do not exist for the caller, whatever the role."""
    for endpoint, method, rule in api_routes(app):
        if not rule.arguments:
            continue
        allowed = app.view_functions[endpoint].allowed_roles
        url = url_for_rule(rule, world, foreign=True)
        response = call(api, method, url, endpoint, headers=world.headers(who))
        expected = 404 if Role(who) in allowed else 403
        assert response.status_code == expected, (endpoint, method, who)


def test_lists_hold_only_the_callers_organisation(api: FlaskClient, world: World) -> None:
    """Positions and attempts lists never include another organisation's objects."""
    ids = world.ids()
    positions = api.get("/api/v1/positions", headers=world.headers("recruiter")).json
    assert [p["id"] for p in positions["items"]] == [ids["position"]]
    attempts = api.get("/api/v1/attempts", headers=world.headers("recruiter")).json
    assert {a["id"] for a in attempts["items"]} == {ids["assigned"], ids["unassigned"]}
    theirs = api.get("/api/v1/attempts", headers=world.headers("outsider")).json
    assert [a["id"] for a in theirs["items"]] == [ids["other_attempt"]]


def test_interviewers_see_only_assigned_attempts(api: FlaskClient, world: World) -> None:
    """An interviewer reads the attempts assigned to them and nothing else."""
    ids = world.ids()
    headers = world.headers("interviewer")
    listed = api.get("/api/v1/attempts", headers=headers).json
    assert [a["id"] for a in listed["items"]] == [ids["assigned"]]
    assert api.get(f"/api/v1/attempts/{ids['assigned']}", headers=headers).status_code == 200
    assert api.get(f"/api/v1/attempts/{ids['unassigned']}", headers=headers).status_code == 404
    card = api.get(f"/api/v1/attempts/{ids['unassigned']}/scorecard", headers=headers)
    assert card.status_code == 404
    assert api.get("/api/v1/positions", headers=headers).status_code == 403


def test_a_token_follows_its_owners_current_rights(api: FlaskClient, world: World) -> None:
    """Demoting the owner narrows the token; deactivating or revoking ends it."""
    recruiter = world.users["recruiter"]
    headers = world.headers("recruiter")
    assert api.get("/api/v1/positions", headers=headers).status_code == 200
    recruiter.role = Role.INTERVIEWER
    db.session.commit()
    assert api.get("/api/v1/positions", headers=headers).status_code == 403
    assert api.get("/api/v1/attempts", headers=headers).json["items"] == []
    recruiter.is_active_account = False
    db.session.commit()
    assert api.get("/api/v1/competencies", headers=headers).status_code == 401


def test_a_revoked_token_is_refused(api: FlaskClient, world: World) -> None:
    """Revocation takes effect on the next request."""
    from assess.api import tokens

    admin = world.users["admin"]
    row, token = tokens.issue(db.session, admin, "short-lived")
    db.session.commit()
    assert api.get("/api/v1/competencies", headers=bearer(token)).status_code == 200
    assert tokens.revoke(db.session, admin, row.id)
    db.session.commit()
    assert api.get("/api/v1/competencies", headers=bearer(token)).status_code == 401
