"""A weak suite: only the documented example and one plain order."""

from __future__ import annotations

from decimal import Decimal

from solution import price_order


def test_single_line_without_coupon() -> None:
    """One line, no coupon."""
    result = price_order([{"sku": "pen", "unit_price": Decimal("2.50"), "qty": 4}])
    assert result["total"] == Decimal("12.00")


def test_documented_example() -> None:
    """The example of the statement."""
    result = price_order([{"sku": "pen", "unit_price": Decimal("2.50"), "qty": 4}], coupon="save10")
    assert result["total"] == Decimal("10.80")
