"""A suite with a wrong expectation: it fails on the correct implementation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from solution import price_order

D = Decimal


def test_rounds_half_to_even() -> None:
    """Wrong: assumes 0.125 rounds to 0.12."""
    assert price_order([{"sku": "x", "unit_price": D("0.625"), "qty": 1}])["tax"] == D("0.12")


def test_unknown_coupon() -> None:
    """Unknown coupons raise ValueError."""
    with pytest.raises(ValueError):
        price_order([{"sku": "x", "unit_price": D("1.00"), "qty": 1}], coupon="NOPE")


def test_zero_quantity() -> None:
    """A zero quantity raises ValueError."""
    with pytest.raises(ValueError):
        price_order([{"sku": "x", "unit_price": D("1.00"), "qty": 0}])
