"""Signing in and out: hashing, equal answers, throttling, CSRF, safe redirects."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import AuditEvent, Role, User
from tests.conftest import PASSWORD, Auth, Factory, csrf_token
from tests.integration.throttle_clock import Clock, take_over_clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Throttle time under the test's control."""
    return take_over_clock(monkeypatch)


def test_sign_in_and_out(client: FlaskClient, auth: Auth, factory: Factory) -> None:
    """The right password signs in and lands on the dashboard; sign-out ends the session."""
    user = factory.user(Role.RECRUITER)
    response = auth.login(user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    auth.logout()
    assert client.get("/dashboard").status_code == 302


def test_password_is_stored_hashed(factory: Factory) -> None:
    """Only an argon2 hash is stored, never the password."""
    user = factory.user()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_wrong_password_and_unknown_account_answer_alike(
    client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """The response body and status do not reveal whether an account exists."""
    user = factory.user()
    wrong = auth.login(user.email, "not the password at all")
    unknown = auth.login("nobody@example.com", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200

    def strip_token(html: str) -> str:
        return (
            html.replace(csrf_token(html), "TOKEN")
            .replace(user.email, "X")
            .replace("nobody@example.com", "X")
        )

    assert strip_token(wrong.text) == strip_token(unknown.text)
    assert "Wrong email or password." in wrong.text


def test_unknown_account_costs_the_same_hash_work(
    app: Flask, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unknown account still verifies one argon2 hash, so timing does not tell them apart."""
    from argon2 import PasswordHasher

    from assess.services.accounts import LoginPolicy, authenticate

    user = factory.user()
    calls: list[str] = []
    real_verify = PasswordHasher.verify

    def spy(self: PasswordHasher, hash: str, password: str) -> bool:
        calls.append(hash.split("$")[1])
        return real_verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    policy = LoginPolicy(per_account=100, per_ip=100, window_seconds=60, fast_hash=True)
    assert authenticate(db.session, user.email, "wrong password!!", "10.0.0.1", policy) is None
    assert authenticate(db.session, "ghost@example.com", "wrong", "10.0.0.1", policy) is None
    assert calls == ["argon2id", "argon2id"]


def test_rate_limit_per_account(
    app: Flask, client: FlaskClient, auth: Auth, factory: Factory, clock: Clock
) -> None:
    """Past the free failures, checks of one account are spaced: an immediate try gets 429
    with a short Retry-After, and the right password works once the wait is over."""
    app.config.update(LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_ACCOUNT_SPACING_SECONDS=5)
    user = factory.user()
    for _ in range(3):
        assert auth.login(user.email, "wrong password!!").status_code == 200
    blocked = auth.login(user.email)
    assert blocked.status_code == 429
    assert blocked.headers["Retry-After"] == "5"
    assert "Try again in 5 seconds" in blocked.text
    assert client.get("/dashboard").status_code == 302
    clock.advance(5)
    assert auth.login(user.email).status_code == 302


def test_rate_limit_per_ip(app: Flask, auth: Auth, factory: Factory) -> None:
    """Failures spread over many accounts from one address slow that address down too."""
    app.config["LOGIN_FAILURES_PER_IP"] = 4
    for n in range(4):
        auth.login(f"guess{n}@example.com", "wrong password!!")
    user = factory.user()
    assert auth.login(user.email).status_code == 429


def test_unknown_accounts_are_throttled_like_known_ones(app: Flask, auth: Auth) -> None:
    """Throttling does not reveal existence: unknown addresses are counted and blocked too."""
    app.config["LOGIN_FAILURES_PER_ACCOUNT"] = 2
    for _ in range(2):
        auth.login("ghost@example.com", "wrong password!!")
    assert auth.login("ghost@example.com", "wrong password!!").status_code == 429


def test_success_clears_the_account_counter(app: Flask, auth: Auth, factory: Factory) -> None:
    """A successful sign-in resets the per-account failures."""
    app.config["LOGIN_FAILURES_PER_ACCOUNT"] = 3
    user = factory.user()
    auth.login(user.email, "wrong password!!")
    auth.login(user.email, "wrong password!!")
    assert auth.login(user.email).status_code == 302
    auth.logout()
    auth.login(user.email, "wrong password!!")
    auth.login(user.email, "wrong password!!")
    assert auth.login(user.email).status_code == 302


def test_post_without_csrf_token_is_refused(client: FlaskClient, factory: Factory) -> None:
    """A form POST without the CSRF token gets 400 and signs nobody in."""
    user = factory.user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.text or "could not be understood" in response.text
    assert client.get("/dashboard").status_code == 302


def test_every_post_route_requires_csrf(app: Flask, factory: Factory) -> None:
    """Signed in as an admin, every POST route without a token is refused with 400."""
    client = app.test_client()
    user = factory.user(Role.ADMIN)
    Auth(client).login(user.email)
    assert client.get("/dashboard").status_code == 200
    posts = [
        re.sub(r"<(?:int:)?(\w+)>", "1", rule.rule).replace("/users/1/", f"/users/{user.id}/")
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and not rule.rule.startswith("/api/")
    ]
    assert posts
    for url in posts:
        assert client.post(url, data={}).status_code == 400, url


def test_next_is_followed_only_within_the_site(auth: Auth, factory: Factory) -> None:
    """``next`` to a local page is honoured; to another site it is ignored."""
    user = factory.user(Role.ADMIN)
    assert auth.login(user.email, next="/admin/users").headers["Location"] == "/admin/users"
    auth.logout()
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"):
        response = auth.login(user.email, next=evil)
        assert response.headers["Location"] == "/dashboard", evil
        auth.logout()


def test_login_starts_a_new_session(client: FlaskClient, auth: Auth, factory: Factory) -> None:
    """Whatever the session held before sign-in is dropped (no fixation)."""
    user = factory.user()
    with client.session_transaction() as session:
        session["planted"] = "value"
    auth.login(user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == user.get_id()


def test_deactivated_account_cannot_sign_in(auth: Auth, factory: Factory) -> None:
    """A deactivated account is refused like a wrong password."""
    user = factory.user()
    user.is_active_account = False
    db.session.commit()
    assert auth.login(user.email).status_code == 200


def test_sign_in_is_audited_without_secrets(auth: Auth, factory: Factory) -> None:
    """Successes and failures are in the audit trail; the password never is."""
    user = factory.user()
    auth.login(user.email, "wrong password!!")
    auth.login(user.email)
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["login.failed", "login.succeeded"]
    assert all(PASSWORD not in str(e.details) for e in events)
    assert db.session.get(User, user.id) is not None
