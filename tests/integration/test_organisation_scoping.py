"""Organisations are sealed from each other: every object another organisation's admin or
recruiter names by id (accounts, tokens, webhooks and deliveries, positions, invitations,
attempts, scorecards, exports, item statistics) is 404 to them, and lists leave it out."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.api import tokens
from assess.extensions import db
from assess.models import (
    ApiToken,
    Attempt,
    DeliveryStatus,
    InterviewAssignment,
    Invitation,
    Position,
    Role,
    User,
    Webhook,
    WebhookDelivery,
)
from assess.webhooks import registry
from tests.conftest import Auth, Factory
from tests.integration.api.conftest import bearer, make_attempt, make_position, token_for


@dataclass
class Two:
    """Organisation A (the victim, with every kind of object) and B (the prying one)."""

    admin: User
    recruiter: User
    interviewer: User
    position: Position
    attempt: Attempt
    invitation: Invitation
    token: ApiToken
    webhook: Webhook
    delivery: WebhookDelivery
    their_admin: User
    their_recruiter: User
    their_interviewer: User

    def ids(self) -> dict[str, int]:
        """The ids the URLs name."""
        return {
            "user": self.recruiter.id,
            "token": self.token.id,
            "webhook": self.webhook.id,
            "delivery": self.delivery.id,
            "position": self.position.id,
            "invitation": self.invitation.id,
            "attempt": self.attempt.id,
            "interviewer": self.interviewer.id,
        }


@pytest.fixture
def two(app: Flask, factory: Factory) -> Two:
    """Two organisations; A has a position, an invitation, a scored attempt assigned to its
    interviewer, an API token, a webhook with a failed delivery."""
    app.config["WTF_CSRF_ENABLED"] = False  # authorization, not CSRF, is under test
    home, away = factory.organization("A"), factory.organization("B")
    admin = factory.user(Role.ADMIN, organization=home)
    recruiter = factory.user(Role.RECRUITER, organization=home)
    interviewer = factory.user(Role.INTERVIEWER, organization=home)
    position = make_position(home, "A's position")
    attempt = make_attempt(position, "Ada Secret", scored=True)
    db.session.add(InterviewAssignment(attempt_id=attempt.id, interviewer_id=interviewer.id))
    token, _ = tokens.issue(db.session, recruiter, "A's token")
    webhook, _ = registry.register(
        db.session, recruiter, "https://a.example/h", list(registry.EVENTS)
    )
    delivery = WebhookDelivery(
        webhook_id=webhook.id, event="attempt.finished", payload="{}", status=DeliveryStatus.FAILED
    )
    db.session.add(delivery)
    db.session.commit()
    return Two(
        admin,
        recruiter,
        interviewer,
        position,
        attempt,
        attempt.invitation,
        token,
        webhook,
        delivery,
        factory.user(Role.ADMIN, organization=away),
        factory.user(Role.RECRUITER, organization=away),
        factory.user(Role.INTERVIEWER, organization=away),
    )


def signed_in(app: Flask, user: User) -> FlaskClient:
    """A fresh client signed in as ``user``."""
    client = app.test_client()
    assert Auth(client).login(user.email).status_code == 302
    return client


# (object type, method, URL, roles of B that reach the view).
ADMIN_AND_RECRUITER = ("admin", "recruiter")
PAGES = [
    ("user", "POST", "/admin/users/{user}/toggle", ("admin",)),
    ("token", "POST", "/integrations/tokens/{token}/revoke", ADMIN_AND_RECRUITER),
    ("webhook", "GET", "/integrations/webhooks/{webhook}", ADMIN_AND_RECRUITER),
    ("webhook", "POST", "/integrations/webhooks/{webhook}/delete", ADMIN_AND_RECRUITER),
    (
        "delivery",
        "POST",
        "/integrations/webhooks/deliveries/{delivery}/retry",
        ADMIN_AND_RECRUITER,
    ),
    ("position", "GET", "/positions/{position}", ADMIN_AND_RECRUITER),
    ("position", "POST", "/positions/{position}", ADMIN_AND_RECRUITER),
    ("position", "POST", "/positions/{position}/invitations.csv", ADMIN_AND_RECRUITER),
    ("position", "GET", "/insights/positions/{position}", ADMIN_AND_RECRUITER),
    (
        "position",
        "GET",
        "/insights/positions/{position}/compare?a={attempt}",
        ADMIN_AND_RECRUITER,
    ),
    (
        "position",
        "GET",
        "/insights/positions/{position}/compare.json?a={attempt}",
        ADMIN_AND_RECRUITER,
    ),
    ("csv export", "GET", "/insights/positions/{position}/scorecards.csv", ADMIN_AND_RECRUITER),
    ("invitation", "POST", "/positions/invitations/{invitation}/revoke", ADMIN_AND_RECRUITER),
    ("attempt", "GET", "/review/attempts/{attempt}", ("admin", "interviewer")),
    ("attempt", "GET", "/review/attempts/{attempt}/interview", ("admin", "interviewer")),
    ("attempt", "POST", "/review/attempts/{attempt}/interview", ("admin", "interviewer")),
    ("attempt", "GET", "/review/attempts/{attempt}/assign", ADMIN_AND_RECRUITER),
    ("attempt", "POST", "/review/attempts/{attempt}/assign", ADMIN_AND_RECRUITER),
    (
        "attempt",
        "POST",
        "/review/attempts/{attempt}/assign/{interviewer}/withdraw",
        ADMIN_AND_RECRUITER,
    ),
    ("attempt", "GET", "/live/new/{attempt}", ("admin", "recruiter", "interviewer")),
    ("scorecard", "GET", "/positions/attempts/{attempt}/scorecard", ADMIN_AND_RECRUITER),
    (
        "scorecard",
        "GET",
        "/insights/attempts/{attempt}/scorecard",
        ("admin", "recruiter", "interviewer"),
    ),
    (
        "scorecard",
        "GET",
        "/insights/attempts/{attempt}/scorecard/print",
        ("admin", "recruiter", "interviewer"),
    ),
    (
        "scorecard",
        "GET",
        "/insights/attempts/{attempt}/scorecard.json",
        ("admin", "recruiter", "interviewer"),
    ),
]
API = [
    ("position", "GET", "/api/v1/positions/{position}", ADMIN_AND_RECRUITER),
    ("position", "GET", "/api/v1/positions/{position}/invitations", ADMIN_AND_RECRUITER),
    ("position", "POST", "/api/v1/positions/{position}/invitations", ADMIN_AND_RECRUITER),
    ("invitation", "GET", "/api/v1/invitations/{invitation}", ADMIN_AND_RECRUITER),
    ("invitation", "POST", "/api/v1/invitations/{invitation}/revoke", ADMIN_AND_RECRUITER),
    ("attempt", "GET", "/api/v1/attempts/{attempt}", ("admin", "recruiter", "interviewer")),
    (
        "scorecard",
        "GET",
        "/api/v1/attempts/{attempt}/scorecard",
        ("admin", "recruiter", "interviewer"),
    ),
]


def _pryers(two: Two, roles: tuple[str, ...]) -> list[User]:
    """B's staff of ``roles``."""
    people = {
        "admin": two.their_admin,
        "recruiter": two.their_recruiter,
        "interviewer": two.their_interviewer,
    }
    return [people[r] for r in roles]


def _unchanged(two: Two) -> None:
    """Nothing of A was changed by B's requests."""
    db.session.expire_all()
    assert db.session.get(User, two.recruiter.id).is_active_account  # type: ignore[union-attr]
    assert db.session.get(ApiToken, two.token.id).revoked_at is None  # type: ignore[union-attr]
    assert db.session.get(Webhook, two.webhook.id) is not None
    delivery = db.session.get(WebhookDelivery, two.delivery.id)
    assert delivery is not None
    assert delivery.status is DeliveryStatus.FAILED
    assert db.session.get(Invitation, two.invitation.id).revoked_at is None  # type: ignore[union-attr]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InterviewAssignment)) == 1


@pytest.mark.parametrize(("kind", "method", "url", "roles"), PAGES, ids=lambda v: str(v))
def test_pages_hide_another_organisations_objects(
    app: Flask, two: Two, kind: str, method: str, url: str, roles: tuple[str, ...]
) -> None:
    """Each page naming one of A's objects is 404 to B's staff, and changes nothing."""
    for user in _pryers(two, roles):
        client = signed_in(app, user)
        data = {"interviewer": str(two.their_interviewer.id), "name": "x", "email": "x@b.example"}
        response = client.open(url.format(**two.ids()), method=method, data=data)
        assert response.status_code == 404, (kind, user.role, response.status_code)
        assert "Ada Secret" not in response.text
    _unchanged(two)


@pytest.mark.parametrize(("kind", "method", "url", "roles"), API, ids=lambda v: str(v))
def test_the_api_hides_another_organisations_objects(
    app: Flask, two: Two, kind: str, method: str, url: str, roles: tuple[str, ...]
) -> None:
    """Each API call naming one of A's objects is 404 to B's tokens, and changes nothing."""
    client = app.test_client()
    body = {"candidates": [{"name": "X", "email": "x@b.example"}]}
    for user in _pryers(two, roles):
        response = client.open(
            url.format(**two.ids()),
            method=method,
            headers=bearer(token_for(user)),
            json=body if method == "POST" else None,
        )
        assert response.status_code == 404, (kind, user.role, response.status_code)
        assert "Ada Secret" not in response.text
    _unchanged(two)


def test_lists_leave_out_another_organisations_objects(app: Flask, two: Two) -> None:
    """B's admin sees none of A's staff, webhooks or positions; B's API lists are empty."""
    client = signed_in(app, two.their_admin)
    assert two.recruiter.email not in client.get("/admin/users").text
    assert "a.example" not in client.get("/integrations/webhooks").text
    assert "A&#39;s position" not in client.get("/positions").text
    assert "A&#39;s position" not in client.get("/insights/pipelines").text
    assert "A&#39;s token" not in client.get("/integrations/tokens").text
    api = app.test_client()
    headers = bearer(token_for(two.their_admin))
    assert api.get("/api/v1/positions", headers=headers).get_json()["items"] == []
    assert api.get("/api/v1/attempts", headers=headers).get_json()["items"] == []
    listed = api.get(f"/api/v1/attempts?position_id={two.position.id}", headers=headers)
    assert listed.get_json()["items"] == []


def test_another_organisations_interviewer_cannot_be_assigned(app: Flask, two: Two) -> None:
    """A's recruiter cannot assign B's interviewer to A's candidate."""
    client = signed_in(app, two.recruiter)
    response = client.post(
        f"/review/attempts/{two.attempt.id}/assign",
        data={"interviewer": str(two.their_interviewer.id)},
    )
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InterviewAssignment)) == 1
