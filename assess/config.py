"""Configuration classes. Each reads the environment when an app is built; none holds a
usable production secret."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from assess.errors import ConfigurationError

DEV_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused in production
LOCALES = ("en", "ru")
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(environ: Mapping[str, str], name: str, default: int) -> int:
    """Read an integer environment variable, naming it when it is malformed."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from exc


def database_url(environ: Mapping[str, str], instance_path: str) -> str:
    """``DATABASE_URL`` when set (PostgreSQL), else SQLite under ``instance/``."""
    url = environ.get("DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "assess.sqlite3")
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class Config:
    """Settings common to every environment."""

    ENV_NAME = "base"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(PACKAGE_DIR / "translations")
    LANGUAGES = LOCALES
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": True}
    PASSWORD_HASH_FAST = False
    SECURE_COOKIES_DEFAULT = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], instance_path: str) -> dict[str, Any]:
        """Settings read from the environment at the time the app is built."""
        return {
            "SECRET_KEY": environ.get("SECRET_KEY") or DEV_SECRET_KEY,
            "SQLALCHEMY_DATABASE_URI": database_url(environ, instance_path),
            "SESSION_COOKIE_SECURE": env_bool(
                environ, "SESSION_COOKIE_SECURE", cls.SECURE_COOKIES_DEFAULT
            ),
            "REMEMBER_COOKIE_SECURE": env_bool(
                environ, "SESSION_COOKIE_SECURE", cls.SECURE_COOKIES_DEFAULT
            ),
            "MAX_CONTENT_LENGTH": env_int(environ, "MAX_CONTENT_LENGTH", 1024 * 1024),
            "REDIS_URL": environ.get("REDIS_URL", "").strip(),
            "RATE_LIMIT_BACKEND": environ.get("ASSESS_RATE_LIMIT_BACKEND", "database").strip(),
            "GRADING_BACKEND": environ.get("ASSESS_GRADING_BACKEND", "inprocess").strip(),
            "SANDBOX_ENABLED": env_bool(environ, "ASSESS_SANDBOX", True),
            "GRADING_WORKERS": env_int(environ, "ASSESS_GRADING_WORKERS", 2),
            "GRADING_LEASE_SECONDS": env_int(environ, "ASSESS_GRADING_LEASE_SECONDS", 60),
            "CHALLENGES_DIR": environ.get(
                "ASSESS_CHALLENGES_DIR", str(PACKAGE_DIR.parent / "challenges")
            ),
            "LOGIN_FAILURES_PER_ACCOUNT": env_int(environ, "ASSESS_LOGIN_FAILURES_PER_ACCOUNT", 5),
            "LOGIN_FAILURES_PER_IP": env_int(environ, "ASSESS_LOGIN_FAILURES_PER_IP", 20),
            "LOGIN_FAILURE_WINDOW_SECONDS": env_int(environ, "ASSESS_LOGIN_FAILURE_WINDOW", 900),
            "TRUSTED_PROXIES": env_int(environ, "ASSESS_TRUSTED_PROXIES", 0),
            "SMTP_HOST": environ.get("ASSESS_SMTP_HOST", "").strip(),
            "SMTP_PORT": env_int(environ, "ASSESS_SMTP_PORT", 587),
            "SMTP_USERNAME": environ.get("ASSESS_SMTP_USERNAME", ""),
            "SMTP_PASSWORD": environ.get("ASSESS_SMTP_PASSWORD", ""),
            "SMTP_SENDER": environ.get("ASSESS_SMTP_SENDER", "assess@localhost"),
            "SMTP_STARTTLS": env_bool(environ, "ASSESS_SMTP_STARTTLS", True),
            "INVITE_LANDINGS_PER_MINUTE": env_int(environ, "ASSESS_INVITE_LANDINGS_PER_MINUTE", 30),
        }

    @classmethod
    def check(cls, settings: Mapping[str, Any]) -> None:
        """Refuse settings that cannot work; the base accepts everything."""


class DevelopmentConfig(Config):
    """The embedded default: SQLite under instance/, a development secret allowed."""

    ENV_NAME = "development"


class TestingConfig(Config):
    """For the test suite: CSRF on (tests prove it), fast password hashing, no sandbox."""

    ENV_NAME = "testing"
    TESTING = True
    PASSWORD_HASH_FAST = True

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], instance_path: str) -> dict[str, Any]:
        """Tests choose their database explicitly; the sandbox is opt-in."""
        settings = super().from_environment(environ, instance_path)
        settings["SECRET_KEY"] = "testing-secret-key"  # noqa: S105 - test only
        settings["SANDBOX_ENABLED"] = False
        return settings


class ProductionConfig(Config):
    """Production: secure cookies, and no start without a real secret key."""

    ENV_NAME = "production"
    SECURE_COOKIES_DEFAULT = True

    @classmethod
    def check(cls, settings: Mapping[str, Any]) -> None:
        """Refuse a missing, default or short secret key."""
        key = str(settings.get("SECRET_KEY") or "")
        if key == DEV_SECRET_KEY or len(key) < 32:
            raise ConfigurationError(
                "SECRET_KEY must be set to a random value of at least 32 characters in "
                "production (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_class(name: str | None, environ: Mapping[str, str]) -> type[Config]:
    """The config class named by ``name`` or by ``ASSESS_ENV`` (default development)."""
    key = (name or environ.get("ASSESS_ENV") or "development").strip().lower()
    try:
        return CONFIGS[key]
    except KeyError:
        raise ConfigurationError(
            f"unknown ASSESS_ENV {key!r}; use one of {', '.join(sorted(CONFIGS))}"
        ) from None
