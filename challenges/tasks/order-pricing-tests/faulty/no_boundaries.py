"""A middling suite: each rule once, far from its boundaries, no validation."""

from __future__ import annotations

from decimal import Decimal

from solution import price_order

D = Decimal


def test_plain_order() -> None:
    """Two lines, no coupon."""
    result = price_order(
        [
            {"sku": "a", "unit_price": D("2.00"), "qty": 2},
            {"sku": "b", "unit_price": D("1.00"), "qty": 1},
        ]
    )
    assert result == {
        "subtotal": D("5.00"),
        "discount": D("0.00"),
        "tax": D("1.00"),
        "total": D("6.00"),
    }


def test_bulk_line() -> None:
    """Twenty items cost 5% less."""
    result = price_order([{"sku": "a", "unit_price": D("1.00"), "qty": 20}])
    assert result["subtotal"] == D("19.00")


def test_save10() -> None:
    """SAVE10 on 100.00."""
    result = price_order([{"sku": "a", "unit_price": D("100.00"), "qty": 1}], coupon="SAVE10")
    assert result["discount"] == D("10.00")
    assert result["total"] == D("108.00")


def test_flat15() -> None:
    """FLAT15 on 40.00."""
    result = price_order([{"sku": "a", "unit_price": D("40.00"), "qty": 1}], coupon="FLAT15")
    assert result["total"] == D("30.00")
