"""Sign-in throttling slows a guesser down without locking the owner out: the guessing
address backs off exponentially, the account only spaces its password checks."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess.models import Role
from tests.conftest import Auth, Factory
from tests.integration.throttle_clock import Clock, take_over_clock

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Throttle time under the test's control."""
    return take_over_clock(monkeypatch)


def client_at(app: Flask, address: str) -> FlaskClient:
    """A browser whose requests come from ``address``."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def test_an_attacker_cannot_lock_the_owner_out(app: Flask, factory: Factory, clock: Clock) -> None:
    """Hammering one account from one address slows that address exponentially, while the
    owner, from another address, still signs in (waiting at most the account's spacing)."""
    app.config.update(
        LOGIN_FAILURES_PER_IP=3, LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_ACCOUNT_SPACING_SECONDS=1,
        LOGIN_BACKOFF_BASE_SECONDS=1, LOGIN_BACKOFF_MAX_SECONDS=900,
    )  # fmt: skip
    owner_account = factory.user(Role.ADMIN)
    attacker = Auth(client_at(app, ATTACKER))
    waits: list[int] = []
    checked = 0
    for _ in range(100):  # an attacker retrying the moment each answer allows
        if checked == 12:
            break
        response = attacker.login(owner_account.email, "guess guess guess")
        if response.status_code == 200:
            checked += 1
            continue
        assert response.status_code == 429
        waits.append(int(response.headers["Retry-After"]))
        clock.advance(waits[-1])
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256]  # 12 guesses cost 8.5 minutes
    owner = Auth(client_at(app, OWNER))
    first = owner.login(owner_account.email)
    if first.status_code == 429:  # within the account's spacing of the last guess
        assert int(first.headers["Retry-After"]) <= 1
        clock.advance(1)
        first = owner.login(owner_account.email)
    assert first.status_code == 302
    assert owner.client.get("/dashboard").status_code == 200
    assert attacker.login(owner_account.email, "guess guess guess").status_code == 429


def test_the_owner_gets_in_while_the_attacker_waits(
    app: Flask, factory: Factory, clock: Clock
) -> None:
    """Once the attacker's address is in back-off, its further tries do not touch the
    account: the owner arriving a little later signs in at the first try."""
    app.config.update(
        LOGIN_FAILURES_PER_IP=3, LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_ACCOUNT_SPACING_SECONDS=2,
        LOGIN_BACKOFF_BASE_SECONDS=30,
    )  # fmt: skip
    user = factory.user()
    attacker = Auth(client_at(app, ATTACKER))
    statuses = [attacker.login(user.email, "guess guess guess").status_code for _ in range(10)]
    assert statuses == [200] * 3 + [429] * 7
    clock.advance(2)
    assert [attacker.login(user.email, "guess again!").status_code for _ in range(5)] == [429] * 5
    assert Auth(client_at(app, OWNER)).login(user.email).status_code == 302


def test_back_off_is_per_address_and_v6_counts_by_network(
    app: Flask, factory: Factory, clock: Clock
) -> None:
    """Another address is not slowed by the first one's failures; addresses in the same
    IPv6 /64 share one back-off."""
    app.config.update(LOGIN_FAILURES_PER_IP=2, LOGIN_FAILURES_PER_ACCOUNT=100)
    for address in ("2001:db8:1:2::10", "2001:db8:1:2::11"):
        Auth(client_at(app, address)).login("ghost@example.com", "guess guess guess")
    neighbour = Auth(client_at(app, "2001:db8:1:2:ffff::1"))
    assert neighbour.login("ghost@example.com", "guess guess guess").status_code == 429
    elsewhere = Auth(client_at(app, "2001:db8:9:9::1"))
    assert elsewhere.login("ghost@example.com", "guess guess guess").status_code == 200


def test_a_successful_sign_in_does_not_count_against_the_address(
    app: Flask, factory: Factory, clock: Clock
) -> None:
    """An office behind one address signing in correctly many times is never slowed."""
    app.config.update(LOGIN_FAILURES_PER_IP=2)
    user = factory.user()
    office = client_at(app, OWNER)
    for _ in range(6):
        assert Auth(office).login(user.email).status_code == 302
        Auth(office).logout()
