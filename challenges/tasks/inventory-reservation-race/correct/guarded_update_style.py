"""Reserve stock for an order in the shop's SQLite database.

Style: no explicit ``BEGIN IMMEDIATE``. The very first statement of the transaction is a
*guarded* write, ``UPDATE ... SET available = available - ? WHERE sku = ? AND available
>= ?``: the module opens the transaction right before it, and SQLite takes the database
write lock as that statement starts (even when it matches no row). From then on no other
connection can commit, so the idempotency check that follows and the remaining guarded
updates all see the latest data. A guarded update that touches no row means an unknown
sku or too little stock; the decrement is computed by SQLite itself, so no update can be
lost to a stale read.
"""

from __future__ import annotations

import sqlite3


def _combined_lines(order_id: object, lines: object) -> list[tuple[str, int]]:
    """Validate the request and merge lines of the same sku (first-seen order kept)."""
    if not isinstance(order_id, str) or not order_id:
        raise ValueError("order_id must be a non-empty str")
    if not isinstance(lines, list) or not lines:
        raise ValueError("lines must be a non-empty list of (sku, qty) pairs")
    totals: dict[str, int] = {}
    for line in lines:
        if not isinstance(line, (tuple, list)) or len(line) != 2:
            raise ValueError(f"not a (sku, qty) pair: {line!r}")
        sku, qty = line
        if not isinstance(sku, str) or not sku:
            raise ValueError(f"sku must be a non-empty str: {sku!r}")
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1:
            raise ValueError(f"qty must be an int >= 1: {qty!r}")
        totals[sku] = totals.get(sku, 0) + qty
    return list(totals.items())


def _take(conn: sqlite3.Connection, sku: str, qty: int) -> bool:
    """Decrement ``sku`` by ``qty`` if that many units are available; report success."""
    cursor = conn.execute(
        "UPDATE stock SET available = available - ? WHERE sku = ? AND available >= ?",
        (qty, sku, qty),
    )
    return cursor.rowcount == 1


def reserve_order(conn: sqlite3.Connection, order_id: str, lines: list[tuple[str, int]]) -> bool:
    """Reserve every line of ``order_id``; return False when the stock is insufficient."""
    wanted = _combined_lines(order_id, lines)
    try:
        # First statement is a write: it opens the transaction and takes the write lock.
        first_sku, first_qty = wanted[0]
        first_ok = _take(conn, first_sku, first_qty)

        already = conn.execute(
            "SELECT 1 FROM reservation WHERE order_id = ? LIMIT 1", (order_id,)
        ).fetchone()
        if already is not None:
            conn.rollback()  # a retry: the order is reserved, change nothing
            return True

        if not first_ok or not all(_take(conn, sku, qty) for sku, qty in wanted[1:]):
            conn.rollback()
            return False

        for sku, qty in wanted:
            conn.execute(
                "INSERT INTO reservation (order_id, sku, qty) VALUES (?, ?, ?)",
                (order_id, sku, qty),
            )
        conn.commit()
        return True
    except BaseException:
        conn.rollback()
        raise
