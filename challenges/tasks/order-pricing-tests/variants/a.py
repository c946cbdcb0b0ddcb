"""Order pricing: per-line bulk rule, a single coupon, tax after the coupon."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

TWO_PLACES = Decimal("0.01")
ZERO = Decimal("0.00")


def _round_money(value: Decimal) -> Decimal:
    """Round ``value`` to two decimals, a half cent going up."""
    return value.quantize(TWO_PLACES, ROUND_HALF_UP)


def _save10(subtotal: Decimal) -> Decimal:
    """Ten percent off, rounded, never above twenty."""
    return min(_round_money(subtotal * Decimal("0.10")), Decimal("20.00"))


def _flat15(subtotal: Decimal) -> Decimal:
    """Fifteen off, limited to the subtotal."""
    return min(Decimal("15.00"), subtotal)


COUPONS = {"SAVE10": _save10, "FLAT15": _flat15}


def _line_amount(entry: Mapping[str, Any]) -> Decimal:
    """Unrounded price of one line after the bulk discount, validating it first."""
    quantity = entry["qty"]
    unit = Decimal(entry["unit_price"])
    valid_quantity = type(quantity) is not bool and isinstance(quantity, int) and quantity > 0
    if not valid_quantity:
        raise ValueError(f"bad quantity {quantity!r}")
    if unit < 0:
        raise ValueError(f"negative unit price {unit}")
    gross = unit * quantity
    return gross - gross * Decimal("0.05") if quantity > 9 else gross


def price_order(
    lines: Sequence[Mapping[str, Any]],
    coupon: str | None = None,
    tax_rate: Decimal = Decimal("0.20"),
) -> dict[str, Decimal]:
    """Compute subtotal, coupon discount, tax and total for ``lines``."""
    if not lines:
        raise ValueError("empty order")
    rate = Decimal(tax_rate)
    if rate < 0 or rate > 1:
        raise ValueError(f"tax rate {rate} is not within 0..1")
    running = Decimal(0)
    for entry in lines:
        running += _line_amount(entry)
    subtotal = _round_money(running)
    if coupon is None:
        discount = ZERO
    else:
        rule = COUPONS.get(coupon.strip().upper())
        if rule is None:
            raise ValueError(f"coupon {coupon!r} does not exist")
        discount = _round_money(rule(subtotal))
    base = subtotal - discount
    tax = _round_money(base * rate)
    return {"subtotal": subtotal, "discount": discount, "tax": tax, "total": base + tax}
