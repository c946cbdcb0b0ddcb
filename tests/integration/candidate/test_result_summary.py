"""Where the position allows it, the finished candidate reads strengths and areas to grow per
competency in plain words: no numbers, no answers, no hidden checks, no ranking."""

from __future__ import annotations

from flask import Flask

from assess.extensions import db
from assess.models import Grade, Role
from assess.services import attempts, scorecards
from tests.conftest import BankFactory, Factory, csrf_token, make_attempt


def card(entries: dict[str, tuple[float | None, bool, int]]) -> dict[str, object]:
    """A stored scorecard whose competencies have these (automated, sufficient, evidence)."""
    return {
        "recommended_grade": None,
        "competencies": [
            {"code": code, "automated": score, "sufficient": enough, "evidence": evidence}
            for code, (score, enough, evidence) in entries.items()
        ],
    }


def test_the_summary_names_levels_in_words_only_where_allowed(
    app: Flask, bank: BankFactory
) -> None:
    """Against the junior bar (0.5): 0.9 is a strength, 0.55 at the level, 0.2 an area to
    grow, thin evidence unclear, no evidence left out; no numbers on the page; nothing of
    it where the position does not allow a summary."""
    factory = Factory()
    recruiter = factory.user(Role.RECRUITER)
    attempt, token = make_attempt(factory, recruiter, "Ria Result")
    client = app.test_client()
    landing = client.get(f"/i/{token}")
    client.post(f"/i/{token}", data={"csrf_token": csrf_token(landing.text)})
    attempts.finish_attempt(db.session, attempt)
    db.session.commit()
    grade = db.session.get(Grade, attempt.grade)
    assert grade is not None
    grade.threshold = 0.5
    attempt.scorecard = card({
        "PY": (0.9, True, 3), "SQL": (0.55, True, 2), "WEB": (0.2, True, 2),
        "NOSQL": (1.0, False, 1), "ASYNC": (None, False, 0),
    })  # fmt: skip
    db.session.commit()
    hidden = client.get("/attempt/done").text
    assert "an area to grow" not in hidden and "a strength" not in hidden
    attempt.invitation.position.show_result_summary = True
    db.session.commit()
    levels = {line.code: line.level for line in scorecards.candidate_summary(db.session, attempt)}
    assert levels == {"PY": "strength", "SQL": "at-level", "WEB": "to-grow", "NOSQL": "unclear"}
    page = client.get("/attempt/done").text
    section = page.split("From the quiz and coding tasks")[1].split("</dl>")[0]
    for word in ("a strength", "at the level", "an area to grow", "not enough evidence to say"):
        assert word in section
    assert "%" not in section and not any(ch.isdigit() for ch in section)
