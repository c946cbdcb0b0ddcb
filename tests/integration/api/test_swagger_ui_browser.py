"""Swagger UI renders the API's document in a real Chromium under the app's strict CSP."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.e2e.conftest import live_app as live_app

pytestmark = pytest.mark.browser


def render_docs(url: str) -> dict[str, Any]:
    """Open the docs page in a fresh Chromium; report what it shows and what went wrong.

    It runs in its own thread so that it never meets another Playwright's event loop.
    """
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("request", lambda request: requested.append(request.url))
            page.goto(url)
            page.wait_for_selector(".opblock", timeout=15000)
            return {
                "title": page.inner_text(".title"),
                "operations": page.locator(".opblock").count(),
                "problems": problems,
                "requested": requested,
            }
        finally:
            browser.close()


def test_swagger_ui_renders_under_the_csp(live_app: Any) -> None:
    """Every operation is listed, with no console error (no blocked inline script or CDN)."""
    found = shutil.which(CHROMIUM) or Path(CHROMIUM).exists()
    require(None if found else "no " + CHROMIUM, "Chromium")
    with LiveServer(live_app) as server, ThreadPoolExecutor(1) as pool:
        shown = pool.submit(render_docs, server.url + "/api/v1/docs").result(timeout=60)
    assert "Assess API" in shown["title"]
    assert shown["operations"] >= 11
    assert shown["problems"] == []
    assert all(url.startswith(server.url) for url in shown["requested"])
