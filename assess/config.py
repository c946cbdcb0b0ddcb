"""Configuration classes. Each reads the environment when an app is built; none holds a
secret: without ``SECRET_KEY`` a development install uses a random key of its own, kept in
``instance/secret_key``, and production refuses to start."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from assess.errors import ConfigurationError

LOCALES = ("en", "ru")
PACKAGE_DIR = Path(__file__).resolve().parent
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name
MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_DISTINCT = 12
PLACEHOLDER_WORDS = ("change", "secret", "example", "insecure", "password", "default")
# One random key per test process: tests never write into the instance folder.
_TESTING_KEY = secrets.token_urlsafe(48)


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


def instance_secret_key(instance_path: str) -> str:
    """This install's own random secret key, created on first use in ``instance/secret_key``.

    The key is written to a private temporary file (mode 0600, ``O_EXCL``) and then linked
    into place, which fails if the file exists: of several processes starting at once
    exactly one creates it, and every one reads the same, complete key.
    """
    folder = Path(instance_path)
    target = folder / SECRET_KEY_FILE
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(48) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):  # another process won: its key is it
                os.link(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
    try:
        key = target.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{target}: cannot read the secret key ({exc})") from exc
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigurationError(f"{target}: the secret key is too short; delete the file")
    return key


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` is too weak to sign sessions with, or None."""
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"it has fewer than {MIN_SECRET_KEY_LENGTH} characters"
    if len(set(key)) < MIN_SECRET_KEY_DISTINCT:
        return "it repeats too few different characters to be random"
    lowered = key.lower()
    for word in PLACEHOLDER_WORDS:
        if word in lowered:
            return f"it looks like a placeholder (contains {word!r})"
    return None


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
    # PostgreSQL connections are checked at checkout without a round trip while they are in
    # use (``extensions.watch_liveness``); SQLite files need no check.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {}
    PASSWORD_HASH_FAST = False
    SECURE_COOKIES_DEFAULT = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], instance_path: str) -> dict[str, Any]:
        """Settings read from the environment at the time the app is built."""
        return {
            "SECRET_KEY": cls.secret_key(environ, instance_path),
            "SQLALCHEMY_DATABASE_URI": database_url(environ, instance_path),
            "SESSION_COOKIE_SECURE": env_bool(
                environ, "SESSION_COOKIE_SECURE", cls.SECURE_COOKIES_DEFAULT
            ),
            "REMEMBER_COOKIE_SECURE": env_bool(
                environ, "SESSION_COOKIE_SECURE", cls.SECURE_COOKIES_DEFAULT
            ),
            "MAX_CONTENT_LENGTH": env_int(environ, "MAX_CONTENT_LENGTH", 1024 * 1024),
            "REDIS_URL": environ.get("REDIS_URL", "").strip(),
            # The live rooms' Redis channel; by default one per database (installation).
            "ASSESS_LIVE_CHANNEL": environ.get("ASSESS_LIVE_CHANNEL", "").strip(),
            "RATE_LIMIT_BACKEND": environ.get("ASSESS_RATE_LIMIT_BACKEND", "database").strip(),
            "GRADING_BACKEND": environ.get("ASSESS_GRADING_BACKEND", "inprocess").strip(),
            "SANDBOX_ENABLED": env_bool(environ, "ASSESS_SANDBOX", True),
            "GRADING_WORKERS": env_int(environ, "ASSESS_GRADING_WORKERS", 2),
            "GRADING_LEASE_SECONDS": env_int(environ, "ASSESS_GRADING_LEASE_SECONDS", 60),
            "CHALLENGES_DIR": environ.get(
                "ASSESS_CHALLENGES_DIR", str(PACKAGE_DIR.parent / "challenges")
            ),
            "LOGIN_FAILURES_PER_ACCOUNT": env_int(environ, "ASSESS_LOGIN_FAILURES_PER_ACCOUNT", 5),
            "LOGIN_FAILURES_PER_IP": env_int(environ, "ASSESS_LOGIN_FAILURES_PER_IP", 10),
            "LOGIN_FAILURE_WINDOW_SECONDS": env_int(environ, "ASSESS_LOGIN_FAILURE_WINDOW", 3600),
            "LOGIN_ACCOUNT_SPACING_SECONDS": env_int(environ, "ASSESS_LOGIN_ACCOUNT_SPACING", 5),
            "LOGIN_BACKOFF_BASE_SECONDS": env_int(environ, "ASSESS_LOGIN_BACKOFF_BASE", 1),
            "LOGIN_BACKOFF_MAX_SECONDS": env_int(environ, "ASSESS_LOGIN_BACKOFF_MAX", 900),
            "TRUSTED_PROXIES": env_int(environ, "ASSESS_TRUSTED_PROXIES", 0),
            "SMTP_HOST": environ.get("ASSESS_SMTP_HOST", "").strip(),
            "SMTP_PORT": env_int(environ, "ASSESS_SMTP_PORT", 587),
            "SMTP_USERNAME": environ.get("ASSESS_SMTP_USERNAME", ""),
            "SMTP_PASSWORD": environ.get("ASSESS_SMTP_PASSWORD", ""),
            "SMTP_SENDER": environ.get("ASSESS_SMTP_SENDER", "assess@localhost"),
            "SMTP_STARTTLS": env_bool(environ, "ASSESS_SMTP_STARTTLS", True),
            "INVITE_LANDINGS_PER_MINUTE": env_int(environ, "ASSESS_INVITE_LANDINGS_PER_MINUTE", 30),
            "WEBHOOK_ALLOW_PRIVATE": environ.get("ASSESS_WEBHOOK_ALLOW_PRIVATE", "").strip(),
        }

    @classmethod
    def secret_key(cls, environ: Mapping[str, str], instance_path: str) -> str:
        """``SECRET_KEY`` when set, else this install's own key from the instance folder."""
        return environ.get("SECRET_KEY") or instance_secret_key(instance_path)

    @classmethod
    def check(cls, settings: Mapping[str, Any]) -> None:
        """Refuse settings that cannot work; the base accepts everything."""


class DevelopmentConfig(Config):
    """The embedded default: SQLite under instance/, the install's own secret key there."""

    ENV_NAME = "development"


class TestingConfig(Config):
    """For the test suite: CSRF on (tests prove it), fast password hashing, no sandbox."""

    ENV_NAME = "testing"
    TESTING = True
    PASSWORD_HASH_FAST = True

    @classmethod
    def secret_key(cls, environ: Mapping[str, str], instance_path: str) -> str:
        """``SECRET_KEY`` when set, else a random key of this test process."""
        return environ.get("SECRET_KEY") or _TESTING_KEY

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], instance_path: str) -> dict[str, Any]:
        """Tests choose their database explicitly; the sandbox is opt-in."""
        settings = super().from_environment(environ, instance_path)
        settings["SANDBOX_ENABLED"] = False
        return settings


class ProductionConfig(Config):
    """Production: secure cookies, and no start without a real, explicit secret key.

    Production never falls back to a key in the instance folder: with several hosts or
    containers each would make its own (sessions would break between them), and a key in a
    container's writable layer is lost, signing everyone out, at each redeploy.
    """

    ENV_NAME = "production"
    SECURE_COOKIES_DEFAULT = True

    @classmethod
    def secret_key(cls, environ: Mapping[str, str], instance_path: str) -> str:
        """Only the explicit ``SECRET_KEY``."""
        return environ.get("SECRET_KEY", "")

    @classmethod
    def check(cls, settings: Mapping[str, Any]) -> None:
        """Refuse a missing, short or evidently non-random secret key."""
        key = str(settings.get("SECRET_KEY") or "")
        problem = "it is not set" if not key else secret_key_problem(key)
        if problem:
            raise ConfigurationError(
                f"SECRET_KEY is refused in production: {problem}. Set it to a random value of "
                f"at least {MIN_SECRET_KEY_LENGTH} characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))')"
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
