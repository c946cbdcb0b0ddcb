"""Configuration: environments, database URLs and the production secret rule."""

from __future__ import annotations

import multiprocessing
import secrets
import stat
from pathlib import Path

import pytest

from assess import create_app
from assess.config import (
    SECRET_KEY_FILE,
    DevelopmentConfig,
    ProductionConfig,
    database_url,
    env_bool,
    env_int,
    instance_secret_key,
)
from assess.errors import ConfigurationError


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "short",
        "x" * 48,
        "dev-only-insecure-secret-key",
        "please-change-me-" + "a1b2c3d4e5f6g7h8",
    ],
)
def test_production_refuses_a_missing_or_weak_secret(
    monkeypatch: pytest.MonkeyPatch, key: str | None, tmp_path: Path
) -> None:
    """No SECRET_KEY, a short, repetitive or placeholder one stops a production app, which
    never falls back to a key of its own in the instance folder."""
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="SECRET_KEY is refused in production"):
        create_app("production")
    settings = ProductionConfig.from_environment({}, str(tmp_path))
    assert settings["SECRET_KEY"] == ""
    assert not (tmp_path / SECRET_KEY_FILE).exists()


def test_production_starts_with_a_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long random secret is accepted; cookies are secure by default in production."""
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    app = create_app({"ENV_NAME": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_without_a_secret_an_install_makes_its_own(tmp_path: Path) -> None:
    """Outside production, no SECRET_KEY means a random key made on first run, kept private
    in instance/secret_key and read back afterwards; two installs never share one."""
    first, second = tmp_path / "one", tmp_path / "two"
    key = DevelopmentConfig.from_environment({}, str(first))["SECRET_KEY"]
    saved = first / SECRET_KEY_FILE
    assert saved.read_text().strip() == key and len(key) >= 48
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert DevelopmentConfig.from_environment({}, str(first))["SECRET_KEY"] == key
    assert DevelopmentConfig.from_environment({}, str(second))["SECRET_KEY"] != key
    assert [p.name for p in first.iterdir()] == [SECRET_KEY_FILE]  # no temporary file left
    explicit = DevelopmentConfig.from_environment({"SECRET_KEY": "given"}, str(first))
    assert explicit["SECRET_KEY"] == "given"


def _read_key(folder: str, start: object, queue: object) -> None:
    """In a child process: wait until every process is ready, then get the install's key."""
    start.wait()  # type: ignore[attr-defined]
    try:
        queue.put(instance_secret_key(folder))  # type: ignore[attr-defined]
    except ConfigurationError as exc:
        queue.put(f"error: {exc}")  # type: ignore[attr-defined]


PROCESSES = 8
ROUNDS = 15


def test_processes_starting_at_once_agree_on_one_key(tmp_path: Path) -> None:
    """Eight processes (gunicorn workers, say) racing on a fresh install all get the same,
    complete key; tried on fifteen fresh installs."""
    context = multiprocessing.get_context("fork")
    for round_number in range(ROUNDS):
        folder = tmp_path / str(round_number)
        start, queue = context.Barrier(PROCESSES), context.Queue()
        workers = [context.Process(target=_read_key, args=(str(folder), start, queue))
                   for _ in range(PROCESSES)]  # fmt: skip
        for worker in workers:
            worker.start()
        keys = {queue.get(timeout=30) for _ in workers}
        for worker in workers:
            worker.join(30)
        assert keys == {(folder / SECRET_KEY_FILE).read_text().strip()}


def test_a_damaged_key_file_is_named(tmp_path: Path) -> None:
    """An empty or truncated instance/secret_key is reported with its path, never used."""
    (tmp_path / SECRET_KEY_FILE).write_text("abc\n")
    with pytest.raises(ConfigurationError, match="secret_key"):
        instance_secret_key(str(tmp_path))


def test_development_defaults_to_sqlite_under_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without DATABASE_URL the embedded default is a SQLite file in instance/."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    app = create_app("development")
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/assess.sqlite3")


def test_database_url_selects_postgresql() -> None:
    """postgres:// and postgresql:// both select the psycopg 3 driver."""
    for raw in ("postgres://u:p@h/db", "postgresql://u:p@h/db"):
        assert database_url({"DATABASE_URL": raw}, "/x") == "postgresql+psycopg://u:p@h/db"
    assert database_url({}, "/i") == "sqlite:////i/assess.sqlite3"


def test_unknown_environment_is_named() -> None:
    """A typo in ASSESS_ENV is reported with the valid choices."""
    with pytest.raises(ConfigurationError, match="staging"):
        create_app("staging")


def test_malformed_numbers_name_the_variable() -> None:
    """A non-integer setting says which variable is wrong."""
    with pytest.raises(ConfigurationError, match="MAX_CONTENT_LENGTH"):
        env_int({"MAX_CONTENT_LENGTH": "lots"}, "MAX_CONTENT_LENGTH", 1)
    assert env_int({}, "X", 7) == 7
    assert env_bool({"X": "yes"}, "X", False) is True
    assert env_bool({"X": "0"}, "X", True) is False
    assert env_bool({}, "X", True) is True


def test_live_relay_channels_are_per_installation() -> None:
    """Two installations sharing a Redis get different live channels (room ids are only
    unique per database); the processes of one share it; the password never shows."""
    from assess.live.relay import channel_for

    one = channel_for("postgresql+psycopg://assess:secret@db/one")
    assert one == channel_for("postgresql+psycopg://assess:secret@db/one")
    assert one != channel_for("postgresql+psycopg://assess:secret@db/two")
    assert one == channel_for("postgresql+psycopg://assess:other@db/one")  # password hidden
    assert channel_for("sqlite:///x.db", "assess:live:custom") == "assess:live:custom"
