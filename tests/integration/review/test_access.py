"""Who may use the desk and insights routes: roles, and objects (interviewers see only the
attempts assigned to them; recruiters only their organisation's positions)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import GradeCode, Role, User
from assess.services import invitations
from tests.conftest import BankFactory, Factory, csrf_token
from tests.integration.review import builders
from tests.integration.review.conftest import Desk
from tests.integration.test_access_matrix import PERSONAS, all_routes, persona_client

AREAS = ("review.", "insights.")


@pytest.mark.parametrize("persona", PERSONAS)
def test_role_matrix_of_new_routes(
    app: Flask, factory: Factory, bank: BankFactory, persona: str
) -> None:
    """Every desk and insights route obeys its policy mark for every kind of visitor."""
    app.config["WTF_CSRF_ENABLED"] = False
    client = persona_client(app, factory, persona)
    checked = 0
    for endpoint, method, url in all_routes(app):
        if not endpoint.startswith(AREAS):
            continue
        allowed = app.view_functions[endpoint].allowed_roles
        assert allowed is not None, endpoint
        response = client.open(url, method=method)
        status, location = response.status_code, response.headers.get("Location", "")
        if persona in ("anonymous", "candidate"):
            assert status == 302, (endpoint, method, status)
            assert "/login" in location, (endpoint, method, status)
        elif Role(persona) in allowed:
            assert status != 403, (endpoint, method, status)
            assert "/login" not in location, (endpoint, method, status)
            assert status < 500, (endpoint, method, status)
        else:
            assert status == 403, (endpoint, method, status)
        checked += 1
    assert checked >= 15


def test_interviewer_sees_only_assigned_attempts(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Ada is assigned, Bob is not: every attempt route of Bob is 404 to the interviewer."""
    client = sign_in(desk.interviewer)
    queue = client.get("/review").text
    assert "Ada Lovelace" in queue
    assert "Bob Builder" not in queue
    bob = desk.bob.id
    for url in (
        f"/review/attempts/{bob}",
        f"/review/attempts/{bob}/interview",
        f"/insights/attempts/{bob}/scorecard",
        f"/insights/attempts/{bob}/scorecard.json",
        f"/insights/attempts/{bob}/scorecard/print",
    ):
        assert client.get(url).status_code == 404, url
    token = csrf_token(queue)
    assert (
        client.post(
            f"/review/attempts/{bob}/submissions/{bob}/regrade", data={"csrf_token": token}
        ).status_code
        == 404
    )
    other = sign_in(desk.other_interviewer)
    assert other.get(f"/review/attempts/{desk.ada.id}").status_code == 404
    assert "Ada Lovelace" not in other.get("/review").text


def test_interviewer_cannot_reach_recruiting_insights(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Positions, compare, CSV and item statistics are closed to interviewers."""
    client = sign_in(desk.interviewer)
    pid = desk.position.id
    for url in (
        f"/insights/positions/{pid}",
        f"/insights/positions/{pid}/compare",
        f"/insights/positions/{pid}/scorecards.csv",
        "/insights/items",
        f"/review/attempts/{desk.ada.id}/assign",
    ):
        assert client.get(url).status_code == 403, url


def test_recruiter_of_another_organisation_sees_nothing(
    desk: Desk, factory: Factory, sign_in: Callable[[User], FlaskClient]
) -> None:
    """A recruiter (and an admin) elsewhere get 404 for the position and its attempts."""
    elsewhere = factory.organization("Elsewhere")
    for role in (Role.RECRUITER, Role.ADMIN):
        outsider = factory.user(role, organization=elsewhere)
        client = sign_in(outsider)
        pid, aid = desk.position.id, desk.ada.id
        for url in (
            f"/insights/positions/{pid}",
            f"/insights/positions/{pid}/compare?a={aid}",
            f"/insights/positions/{pid}/compare.json?a={aid}",
            f"/insights/positions/{pid}/scorecards.csv",
            f"/insights/attempts/{aid}/scorecard",
            f"/review/attempts/{aid}/assign",
            f"/positions/attempts/{aid}/scorecard",
        ):
            assert client.get(url).status_code == 404, (role, url)
        assert "Backend" not in client.get("/insights/pipelines").text
    admin_elsewhere = factory.user(Role.ADMIN, organization=elsewhere)
    assert sign_in(admin_elsewhere).get(f"/review/attempts/{desk.ada.id}").status_code == 404


def test_compare_ignores_attempts_of_other_positions(
    desk: Desk, factory: Factory, sign_in: Callable[[User], FlaskClient]
) -> None:
    """An attempt id of another organisation in ?a= is silently left out, never shown."""
    elsewhere = factory.organization("Elsewhere")
    stranger = factory.user(Role.RECRUITER, organization=elsewhere)
    position = invitations.create_position(db.session, stranger, "Secret", GradeCode.JUNIOR)
    secret = builders.finished_attempt(position, stranger, "Secret Candidate", seed=9)
    client = sign_in(desk.recruiter)
    page = client.get(
        f"/insights/positions/{desk.position.id}/compare?a={desk.ada.id}&a={secret.id}"
    ).text
    assert "Ada Lovelace" in page
    assert "Secret Candidate" not in page
    data = client.get(f"/insights/positions/{desk.position.id}/compare.json?a={secret.id}")
    assert data.get_json()["datasets"] == []


def test_only_an_assigned_admin_records_an_interview(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """An admin may read the evidence of any attempt of the organisation, but the interview
    form belongs to assigned interviewers."""
    client = sign_in(desk.admin)
    assert client.get(f"/review/attempts/{desk.bob.id}").status_code == 200
    assert client.get(f"/review/attempts/{desk.bob.id}/interview").status_code == 403


def test_oversized_ids_are_not_found(desk: Desk, sign_in: Callable[[User], FlaskClient]) -> None:
    """An id larger than the database's integer type is a 404, never a database error."""
    big = "99999999999999999999"
    recruiter = sign_in(desk.recruiter)
    for url in (
        f"/insights/attempts/{big}/scorecard",
        f"/review/attempts/{big}/assign",
        f"/insights/positions/{big}",
        f"/insights/positions/{big}/scorecards.csv",
    ):
        assert recruiter.get(url).status_code == 404, url
    page = recruiter.get(f"/review/attempts/{desk.ada.id}/assign").text
    withdraw = f"/review/attempts/{desk.ada.id}/assign/{big}/withdraw"
    assert recruiter.post(withdraw, data={"csrf_token": csrf_token(page)}).status_code == 404
    assign = recruiter.post(
        f"/review/attempts/{desk.ada.id}/assign",
        data={"csrf_token": csrf_token(page), "interviewer": big},
    )
    assert assign.status_code == 422
    interviewer = sign_in(desk.interviewer)
    token = csrf_token(interviewer.get("/review").text)
    assert interviewer.get(f"/review/attempts/{big}").status_code == 404
    regrade = f"/review/attempts/{desk.ada.id}/submissions/{big}/regrade"
    assert interviewer.post(regrade, data={"csrf_token": token}).status_code == 404
