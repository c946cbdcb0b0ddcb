"""Creating organisations: the service, the ``create-organisation`` and ``set-operator``
commands, and the operators' page (other admins are refused); a new organisation's admin
sees only their own organisation."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from assess.errors import ValidationFailed
from assess.extensions import db
from assess.models import AuditEvent, Organization, Role, User
from assess.services import organisations
from tests.conftest import PASSWORD, Auth, Factory, csrf_token

GOOD = "a long enough passphrase"


def count(model: type) -> int:
    """How many rows ``model`` has."""
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def signed_in(app: Flask, email: str, password: str = PASSWORD) -> FlaskClient:
    """A fresh client signed in as ``email``."""
    client = app.test_client()
    assert Auth(client).login(email, password).status_code == 302
    return client


def test_the_service_creates_an_organisation_and_its_admin(app: Flask, factory: Factory) -> None:
    """The admin belongs to the new organisation; names are tidied and unique."""
    factory.user(Role.ADMIN)
    created, admin = organisations.create_organisation(
        db.session, "  Acme   Hiring ", "Boss@Acme.example", GOOD, admin_name="Boss", fast_hash=True
    )
    db.session.commit()
    assert created.name == "Acme Hiring"
    assert (admin.organization_id, admin.role, admin.email) == (
        created.id,
        Role.ADMIN,
        "boss@acme.example",
    )
    assert not admin.is_operator
    with pytest.raises(ValidationFailed) as taken:
        organisations.create_organisation(db.session, "acme hiring", "x@y.example", GOOD)
    assert taken.value.fields == {"name": "an organisation of that name exists already"}
    rows = {row.name: row.staff for row in organisations.organisations(db.session)}
    assert rows == {"Home organisation": 1, "Acme Hiring": 1}


@pytest.mark.parametrize(
    ("name", "email", "password", "field"),
    [
        ("", "a@b.example", GOOD, "name"),
        ("x" * 201, "a@b.example", GOOD, "name"),
        ("Bad\u200bname", "a@b.example", GOOD, "name"),
        ("Fine", "not an address", GOOD, "email"),
        ("Fine", "a@b.example", "short", "password"),
    ],
)
def test_refused_input_creates_nothing(
    app: Flask, name: str, email: str, password: str, field: str
) -> None:
    """A bad name, address or password (the accounts' rules) names the field; after the
    caller's rollback no organisation is left behind."""
    with pytest.raises(ValidationFailed) as refused:
        organisations.create_organisation(db.session, name, email, password, fast_hash=True)
    db.session.rollback()
    assert field in refused.value.fields
    assert count(Organization) == 0
    assert count(User) == 0


def test_the_command_creates_an_organisation_whose_admin_signs_in(
    app: Flask, runner: FlaskCliRunner, factory: Factory
) -> None:
    """``create-organisation NAME --admin-email E --password-stdin``: the admin signs in and
    sees only their own organisation's staff."""
    other = factory.user(Role.RECRUITER)
    result = runner.invoke(
        args=[
            "create-organisation",
            "Acme",
            "--admin-email",
            "boss@acme.example",
            "--admin-name",
            "Boss",
            "--password-stdin",
        ],
        input=GOOD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "created organisation 'Acme' with admin boss@acme.example" in result.output
    admin = db.session.scalar(sa.select(User).where(User.email == "boss@acme.example"))
    assert admin is not None
    assert admin.organization.name == "Acme"
    page = signed_in(app, "boss@acme.example", GOOD).get("/admin/users").text
    assert "boss@acme.example" in page
    assert other.email not in page
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "organisation.created")
    )
    assert event is not None
    assert event.details["via"] == "cli"


def test_the_command_prompts_and_applies_the_password_rules(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """The prompted password must be confirmed and pass the rules; a refusal creates
    nothing and says why."""
    refused = runner.invoke(
        args=["create-organisation", "Acme", "--admin-email", "boss@acme.example"],
        input="short\nshort\n",
    )
    assert refused.exit_code == 1
    assert "password" in refused.output
    assert count(Organization) == 0
    made = runner.invoke(
        args=["create-organisation", "Acme", "--admin-email", "boss@acme.example"],
        input=f"{GOOD}\n{GOOD}\n",
    )
    assert made.exit_code == 0, made.output
    again = runner.invoke(
        args=["create-organisation", "ACME", "--admin-email", "two@acme.example"],
        input=f"{GOOD}\n{GOOD}\n",
    )
    assert again.exit_code == 1
    assert "exists already" in again.output
    assert count(Organization) == 1


def _create(client: FlaskClient, **fields: str) -> object:
    """Post the new-organisation form with a fresh CSRF token."""
    page = client.get("/admin/organisations")
    data = {
        "name": "Acme",
        "email": "boss@acme.example",
        "admin_name": "Boss",
        "password": GOOD,
        "confirm": GOOD,
    }
    data.update(fields)
    data["csrf_token"] = csrf_token(page.text)
    return client.post("/admin/organisations", data=data)


def test_only_operators_use_the_page(app: Flask, runner: FlaskCliRunner, factory: Factory) -> None:
    """An ordinary admin gets 403 (GET and POST) until ``set-operator`` grants the flag;
    then the page creates organisations; ``--revoke`` closes it again."""
    admin = factory.user(Role.ADMIN)
    client = signed_in(app, admin.email)
    assert client.get("/admin/organisations").status_code == 403
    token = csrf_token(client.get("/admin/users").text)
    sneaky = {"name": "Sneaky", "email": "s@x.example", "password": GOOD, "confirm": GOOD}
    forbidden = client.post("/admin/organisations", data={**sneaky, "csrf_token": token})
    assert forbidden.status_code == 403
    assert count(Organization) == 1
    granted = runner.invoke(args=["set-operator", admin.email])
    assert granted.exit_code == 0, granted.output
    page = client.get("/admin/organisations")
    assert page.status_code == 200
    assert "Home organisation" in page.text
    done = _create(client)
    assert done.status_code == 302  # type: ignore[attr-defined]
    created = db.session.scalar(sa.select(Organization).where(Organization.name == "Acme"))
    assert created is not None
    listing = client.get("/admin/organisations").text
    assert "Acme" in listing
    assert "boss@acme.example" not in client.get("/admin/users").text
    boss = signed_in(app, "boss@acme.example", GOOD)
    assert boss.get("/admin/organisations").status_code == 403
    assert admin.email not in boss.get("/admin/users").text
    assert runner.invoke(args=["set-operator", admin.email, "--revoke"]).exit_code == 0
    assert client.get("/admin/organisations").status_code == 403


def test_the_page_explains_refusals(app: Flask, factory: Factory) -> None:
    """Mismatched or weak passwords and taken names or addresses are 422 with reasons."""
    operator = factory.user(Role.ADMIN)
    operator.is_operator = True
    db.session.commit()
    client = signed_in(app, operator.email)
    cases = [
        ({"confirm": "something else entirely"}, "The passwords differ."),
        ({"password": "short", "confirm": "short"}, "12 characters"),
        ({"name": "home organisation"}, "exists already"),
        ({"email": operator.email}, "taken"),
    ]
    for fields, reason in cases:
        response = _create(client, **fields)
        assert response.status_code == 422, fields  # type: ignore[attr-defined]
        assert reason in response.text, fields  # type: ignore[attr-defined]
    assert count(Organization) == 1


def test_set_operator_refuses_anyone_but_an_active_admin(
    app: Flask, runner: FlaskCliRunner, factory: Factory
) -> None:
    """Recruiters, unknown addresses and deactivated admins cannot be operators."""
    recruiter = factory.user(Role.RECRUITER)
    asleep = factory.user(Role.ADMIN)
    asleep.is_active_account = False
    db.session.commit()
    for email in (recruiter.email, "nobody@example.com", asleep.email):
        result = runner.invoke(args=["set-operator", email])
        assert result.exit_code == 1
        assert "no active administrator" in result.output
    db.session.expire_all()
    assert not any(db.session.scalars(sa.select(User.is_operator)))
