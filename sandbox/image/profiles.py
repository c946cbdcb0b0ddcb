"""Image profiles: what each runner image holds, where its Dockerfile is, how it is tagged.

``default`` is the lean image every task runs in today. ``services`` adds PostgreSQL 15,
Redis, git and a web stack (Debian bookworm packages), plus ``/opt/assess/services.sh``,
which starts both servers inside a locked-down runner (see ``services.sh``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PRUNE = ("usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale", "var/cache/apt",
         "var/lib/apt/lists", "var/log")  # fmt: skip
# The cluster and snakeoil key that the packages' scripts make while debootstrap installs
# them: services.sh runs its own cluster on the tmpfs, and no runner serves TLS.
SERVICES_PRUNE = (*PRUNE, "var/lib/postgresql", "etc/postgresql", "etc/ssl/private")
SERVICES_PACKAGES = ("python3", "python3-pytest", "postgresql-15", "redis-server", "git",
                     "python3-flask", "python3-fastapi", "python3-httpx", "python3-sqlalchemy",
                     "python3-alembic", "python3-psycopg", "python3-psycopg2",
                     "python3-redis")  # fmt: skip
SERVICES_LIBRARIES = ("pytest", "flask", "fastapi", "httpx", "sqlalchemy", "alembic", "psycopg",
                      "psycopg2", "redis")  # fmt: skip


@dataclass(frozen=True)
class Profile:
    """One runner image: its repository, Dockerfile, registry base and Debian packages."""

    name: str
    repository: str
    dockerfile: Path
    base_image: str  # what the Dockerfile builds on when a registry answers
    debian_packages: tuple[str, ...]  # what debootstrap includes on the offline path
    allowed_libraries: tuple[str, ...]  # what task code may import besides the stdlib
    files: tuple[str, ...] = ()  # inputs besides the harness, relative to the package dir
    prune: tuple[str, ...] = PRUNE


DEFAULT = Profile(
    name="default",
    repository="assess-sandbox",
    dockerfile=HERE / "Dockerfile",
    base_image="python:3.11-slim-bookworm",
    debian_packages=("python3", "python3-pytest"),  # pytest 7.2.1, the Dockerfile's pin
    allowed_libraries=("pytest",),
)
SERVICES = Profile(
    name="services",
    repository="assess-sandbox-services",
    dockerfile=HERE / "Dockerfile.services",
    base_image="debian:bookworm-slim",
    debian_packages=SERVICES_PACKAGES,
    allowed_libraries=SERVICES_LIBRARIES,
    files=("image/services.sh",),
    prune=SERVICES_PRUNE,
)
PROFILES = {profile.name: profile for profile in (DEFAULT, SERVICES)}


def profile_named(name: str) -> Profile:
    """The profile called ``name``; ValueError names the known ones otherwise."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown image profile {name!r} (known: {', '.join(PROFILES)})") from None


def profile_of(tag: str) -> Profile:
    """The profile whose repository ``tag`` (``repository:version``) belongs to."""
    repository = tag.rpartition(":")[0] or tag
    for profile in PROFILES.values():
        if profile.repository == repository:
            return profile
    raise ValueError(f"{tag!r} is no runner image tag")
