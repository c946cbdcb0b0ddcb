"""Sample tests for reserve_order (informative; the hidden probes go further)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from solution import reserve_order

SCHEMA = """
CREATE TABLE stock (sku TEXT PRIMARY KEY, available INTEGER NOT NULL);
CREATE TABLE reservation (
    order_id TEXT NOT NULL, sku TEXT NOT NULL, qty INTEGER NOT NULL,
    PRIMARY KEY (order_id, sku)
);
INSERT INTO stock VALUES ('A', 5), ('B', 2);
"""


@pytest.fixture()
def conn(tmp_path: Path) -> sqlite3.Connection:
    """A connection to a fresh shop database file."""
    path = tmp_path / "shop.db"
    setup = sqlite3.connect(path)
    setup.executescript(SCHEMA)
    setup.close()
    return sqlite3.connect(path, timeout=0)


def _available(conn: sqlite3.Connection) -> dict[str, int]:
    """The available stock per sku."""
    return dict(conn.execute("SELECT sku, available FROM stock").fetchall())


def test_reserves_all_lines(conn: sqlite3.Connection) -> None:
    """A satisfiable order decrements the stock and records the reservations."""
    assert reserve_order(conn, "o1", [("A", 2), ("B", 1)]) is True
    assert _available(conn) == {"A": 3, "B": 1}
    assert not conn.in_transaction


def test_failed_order_changes_nothing(conn: sqlite3.Connection) -> None:
    """An order that cannot be fully served leaves the stock untouched."""
    assert reserve_order(conn, "o1", [("A", 2), ("B", 3)]) is False
    assert _available(conn) == {"A": 5, "B": 2}
    assert conn.execute("SELECT COUNT(*) FROM reservation").fetchone()[0] == 0


def test_retry_is_idempotent(conn: sqlite3.Connection) -> None:
    """Calling again with the same order id reserves nothing more."""
    assert reserve_order(conn, "o1", [("A", 2)]) is True
    assert reserve_order(conn, "o1", [("A", 2)]) is True
    assert _available(conn) == {"A": 3, "B": 2}


def test_negative_quantity_rejected(conn: sqlite3.Connection) -> None:
    """A negative quantity is a ValueError, not extra stock."""
    with pytest.raises(ValueError):
        reserve_order(conn, "o1", [("A", -5)])
    assert _available(conn) == {"A": 5, "B": 2}
