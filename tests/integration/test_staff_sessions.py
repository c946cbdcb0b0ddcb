"""Server-side staff sessions: signing out, changing a password and deactivating an
account end sessions for good, even for a copy of the cookie."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import AuditEvent, Role, StaffSession, User
from assess.services import staff_sessions
from tests.conftest import PASSWORD, Auth, Factory, csrf_token

NEW_PASSWORD = "quartz lantern orbit pickle"


def copy_of(client: FlaskClient, app: Flask) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def test_sign_out_ends_the_session_for_a_copied_cookie(
    app: Flask, client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """A cookie copied before sign-out no longer works afterwards."""
    user = factory.user()
    auth.login(user.email)
    thief = copy_of(client, app)
    assert thief.get("/dashboard").status_code == 200
    auth.logout()
    assert client.get("/dashboard").status_code == 302
    assert thief.get("/dashboard").status_code == 302
    ended = db.session.scalars(sa.select(StaffSession).where(StaffSession.user_id == user.id))
    assert [row.ended_at is not None for row in ended] == [True]


def test_sign_out_ends_only_that_session(app: Flask, factory: Factory) -> None:
    """Signing out in one browser leaves the same person's other browser signed in."""
    user = factory.user()
    laptop, phone = app.test_client(), app.test_client()
    Auth(laptop).login(user.email)
    Auth(phone).login(user.email)
    Auth(laptop).logout()
    assert laptop.get("/dashboard").status_code == 302
    assert phone.get("/dashboard").status_code == 200


def test_the_cookie_holds_a_key_the_database_only_hashes(
    client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """The session key is in the signed cookie; the table holds its SHA-256 only."""
    user = factory.user()
    auth.login(user.email)
    with client.session_transaction() as session:
        key = session["_staff_session"]
    row = db.session.scalar(sa.select(StaffSession).where(StaffSession.user_id == user.id))
    assert row is not None and row.key_hash == staff_sessions.key_hash(key) != key


def test_a_session_expires_on_the_server(client: FlaskClient, auth: Auth, factory: Factory) -> None:
    """Past its lifetime a session is refused whatever the cookie says."""
    user = factory.user()
    auth.login(user.email)
    row = db.session.scalar(sa.select(StaffSession).where(StaffSession.user_id == user.id))
    assert row is not None
    row.expires_at = row.created_at - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/dashboard").status_code == 302


def change_password(client: FlaskClient, current: str, new: str, confirm: str | None = None):  # type: ignore[no-untyped-def]
    """Post the change-password form."""
    page = client.get("/account/password")
    assert page.status_code == 200
    return client.post(
        "/account/password",
        data={
            "csrf_token": csrf_token(page.text),
            "current_password": current,
            "password": new,
            "confirm": new if confirm is None else confirm,
        },
    )


def test_password_change_ends_every_other_session(
    app: Flask, client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """Changing the password keeps this browser signed in and signs out every other one,
    copies of this browser's old cookie included; the new password then works."""
    user = factory.user()
    other = app.test_client()
    Auth(other).login(user.email)
    auth.login(user.email)
    old_copy = copy_of(client, app)
    response = change_password(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302
    assert old_copy.get("/dashboard").status_code == 302
    auth.logout()
    assert auth.login(user.email, PASSWORD).status_code == 200
    assert auth.login(user.email, NEW_PASSWORD).status_code == 302
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "password.changed" in actions


def test_password_change_needs_the_current_password_and_a_strong_new_one(
    client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """A wrong current password, a common new one or a mismatch are refused with a reason;
    nothing changes and the session stays."""
    user = factory.user()
    auth.login(user.email)
    wrong = change_password(client, "not my password at all", NEW_PASSWORD)
    assert wrong.status_code == 422 and "The current password is wrong." in wrong.text
    common = change_password(client, PASSWORD, "password1234")
    assert common.status_code == 422
    assert "This is one of the most common passwords." in common.text
    differ = change_password(client, PASSWORD, NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert differ.status_code == 422 and "The two entries differ." in differ.text
    assert client.get("/dashboard").status_code == 200
    db.session.expire_all()
    refreshed = db.session.get(User, user.id)
    assert refreshed is not None and refreshed.session_version == user.session_version


def test_guessing_the_current_password_is_throttled(
    app: Flask, client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """A borrowed session cannot guess the current password quickly on the change page."""
    app.config.update(LOGIN_FAILURES_PER_ACCOUNT=2, LOGIN_ACCOUNT_SPACING_SECONDS=60)
    user = factory.user()
    auth.login(user.email)
    statuses = [change_password(client, f"guess number {n}!", NEW_PASSWORD).status_code
                for n in range(4)]  # fmt: skip
    assert statuses == [422, 422, 429, 429]


def test_admin_deactivation_ends_the_accounts_sessions(
    app: Flask, client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """Deactivating an account signs it out at once; reactivating does not revive the old
    session."""
    admin = factory.user(Role.ADMIN)
    user = factory.user()
    victim = app.test_client()
    Auth(victim).login(user.email)
    assert victim.get("/dashboard").status_code == 200
    auth.login(admin.email)

    def toggle() -> None:
        page = client.get("/admin/users")
        response = client.post(
            f"/admin/users/{user.id}/toggle", data={"csrf_token": csrf_token(page.text)}
        )
        assert response.status_code == 302

    toggle()
    assert victim.get("/dashboard").status_code == 302
    toggle()
    assert victim.get("/dashboard").status_code == 302
    assert Auth(victim).login(user.email).status_code == 302
