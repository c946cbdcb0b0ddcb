"""Hidden probes for product-search-injection: normal searches and attacks."""

from __future__ import annotations

import sqlite3
from typing import Any

from probekit import probe

PRODUCTS = [
    (1, "Kid's Bike", 120.0),
    (2, "Road bike", 899.0),
    (3, "Bike bell", 9.99),
    (4, "50% off voucher", 0.0),
    (5, "Voucher 500", 50.0),
    (6, "USB_C cable", 12.5),
    (7, "USBxC cable", 11.0),
    (8, "Backslash \\ poster", 15.0),
    (9, "Mountain BIKE pump", 25.0),
    (10, "Helmet", 49.5),
    (11, "Bike light", 9.99),
    (12, 'The "Quote" mug; 2-pack -- sale', 8.0),
]
CUSTOMERS = [
    (1, "admin@shop.example", "pbkdf2$admin-hash"),
    (2, "ann@example.com", "pbkdf2$ann-hash"),
]


def _shop() -> sqlite3.Connection:
    """Build a fresh in-memory shop database."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL)"
    )
    db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, password_hash TEXT)")
    db.executemany("INSERT INTO products VALUES (?, ?, ?)", PRODUCTS)
    db.executemany("INSERT INTO customers VALUES (?, ?, ?)", CUSTOMERS)
    db.commit()
    return db


def _state(db: sqlite3.Connection) -> Any:
    """Describe what is left in the database."""
    tables = sorted(
        row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
    )
    counts = {}
    for table in tables:
        counts[table] = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return counts


def _attempt(solution: Any, term: Any, max_price: Any = None) -> Any:
    """Run one search and return [result or error marker, database state afterwards]."""
    db = _shop()
    try:
        result: Any = solution.search_products(db, term, max_price)
    except TypeError:
        result = "TypeError"
    except sqlite3.Error:
        result = "sqlite-error"
    return [result, _state(db)]


def _search(solution: Any, term: str, max_price: Any = None) -> Any:
    """Run one ordinary search on a fresh database."""
    return solution.search_products(_shop(), term, max_price)


@probe("substring-case-insensitive", weight=3)
def _basic(solution: Any) -> Any:
    return _search(solution, "bike")


@probe("price-filter", weight=2)
def _price(solution: Any) -> Any:
    return [
        _search(solution, "bike", 200),
        _search(solution, "bike", 9.99),
        _search(solution, "", 0),
    ]


@probe("integer-price-filter", weight=1)
def _int_price(solution: Any) -> Any:
    return _search(solution, "cable", 12)


@probe("empty-term-lists-all-by-price", weight=2)
def _all(solution: Any) -> Any:
    return _search(solution, "")


@probe("no-match", weight=1)
def _none(solution: Any) -> Any:
    return _search(solution, "skateboard")


@probe("quote-in-term-is-text", weight=3)
def _quote(solution: Any) -> Any:
    return [_search(solution, "Kid's"), _search(solution, '"Quote"')]


@probe("sql-punctuation-in-term-is-text", weight=2)
def _punct(solution: Any) -> Any:
    return [_search(solution, "mug; 2-pack -- sale"), _search(solution, "-- sale")]


@probe("percent-matches-literally", weight=2)
def _percent(solution: Any) -> Any:
    return [_search(solution, "50%"), _search(solution, "%")]


@probe("underscore-matches-literally", weight=2)
def _underscore(solution: Any) -> Any:
    return [_search(solution, "USB_C"), _search(solution, "_")]


@probe("backslash-matches-literally", weight=1)
def _backslash(solution: Any) -> Any:
    return [_search(solution, "\\"), _search(solution, "h \\ p"), _search(solution, "\\%")]


@probe("attack-or-always-true", weight=3)
def _or_true(solution: Any) -> Any:
    return [_attempt(solution, "' OR '1'='1"), _attempt(solution, "%' OR 1=1 --")]


@probe("attack-union-reads-customers", weight=3)
def _union(solution: Any) -> Any:
    return _attempt(solution, "%' UNION SELECT id, email, password_hash FROM customers --")


@probe("attack-stacked-drop-table", weight=3)
def _drop(solution: Any) -> Any:
    return _attempt(solution, "x'; DROP TABLE customers; --")


@probe("attack-comment-truncates-filter", weight=2)
def _comment(solution: Any) -> Any:
    return _attempt(solution, "bike%' --", 10)


@probe("attack-through-max-price", weight=3)
def _price_attack(solution: Any) -> Any:
    return [
        _attempt(solution, "bike", "0 OR 1=1"),
        _attempt(solution, "nothing", "1 UNION SELECT id, email, password_hash FROM customers"),
    ]


@probe("string-max-price-rejected", weight=1)
def _price_type(solution: Any) -> Any:
    return _attempt(solution, "bike", "10")


@probe("database-unchanged-after-searches", weight=1)
def _unchanged(solution: Any) -> Any:
    db = _shop()
    for term in ("bike", "", "%", "x'); DELETE FROM products; --"):
        try:
            solution.search_products(db, term)
        except Exception:  # noqa: BLE001 - only the database state is observed here
            pass
    return [_state(db), db.execute("SELECT id, name, price FROM products ORDER BY id").fetchall()]
