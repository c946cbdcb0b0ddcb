"""The landing page checks the candidate's setup before the clock starts and says plainly
what to fix: the browser, the connection to the server, saving on the device."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.conftest import BankFactory, Factory, make_invitation
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import LiveServer


def test_the_system_check_passes_and_names_a_broken_connection(
    live_app: Flask, live_server: LiveServer, page: Any, browser: Any
) -> None:
    """All three lines pass in this browser; with the server unreachable the connection
    line says to check the connection; blocked storage is named too."""
    BankFactory().load()
    _, token = make_invitation(Factory())
    page.goto(f"{live_server.url}/i/{token}")
    check = page.locator("#system-check")
    for name in ("browser", "connection", "storage"):
        check.locator(f'[data-check="{name}"][data-state="ok"]').wait_for(timeout=10_000)
    assert "The server answers (" in check.inner_text()
    assert_accessible(page, "the landing page with the system check")

    offline = browser.new_context()
    tab = offline.new_page()
    tab.route("**/healthz", lambda route: route.abort())
    tab.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() { throw new Error('blocked'); }})"
    )
    tab.goto(f"{live_server.url}/i/{token}")
    tab.locator('[data-check="connection"][data-state="problem"]').wait_for(timeout=10_000)
    text = tab.locator("#system-check").inner_text()
    assert "check your connection before you start" in text
    assert "your work is saved only while you are connected" in text
    offline.close()
