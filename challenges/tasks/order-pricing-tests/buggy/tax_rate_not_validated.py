"""Price an order: bulk discounts per line, one coupon, then tax, all in exact cents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
BULK_QTY = 10
BULK_RATE = Decimal("0.05")
SAVE10_RATE = Decimal("0.10")
SAVE10_CAP = Decimal("20.00")
FLAT15_AMOUNT = Decimal("15.00")


def _cents(amount: Decimal) -> Decimal:
    """Round to whole cents, halves away from zero."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _line_total(line: Mapping[str, Any]) -> Decimal:
    """Price of one line, with the bulk discount, not yet rounded."""
    qty = line["qty"]
    price = Decimal(line["unit_price"])
    if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1:
        raise ValueError(f"quantity must be a positive integer: {qty!r}")
    if price < 0:
        raise ValueError(f"unit price must not be negative: {price}")
    total = price * qty
    if qty >= BULK_QTY:
        total -= total * BULK_RATE
    return total


def _discount(code: str | None, subtotal: Decimal) -> Decimal:
    """The coupon's discount on ``subtotal``, rounded to cents."""
    if code is None:
        return Decimal("0.00")
    normalised = code.strip().upper()
    if normalised == "SAVE10":
        return min(_cents(subtotal * SAVE10_RATE), SAVE10_CAP)
    if normalised == "FLAT15":
        return min(FLAT15_AMOUNT, subtotal)
    raise ValueError(f"unknown coupon: {code!r}")


def price_order(
    lines: Sequence[Mapping[str, Any]],
    coupon: str | None = None,
    tax_rate: Decimal = Decimal("0.20"),
) -> dict[str, Decimal]:
    """Return the subtotal, discount, tax and total of an order, in cents."""
    if not lines:
        raise ValueError("an order needs at least one line")
    rate = Decimal(tax_rate)
    subtotal = _cents(sum((_line_total(line) for line in lines), Decimal(0)))
    discount = _discount(coupon, subtotal)
    taxable = subtotal - discount
    tax = _cents(taxable * rate)
    return {
        "subtotal": subtotal,
        "discount": _cents(discount),
        "tax": tax,
        "total": taxable + tax,
    }
