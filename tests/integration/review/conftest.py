"""Fixtures of the review and insights tests: an organisation with staff and a position
whose candidates have finished and been graded (no Docker)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import Attempt, GradeCode, Position, Role, User
from assess.services import invitations
from tests.conftest import Auth, BankFactory, Factory
from tests.integration.review import builders


@dataclass
class Desk:
    """The people and objects most tests need."""

    recruiter: User
    interviewer: User
    other_interviewer: User
    admin: User
    position: Position
    ada: Attempt
    bob: Attempt


@pytest.fixture
def desk(app: Flask, factory: Factory, bank: BankFactory) -> Desk:
    """Two finished candidates; Ada is assigned to the interviewer, Bob to nobody."""
    recruiter = factory.user(Role.RECRUITER)
    interviewer = factory.user(Role.INTERVIEWER)
    other = factory.user(Role.INTERVIEWER)
    admin = factory.user(Role.ADMIN)
    position = invitations.create_position(db.session, recruiter, "Backend", GradeCode.JUNIOR)
    ada = builders.finished_attempt(position, recruiter, "Ada Lovelace", seed=1)
    bob = builders.finished_attempt(
        position, recruiter, "Bob Builder", right=1, seed=2, results=(builders.run_result(2),)
    )
    builders.assign(ada, interviewer, recruiter)
    return Desk(recruiter, interviewer, other, admin, position, ada, bob)


def signed_in(app: Flask, user: User) -> FlaskClient:
    """A new client signed in as ``user``."""
    client = app.test_client()
    assert Auth(client).login(user.email).status_code == 302
    return client


@pytest.fixture
def sign_in(app: Flask) -> Callable[[User], FlaskClient]:
    """Sign a user in on a fresh client."""
    return lambda user: signed_in(app, user)


class QueryCounter:
    """Counts the SQL statements the engine runs while active."""

    def __init__(self) -> None:
        """Start at zero."""
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, *args: object) -> None:
        """Count one statement (the engine's before_cursor_execute hook)."""
        self.count += 1
        self.statements.append(str(args[2])[:120])


@contextmanager
def counting_queries() -> Iterator[QueryCounter]:
    """Count the statements run inside the block."""
    counter = QueryCounter()
    sa.event.listen(db.engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", counter)
