"""Checkout maths for an order, kept in exact decimal cents throughout."""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from typing import Any

D = decimal.Decimal


class _Money:
    """Helpers that round with the half-up rule of the checkout."""

    @staticmethod
    def cents(amount: decimal.Decimal) -> decimal.Decimal:
        """Quantize to cents under a half-up context."""
        with decimal.localcontext() as ctx:
            ctx.rounding = decimal.ROUND_HALF_UP
            return round(amount, 2)


def _validated_rate(tax_rate: Any) -> decimal.Decimal:
    """The tax rate as a Decimal, refused unless it lies in ``[0, 1]``."""
    rate = D(tax_rate)
    if not (rate >= 0 and rate <= 1):
        raise ValueError("tax_rate must lie between 0 and 1")
    return rate


def _raw_subtotal(lines: Iterable[Mapping[str, Any]]) -> decimal.Decimal:
    """Sum of the line prices (bulk lines 5% off), before any rounding."""
    acc = D(0)
    for row in lines:
        n = row["qty"]
        each = D(row["unit_price"])
        if isinstance(n, bool) or not isinstance(n, int):
            raise ValueError("qty must be an int")
        if n <= 0:
            raise ValueError("qty must be at least 1")
        if each < 0:
            raise ValueError("unit_price must be zero or more")
        price = each * n
        if n >= 10:
            price = price - price * D("0.05")
        acc += price
    return acc


def _coupon_discount(coupon: str | None, subtotal: decimal.Decimal) -> decimal.Decimal:
    """Discount granted by ``coupon`` on ``subtotal``."""
    if coupon is None:
        return D("0.00")
    match coupon.strip().upper():
        case "FLAT15":
            return _Money.cents(min(D("15.00"), subtotal))
        case "SAVE10":
            tenth = _Money.cents(subtotal * D("0.10"))
            cap = D("20.00")
            return _Money.cents(tenth if tenth < cap else cap)
        case _:
            raise ValueError(f"coupon not recognised: {coupon!r}")


def price_order(
    lines: list[Mapping[str, Any]],
    coupon: str | None = None,
    tax_rate: decimal.Decimal = D("0.20"),
) -> dict[str, decimal.Decimal]:
    """Price ``lines``: bulk discount, subtotal, coupon, then tax on the discounted amount."""
    if not lines:
        raise ValueError("lines must not be empty")
    rate = _validated_rate(tax_rate)
    subtotal = _Money.cents(_raw_subtotal(lines))
    discount = _coupon_discount(coupon, subtotal)
    after = subtotal - discount
    tax = _Money.cents(after * rate)
    result: dict[str, decimal.Decimal] = {}
    result["subtotal"] = subtotal
    result["discount"] = discount
    result["tax"] = tax
    result["total"] = after + tax
    return result
