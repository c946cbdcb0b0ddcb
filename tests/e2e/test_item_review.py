"""The admin's item review in a real browser: the review queue on the items page, a
question's page with its distractor table and information curve (drawn by the static
script under the CSP), retiring with a reason and returning to draws; axe-core finds no
violation on either page, an invalid reason included."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from assess.extensions import db
from assess.models import ItemCalibration
from tests.conftest import BankFactory, Factory
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import LiveServer, screenshot, sign_in
from tests.integration.test_item_review import World, distractor_world


@pytest.fixture
def world(live_app: Flask) -> World:
    """Nine respondents of py-j-901 with a misleading distractor, and its fitted row."""
    BankFactory().load()
    made = World(Factory())
    distractor_world(made)
    db.session.add(
        ItemCalibration(
            organization_id=made.org.id,
            question_key="py-j-901",
            competency_code="PY",
            a=1.4,
            b=0.5,
            se_a=0.2,
            se_b=0.25,
            responses=80,
            calibrated=True,
            converged=True,
            data_digest="z" * 64,
        )
    )
    db.session.commit()
    return made


def watch(page: Any) -> list[str]:
    """Collect console errors (a CSP refusal among them) and failed responses."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return errors


def test_review_queue_detail_retire_and_return(
    live_server: LiveServer, page: Any, world: World
) -> None:
    """From the queue to the question's page: the distractor table by third, the curve
    drawn, retiring (an empty reason refused first), then returning it to draws."""
    errors = watch(page)
    sign_in(page, live_server.url, world.admin.email)
    page.goto(f"{live_server.url}/insights/items")
    queue = page.get_by_role("region", name="To review")
    assert "a distractor the strongest third prefers to the key" in queue.inner_text()
    assert_accessible(page, "the item statistics page")
    screenshot(page, "item-review-items")
    entry = queue.get_by_role("listitem").filter(has_text="py-j-902")
    entry.get_by_text("Retire this question").click()
    entry.get_by_role("button", name="Retire from draws").click()
    page.wait_for_url("**/insights/items/py-j-902/retire")
    queue = page.get_by_role("region", name="To review")
    entry = queue.get_by_role("listitem").filter(has_text="py-j-902")
    assert "This field is required." in entry.inner_text()
    assert_accessible(page, "the item statistics page with an invalid reason")

    queue.get_by_role("link", name="py-j-901").click()
    page.wait_for_url("**/insights/items/py-j-901")
    table = page.locator("table.distractors")
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    assert rows.nth(2).get_by_role("cell").all_inner_texts() == ["56% (5)", "67%", "33%", "67%"]
    chart = page.locator("canvas.information-chart")
    page.wait_for_function(
        "() => ['true', 'failed'].includes("
        "document.querySelector('canvas.information-chart').dataset.chartReady)"
    )
    assert chart.get_attribute("data-chart-ready") == "true"
    assert "a 1.40 ± 0.20, b 0.50 ± 0.25" in page.inner_text("main")
    assert_accessible(page, "a question's page")
    screenshot(page, "item-review-question")

    page.get_by_role("button", name="Retire from draws").click()
    page.wait_for_load_state()
    assert "This field is required." in page.inner_text("main")
    reason = page.get_by_label("Why retire it (kept with the question and in the audit log)")
    assert reason.get_attribute("aria-invalid") == "true"
    assert_accessible(page, "a question's page with an invalid reason")

    reason.fill("Option c reads as <right> to strong candidates.")
    page.get_by_role("button", name="Retire from draws").click()
    page.wait_for_url("**/insights/items/py-j-901")
    main = page.inner_text("main")
    assert "py-j-901 is retired" in main
    assert "Option c reads as <right> to strong candidates." in main
    assert world.admin.email in main

    page.get_by_role("button", name="Return to draws").click()
    page.wait_for_url("**/insights/items/py-j-901")
    assert "py-j-901 is back in the draws." in page.inner_text("main")
    assert page.get_by_role("button", name="Retire from draws").count() == 1
    unexpected = [e for e in errors if "422" not in e]  # the refused empty reason
    assert not unexpected, unexpected
    assert len(errors) == 4
