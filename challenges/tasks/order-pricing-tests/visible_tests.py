"""Sanity check: the implementation under test can be imported and called."""

from __future__ import annotations

from decimal import Decimal

from solution import price_order


def test_price_order_returns_the_four_amounts() -> None:
    """The result has the four documented keys."""
    result = price_order([{"sku": "pen", "unit_price": Decimal("1.00"), "qty": 1}])
    assert set(result) == {"subtotal", "discount", "tax", "total"}
