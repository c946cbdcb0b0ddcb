"""Reserve stock by claiming the order rows first, then decrementing conditionally.

The connection's context manager commits on success and rolls back on any exception;
the two outcomes that are not errors travel out of it as private exceptions.
"""

from __future__ import annotations

import sqlite3
from collections import Counter


class _AlreadyReserved(Exception):
    """The order was reserved before (possibly by another worker a moment ago)."""


class _OutOfStock(Exception):
    """A sku is unknown or has too few units."""


def _check(order_id: object, lines: object) -> Counter[str]:
    """Raise ValueError on malformed arguments; return the quantity per sku."""
    if type(order_id) is not str or order_id == "":
        raise ValueError("order_id must be a non-empty string")
    if type(lines) is not list or len(lines) == 0:
        raise ValueError("lines must be a non-empty list")
    total: Counter[str] = Counter()
    for line in lines:
        try:
            sku, qty = line
        except (TypeError, ValueError):
            raise ValueError(f"not a (sku, qty) pair: {line!r}") from None
        if type(sku) is not str or sku == "" or type(qty) is not int or qty <= 0:
            raise ValueError(f"bad line: {line!r}")
        total[sku] += qty
    return total


def _order_exists(conn: sqlite3.Connection, order_id: str) -> bool:
    """Whether reservation rows for ``order_id`` are visible on ``conn``."""
    row = conn.execute("SELECT COUNT(*) FROM reservation WHERE order_id = ?", (order_id,))
    return bool(row.fetchone()[0])


def reserve_order(conn: sqlite3.Connection, order_id: str, lines: list[tuple[str, int]]) -> bool:
    """Reserve every line of ``order_id``; return False when the stock is insufficient."""
    total = _check(order_id, lines)
    rows = [(order_id, sku, qty) for sku, qty in total.items()]
    try:
        with conn:
            try:
                # The first write opens the transaction and takes the write lock.
                conn.executemany(
                    "INSERT INTO reservation (order_id, sku, qty) VALUES (?, ?, ?)", rows
                )
            except sqlite3.IntegrityError:
                # Drop our own rows of this batch first: only committed rows tell.
                conn.rollback()
                if _order_exists(conn, order_id):
                    raise _AlreadyReserved from None
                raise
            count = conn.execute(
                "SELECT COUNT(*) FROM reservation WHERE order_id = ?", (order_id,)
            ).fetchone()[0]
            if count != len(rows):
                raise _AlreadyReserved
            for sku, qty in total.items():
                cursor = conn.execute(
                    "UPDATE stock SET available = available - ? WHERE sku = ? AND available >= ?",
                    (qty, sku, qty),
                )
                if cursor.rowcount != 1:
                    raise _OutOfStock
    except _AlreadyReserved:
        return True
    except _OutOfStock:
        return False
    return True
