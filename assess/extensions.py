"""Flask extensions, created unbound here and bound to an app in ``create_app``."""

from __future__ import annotations

import select
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import sqlalchemy as sa
from flask import Flask
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose constraint names follow one convention (for SQLite batch ops)."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# Models subclass ``Model``: Flask-SQLAlchemy's ``db.Model`` at run time, seen by the type
# checker as the declarative base it extends.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

DbSession: TypeAlias = Session | scoped_session[Any]
"""A plain session or Flask-SQLAlchemy's scoped ``db.session``: what services accept."""
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


@sa.event.listens_for(sa.Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Make SQLite enforce foreign keys and use WAL so readers never block the writer."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


# A pooled PostgreSQL connection idle for longer than this is pinged before it is used.
IDLE_PING_SECONDS = 10.0
_IDLE_SINCE = "assess_idle_since"


def _has_input(dbapi_connection: Any) -> bool:
    """Whether the server sent something to a connection at rest (or it cannot be polled).

    An idle connection receives nothing until it sends a query: a server that shut down or
    ended the session sends its error and closes the socket, which makes it readable."""
    if dbapi_connection.closed:
        return True
    try:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLPRI)
        return bool(poller.poll(0))
    except (OSError, ValueError):
        return True


def watch_liveness(engine: sa.Engine) -> None:
    """Check a PostgreSQL connection before a checkout hands it out, instead of
    ``pool_pre_ping``'s round trip on every checkout: a connection that comes back from
    the pool unread and was idle for less than ``IDLE_PING_SECONDS`` is used as it is; one
    the server wrote to (its shutdown or end of session) or that sat idle longer (a peer
    that vanished without a word, dropped by a firewall) is pinged, and a dead one is
    replaced, the pool's older connections with it, exactly as with ``pool_pre_ping``.
    A fresh connection is not pinged (it has just connected)."""
    dialect = engine.dialect

    @sa.event.listens_for(engine.pool, "checkin")
    def _rest(dbapi_connection: Any, connection_record: Any) -> None:
        if dbapi_connection is not None:
            connection_record.info[_IDLE_SINCE] = time.monotonic()

    @sa.event.listens_for(engine.pool, "checkout")
    def _check(dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
        idle_since = connection_record.info.pop(_IDLE_SINCE, None)
        if idle_since is None:
            return
        if time.monotonic() - idle_since < IDLE_PING_SECONDS and not _has_input(dbapi_connection):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, dbapi_connection, None):
                raise sa.exc.InvalidatePoolError(str(exc)) from exc
            raise


def init_app(app: Flask) -> None:
    """Bind every extension to ``app``."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "postgresql":
                watch_liveness(engine)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
