"""Tests for price_order: an exact model (fractions) compared over a grid of orders."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from solution import price_order


def half_up_cents(value: Fraction) -> Fraction:
    """Round a non-negative amount to cents, halves up."""
    cents = value * 100
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole, 100)


def money(value: Fraction) -> Decimal:
    """A Fraction of whole cents as a two-place Decimal."""
    assert (value * 100).denominator == 1
    return Decimal(int(value * 100)).scaleb(-2)


def model(lines: list[dict[str, object]], coupon: str | None, rate: str) -> dict[str, Decimal]:
    """What the specification says the four amounts are."""
    raw = Fraction(0)
    for entry in lines:
        price = Fraction(str(entry["unit_price"])) * int(entry["qty"])  # type: ignore[call-overload]
        if int(entry["qty"]) >= 10:  # type: ignore[call-overload]
            price = price * Fraction(95, 100)
        raw += price
    subtotal = half_up_cents(raw)
    code = None if coupon is None else coupon.strip().upper()
    discount = Fraction(0)
    if code == "SAVE10":
        discount = min(half_up_cents(subtotal / 10), Fraction(20))
    elif code == "FLAT15":
        discount = min(Fraction(15), subtotal)
    tax = half_up_cents((subtotal - discount) * Fraction(rate))
    return {
        "subtotal": money(subtotal),
        "discount": money(discount),
        "tax": money(tax),
        "total": money(subtotal - discount + tax),
    }


def assert_priced(lines: list[dict[str, object]], coupon: str | None, rate: str) -> None:
    """price_order matches the model, value for value and digit for digit."""
    got = price_order(lines, coupon=coupon, tax_rate=Decimal(rate))
    want = model(lines, coupon, rate)
    assert got == want, (lines, coupon, rate)
    assert {key: str(value) for key, value in got.items()} == {
        key: str(value) for key, value in want.items()
    }
    assert all(type(value) is Decimal for value in got.values())


def test_model_reproduces_the_documented_example() -> None:
    """Guard the model with the example of the specification."""
    pens = [{"sku": "pen", "unit_price": Decimal("2.50"), "qty": 4}]
    assert model(pens, "save10", "0.20") == {
        "subtotal": Decimal("10.00"),
        "discount": Decimal("1.00"),
        "tax": Decimal("1.80"),
        "total": Decimal("10.80"),
    }
    assert_priced(pens, "save10", "0.20")


PRICES = ["0", "0.005", "0.125", "0.25", "1.99", "2.50", "9.99", "15.00", "33.335", "199.99"]
QUANTITIES = [1, 2, 9, 10, 11, 25]
COUPONS = [None, "SAVE10", "save10", " Flat15 ", "FLAT15"]
RATES = ["0", "0.07", "0.10", "0.20", "1"]


@pytest.mark.parametrize("coupon", COUPONS)
@pytest.mark.parametrize("rate", RATES)
def test_single_line_grid(coupon: str | None, rate: str) -> None:
    """Every price and quantity of the grid, as one line."""
    for price, qty in itertools.product(PRICES, QUANTITIES):
        assert_priced([{"sku": "x", "unit_price": Decimal(price), "qty": qty}], coupon, rate)


def test_random_multi_line_orders() -> None:
    """Seeded random orders of up to five lines, prices given as Decimal or str."""
    rng = random.Random(7)
    for _ in range(1500):
        lines: list[dict[str, object]] = []
        for index in range(rng.randint(1, 5)):
            price = rng.choice(PRICES + [f"{rng.randint(0, 40000) / 1000:.3f}"])
            lines.append(
                {
                    "sku": f"s{index}",
                    "unit_price": price if rng.random() < 0.3 else Decimal(price),
                    "qty": rng.choice(QUANTITIES),
                }
            )
        snapshot = [dict(entry) for entry in lines]
        assert_priced(lines, rng.choice(COUPONS), rng.choice(RATES))
        assert lines == snapshot


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lines": []},
        {"lines": [{"sku": "a", "unit_price": Decimal("1"), "qty": 0}]},
        {"lines": [{"sku": "a", "unit_price": Decimal("1"), "qty": -3}]},
        {"lines": [{"sku": "a", "unit_price": Decimal("1"), "qty": 2.5}]},
        {"lines": [{"sku": "a", "unit_price": Decimal("-1"), "qty": 1}]},
        {"lines": [{"sku": "a", "unit_price": Decimal("1"), "qty": 1}], "coupon": "HALFOFF"},
        {"lines": [{"sku": "a", "unit_price": Decimal("1"), "qty": 1}], "coupon": "SAVE 10"},
        {"lines": [{"sku": "a", "unit_price": Decimal("1"), "qty": 1}], "coupon": ""},
        {
            "lines": [{"sku": "a", "unit_price": Decimal("1"), "qty": 1}],
            "tax_rate": Decimal("-0.1"),
        },
        {"lines": [{"sku": "a", "unit_price": Decimal("1"), "qty": 1}], "tax_rate": Decimal("1.5")},
    ],
)
def test_invalid_input_raises_value_error(kwargs: dict[str, object]) -> None:
    """Each invalid input of the specification raises ValueError."""
    with pytest.raises(ValueError):
        price_order(**kwargs)  # type: ignore[arg-type]
