"""Recruiters' insights: pipelines, ranking, comparing, CSV export; admins' item statistics."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import sqlalchemy as sa
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import AuditEvent, GradeCode, Question, Recommendation, Role, User
from assess.review import interviews
from assess.services import invitations, item_stats
from tests.conftest import Factory
from tests.integration.review import builders
from tests.integration.review.conftest import Desk


def test_pipeline_funnel_counts_every_stage(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Invited, started, finished, scored, interviewed, decided: cumulative counts."""
    interviews.save_interview(
        db.session,
        desk.ada,
        desk.interviewer,
        {"PY": interviews.RubricEntry(3, "")},
        Recommendation.YES,
        "ok",
    )
    db.session.commit()
    page = sign_in(desk.recruiter).get("/insights/pipelines").text
    row = re.search(r"Backend</a></th>(.*?)</tr>", page, re.S)
    assert row is not None
    numbers = re.findall(r'<td class="num">(\d+)</td>', row.group(1))
    assert numbers == ["2", "2", "2", "2", "1", "1", "0"]


def test_ranking_filters_and_sorts(desk: Desk, sign_in: Callable[[User], FlaskClient]) -> None:
    """Sorting by a competency orders the rows; filtering by grade keeps only that grade."""
    client = sign_in(desk.recruiter)
    url = f"/insights/positions/{desk.position.id}"
    order = re.findall(r'scorecard">([^<]+)</a></th>', client.get(url + "?sort=SQL").text)
    assert order == ["Ada Lovelace", "Bob Builder"]
    order = re.findall(r'scorecard">([^<]+)</a></th>', client.get(url + "?sort=SQL&order=asc").text)
    assert order == ["Bob Builder", "Ada Lovelace"]
    grade = desk.ada.scorecard["recommended_grade"] or "none"
    filtered = client.get(url + f"?grade={grade}").text
    assert "Ada Lovelace" in filtered
    assert "Bob Builder" not in filtered
    assert "2 scored candidates" in client.get(url + "?sort=bogus&grade=bogus").text


def test_compare_shows_levels_and_chart_data(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Cells carry their level class; the chart endpoint overlays one dataset per person."""
    client = sign_in(desk.recruiter)
    base = f"/insights/positions/{desk.position.id}/compare?a={desk.ada.id}&a={desk.bob.id}"
    page = client.get(base).text
    assert re.search(r'class="num level-(none|junior|middle|senior|unknown)"', page)
    assert 'data-chart-url="/insights/positions/' in page
    data = client.get(base.replace("compare?", "compare.json?")).get_json()
    assert [d["label"] for d in data["datasets"]] == ["Ada Lovelace", "Bob Builder"]
    assert data["labels"] == ["PY", "SQL", "ASYNC"]
    odd = client.get(f"/insights/positions/{desk.position.id}/compare.json?a=²&a=x&a={10**30}")
    assert odd.status_code == 200
    assert odd.get_json()["datasets"] == []
    many = "&".join(f"a={desk.ada.id}" for _ in range(10))
    data = client.get(f"/insights/positions/{desk.position.id}/compare.json?{many}").get_json()
    assert len(data["datasets"]) == 1


def test_csv_export_has_every_scorecard_and_is_formula_safe(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """One row per scored candidate with per-competency columns; formulas are defused."""
    builders.finished_attempt(desk.position, desk.recruiter, "=HYPERLINK(1)", seed=7)
    response = sign_in(desk.recruiter).get(f"/insights/positions/{desk.position.id}/scorecards.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["candidate"] for r in rows] == ["Ada Lovelace", "Bob Builder", "'=HYPERLINK(1)"]
    assert {"PY_combined", "SQL_automated", "ASYNC_interview", "PY_evidence"} <= set(rows[0])
    assert float(rows[0]["PY_combined"]) > float(rows[1]["PY_combined"])
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "scorecards.exported")
    )
    assert event is not None
    assert event.details["rows"] == 3


def test_scorecard_page_shows_gaps_weights_flags_and_chart(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Recommended grade, gaps to the next grade, requirement class and flags are shown."""
    flagged = builders.finished_attempt(
        desk.position,
        desk.recruiter,
        "Paula Paste",
        seed=8,
        pastes=3,
        results=(builders.run_result(3, flags=("rewrites builtins",)),),
    )
    client = sign_in(desk.recruiter)
    page = client.get(f"/insights/attempts/{flagged.id}/scorecard").text
    assert 'id="recommended-grade"' in page
    assert "Gaps to" in page or "The highest grade is met." in page
    assert "required" in page
    assert "advantage" in page
    assert "3 pastes during the assessment" in page
    assert "Code flag: rewrites builtins" in page
    assert 'data-chart-url="/insights/attempts/' in page
    chart = client.get(f"/insights/attempts/{flagged.id}/scorecard.json").get_json()
    assert [d["label"] for d in chart["datasets"]] == ["Combined", "Automated", "Interview"]
    old = client.get(f"/positions/attempts/{flagged.id}/scorecard")
    assert old.status_code == 302
    assert old.headers["Location"].endswith(f"/insights/attempts/{flagged.id}/scorecard")


def test_item_statistics_cover_every_question_of_closed_attempts(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Each question counts every closed attempt that drew it; strong candidates answering
    everything and weak ones answering one keep every discrimination positive."""
    for seed in range(10, 16):
        builders.finished_attempt(
            desk.position, desk.recruiter, f"Strong {seed}", seed=seed, right=4
        )
    for seed in range(20, 26):
        builders.finished_attempt(
            desk.position,
            desk.recruiter,
            f"Weak {seed}",
            seed=seed,
            right=1,
            results=(builders.run_result(0),),
        )
    own = desk.position.organization_id
    stats = {q.key: s for q, s in item_stats.bank_statistics(db.session, own)}
    assert all(s.seen == 14 for s in stats.values())
    first = next(iter(db.session.scalars(sa.select(Question).order_by(Question.id))))
    assert all(s.facility is not None and 0 < s.facility < 1 for s in stats.values())
    assert all(s.discrimination is not None and s.discrimination > 0 for s in stats.values())
    assert all(item_stats.FLAG_NEGATIVE not in s.flags for s in stats.values())
    page = sign_in(desk.admin).get("/insights/items").text
    assert first.key in page
    assert "Facility" in page


def test_item_statistics_count_only_the_viewers_organisation(
    desk: Desk, factory: Factory, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Another organisation's attempts never enter the figures, on the page or in the
    service; an organisation without attempts sees no statistics at all."""
    other_org = factory.organization("Elsewhere")
    their_recruiter = factory.user(Role.RECRUITER, organization=other_org)
    their_admin = factory.user(Role.ADMIN, organization=other_org)
    lonely_admin = factory.user(Role.ADMIN, organization=factory.organization("Empty"))
    theirs = invitations.create_position(db.session, their_recruiter, "Theirs", GradeCode.JUNIOR)
    for seed in range(30, 33):
        builders.finished_attempt(theirs, their_recruiter, f"Their {seed}", seed=seed, right=0)
    own = {
        q.key: s for q, s in item_stats.bank_statistics(db.session, desk.position.organization_id)
    }
    their = {q.key: s for q, s in item_stats.bank_statistics(db.session, other_org.id)}
    assert own
    assert all(s.seen == 2 for s in own.values())
    assert all(s.seen == 3 for s in their.values())
    assert all(s.facility == 0 for s in their.values())
    assert item_stats.bank_statistics(db.session, lonely_admin.organization_id) == []
    seen = re.compile(r'<td class="num">(\d+)</td>')
    page = sign_in(desk.admin).get("/insights/items").text
    their_page = sign_in(their_admin).get("/insights/items").text
    assert set(seen.findall(page)) >= {"2"}
    assert "3" not in seen.findall(page)
    assert "3" in seen.findall(their_page)
    assert "2" not in seen.findall(their_page)
