"""Interviewers and recruiters in a real browser: reviewing a submission, scoring an
interview, printing the scorecard to PDF, comparing three candidates and exporting CSV.
The data is built directly (graded runs written by hand), so no Docker is needed."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from flask import Flask

from assess.extensions import db
from assess.models import GradeCode, InterviewQuestion, Role, User
from assess.services import invitations
from tests.conftest import BankFactory, Factory
from tests.e2e.conftest import SCREENSHOTS, LiveServer, screenshot
from tests.e2e.conftest import sign_in as e2e_sign_in
from tests.integration.review import builders


def sign_in(page: Any, server: LiveServer, user: User) -> None:
    """Sign in through the form (staff land on their start page)."""
    e2e_sign_in(page, server.url, user.email)
    page.wait_for_url("**/dashboard")


def watch(page: Any) -> tuple[list[str], list[str]]:
    """Collect console errors and any dialog (a script that ran would open one)."""
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def on_dialog(dialog: Any) -> None:
        """Record and dismiss."""
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return errors, dialogs


def interview_kit() -> None:
    """Junior interview questions for PY and SQL."""
    for key, code in (("py-iv-j-01", "PY"), ("sql-iv-j-01", "SQL")):
        db.session.add(
            InterviewQuestion(
                key=key,
                competency_code=code,
                grade=GradeCode.JUNIOR,
                question=f"Walk me through `{key}`.",
                follow_ups=["Why?"],
                anchors={str(n): f"Anchor {n} for {code}" for n in range(1, 5)},
                content_hash=key,
            )
        )
    db.session.commit()


def test_interviewer_reviews_a_submission_and_scores_an_interview(
    live_app: Flask, live_server: LiveServer, page: Any
) -> None:
    """Queue → evidence (inert hostile code, probes, history, twin) → re-grade → interview
    → scorecard with its chart → printable page saved as PDF."""
    BankFactory().load()
    interview_kit()
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    interviewer = factory.user(Role.INTERVIEWER)
    position = invitations.create_position(db.session, recruiter, "Backend", GradeCode.JUNIOR)
    attempt = builders.finished_attempt(
        position,
        recruiter,
        "Eve Example",
        seed=11,
        code=builders.HOSTILE_CODE,
        results=(
            builders.run_result(1),
            builders.run_result(3, stdout="<script>alert(3)</script>"),
        ),
    )
    builders.finished_attempt(position, recruiter, "Tom Twin", seed=12, code=builders.HOSTILE_CODE)
    builders.assign(attempt, interviewer, recruiter)
    errors, dialogs = watch(page)

    sign_in(page, live_server, interviewer)
    page.get_by_role("navigation").get_by_role("link", name="Interviews").click()
    page.get_by_role("link", name="Eve Example").click()
    page.wait_for_url(f"**/review/attempts/{attempt.id}")
    code = page.locator(".submission .code-view").first.inner_text()
    assert '<script>alert("pwned")</script>' in code
    assert "{{ 7 * 7 }}" in code
    assert page.locator(".submission script").count() == 0
    probes = page.locator("table.probes").inner_text()
    assert "counts_simple" in probes
    assert "large_input" in probes
    assert "ties_alphabetical: failed → passed" in page.locator(".changes").inner_text().replace(
        "\n", " "
    )
    assert "Most similar submission: Tom Twin" in page.inner_text(".similar h4")
    page.get_by_text("Standard output").click()
    assert "<script>alert(3)</script>" in page.inner_text(".log-text")
    screenshot(page, "review-desk")

    page.get_by_role("button", name="Re-grade").click()
    page.wait_for_load_state()
    assert "queued for grading again" in page.inner_text(".flashes")

    page.get_by_role("link", name="Structured interview").click()
    page.get_by_label("Score for PY").select_option("4")
    page.get_by_label("Notes for PY").fill("Explained the trade-offs clearly.")
    page.get_by_label("Score for SQL").select_option("2")
    page.get_by_label("Recommendation").select_option("yes")
    page.get_by_label("Reason").fill("Good fundamentals, needs SQL practice.")
    screenshot(page, "review-interview")
    page.get_by_role("button", name="Save interview").click()
    page.wait_for_load_state()
    assert "Interview saved." in page.inner_text(".flashes")
    assert "Explained the trade-offs clearly." in page.get_by_label("Notes for PY").input_value()

    page.get_by_role("link", name="Scorecard").first.click()
    page.locator("canvas.chart[data-chart-ready=true]").wait_for(timeout=10_000)
    py_row = page.locator("tr[data-competency=PY]").inner_text()
    assert "100%" in py_row
    assert "spread" not in py_row
    assert "Good fundamentals" in page.inner_text(".panel-recommendations")
    screenshot(page, "scorecard")

    page.get_by_role("link", name="Printable version").click()
    page.locator("canvas.chart[data-chart-ready=true]").wait_for(timeout=10_000)
    page.emulate_media(media="print")
    assert not page.locator(".no-print").is_visible()
    screenshot(page, "scorecard-print")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = Path(SCREENSHOTS / "scorecard.pdf")
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 10_000
    assert errors == []
    assert dialogs == []


def test_recruiter_compares_three_candidates_and_exports_csv(
    live_app: Flask, live_server: LiveServer, page: Any, tmp_path: Path
) -> None:
    """Position → candidates sorted by a competency → tick three → compare (table coloured by
    level, chart overlaid) → CSV download with every scorecard."""
    BankFactory().load()
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    position = invitations.create_position(db.session, recruiter, "Platform", GradeCode.JUNIOR)
    for seed, (name, right, passed) in enumerate(
        [("Ann Able", 4, 5), ("Ben Basic", 2, 3), ("Cat Cautious", 1, 1), ("Dan Dormant", 0, 0)],
        start=21,
    ):
        builders.finished_attempt(
            position,
            recruiter,
            name,
            seed=seed,
            right=right,
            results=(builders.run_result(passed),),
        )
    errors, dialogs = watch(page)

    sign_in(page, live_server, recruiter)
    page.get_by_role("navigation").get_by_role("link", name="Positions").click()
    page.get_by_role("link", name="Platform").click()
    page.get_by_role("link", name="Compare candidates").click()
    page.get_by_label("Sort by").select_option("PY")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**sort=PY**")
    names = page.locator("table.ranking tbody th").all_inner_texts()
    assert names[0] == "Ann Able"
    assert names[-1] == "Dan Dormant"
    for name in ("Ann Able", "Ben Basic", "Cat Cautious"):
        page.get_by_label(f"Compare {name}").check()
    screenshot(page, "candidates")
    page.get_by_role("button", name="Compare selected").click()
    page.wait_for_url("**/compare?**")
    headers = page.locator("table.compare thead th").all_inner_texts()
    assert headers[1:] == ["Ann Able", "Ben Basic", "Cat Cautious"]
    py_cells = page.locator("table.compare tr[data-competency=PY] td")
    assert py_cells.count() == 3
    classes = [py_cells.nth(i).get_attribute("class") for i in range(3)]
    assert all(c and "level-" in c for c in classes)
    assert classes[0] != classes[2]
    page.locator("canvas.chart[data-chart-ready=true]").wait_for(timeout=10_000)
    screenshot(page, "compare")

    page.get_by_role("link", name="Choose other candidates").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    target = tmp_path / "export.csv"
    info.value.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert sorted(r["candidate"] for r in rows) == [
        "Ann Able",
        "Ben Basic",
        "Cat Cautious",
        "Dan Dormant",
    ]
    assert all(r["PY_combined"] for r in rows)
    assert errors == []
    assert dialogs == []
