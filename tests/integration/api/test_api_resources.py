"""What the API does: positions, invitations (one or many, with links), attempts,
scorecards, competencies; pagination; validation in the one error shape."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import AuditEvent, Invitation
from assess.services import invitations as invitation_service
from assess.services.invitations import hash_token
from tests.integration.api.conftest import World, make_position

JSON = "application/json"


def error_of(response: Any) -> dict[str, Any]:
    """The error object of a response, checked for the one shape."""
    body = response.json
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "fields"}
    assert body["error"]["status"] == response.status_code
    return dict(body["error"])


def test_create_a_position_and_read_it(api: FlaskClient, world: World) -> None:
    """A recruiter creates a position in their organisation and reads it back."""
    headers = world.headers("recruiter")
    created = api.post(
        "/api/v1/positions", headers=headers, json={"title": "  SRE  ", "grade": "senior"}
    )
    assert created.status_code == 201
    body = created.json
    assert body["title"] == "SRE"
    assert body["grade"] == "senior"
    assert body["candidates"]["invited"] == 0
    read = api.get(f"/api/v1/positions/{body['id']}", headers=headers)
    assert read.json == body
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "position.created"))
    assert event is not None
    assert event.details == {"via": "api"}


def test_invite_many_returns_working_links(api: FlaskClient, world: World) -> None:
    """A batch invites everyone and returns each link once; the link's token is the stored
    hash's preimage; the listing shows their stage but never the link."""
    assert world.position
    url = f"/api/v1/positions/{world.position.id}/invitations"
    batch = {
        "candidates": [
            {"name": "Ken Thompson", "email": "ken@example.com"},
            {"name": "Dennis Ritchie", "email": "DMR@Example.com"},
        ],
        "valid_days": 3,
    }
    created = api.post(url, headers=world.headers("recruiter"), json=batch)
    assert created.status_code == 201
    items = created.json["items"]
    assert [i["invitation"]["candidate_email"] for i in items] == [
        "ken@example.com",
        "dmr@example.com",
    ]
    for item in items:
        token = item["link"].rsplit("/", 1)[1]
        stored = db.session.get(Invitation, item["invitation"]["id"])
        assert stored is not None
        assert stored.token_hash == hash_token(token)
    listing = api.get(url, headers=world.headers("admin")).json
    assert listing["total"] == 4
    assert all("link" not in row for row in listing["items"])
    assert {row["stage"] for row in listing["items"]} == {"invited", "finished", "scored"}


def test_a_bad_entry_invites_nobody(api: FlaskClient, world: World) -> None:
    """Field errors name the entry; nothing is created."""
    assert world.position
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Invitation))
    response = api.post(
        f"/api/v1/positions/{world.position.id}/invitations",
        headers=world.headers("recruiter"),
        json={"candidates": [{"name": "Ok", "email": "ok@example.com"}, {"name": "", "x": 1}]},
    )
    assert response.status_code == 422
    assert error_of(response)["fields"] == {
        "candidates[1].x": "is not a known field",
        "candidates[1].email": "is required",
        "candidates[1].name": "must have at least 1 characters",
    }
    duplicate = api.post(
        f"/api/v1/positions/{world.position.id}/invitations",
        headers=world.headers("recruiter"),
        json={"candidates": [{"name": "A", "email": "a@example.com"}] * 2},
    )
    assert duplicate.status_code == 409
    assert "candidates[1].email" in error_of(duplicate)["fields"]
    after = db.session.scalar(sa.select(sa.func.count()).select_from(Invitation))
    assert after == before


def test_closed_positions_take_no_invitations(api: FlaskClient, world: World) -> None:
    """Inviting to a closed position is a conflict."""
    assert world.position
    world.position.is_open = False
    db.session.commit()
    response = api.post(
        f"/api/v1/positions/{world.position.id}/invitations",
        headers=world.headers("recruiter"),
        json={"candidates": [{"name": "A", "email": "a@example.com"}]},
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"


def test_invitations_are_throttled(
    api: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the hourly budget the API answers 429 with Retry-After."""
    assert world.position
    monkeypatch.setattr(invitation_service, "INVITATIONS_PER_HOUR", 2)
    url = f"/api/v1/positions/{world.position.id}/invitations"
    people = [{"name": f"P{n}", "email": f"p{n}@example.com"} for n in range(3)]
    headers = world.headers("recruiter")
    assert api.post(url, headers=headers, json={"candidates": people[:2]}).status_code == 201
    blocked = api.post(url, headers=headers, json={"candidates": people[2:]})
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == "3600"


def test_revoking_is_idempotent(api: FlaskClient, world: World) -> None:
    """Withdrawing an invitation twice answers the same withdrawn invitation."""
    assert world.unassigned
    url = f"/api/v1/invitations/{world.unassigned.invitation_id}/revoke"
    first = api.post(url, headers=world.headers("recruiter"))
    second = api.post(url, headers=world.headers("admin"))
    assert first.status_code == second.status_code == 200
    assert first.json["stage"] == "withdrawn"
    assert first.json["revoked_at"] == second.json["revoked_at"]


def test_pagination(api: FlaskClient, world: World) -> None:
    """Pages have a bounded size and say which page comes next."""
    assert world.users
    org = world.users["recruiter"].organization
    for n in range(4):
        make_position(org, f"Position {n}")
    db.session.commit()
    headers = world.headers("recruiter")
    first = api.get("/api/v1/positions?per_page=2", headers=headers).json
    assert (first["total"], first["next_page"], len(first["items"])) == (5, 2, 2)
    last = api.get("/api/v1/positions?per_page=2&page=3", headers=headers).json
    assert (last["next_page"], len(last["items"])) == (None, 1)
    seen = {p["id"] for p in first["items"]} | {p["id"] for p in last["items"]}
    assert len(seen) == 3
    too_big = api.get("/api/v1/positions?per_page=101&page=0", headers=headers)
    assert too_big.status_code == 422
    assert error_of(too_big)["fields"] == {
        "per_page": "must be at most 100",
        "page": "must be at least 1",
    }
    unknown = api.get("/api/v1/positions?sort=title", headers=headers)
    assert error_of(unknown)["fields"] == {"sort": "is not a known parameter"}


def test_filters(api: FlaskClient, world: World) -> None:
    """Attempts filter by position and state; positions by whether they are open."""
    ids = world.ids()
    headers = world.headers("admin")
    by_position = api.get(f"/api/v1/attempts?position_id={ids['position']}", headers=headers)
    assert {a["id"] for a in by_position.json["items"]} == {ids["assigned"], ids["unassigned"]}
    started = api.get("/api/v1/attempts?state=started", headers=headers)
    assert started.json["items"] == []
    closed = api.get("/api/v1/positions?is_open=false", headers=headers)
    assert closed.json["items"] == []


def test_attempt_and_scorecard(api: FlaskClient, world: World) -> None:
    """An attempt shows its state; its scorecard is null until it is scored."""
    ids = world.ids()
    headers = world.headers("recruiter")
    attempt = api.get(f"/api/v1/attempts/{ids['assigned']}", headers=headers).json
    assert attempt["state"] == "finished"
    assert attempt["stage"] == "scored"
    assert attempt["recommended_grade"] == "middle"
    card = api.get(f"/api/v1/attempts/{ids['assigned']}/scorecard", headers=headers).json
    assert card["card"]["grades"][0] == {"grade": "junior", "met": True, "gaps": []}
    assert card["overall"] == 0.71
    empty = api.get(f"/api/v1/attempts/{ids['unassigned']}/scorecard", headers=headers).json
    assert empty["card"] is None
    assert empty["scored_at"] is None


def test_competencies(api: FlaskClient, world: World) -> None:
    """The bank's competencies, in the order of the qualification list."""
    listing = api.get("/api/v1/competencies", headers=world.headers("interviewer")).json
    assert [c["code"] for c in listing["items"]] == ["PY", "ASYNC"]
    assert listing["items"][0]["weight_class"] == "required"


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        ("{not json", JSON, 400, "malformed_json"),
        ('{"title": "\\ud800", "grade": "junior"}', JSON, 400, "malformed_json"),
        ("title=x", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ("[]", JSON, 422, "validation"),
        ('{"title": "x", "grade": "expert"}', JSON, 422, "validation"),
    ],
)
def test_bad_bodies(
    api: FlaskClient, world: World, data: str, content_type: str, status: int, code: str
) -> None:
    """Malformed, non-JSON and invalid bodies get the right status in the one shape."""
    response = api.post(
        "/api/v1/positions",
        headers=world.headers("recruiter"),
        data=data,
        content_type=content_type,
    )
    assert response.status_code == status
    assert error_of(response)["code"] == code


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("[" * 50_000 + "]" * 50_000, "nested deeper than 32 levels"),
        ('{"title": ' * 33 + '"x"' + "}" * 33, "nested deeper than 32 levels"),
        (
            '{"title": "x", "grade": "junior", "limit": ' + "9" * 5000 + "}",
            "numbers must be within",
        ),
        ('{"title": "x", "grade": "junior", "limit": 9007199254740992}', "numbers must be within"),
        ('{"title": "x", "grade": "junior", "limit": 1e400}', "numbers must be finite"),
        ('{"title": "x", "grade": "junior", "limit": -Infinity}', "-Infinity is not a JSON value"),
    ],
)
def test_bodies_the_platform_cannot_store_are_refused_with_a_reason(
    api: FlaskClient, world: World, data: str, reason: str
) -> None:
    """Nesting, integers beyond 2**53 and non-finite numbers are a 400 that says why (I-JSON,
    RFC 7493), before any field is looked at."""
    response = api.post(
        "/api/v1/positions", headers=world.headers("recruiter"), data=data, content_type=JSON
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "malformed_json" and reason in error["message"], error


def test_unknown_routes_and_methods_answer_in_the_shape(api: FlaskClient, world: World) -> None:
    """404 and 405 under /api/ are JSON errors too."""
    missing = api.get("/api/v1/nothing", headers=world.headers("admin"))
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "not_found"
    wrong = api.delete("/api/v1/positions", headers=world.headers("admin"))
    assert wrong.status_code == 405
    assert error_of(wrong)["code"] == "method_not_allowed"


def test_huge_ids_are_not_found(api: FlaskClient, world: World) -> None:
    """An id beyond the database's integers is a 404, not a database error."""
    response = api.get(f"/api/v1/positions/{2**40}", headers=world.headers("admin"))
    assert response.status_code == 404


def test_bad_query_values_are_reported_per_parameter(api: FlaskClient, world: World) -> None:
    """Each bad filter value is named with what it wanted."""
    headers = world.headers("admin")
    attempts = api.get("/api/v1/attempts?state=done&position_id=0&page=x", headers=headers)
    assert attempts.status_code == 422
    assert error_of(attempts)["fields"] == {
        "page": "must be an integer",
        "position_id": "must be at least 1",
        "state": "must be one of 'started', 'finished' or 'expired'",
    }
    positions = api.get("/api/v1/positions?is_open=yes", headers=headers)
    assert error_of(positions)["fields"] == {"is_open": "must be true or false"}
    single = api.get(f"/api/v1/positions/{world.ids()['position']}?page=1", headers=headers)
    assert error_of(single)["fields"] == {"page": "is not a known parameter"}


ONE_LINE = "must be one line without control characters"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"title": "two\nlines", "grade": "junior"}, {"title": ONE_LINE}),
        ({"title": "nul\u0000", "grade": "junior"}, {"title": ONE_LINE}),
        ({"title": "   ", "grade": "junior"}, {"title": "must not be blank"}),
        ({"title": "x" * 201, "grade": "junior"}, {"title": "must have at most 200 characters"}),
        (
            {"title": "x", "grade": "junior", "show_result_summary": "yes"},
            {"show_result_summary": "must be true or false"},
        ),
        ([{"title": "x"}], {"body": "must be an object"}),
    ],
)
def test_bodies_follow_the_text_rules_of_the_forms(
    api: FlaskClient, world: World, body: Any, fields: dict[str, str]
) -> None:
    """Line breaks and NUL in one-line text, blank text and overlong text are refused, field
    by field, as the forms refuse them."""
    response = api.post("/api/v1/positions", headers=world.headers("recruiter"), json=body)
    assert response.status_code == 422
    assert error_of(response)["fields"] == fields


def test_candidate_text_is_checked_at_its_path(api: FlaskClient, world: World) -> None:
    """A control character in the third candidate's name is reported at its path."""
    assert world.position
    people = [{"name": f"P{n}", "email": f"p{n}@example.com"} for n in range(3)]
    people[2]["name"] = "Eve\r\nBcc: all@example.com"
    response = api.post(
        f"/api/v1/positions/{world.position.id}/invitations",
        headers=world.headers("recruiter"),
        json={"candidates": people},
    )
    assert response.status_code == 422
    assert error_of(response)["fields"] == {"candidates[2].name": ONE_LINE}


def test_a_response_that_breaks_its_model_is_a_server_error(
    api: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The document never lies: a response outside its model is a 500 in the one shape."""
    from assess.api.representations import position_json

    def leaky(*args: Any) -> dict[str, Any]:
        """The position with a property its model does not have."""
        return {**position_json(*args), "secret": 1}

    monkeypatch.setattr("assess.api.views.positions.position_json", leaky)
    response = api.get(
        f"/api/v1/positions/{world.ids()['position']}", headers=world.headers("admin")
    )
    assert response.status_code == 500
    assert error_of(response)["code"] == "internal_server_error"
