"""The lazily started delivery thread: when it starts, and that it starts once per process."""

from __future__ import annotations

import ipaddress
import threading

import pytest
from flask import Flask

from assess.webhooks import runner
from assess.webhooks.destinations import AllowList


class Started(list[Flask]):
    """The apps the (stubbed) delivery loop ran for, and an event set when it ran."""

    def __init__(self) -> None:
        """Start empty."""
        super().__init__()
        self.ran = threading.Event()


@pytest.fixture
def fresh_runner(monkeypatch: pytest.MonkeyPatch) -> Started:
    """A runner that has started nothing, whose loop only records that it ran."""
    started = Started()

    def loop(app: Flask) -> None:
        started.append(app)
        started.ran.set()

    monkeypatch.setattr(runner, "_loop", loop)
    monkeypatch.setattr(runner, "_started_in", None)
    monkeypatch.setattr(runner, "_wake", threading.Event())
    return started


def test_no_thread_under_testing_or_when_off(fresh_runner: Started) -> None:
    """Tests and deployments that deliver elsewhere never start the thread."""
    testing = Flask("t")
    testing.config["TESTING"] = True
    runner.kick(testing)
    off = Flask("o")
    off.config["WEBHOOK_DELIVERY"] = "off"
    runner.kick(off)
    assert fresh_runner == []


def test_the_thread_starts_once_per_process(fresh_runner: Started) -> None:
    """The first kick starts the deliverer; later kicks only wake it."""
    app = Flask("a")
    runner.kick(app)
    assert fresh_runner.ran.wait(5)
    runner.kick(app)
    runner.kick(app)
    assert fresh_runner == [app]
    assert runner._wake.is_set()


@pytest.mark.parametrize("env", ["production", "development", "testing"])
def test_private_addresses_are_refused_in_every_environment(env: str) -> None:
    """No environment allows a private destination unless the allow-list names it."""
    app = Flask("p")
    app.config["ENV_NAME"] = env
    loopback = ipaddress.ip_address("127.0.0.1")
    assert runner.allow_list(app) == AllowList()
    assert not runner.allow_list(app).allows(loopback)
    app.config["WEBHOOK_ALLOW_PRIVATE"] = "127.0.0.0/8, receiver.internal"
    assert runner.allow_list(app).allows(loopback)
    assert not runner.allow_list(app).allows(ipaddress.ip_address("10.0.0.1"))
    assert runner.allow_list(app).allows_host("Receiver.Internal.")
