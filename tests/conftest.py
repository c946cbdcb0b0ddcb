"""Shared fixtures: an app on a fresh database (SQLite and PostgreSQL), clients, sign-in."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from assess import create_app
from assess.bank.taskspec import describe_task
from assess.extensions import db
from assess.models import (
    AssessmentBlueprint,
    Attempt,
    CodingTask,
    Competency,
    Grade,
    GradeCode,
    Invitation,
    Organization,
    Question,
    Role,
    User,
    WeightClass,
)
from assess.services import attempts, invitations
from assess.services.accounts import create_user

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get(
    "ASSESS_TEST_POSTGRES_URL", "postgresql+psycopg://assess:assess@127.0.0.1:5432/assess_test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "correct horse battery staple"


def require(problem: str | None, what: str) -> None:
    """Skip when a service is missing on a developer's machine; fail under CI=true."""
    if problem is None:
        return
    message = f"{what} unavailable: {problem}"
    if IN_CI:
        pytest.fail(f"{message} (required under CI=true)")
    pytest.skip(message)


def postgres_problem(url: str) -> str | None:
    """None when PostgreSQL at ``url`` accepts a connection."""
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        engine.dispose()
    return None


def reset_schema(url: str) -> None:
    """Drop everything in the database at ``url`` and create the current schema."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        db.metadata.drop_all(connection)
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.metadata.create_all(connection)
    engine.dispose()


@contextmanager
def private_postgres_database(prefix: str) -> Iterator[str]:
    """A PostgreSQL database of this test run alone (parallel runs never share rows)."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            for statement in drop_database(name):
                connection.execute(sa.text(statement))
        admin.dispose()


def drop_database(name: str) -> tuple[str, str]:
    """The statements that drop the scratch database ``name``, autovacuum or not.

    ``DROP DATABASE ... WITH (FORCE)`` fails for a role that is not a superuser when an
    autovacuum worker is in the database: the worker has no role to be a member of. So
    end this role's own sessions there (waiting up to 5 s for each), then drop plainly,
    which stops an autovacuum worker itself.
    """
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"not a scratch database name: {name!r}")
    return (
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"  # noqa: S608 (name checked)
        f" WHERE datname = '{name}' AND usename = current_user AND pid <> pg_backend_pid()",
        f'DROP DATABASE IF EXISTS "{name}"',
    )


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database with the current schema: a SQLite file, or a private PostgreSQL database."""
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
        reset_schema(url)
        yield url
        return
    require(postgres_problem(POSTGRES_URL), "PostgreSQL")
    with private_postgres_database("assess_t") as url:
        reset_schema(url)
        yield url


def empty_tables() -> None:
    """Delete every row, children first, so the next test starts clean."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as on a server:
    a fresh ``g`` and its own database session, never the test's."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        """Send the request inside a new app context."""
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app in testing mode, bound to a clean database, inside an app context."""
    application = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": database_url,
        }
    )
    application.instance_path = str(tmp_path / "instance")
    application.test_client_class = IsolatedClient
    with application.app_context():
        try:
            yield application
        finally:
            db.session.rollback()
            empty_tables()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Runs ``flask`` commands against the app."""
    return app.test_cli_runner()


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in ``html``."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


class Auth:
    """Signs in through the real form, like a person would."""

    def __init__(self, client: FlaskClient) -> None:
        """Wrap a client."""
        self.client = client

    def login(self, email: str, password: str = PASSWORD, **extra: Any) -> Any:
        """Post the sign-in form with a fresh CSRF token."""
        page = self.client.get("/login")
        data = {"email": email, "password": password, "csrf_token": csrf_token(page.text)}
        data.update(extra)
        return self.client.post("/login", data=data)

    def logout(self) -> Any:
        """Post the sign-out form."""
        page = self.client.get("/dashboard")
        return self.client.post("/logout", data={"csrf_token": csrf_token(page.text)})


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    """The sign-in helper for ``client``."""
    return Auth(client)


class Factory:
    """Makes domain objects with sensible defaults."""

    def __init__(self) -> None:
        """Start the counters."""
        self.counter = 0
        self.home: Organization | None = None

    def organization(self, name: str | None = None) -> Organization:
        """A new organisation."""
        self.counter += 1
        org = Organization(name=name or f"Organisation {self.counter}")
        db.session.add(org)
        db.session.flush()
        return org

    def user(
        self,
        role: Role = Role.RECRUITER,
        email: str | None = None,
        password: str = PASSWORD,
        organization: Organization | None = None,
    ) -> User:
        """A staff account that can sign in with ``password`` (by default all in one org)."""
        if organization is None:
            self.home = self.home or self.organization("Home organisation")
            organization = self.home
        self.counter += 1
        user = create_user(
            db.session,
            email or f"{role.value}{self.counter}@example.com",
            password,
            role,
            name=f"{role.value.title()} {self.counter}",
            organization=organization,
            fast_hash=True,
        )
        db.session.commit()
        return user


@pytest.fixture
def factory(app: Flask) -> Factory:
    """The object factory, bound to the test's database."""
    return Factory()


QUESTIONS: list[tuple[str, str, str, dict[str, Any], Any]] = [
    ("py-j-901", "PY", "single", {"prompt": "Pick **b**.", "options": ["a", "b", "c"]}, 1),
    (
        "py-j-902",
        "PY",
        "multiple",
        {"prompt": "Pick a and c.", "options": ["a", "b", "c", "d"]},
        [0, 2],
    ),
    ("sql-j-901", "SQL", "exact", {"prompt": "How many rows?", "match": "number"}, "3"),
    (
        "sql-j-902",
        "SQL",
        "ordering",
        {"prompt": "Order them.", "items": ["x", "y", "z"]},
        ["x", "y", "z"],
    ),
]


class BankFactory:
    """A small bank in the database: two required competencies, the three grades, a junior
    blueprint with four questions and one coding task (the real word-frequency task unless
    another task folder is given)."""

    def __init__(self, task_folder: Path | None = None) -> None:
        """The coding task to load (a folder of the bank's format)."""
        self.task_folder = task_folder or ROOT / "challenges" / "tasks" / "word-frequency"

    def load(self) -> None:
        """Insert the catalogue, the items and the blueprint."""
        for position, (code, weight) in enumerate(
            [
                ("PY", WeightClass.REQUIRED),
                ("SQL", WeightClass.REQUIRED),
                ("ASYNC", WeightClass.ADVANTAGE),
            ]
        ):
            db.session.add(
                Competency(code=code, name=f"{code} skills", weight_class=weight, position=position)
            )
        for rank, code in enumerate(GradeCode, start=1):
            db.session.add(
                Grade(
                    code=code,
                    rank=rank,
                    name=code.value.title(),
                    threshold=0.4 + 0.1 * rank,
                    min_evidence=2,
                )
            )
        for key, code, qtype, body, answer in QUESTIONS:
            db.session.add(
                Question(
                    key=key,
                    competency_code=code,
                    grade=GradeCode.JUNIOR,
                    type=qtype,
                    weights={code: 1.0},
                    body=body,
                    answer=answer,
                    explanation="Because.",
                    content_hash=key,
                )
            )
        folder = self.task_folder
        task, spec = describe_task(folder, folder.name)
        db.session.add(
            CodingTask(
                slug=task.slug,
                title=task.title,
                grade=GradeCode.JUNIOR,
                kind=task.kind,
                weights={"PY": 1.0},
                statement_md=(folder / "statement.md").read_text(),
                starter_code=task.starter,
                visible_tests=task.visible_tests,
                spec=spec,
                content_hash=task.content_hash,
            )
        )
        db.session.add(
            AssessmentBlueprint(
                grade=GradeCode.JUNIOR,
                time_limit_minutes=30,
                questions_per_competency={"PY": 2, "SQL": 2},
                task_kinds=[task.kind],
            )
        )
        db.session.commit()


def make_invitation(
    factory: Factory, recruiter: User | None = None, name: str = "Ada Candidate"
) -> tuple[Invitation, str]:
    """A junior position's invitation for ``name`` and its token."""
    recruiter = recruiter or factory.user(Role.RECRUITER)
    position = invitations.create_position(db.session, recruiter, "Backend", GradeCode.JUNIOR)
    factory.counter += 1
    invitation, token = invitations.invite(
        db.session,
        position,
        name,
        f"{name.split()[0].lower()}{factory.counter}@example.com",
        recruiter,
    )
    db.session.commit()
    return invitation, token


def make_attempt(
    factory: Factory, recruiter: User | None = None, name: str = "Ada Candidate"
) -> tuple[Attempt, str]:
    """A started junior attempt (the bank must be loaded) and its invitation token."""
    invitation, token = make_invitation(factory, recruiter, name)
    attempt = attempts.start_attempt(db.session, invitation, seed=42)
    db.session.commit()
    return attempt, token


@pytest.fixture
def bank(app: Flask) -> BankFactory:
    """The small bank, loaded."""
    loaded = BankFactory()
    loaded.load()
    return loaded
