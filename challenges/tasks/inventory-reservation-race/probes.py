"""Hidden probes for reserve_order: a real SQLite file and a competing connection."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from typing import Any

from probekit import probe

SCHEMA = """
CREATE TABLE stock (sku TEXT PRIMARY KEY, available INTEGER NOT NULL);
CREATE TABLE reservation (
    order_id TEXT NOT NULL,
    sku TEXT NOT NULL,
    qty INTEGER NOT NULL,
    PRIMARY KEY (order_id, sku)
);
"""


class Shop:
    """A throw-away database file with a worker connection and a rival connection."""

    def __init__(self, stock: dict[str, int]) -> None:
        """Create the schema and load ``stock``."""
        self.folder = tempfile.mkdtemp(prefix="shop-")
        self.path = os.path.join(self.folder, "shop.db")
        self.loaded = dict(stock)
        setup = sqlite3.connect(self.path)
        setup.executescript(SCHEMA)
        setup.executemany("INSERT INTO stock VALUES (?, ?)", sorted(stock.items()))
        setup.commit()
        setup.close()
        self.conn = sqlite3.connect(self.path, timeout=0)
        self.rival = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        self.rival_count = 0

    def rival_reserve(self, order_id: str, lines: list[tuple[str, int]]) -> str:
        """Reserve like a correct concurrent worker would; report what happened."""
        self.rival_count += 1
        try:
            self.rival.execute("BEGIN IMMEDIATE")
            seen = self.rival.execute(
                "SELECT 1 FROM reservation WHERE order_id = ?", (order_id,)
            ).fetchone()
            if seen is not None:
                self.rival.execute("ROLLBACK")
                return "exists"
            for sku, qty in lines:
                changed = self.rival.execute(
                    "UPDATE stock SET available = available - ? WHERE sku = ? AND available >= ?",
                    (qty, sku, qty),
                ).rowcount
                if changed != 1:
                    self.rival.execute("ROLLBACK")
                    return "short"
                self.rival.execute("INSERT INTO reservation VALUES (?, ?, ?)", (order_id, sku, qty))
            self.rival.execute("COMMIT")
            return "ok"
        except sqlite3.Error:
            if self.rival.in_transaction:
                self.rival.execute("ROLLBACK")
            return "busy"

    def interfere_at(self, position: int, order_id: str, lines: list[tuple[str, int]]) -> None:
        """Run one rival reservation just before the worker's ``position``-th statement."""
        counter = [0]

        def trace(_sql: str) -> None:
            counter[0] += 1
            if counter[0] == position:
                self.rival_reserve(order_id, lines)

        self.conn.set_trace_callback(trace)

    def state(self) -> Any:
        """Committed stock and reservations, read through a fresh connection."""
        reader = sqlite3.connect(self.path, timeout=0)
        try:
            stock = reader.execute("SELECT sku, available FROM stock ORDER BY sku").fetchall()
            rows = reader.execute(
                "SELECT order_id, sku, qty FROM reservation ORDER BY order_id, sku"
            ).fetchall()
        finally:
            reader.close()
        return [[list(r) for r in stock], [list(r) for r in rows]]

    def invariant(self) -> Any:
        """[no sku oversold or overcounted, no negative stock] over committed data."""
        stock, rows = self.state()
        reserved: dict[str, int] = {}
        for _order, sku, qty in rows:
            reserved[sku] = reserved.get(sku, 0) + qty
        balanced = all(
            available + reserved.get(sku, 0) == self.loaded[sku] for sku, available in stock
        )
        return [balanced, all(available >= 0 for _sku, available in stock)]

    def order_rows(self, order_id: str) -> Any:
        """The committed reservation rows of one order."""
        return [row for row in self.state()[1] if row[0] == order_id]

    def close(self) -> None:
        """Close every connection and delete the file."""
        self.conn.set_trace_callback(None)
        for conn in (self.conn, self.rival):
            try:
                conn.close()
            except sqlite3.Error:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


def attempt(shop: Shop, solution: Any, order_id: Any, lines: Any) -> Any:
    """Call reserve_order and describe the outcome as plain data."""
    try:
        return solution.reserve_order(shop.conn, order_id, lines)
    except ValueError:
        return ["raised", "ValueError"]
    except sqlite3.Error:
        return ["raised", "sqlite3.Error"]
    except (TypeError, KeyError, IndexError, AttributeError):
        return ["raised", "other"]


def scenario(stock: dict[str, int], calls: list[Any], solution: Any) -> Any:
    """Run plain calls (no rival) and return outcomes, open-transaction flags and state."""
    shop = Shop(stock)
    try:
        outcomes = []
        for order_id, lines in calls:
            outcomes.append([attempt(shop, solution, order_id, lines), shop.conn.in_transaction])
        return [outcomes, shop.state()]
    finally:
        shop.close()


@probe("reserves-every-line", weight=2)
def _(solution: Any) -> Any:
    return scenario({"A": 5, "B": 5, "C": 1}, [("o1", [("A", 2), ("B", 5)])], solution)


@probe("exact-stock-boundary", weight=1)
def _(solution: Any) -> Any:
    return scenario({"A": 3}, [("o1", [("A", 3)]), ("o2", [("A", 1)])], solution)


@probe("insufficient-stock-changes-nothing", weight=2)
def _(solution: Any) -> Any:
    return scenario({"A": 5, "B": 2}, [("o1", [("A", 2), ("B", 3)])], solution)


@probe("failure-on-third-line-rolls-back-all", weight=3)
def _(solution: Any) -> Any:
    calls = [("o1", [("A", 1), ("B", 1), ("C", 4)]), ("o2", [("A", 5), ("B", 5)])]
    return scenario({"A": 5, "B": 5, "C": 3}, calls, solution)


@probe("unknown-sku-changes-nothing", weight=2)
def _(solution: Any) -> Any:
    return scenario({"A": 5}, [("o1", [("A", 1), ("ZZZ", 1)])], solution)


@probe("retry-same-order-is-idempotent", weight=3)
def _(solution: Any) -> Any:
    calls = [
        ("o1", [("A", 2), ("B", 1)]),
        ("o1", [("A", 2), ("B", 1)]),
        ("o1", [("A", 1)]),
        ("o2", [("B", 1)]),
    ]
    return scenario({"A": 5, "B": 5}, calls, solution)


@probe("retry-after-failed-attempt-reserves", weight=1)
def _(solution: Any) -> Any:
    calls = [("o1", [("A", 9)]), ("o1", [("A", 4)]), ("o1", [("A", 4)])]
    return scenario({"A": 5}, calls, solution)


@probe("same-sku-lines-combined", weight=2)
def _(solution: Any) -> Any:
    calls = [("o1", [("A", 2), ("A", 3)]), ("o2", [("B", 1), ("B", 1), ("A", 1)])]
    return scenario({"A": 4, "B": 5}, calls, solution)


@probe("negative-and-zero-quantities-rejected", weight=3)
def _(solution: Any) -> Any:
    calls = [
        ("o1", [("A", -5)]),
        ("o2", [("A", 0)]),
        ("o3", [("A", 1), ("B", -1)]),
        ("o4", [("A", True)]),
    ]
    return scenario({"A": 5, "B": 5}, calls, solution)


@probe("invalid-arguments-rejected", weight=2)
def _(solution: Any) -> Any:
    calls: list[Any] = [
        ("", [("A", 1)]),
        (None, [("A", 1)]),
        ("o1", []),
        ("o2", [("A", 1.5)]),
        ("o3", [("A", "2")]),
        ("o4", [("", 1)]),
        ("o5", [(7, 1)]),
        ("o6", [("A", 1, 2)]),
    ]
    return scenario({"A": 5}, calls, solution)


@probe("rival-reservation-at-every-statement", weight=4)
def _(solution: Any) -> Any:
    out = []
    for position in range(1, 10):
        shop = Shop({"A": 5, "B": 5})
        try:
            shop.interfere_at(position, "rival", [("A", 1), ("B", 1)])
            result = attempt(shop, solution, "o1", [("A", 2), ("B", 3)])
            out.append([result, shop.conn.in_transaction] + shop.invariant())
        finally:
            shop.close()
    return out


@probe("rival-takes-scarce-stock-at-every-statement", weight=4)
def _(solution: Any) -> Any:
    out = []
    for position in range(1, 10):
        shop = Shop({"A": 3, "B": 1})
        try:
            shop.interfere_at(position, "rival", [("A", 2)])
            result = attempt(shop, solution, "o1", [("B", 1), ("A", 2)])
            rows = shop.order_rows("o1")
            consistent = rows == ([["o1", "A", 2], ["o1", "B", 1]] if result is True else [])
            out.append([result in (True, False), consistent, shop.conn.in_transaction])
            out.append(shop.invariant())
        finally:
            shop.close()
    return out


@probe("concurrent-duplicate-of-same-order", weight=3)
def _(solution: Any) -> Any:
    out = []
    for position in range(1, 10):
        shop = Shop({"A": 5, "B": 5})
        try:
            shop.interfere_at(position, "o1", [("A", 2), ("B", 3)])
            result = attempt(shop, solution, "o1", [("A", 2), ("B", 3)])
            out.append([result, shop.conn.in_transaction, shop.order_rows("o1")] + shop.invariant())
        finally:
            shop.close()
    return out


@probe("locked-database-raises-and-rolls-back", weight=2)
def _(solution: Any) -> Any:
    shop = Shop({"A": 5})
    try:
        shop.rival.execute("BEGIN IMMEDIATE")
        shop.rival.execute("UPDATE stock SET available = available - 1 WHERE sku = 'A'")
        first = attempt(shop, solution, "o1", [("A", 2)])
        open_after_error = shop.conn.in_transaction
        shop.rival.execute("COMMIT")
        second = attempt(shop, solution, "o1", [("A", 2)])
        return [first, open_after_error, second, shop.conn.in_transaction, shop.state()]
    finally:
        shop.close()


@probe("many-orders-in-sequence", weight=1)
def _(solution: Any) -> Any:
    shop = Shop({"A": 50, "B": 20, "C": 7})
    try:
        results = []
        for number in range(40):
            lines = [("A", number % 4 + 1), ("B" if number % 3 else "C", number % 2 + 1)]
            results.append(attempt(shop, solution, f"order-{number}", lines))
        return [results, shop.state()[0], len(shop.state()[1]), shop.invariant()]
    finally:
        shop.close()


@probe("database-error-mid-order-rolls-back", weight=2)
def _(solution: Any) -> Any:
    shop = Shop({"A": 5, "BAD": 5, "C": 5})
    try:
        shop.rival.execute(
            "CREATE TRIGGER block_bad BEFORE INSERT ON reservation WHEN NEW.sku = 'BAD' "
            "BEGIN SELECT RAISE(ABORT, 'sku is blocked'); END"
        )
        first = attempt(shop, solution, "o1", [("A", 1), ("BAD", 1), ("C", 1)])
        open_after_error = shop.conn.in_transaction
        second = attempt(shop, solution, "o2", [("C", 2)])
        return [first, open_after_error, second, shop.conn.in_transaction, shop.state()]
    finally:
        shop.close()
