"""A suite with good arithmetic tests but no tests of rejected input or coupon spelling."""

from __future__ import annotations

from decimal import Decimal

from solution import price_order

D = Decimal


def line(price: str, qty: int) -> dict[str, object]:
    """One order line."""
    return {"sku": "x", "unit_price": D(price), "qty": qty}


def test_bulk_boundary() -> None:
    """Ten items get the bulk discount, nine do not."""
    assert price_order([line("1.00", 10)], tax_rate=D("0"))["subtotal"] == D("9.50")
    assert price_order([line("1.00", 9)], tax_rate=D("0"))["subtotal"] == D("9.00")


def test_rounding_half_up() -> None:
    """A tax of 0.125 rounds to 0.13."""
    assert price_order([line("0.625", 1)])["tax"] == D("0.13")


def test_tax_after_coupon() -> None:
    """Tax is charged on the discounted amount."""
    assert price_order([line("100.00", 1)], coupon="SAVE10")["tax"] == D("18.00")


def test_save10_cap() -> None:
    """SAVE10 never takes more than 20.00 off."""
    assert price_order([line("300.00", 1)], coupon="SAVE10")["discount"] == D("20.00")
