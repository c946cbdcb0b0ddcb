"""Admins edit what each grade's assessment contains."""

from __future__ import annotations

from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import GradeCode, Role
from assess.services import blueprints
from tests.conftest import Auth, BankFactory, Factory, csrf_token, make_attempt


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
            "task_count": "1",
        },
    )
    assert good.status_code == 302
    db.session.expire_all()
    blueprint = blueprints.own_for(db.session, admin.organization_id, GradeCode.JUNIOR)
    assert blueprint is not None
    assert blueprint.time_limit_minutes == 45
    assert blueprint.questions_per_competency == {"PY": 1, "SQL": 2, "ASYNC": 0}
    assert blueprint.task_kinds == ["fix", "implement"] and blueprint.task_count == 1
    default = blueprints.default_for(db.session, GradeCode.JUNIOR)
    assert default is not None and default.time_limit_minutes == 30  # the bank's is untouched
    assert client.get("/admin/blueprints/emperor").status_code == 404
    assert client.get("/admin/blueprints/senior").status_code == 404


def test_blueprints_belong_to_one_organisation(
    client: FlaskClient, auth: Auth, factory: Factory, bank: BankFactory
) -> None:
    """One organisation's admin changes its Junior assessment: its own invitations get the new
    time limit, another organisation's keep the default and its admin sees the default; a
    reset brings the default back."""
    mine = factory.user(Role.ADMIN)
    other_org = factory.organization("Other organisation")
    theirs = factory.user(Role.ADMIN, organization=other_org)
    other_recruiter = factory.user(Role.RECRUITER, organization=other_org)
    auth.login(mine.email)
    page = client.get("/admin/blueprints/junior")
    assert "The bank's default" in page.text
    data = {
        "csrf_token": csrf_token(page.text),
        "time_limit_minutes": "45",
        "count_PY": "1",
        "count_SQL": "1",
        "count_ASYNC": "0",
        "task_kinds": ["implement"],
        "task_count": "1",
    }
    assert client.post("/admin/blueprints/junior", data=data).status_code == 302
    assert "Your organisation's" in client.get("/admin/blueprints").text
    ours, _ = make_attempt(factory, factory.user(Role.RECRUITER), "Ada Ours")
    other, _ = make_attempt(factory, other_recruiter, "Bo Theirs")
    assert (ours.deadline_at - ours.started_at).total_seconds() == 45 * 60
    assert (other.deadline_at - other.started_at).total_seconds() == 30 * 60
    auth.logout()
    auth.login(theirs.email)
    listing = client.get("/admin/blueprints").text
    assert "30 min" in listing and "45 min" not in listing
    assert "The bank's default" in listing
    auth.logout()
    auth.login(mine.email)
    listing = client.get("/admin/blueprints")
    reset = client.post(
        "/admin/blueprints/junior/reset", data={"csrf_token": csrf_token(listing.text)}
    )
    assert reset.status_code == 302
    assert blueprints.own_for(db.session, mine.organization_id, GradeCode.JUNIOR) is None
    later, _ = make_attempt(factory, factory.user(Role.RECRUITER), "Cy Later")
    assert (later.deadline_at - later.started_at).total_seconds() == 30 * 60


def test_tasks_are_drawn_from_the_pool_of_kinds(app: object, factory: Factory) -> None:
    """A blueprint drawing one task from two kinds: over many seeds both tasks come, every
    attempt gets exactly one, the same seed always the same one."""
    from assess.models import CodingTask
    from assess.services.attempts import draw_items

    bank = BankFactory()
    bank.load()
    existing = db.session.query(CodingTask).one()
    db.session.add(
        CodingTask(
            slug="second-task",
            title="Second",
            grade=GradeCode.JUNIOR,
            kind="fix",
            weights={"PY": 1.0},
            statement_md="# Second",
            starter_code="",
            visible_tests="",
            spec=existing.spec,
            content_hash="second",
        )
    )
    default = blueprints.default_for(db.session, GradeCode.JUNIOR)
    assert default is not None
    default.task_kinds, default.task_count = ["fix", "implement"], 1
    db.session.commit()
    drawn = []
    for seed in range(40):
        tasks = [i.task_id for i in draw_items(db.session, default, seed) if i.task_id]
        assert len(tasks) == 1
        assert tasks == [i.task_id for i in draw_items(db.session, default, seed) if i.task_id]
        drawn.append(tasks[0])
    assert len(set(drawn)) == 2
    default.task_count = 2
    both = [i.task_id for i in draw_items(db.session, default, 7) if i.task_id]
    assert sorted(both) == sorted(set(drawn))


def test_a_hands_on_kind_in_the_pool_is_always_drawn(app: object, factory: Factory) -> None:
    """With a project task in the grade and ``project`` in the pool, every attempt gets it,
    and the other slot still varies over the single-file kinds."""
    from assess.models import CodingTask
    from assess.services.attempts import draw_items

    bank = BankFactory()
    bank.load()
    existing = db.session.query(CodingTask).one()
    for slug, kind in (("project-task", "project"), ("fix-task", "fix")):
        db.session.add(
            CodingTask(
                slug=slug,
                title=slug,
                grade=GradeCode.JUNIOR,
                kind=kind,
                weights={"PY": 1.0},
                statement_md=f"# {slug}",
                starter_code="",
                visible_tests="",
                spec=existing.spec,
                content_hash=slug,
            )
        )
    default = blueprints.default_for(db.session, GradeCode.JUNIOR)
    assert default is not None
    default.task_kinds, default.task_count = ["fix", "implement", "project"], 2
    db.session.commit()
    by_id = {t.id: t.kind for t in db.session.query(CodingTask)}
    others = set()
    for seed in range(30):
        kinds = [by_id[i.task_id] for i in draw_items(db.session, default, seed) if i.task_id]
        assert len(kinds) == 2
        assert kinds[0] == "project"
        others.add(kinds[1])
    assert others == {"fix", "implement"}
