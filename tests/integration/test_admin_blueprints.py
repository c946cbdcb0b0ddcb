"""Admins edit what each grade's assessment contains."""

from __future__ import annotations

from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import AssessmentBlueprint, GradeCode, Role
from tests.conftest import Auth, BankFactory, Factory, csrf_token


def test_admin_edits_a_blueprint(
    client: FlaskClient, auth: Auth, factory: Factory, bank: BankFactory
) -> None:
    """The form shows the current blueprint, saves changes and refuses bad numbers."""
    admin = factory.user(Role.ADMIN)
    auth.login(admin.email)
    listing = client.get("/admin/blueprints")
    assert "Junior" in listing.text and "30 min" in listing.text
    page = client.get("/admin/blueprints/junior")
    assert 'name="count_PY"' in page.text and 'value="2"' in page.text
    token = csrf_token(page.text)
    bad = client.post(
        "/admin/blueprints/junior",
        data={
            "csrf_token": token,
            "time_limit_minutes": "2",
            "count_PY": "1",
            "count_SQL": "1",
            "count_ASYNC": "0",
            "task_kinds": ["implement"],
        },
    )
    assert bad.status_code == 422
    good = client.post(
        "/admin/blueprints/junior",
        data={
            "csrf_token": token,
            "time_limit_minutes": "45",
            "count_PY": "1",
            "count_SQL": "2",
            "count_ASYNC": "0",
            "task_kinds": ["implement", "fix"],
        },
    )
    assert good.status_code == 302
    db.session.expire_all()
    blueprint = db.session.query(AssessmentBlueprint).filter_by(grade=GradeCode.JUNIOR).one()
    assert blueprint.time_limit_minutes == 45
    assert blueprint.questions_per_competency == {"PY": 1, "SQL": 2, "ASYNC": 0}
    assert blueprint.task_kinds == ["implement", "fix"]
    assert client.get("/admin/blueprints/emperor").status_code == 404
    assert client.get("/admin/blueprints/senior").status_code == 404
