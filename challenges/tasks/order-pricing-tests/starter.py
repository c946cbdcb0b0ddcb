"""Tests for price_order: extend this suite until it catches every broken pricing rule."""

from __future__ import annotations

from decimal import Decimal

from solution import price_order


def test_single_line_without_coupon() -> None:
    """One line, no coupon: the default 20% tax is added to the subtotal."""
    result = price_order([{"sku": "pen", "unit_price": Decimal("2.50"), "qty": 4}])
    assert result == {
        "subtotal": Decimal("10.00"),
        "discount": Decimal("0.00"),
        "tax": Decimal("2.00"),
        "total": Decimal("12.00"),
    }
