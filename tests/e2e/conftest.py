"""A live server on a real port and a real Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from assess import create_app
from assess.extensions import db
from tests.conftest import require, reset_schema

CHROMIUM = os.environ.get("ASSESS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


class LiveServer:
    """The app served by werkzeug in a background thread."""

    def __init__(self, app: Flask) -> None:
        """Bind to a free port on the loopback."""
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        """Start serving."""
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on its own SQLite file, with CSRF on, as a browser would meet it."""
    url = "sqlite:///" + str(tmp_path / "e2e.sqlite3")
    reset_schema(url)
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[LiveServer]:
    """The live app on a real port."""
    with LiveServer(live_app) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium for the whole session."""
    problem = None if shutil.which(CHROMIUM) or Path(CHROMIUM).exists() else "no " + CHROMIUM
    require(problem, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context and page (its own cookies) per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    tab = context.new_page()
    yield tab
    # Let requests in flight finish first: a response cut off mid-file (the icon, a chart's
    # data) leaves the server an unclosed file, which the warnings filter turns into an error.
    with contextlib.suppress(Exception):
        tab.wait_for_load_state("networkidle", timeout=3000)
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, base: str, email: str) -> None:
    """Sign in through the real form and wait for the page it leads to."""
    from tests.conftest import PASSWORD

    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def start_from_link(page: Any, base: str, token: str, shot: str | None = None) -> list[str]:
    """Open an invitation link (``shot``: a screenshot of it by that name), read the rules,
    accept them and start; the console errors from then on."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/i/{token}")
    assert "Rules" in page.content()
    if shot:
        screenshot(page, shot)
    page.get_by_label("I have read the rules").check()
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url("**/attempt")
    return errors


def open_scorecard(browser: Any, base: str, email: str) -> tuple[Any, Any]:
    """A recruiter's new browser context on the scorecard of the Backend position's first
    candidate: (context, page); the caller closes the context."""
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    sign_in(desk, base, email)
    desk.get_by_role("navigation").get_by_role("link", name="Positions").click()
    desk.get_by_role("link", name="Backend").click()
    desk.get_by_role("link", name="Scorecard").click()
    return staff, desk
