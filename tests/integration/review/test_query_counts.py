"""The pages of many candidates run a bounded number of SQL statements (no N+1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from assess.models import User
from tests.integration.review import builders
from tests.integration.review.conftest import Desk, counting_queries

PAGES = (
    "/insights/positions/{pid}",
    "/insights/positions/{pid}/compare?{chosen}",
    "/insights/positions/{pid}/compare.json?{chosen}",
    "/insights/positions/{pid}/scorecards.csv",
    "/insights/pipelines",
)


def statements(client: FlaskClient, url: str) -> int:
    """How many statements serving ``url`` takes (the body fully read)."""
    with counting_queries() as counter:
        response = client.get(url)
        assert response.status_code == 200, url
        response.get_data()
    return counter.count


@pytest.mark.parametrize("page", PAGES)
def test_statements_do_not_grow_with_candidates(
    desk: Desk, sign_in: Callable[[User], FlaskClient], page: str
) -> None:
    """The same number of statements with 2 candidates and with 14."""
    client = sign_in(desk.recruiter)
    chosen = f"a={desk.ada.id}&a={desk.bob.id}"
    url = page.format(pid=desk.position.id, chosen=chosen)
    few = statements(client, url)
    for seed in range(30, 42):
        builders.finished_attempt(desk.position, desk.recruiter, f"Extra {seed}", seed=seed)
    many = statements(client, url)
    assert many == few, url
    assert many <= 12, url


def test_desk_statements_are_bounded(desk: Desk, sign_in: Callable[[User], FlaskClient]) -> None:
    """The interviewer's desk page of one attempt stays within a fixed budget, however many
    other submissions it is compared with."""
    client = sign_in(desk.interviewer)
    url = f"/review/attempts/{desk.ada.id}"
    few = statements(client, url)
    for seed in range(50, 60):
        builders.finished_attempt(desk.position, desk.recruiter, f"Other {seed}", seed=seed)
    many = statements(client, url)
    assert many == few
    assert many <= 20
