"""Health, readiness, security headers, error pages and the language choice."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import Role, User
from assess.services import readiness
from tests.conftest import Auth, Factory, csrf_token


def test_healthz(client: FlaskClient) -> None:
    """Liveness answers 200 JSON."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_ok_with_database(client: FlaskClient) -> None:
    """Readiness answers 200 when the database answers (sandbox and Redis not configured)."""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": "ok"}


def test_readyz_names_what_is_down(app: Flask, client: FlaskClient) -> None:
    """An unreachable Redis or Docker makes readiness 503 with the reason."""
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.config["SANDBOX_ENABLED"] = True
    response = client.get("/readyz", environ_base={})
    assert response.status_code == 503
    body = response.json
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"].startswith("redis unreachable")
    assert body["checks"]["database"] == "ok"
    assert "docker" in body["checks"]


def test_readyz_reports_a_dead_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """A database that refuses connections is reported, not raised."""
    from assess import create_app

    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://x@127.0.0.1:1/x"}
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"].startswith("database unreachable")


def test_run_checks_combines_results() -> None:
    """Ready only when every check passes."""
    assert readiness.run_checks({"a": lambda: None}) == (True, {"a": "ok"})
    assert readiness.run_checks({"a": lambda: None, "b": lambda: "down"}) == (
        False,
        {"a": "ok", "b": "down"},
    )


def test_security_headers_on_every_page(client: FlaskClient) -> None:
    """CSP without inline script, framing refused, no sniffing, no caching of pages."""
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "<script>" not in response.text


def test_session_cookie_flags(client: FlaskClient, auth: Auth, factory: Factory) -> None:
    """The session cookie is HttpOnly and SameSite=Lax."""
    user = factory.user()
    cookie = auth.login(user.email).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_not_found_is_a_page_and_json_for_api_clients(client: FlaskClient) -> None:
    """404 renders the error page, or the JSON error shape when JSON is asked for."""
    page = client.get("/nowhere")
    assert page.status_code == 404 and "<html" in page.text
    data = client.get("/nowhere", headers={"Accept": "application/json"})
    assert data.status_code == 404
    assert data.json["error"]["status"] == 404


def test_request_too_large_is_413(app: Flask, client: FlaskClient) -> None:
    """A body over MAX_CONTENT_LENGTH is refused with 413 and a reason."""
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/login", data={"email": "x" * 5000})
    assert response.status_code == 413
    assert "too large" in response.text


def test_language_choice_sticks_for_a_visitor(client: FlaskClient) -> None:
    """Choosing Russian turns the sign-in page Russian for the rest of the session."""
    page = client.get("/login")
    assert "Sign in" in page.text
    client.post("/language", data={"locale": "ru", "csrf_token": csrf_token(page.text)})
    assert "Войти" in client.get("/login").text


def test_a_page_finds_its_translations_once_and_each_request_its_own(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Templates look the catalogue up once per request, not once per string, and the next
    request in another language gets its own (singular, plural and escaping as before)."""
    from assess import i18n

    looked_up: list[str] = []
    real = i18n.get_translations

    def counting() -> object:
        found = real()
        looked_up.append(found.gettext("Sign in"))
        return found

    monkeypatch.setattr(i18n, "get_translations", counting)
    page = client.get("/login", headers={"Accept-Language": "ru"})
    assert "Войти" in page.text and looked_up == ["Войти"]
    english = client.get("/login", headers={"Accept-Language": "en"})
    assert "Sign in" in english.text and looked_up == ["Войти", "Sign in"]
    with client.application.test_request_context(headers={"Accept-Language": "ru"}):
        template = client.application.jinja_env.from_string(
            '{{ ngettext("%(num)d run", "%(num)d runs", n) }}|{{ _("Task %(n)d", n=3) }}|'
            '{{ _("Sign in") }}{{ name }}'
        )
        shown = template.render(n=5, name="<b>")
    assert shown.startswith("5 ") and "runs" not in shown and "3" in shown
    assert shown.endswith("Войти&lt;b&gt;")


def test_language_follows_the_browser_until_chosen(client: FlaskClient) -> None:
    """Accept-Language picks the language when nothing was chosen."""
    page = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert "Войти" in page.text


def test_language_choice_is_saved_on_the_account(
    client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """A signed-in person's choice is stored on their account and used on any device."""
    user = factory.user(Role.INTERVIEWER)
    auth.login(user.email)
    page = client.get("/dashboard")
    client.post("/language", data={"locale": "ru", "csrf_token": csrf_token(page.text)})
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "ru"
    other_device = Auth(client.application.test_client())
    other_device.login(user.email)
    assert "Главная" in other_device.client.get("/dashboard").text


def test_dashboard_says_when_grading_is_unavailable(
    client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """With the sandbox disabled the dashboard says clearly that code grading is off."""
    user = factory.user(Role.ADMIN)
    auth.login(user.email)
    page = client.get("/dashboard")
    assert "Code grading is unavailable" in page.text
    assert "Staff accounts" in page.text


def test_admin_creates_an_account_and_sees_errors(
    client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """The admin form creates accounts and explains a short password next to the field."""
    admin = factory.user(Role.ADMIN)
    auth.login(admin.email)
    page = client.get("/admin/users")
    token = csrf_token(page.text)
    bad = client.post(
        "/admin/users",
        data={
            "email": "new@example.com",
            "role": "recruiter",
            "password": "short",
            "csrf_token": token,
        },
    )
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in bad.text and "at least 12 characters" in bad.text
    good = client.post(
        "/admin/users",
        data={
            "email": "new@example.com",
            "role": "interviewer",
            "password": "a long password!",
            "name": "<script>alert(1)</script>",
            "csrf_token": token,
        },
    )
    assert good.status_code == 302
    listing = client.get("/admin/users").text
    assert "new@example.com" in listing
    assert "<script>alert(1)</script>" not in listing
    assert "&lt;script&gt;" in listing


def test_admin_deactivates_and_reactivates(
    client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """Deactivating ends the account's sessions; an admin cannot deactivate themself."""
    admin = factory.user(Role.ADMIN)
    other = factory.user(Role.RECRUITER)
    auth.login(admin.email)
    token = csrf_token(client.get("/admin/users").text)
    client.post(f"/admin/users/{other.id}/toggle", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, other.id).is_active_account is False
    client.post(f"/admin/users/{admin.id}/toggle", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_active_account is True
    client.post(f"/admin/users/{other.id}/toggle", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(User, other.id).is_active_account is True


def test_ids_too_large_for_the_database_are_404(
    client: FlaskClient, auth: Auth, factory: Factory
) -> None:
    """An id beyond a database integer is a 404, not a database error."""
    auth.login(factory.user(Role.ADMIN).email)
    page = client.get("/admin/users")
    response = client.post(
        "/admin/users/99999999999999999999/toggle", data={"csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 404
