"""A person signs in through the real pages in a real browser."""

from __future__ import annotations

from typing import Any

from assess.extensions import db
from assess.models import Role
from assess.services.accounts import create_user
from tests.conftest import PASSWORD
from tests.e2e.conftest import LiveServer, screenshot


def test_admin_signs_in_switches_language_and_signs_out(live_server: LiveServer, page: Any) -> None:
    """Sign in, land on the dashboard, switch to Russian, see it stick, sign out."""
    create_user(db.session, "boss@example.com", PASSWORD, Role.ADMIN, fast_hash=True)
    db.session.commit()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(live_server.url + "/")
    assert page.url.endswith("/login")
    page.get_by_label("Email").fill("boss@example.com")
    page.get_by_label("Password").fill("wrong password!!")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "Wrong email or password."
    screenshot(page, "login-error")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")
    assert "Welcome" in page.inner_text("h1")
    screenshot(page, "dashboard")

    page.get_by_label("Language").select_option("ru")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert "Здравствуйте" in page.inner_text("h1")
    page.get_by_role("navigation").get_by_role("link", name="Сотрудники").click()
    page.wait_for_url("**/admin/users")
    assert "boss@example.com" in page.inner_text("table")
    screenshot(page, "staff-accounts-ru")

    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url("**/login")
    assert errors == []


def test_sign_in_page_fits_a_phone(live_server: LiveServer, browser: Any) -> None:
    """On a phone-sized screen the form is usable without horizontal scrolling."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live_server.url + "/login")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    screenshot(phone, "login-phone")
    context.close()
