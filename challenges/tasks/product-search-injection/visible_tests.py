"""Sample tests for search_products (informative only: the hidden checks go further)."""

import sqlite3

import pytest

from solution import search_products


@pytest.fixture
def conn() -> sqlite3.Connection:
    """A small in-memory shop database."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL)"
    )
    db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, password_hash TEXT)")
    db.executemany(
        "INSERT INTO products (id, name, price) VALUES (?, ?, ?)",
        [(1, "Kid's Bike", 120.0), (2, "Road bike", 899.0), (3, "Bike bell", 9.99)],
    )
    db.execute("INSERT INTO customers VALUES (1, 'ann@example.com', 'pbkdf2$abc')")
    return db


def test_search_with_price_filter(conn: sqlite3.Connection) -> None:
    """Case-insensitive substring search, cheapest first."""
    assert search_products(conn, "bike", max_price=200) == [
        (3, "Bike bell", 9.99),
        (1, "Kid's Bike", 120.0),
    ]


def test_quote_in_term(conn: sqlite3.Connection) -> None:
    """A quote is an ordinary character."""
    assert search_products(conn, "Kid's") == [(1, "Kid's Bike", 120.0)]


def test_union_attack_returns_nothing(conn: sqlite3.Connection) -> None:
    """Injected SQL is treated as text and matches no product."""
    attack = "' UNION SELECT id, email, password_hash FROM customers --"
    assert search_products(conn, attack) == []


def test_max_price_must_be_a_number(conn: sqlite3.Connection) -> None:
    """A string price filter is rejected."""
    with pytest.raises(TypeError):
        search_products(conn, "", max_price="0 OR 1=1")  # type: ignore[arg-type]
