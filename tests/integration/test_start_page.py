"""The start page (the dashboard) answers "what needs me now" for each role: real data in a
real database, pages through the real client, SQL statements counted on the engine."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import (
    Attempt,
    InterviewAssignment,
    InterviewScorecard,
    Invitation,
    Recommendation,
    Role,
    User,
    utcnow,
)
from assess.models.live import LiveInterview, LiveState
from assess.services import start_page
from tests.conftest import Auth, BankFactory, Factory, require
from tests.integration.review import builders
from tests.integration.review.conftest import counting_queries
from tests.integration.start_page_world import Team, add_candidates, build_team


@pytest.fixture
def teams(app: Flask, factory: Factory, bank: BankFactory) -> tuple[Team, Team]:
    """Two organisations, each with data on every line of every part."""
    return build_team(factory, "Home"), build_team(factory, "Rival")


def signed_in(app: Flask, user: User) -> FlaskClient:
    """A new client signed in as ``user``."""
    client = app.test_client()
    assert Auth(client).login(user.email).status_code == 302
    return client


def page_of(app: Flask, user: User) -> str:
    """The start page as ``user`` sees it."""
    response = signed_in(app, user).get("/dashboard")
    assert response.status_code == 200
    return response.text


def section(html: str, anchor: str) -> str:
    """The text of the ``<section id=anchor>`` of the page."""
    match = re.search(rf'<section[^>]*id="{anchor}".*?</section>', html, re.S)
    assert match, f"no section {anchor}"
    return match.group(0)


def links(html: str) -> set[str]:
    """Every link target in ``html``."""
    return set(re.findall(r'href="([^"]+)"', html))


def test_recruiter_sees_what_needs_them(app: Flask, teams: tuple[Team, Team]) -> None:
    """Open positions with their funnel, the candidate waiting for an interviewer, the
    expiring and the unopened invitations, the latest scorecards; each a link."""
    home, _ = teams
    html = page_of(app, home.recruiter)
    part = section(html, "start-recruiting")
    assert 'id="start-interviewing"' not in html
    assert 'id="start-admin"' not in html
    # The funnel: 7 invited, 5 started, finished and scored, none interviewed yet.
    row = re.search(r"Home Backend.*?</tr>", part, re.S)
    assert row
    cells = re.findall(r'<td class="num" data-stage="(\w+)">(\d+)</td>', row.group(0))
    assert dict(cells) == {
        "invited": "7",
        "started": "5",
        "finished": "5",
        "scored": "5",
        "interviewed": "0",
        "decided": "0",
    }
    assert f"/positions/{home.position.id}" in links(part)
    assert f"/review/attempts/{home.waiting.id}/assign" in links(part)
    assert f"/review/attempts/{home.queued.id}/assign" not in links(part)
    expiring = section(html, "start-recruiting").split('id="start-expiring"')[1]
    expiring, unopened = expiring.split('id="start-unopened"')
    assert "Home Soon" in expiring and "never opened" in expiring
    assert "Home Later" not in expiring
    assert "Home Later" in unopened.split('id="start-scorecards"')[0]
    scorecards = part.split('id="start-scorecards"')[1]
    assert f"/insights/attempts/{home.queued.id}/scorecard" in links(scorecards)
    assert 'canvas class="funnel-chart"' in part
    assert "/static/js/start-page.js" in html


def test_opened_and_started_invitations_leave_the_lists(
    app: Flask, teams: tuple[Team, Team]
) -> None:
    """An opened invitation is no longer "never opened"; a withdrawn one is not listed."""
    home, _ = teams
    home.unopened.opened_at = utcnow()
    home.expiring.revoked_at = utcnow()
    db.session.commit()
    part = section(page_of(app, home.recruiter), "start-recruiting")
    assert "Home Later" not in part
    assert "Home Soon" not in part
    assert "Invitations never opened (0)" in part


def test_interviewer_sees_their_queue_and_todays_live_interviews(
    app: Flask, teams: tuple[Team, Team]
) -> None:
    """The queue holds the assigned, not yet interviewed candidates, oldest first, with
    how long they waited; today's live interview is listed; other parts are not there."""
    home, _ = teams
    now = utcnow()
    assignments = {
        name: assignment
        for assignment, name in db.session.execute(
            sa.select(InterviewAssignment, Invitation.candidate_name)
            .join(Attempt, Attempt.id == InterviewAssignment.attempt_id)
            .join(Invitation, Invitation.id == Attempt.invitation_id)
            .where(InterviewAssignment.interviewer_id == home.interviewer.id)
        ).tuples()
    }
    assignments["Home Candidate 5"].assigned_at = now - timedelta(hours=3, minutes=5)
    assignments["Home Candidate 1"].assigned_at = now - timedelta(days=2, hours=1)
    # a fixed age, not "just now": a slow machine may take a second before the page renders
    assignments["Home Candidate 4"].assigned_at = now - timedelta(minutes=40)
    recorded = assignments["Home Candidate 3"]
    db.session.add(
        InterviewScorecard(
            attempt_id=recorded.attempt_id,
            interviewer_id=home.interviewer.id,
            recommendation=Recommendation.YES,
        )
    )
    db.session.commit()
    html = page_of(app, home.interviewer)
    assert 'id="start-recruiting"' not in html
    assert 'id="start-admin"' not in html
    part = section(html, "start-interviewing")
    assert "Your queue (3)" in part
    queue = part.split('id="start-queue"')[1].split("</ul>")[0]
    order = re.findall(r"(Home Candidate \d)</a> · Home Backend · waiting ([^<]+)</li>", queue)
    assert order == [
        ("Home Candidate 1", "2 days"),
        ("Home Candidate 5", "3 hours"),
        ("Home Candidate 4", "40 minutes"),
    ], order
    assert f"/review/attempts/{home.queued.id}" in links(part)
    assert f"/review/attempts/{home.waiting.id}" not in links(part)
    assert f"/review/attempts/{recorded.attempt_id}" not in links(part)
    assert f"/live/{home.live_id}" in links(part)
    assert "Home pairing" in part


def test_interviews_recorded_tomorrow_or_ended_leave_the_interviewer_lines(
    app: Flask, teams: tuple[Team, Team]
) -> None:
    """A live interview scheduled for another day, or ended, is not "today"."""
    home, _ = teams
    live = db.session.get(LiveInterview, home.live_id)
    assert live is not None
    live.scheduled_for = utcnow() + timedelta(days=2)
    db.session.commit()
    assert "Home pairing" not in page_of(app, home.interviewer)
    live.scheduled_for = utcnow()
    live.state = LiveState.ENDED
    db.session.commit()
    assert "Home pairing" not in page_of(app, home.interviewer)


def test_admin_sees_every_part_and_the_platform(
    app: Flask, teams: tuple[Team, Team], client: FlaskClient
) -> None:
    """An admin holds every right: the platform part first, then hiring and interviews.
    The platform part counts the organisation's own submissions, the bank's version and
    flagged questions, and the failed sign-ins of the organisation's staff."""
    home, rival = teams
    for _ in range(2):
        Auth(client).login(home.recruiter.email, "not the password at all")
    Auth(client).login(rival.recruiter.email, "not the password at all")
    html = page_of(app, home.admin)
    order = [html.index(f'id="{anchor}"') for anchor in ("start-admin", "start-recruiting")]
    assert order == sorted(order)
    assert 'id="start-interviewing"' in html
    part = section(html, "start-admin")
    assert "Queued submissions: 1" in part
    assert "the oldest waiting 5 minutes" in part
    assert "In the last hour: failed 1, retried 1" in part
    assert "Sandbox image:" in part
    assert "Disk left:" in part
    assert re.search(r"Bank version [0-9a-f]{12}", part)
    assert "questions: 4, coding tasks: 1, interview questions: 0" in part
    assert "Flagged questions: 4" in part
    assert "too easy" in part
    assert "/insights/items" in links(part)
    sign_ins = part.split('id="start-sign-ins"')[1]
    assert "Staff accounts with failed sign-ins (1)" in sign_ins
    assert home.recruiter.email in sign_ins
    assert "failed sign-ins: 2" in sign_ins
    assert rival.recruiter.email not in html
    assert "/admin/users" in links(sign_ins)


def test_another_organisations_data_never_shows(app: Flask, teams: tuple[Team, Team]) -> None:
    """No line of any role's start page names another organisation's candidates,
    positions, interviews or staff, nor counts its submissions."""
    home, rival = teams
    for user in (home.recruiter, home.interviewer, home.admin):
        html = page_of(app, user)
        assert "Rival" not in html, user.role
        assert "rival-" not in html, user.role
        for attempt in (rival.queued, rival.waiting):
            assert f"/attempts/{attempt.id}/" not in html
        assert f'/positions/{rival.position.id}"' not in html
        assert f'/live/{rival.live_id}"' not in html
    # The rival's own pages do show its data, so the check above is not vacuous.
    assert "Rival Backend" in page_of(app, rival.recruiter)
    assert "Rival pairing" in page_of(app, rival.interviewer)


def test_an_interviewer_of_another_organisation_assigned_by_mistake_sees_nothing(
    app: Flask, teams: tuple[Team, Team]
) -> None:
    """Even an assignment row pointing across organisations puts nothing on the page."""
    home, rival = teams
    builders.assign(rival.waiting, home.interviewer, rival.recruiter)
    html = page_of(app, home.interviewer)
    assert "Rival" not in html
    assert "Your queue (4)" in html  # its own four, not the rival's


# --- bounded statements ------------------------------------------------------------------


def statements(client: FlaskClient) -> tuple[int, list[str]]:
    """How many SQL statements serving the start page takes (the body fully read)."""
    with counting_queries() as counter:
        response = client.get("/dashboard")
        assert response.status_code == 200
        response.get_data()
    return counter.count, counter.statements


@pytest.fixture
def small_team(app: Flask, factory: Factory, bank: BankFactory) -> Team:
    """One organisation with ten bulk candidates on top of the every-line data."""
    team = build_team(factory, "Home")
    add_candidates(team, 10)
    return team


# Measured: the user, then each part's own statements (recruiter 9, interviewer 3, admin 8;
# an admin sees all three parts, with nothing assigned to them the queue takes 2). A change
# that adds one should raise the bound knowingly.
STATEMENT_BOUND = {Role.RECRUITER: 10, Role.INTERVIEWER: 4, Role.ADMIN: 20}


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.INTERVIEWER, Role.ADMIN])
def test_statements_do_not_grow_with_candidates(app: Flask, small_team: Team, role: Role) -> None:
    """The same number of statements with ten candidates and with a thousand more (and
    thirty more open positions), within a fixed budget per role."""
    user = {
        Role.RECRUITER: small_team.recruiter,
        Role.INTERVIEWER: small_team.interviewer,
        Role.ADMIN: small_team.admin,
    }[role]
    client = signed_in(app, user)
    few, _ = statements(client)
    add_candidates(small_team, 1000, positions=30)
    many, listed = statements(client)
    assert many == few, "\n".join(listed)
    assert many <= STATEMENT_BOUND[role], "\n".join(listed)
    html = client.get("/dashboard").text
    if role is not Role.INTERVIEWER:
        assert f"Open positions ({31})" in html
        assert html.count('canvas class="funnel-chart"') == start_page.LIST_LIMIT
        # Every fourth bulk invitation expires within 48 hours, plus the team's own one.
        expiring = 1 + len([n for n in range(10) if n % 4 == 0]) + 1000 // 4
        assert f"Invitations expiring within 48 hours ({expiring})" in html
        assert f"More: {expiring - start_page.LIST_LIMIT}" in html
    if role is not Role.RECRUITER:
        assert "Your queue (" in html


def test_durations_follow_the_readers_language(app: Flask, teams: tuple[Team, Team]) -> None:
    """Durations and relative times come from the locale's own rules (CLDR), so a reader
    who chose Russian reads them in Russian. (The page's own sentences need the catalogue,
    which is merged separately; they are not checked here.)"""
    home, _ = teams
    for user in (home.recruiter, home.admin):
        user.locale = "ru"
    db.session.commit()
    recruiter = page_of(app, home.recruiter)
    assert "назад" in recruiter  # "finished 1 second ago"
    assert "через 10 часов" in recruiter  # the expiring invitation
    admin = page_of(app, home.admin)
    assert "5 минут" in admin  # the oldest queued submission's wait


def test_rq_workers_are_counted_in_redis_or_reported_unknown(app: Flask) -> None:
    """With the RQ backend the workers line asks Redis; a Redis that does not answer makes
    the count unknown (None), never an error page."""
    config = {"GRADING_BACKEND": "rq", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    reached = start_page.registered_rq_workers(config["REDIS_URL"])
    require(None if reached is not None else "no answer on 6379", "Redis")
    seen = start_page.workers(db.session, config)
    assert seen.backend == "rq"
    assert isinstance(seen.registered, int)
    assert seen.registered >= 0
    gone = start_page.workers(db.session, {**config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    assert gone.registered is None


def test_disk_left_is_read_from_the_nearest_existing_folder(tmp_path: Path) -> None:
    """The instance folder may not exist yet: the disk it will be on is measured."""
    disk = start_page.disk_left(str(tmp_path / "not" / "yet" / "there"))
    assert disk is not None
    assert disk.path == str(tmp_path)
    assert 0 < disk.free_bytes <= disk.total_bytes
