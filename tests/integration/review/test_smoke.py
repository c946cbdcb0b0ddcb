"""Every page of the desk and insights renders for the people allowed to see it."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import User
from tests.integration.review.conftest import Desk


def test_pages_render(desk: Desk, sign_in: Callable[[User], FlaskClient]) -> None:
    """Queue, desk, interview, scorecard, print, ranking, compare, CSV, items: all 200."""
    interviewer = sign_in(desk.interviewer)
    for url in (
        "/review",
        f"/review/attempts/{desk.ada.id}",
        f"/review/attempts/{desk.ada.id}/interview",
        f"/insights/attempts/{desk.ada.id}/scorecard",
        f"/insights/attempts/{desk.ada.id}/scorecard/print",
        f"/insights/attempts/{desk.ada.id}/scorecard.json",
    ):
        response = interviewer.get(url)
        assert response.status_code == 200, (url, response.text[:2000])
    recruiter = sign_in(desk.recruiter)
    pid = desk.position.id
    for url in (
        "/insights/pipelines",
        f"/insights/positions/{pid}",
        f"/insights/positions/{pid}/compare?a={desk.ada.id}&a={desk.bob.id}",
        f"/insights/positions/{pid}/compare.json?a={desk.ada.id}",
        f"/insights/positions/{pid}/scorecards.csv",
        f"/review/attempts/{desk.ada.id}/assign",
        f"/positions/{pid}",
    ):
        response = recruiter.get(url)
        assert response.status_code == 200, (url, response.text[:2000])
    admin = sign_in(desk.admin)
    assert admin.get("/insights/items").status_code == 200


def test_pages_render_in_russian(desk: Desk, sign_in: Callable[[User], FlaskClient]) -> None:
    """With Russian chosen, the pages render translated (placeholders intact)."""
    for user in (desk.interviewer, desk.recruiter, desk.admin):
        user.locale = "ru"
    db.session.commit()
    interviewer = sign_in(desk.interviewer)
    page = interviewer.get(f"/review/attempts/{desk.ada.id}").text
    assert "Правильный ответ" in page
    assert "Проверки последнего запуска" in page
    assert "Оценочный лист" in interviewer.get(f"/insights/attempts/{desk.ada.id}/scorecard").text
    recruiter = sign_in(desk.recruiter)
    pid = desk.position.id
    assert "Сравнить выбранных" in recruiter.get(f"/insights/positions/{pid}").text
    compare = recruiter.get(f"/insights/positions/{pid}/compare?a={desk.ada.id}").text
    assert "Рекомендуемый уровень" in compare
    assert "Воронки" in recruiter.get("/insights/pipelines").text
    assert "Лёгкость" in sign_in(desk.admin).get("/insights/items").text
