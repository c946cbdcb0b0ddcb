"""Web forms follow the API's text rules: one-line fields refuse line breaks, NUL and other
control characters; multi-line fields refuse NUL and control characters but keep line
breaks. Nothing is stored from a refused form, and a title stored before the rules cannot
break the invitation email (its link is still shown)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import ApiToken, GradeCode, Invitation, Position, Role, User
from tests.conftest import Auth, Factory, csrf_token

BAD_ONE_LINE = ["Backend\ndeveloper", "Backend\r\nBcc: x@example.com", "Back\x00end", "Tab\there"]

FORMS = [
    # (role, page, field prefix, fields, the text field, model whose rows must not grow)
    (Role.RECRUITER, "/positions", "", {"grade": "middle"}, "title", Position),
    (
        Role.ADMIN,
        "/admin/users",
        "",
        {
            "email": "new@example.com",
            "role": "interviewer",
            "password": "a quite long passphrase 7",
        },
        "name",
        User,
    ),
    (Role.INTERVIEWER, "/integrations/tokens", "", {}, "name", ApiToken),
]


@pytest.mark.parametrize("bad", BAD_ONE_LINE)
@pytest.mark.parametrize(("role", "page", "prefix", "fields", "field", "model"), FORMS)
def test_one_line_fields_refuse_control_characters(
    client: FlaskClient,
    auth: Auth,
    factory: Factory,
    bad: str,
    role: Role,
    page: str,
    prefix: str,
    fields: dict[str, str],
    field: str,
    model: type,
) -> None:
    """Each one-line field: a 422 naming the problem at the field, no row stored."""
    auth.login(factory.user(role).email)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(model))
    form = client.get(page)
    data = {"csrf_token": csrf_token(form.text), **fields, prefix + field: bad}
    response = client.post(page, data=data)
    assert response.status_code == 422, response.text[:300]
    assert "Use one line of text without control characters." in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == before


def signed_in_position(auth: Auth, factory: Factory, title: str) -> Position:
    """Sign a recruiter in; a position of theirs stored as is (no form in between)."""
    recruiter = factory.user(Role.RECRUITER)
    auth.login(recruiter.email)
    position = Position(
        title=title,
        grade=GradeCode.JUNIOR,
        organization_id=recruiter.organization_id,
        created_by_id=recruiter.id,
    )
    db.session.add(position)
    db.session.commit()
    return position


def test_candidate_name_on_invitation_refuses_a_line_break(
    client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """The invitation form's name: refused like the API refuses it; no invitation made."""
    position = signed_in_position(auth, factory, "Backend")
    page = client.get(f"/positions/{position.id}")
    data = {
        "csrf_token": csrf_token(page.text),
        "one-name": "Grace\nHopper",
        "one-email": "grace@example.com",
        "one-valid_days": "7",
        "one-submit": "y",
    }
    response = client.post(f"/positions/{position.id}", data=data)
    assert response.status_code == 422
    assert "Use one line of text without control characters." in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 0


def test_a_stored_title_with_a_line_break_cannot_lose_the_link(
    app,
    client: FlaskClient,
    auth: Auth,
    factory: Factory,  # type: ignore[no-untyped-def]
) -> None:
    """A title saved before the rules holds a line break: the email's subject is one line
    (no header injection), and whatever the mail path does the page shows the one-time link."""
    from assess.services.mailer import invitation_message

    message = invitation_message(
        "jobs@example.com",
        "g@example.com",
        "Grace",
        "Backend\r\nBcc: spy@example.com",
        "http://x/i/t",
        7,
    )
    assert message["Subject"] == "Your assessment for Backend Bcc: spy@example.com"
    assert message.get("Bcc") is None
    position = signed_in_position(auth, factory, "Backend\ndeveloper")
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_STARTTLS=False)
    page = client.get(f"/positions/{position.id}")
    data = {
        "csrf_token": csrf_token(page.text),
        "one-name": "Grace",
        "one-email": "g@example.com",
        "one-valid_days": "7",
        "one-send_email": "y",
        "one-submit": "y",
    }
    response = client.post(f"/positions/{position.id}", data=data)
    assert response.status_code == 200
    assert "/i/" in response.text and "could not be sent" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 1


def test_multi_line_fields_keep_line_breaks_and_refuse_nul() -> None:
    """The shared rules behind the forms and the API, directly."""
    from assess import textrules

    assert textrules.multi_line_problem("found the bug\n\talone") is None
    assert textrules.multi_line_problem("a\x00b") is not None
    assert textrules.multi_line_problem("a\x1bb") is not None
    assert textrules.multi_line_problem(" \n ") == "must not be blank"
    assert textrules.single_line_problem("Backend developer") is None
    assert textrules.single_line_problem("a\nb") is not None
    assert textrules.single_line_problem("   ") == "must not be blank"
