"""Configuration: environments, database URLs and the production secret rule."""

from __future__ import annotations

import pytest

from assess import create_app
from assess.config import DEV_SECRET_KEY, database_url, env_bool, env_int
from assess.errors import ConfigurationError


def test_production_refuses_to_start_without_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SECRET_KEY, or the development one, stops a production app from being built."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", DEV_SECRET_KEY)
    with pytest.raises(ConfigurationError):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigurationError):
        create_app("production")


def test_production_starts_with_a_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long random secret is accepted; cookies are secure by default in production."""
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    app = create_app({"ENV_NAME": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_development_defaults_to_sqlite_under_instance(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without DATABASE_URL the embedded default is a SQLite file in instance/."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
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
