"""Backup then restore into an empty database gives the same scorecards and rows, on SQLite
and PostgreSQL; a restore refuses a non-empty database, another revision, a cut file."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from assess import create_app
from assess.extensions import db
from assess.models import Role
from assess.ops.backup import BackupError, backup, restore
from tests.conftest import Factory, empty_tables
from tests.integration.ops.world import build_world, row_counts, scorecards_by_attempt

RESTORE_SCHEMA = f"assess_restore_{os.getpid()}"  # apart from parallel runs


def empty_target(source_url: str, tmp_path: Path) -> tuple[str, dict[str, object]]:
    """An empty database with the current schema, beside the source: a new SQLite file, or
    a separate PostgreSQL schema reached through ``search_path``."""
    if source_url.startswith("sqlite"):
        url = "sqlite:///" + str(tmp_path / "restored.sqlite3")
        engine_options: dict[str, object] = {}
    else:
        url = source_url
        engine_options = {"connect_args": {"options": f"-csearch_path={RESTORE_SCHEMA}"}}
        admin = sa.create_engine(url)
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {RESTORE_SCHEMA} CASCADE"))
            connection.execute(sa.text(f"CREATE SCHEMA {RESTORE_SCHEMA}"))
        admin.dispose()
    engine = sa.create_engine(url, **engine_options)  # type: ignore[arg-type]
    with engine.begin() as connection:
        db.metadata.create_all(connection)
    engine.dispose()
    return url, engine_options


@pytest.fixture
def target(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """A second app bound to an empty database of the same schema."""
    url, options = empty_target(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    restored = create_app({
        "ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, **options},
    })  # fmt: skip
    restored.instance_path = str(tmp_path / "restored-instance")
    yield restored
    with restored.app_context():
        db.session.remove()
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {RESTORE_SCHEMA} CASCADE"))
        db.engine.dispose()


def test_backup_then_restore_gives_the_same_scorecards(
    app: Flask, target: Flask, factory: Factory, tmp_path: Path
) -> None:
    """`flask backup` then `flask restore` into an empty database: same scorecards and rows,
    and new rows get fresh ids afterwards (sequences were moved on)."""
    world = build_world(factory, tmp_path)
    cards, counts = scorecards_by_attempt(), row_counts()
    assert cards[world.finished_attempt] != "null"
    file = tmp_path / "assess.jsonl.gz"
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(file)])
    assert result.exit_code == 0, result.output
    assert f"backup of {sum(counts.values())} rows" in result.output
    assert file.stat().st_mode & 0o077 == 0

    with target.app_context():  # commands use the app of the current context
        result = target.test_cli_runner().invoke(args=["restore", str(file), "--yes"])
        assert result.exit_code == 0, result.output
        assert scorecards_by_attempt() == cards
        assert row_counts() == counts
        fresh = Factory()  # new rows get new ids: the sequences moved past the restored ones
        fresh.user(Role.ADMIN, "after-restore@example.com", organization=fresh.organization("New"))
        db.session.remove()


def test_restore_refuses_a_database_that_is_not_empty(
    app: Flask, factory: Factory, tmp_path: Path
) -> None:
    """Restoring over live data is refused and changes nothing."""
    factory.user(Role.ADMIN)
    file = backup(db.engine, tmp_path / "b.jsonl.gz").path
    before = row_counts()
    with pytest.raises(BackupError, match="not empty"):
        restore(db.engine, file)
    assert row_counts() == before


def rewrite(file: Path, edit: object) -> Path:
    """A copy of the backup with its lines passed through ``edit``."""
    with gzip.open(file, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    out = file.with_name("edited-" + file.name)
    with gzip.open(out, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(edit(lines)) + "\n")  # type: ignore[operator]
    return out


def header_with_revision(lines: list[str]) -> list[str]:
    """Claim another schema revision in the header."""
    header = json.loads(lines[0])
    header["revision"] = "0000deadbeef"
    return [json.dumps(header), *lines[1:]]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (header_with_revision, "schema revision"),
        (lambda lines: lines[:-1], "truncated"),
        (lambda lines: ["{}", *lines[1:]], "not an Assess backup"),
    ],
    ids=["other-revision", "truncated", "not-a-backup"],
)
def test_restore_refuses_a_bad_file(
    app: Flask, factory: Factory, tmp_path: Path, edit: object, message: str
) -> None:
    """Another revision, a truncated file or a foreign file restores nothing."""
    factory.user(Role.ADMIN)
    file = rewrite(backup(db.engine, tmp_path / "b.jsonl.gz").path, edit)
    empty_tables()
    with pytest.raises(BackupError, match=message):
        restore(db.engine, file)
    assert sum(row_counts().values()) == 0
