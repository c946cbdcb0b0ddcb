"""Tests for price_order.

Style: a table of hand-worked orders (every expected amount written out as a
string, so that the number of decimal places is pinned too), a table of inputs
that must be refused, and invariants checked on a seeded batch of generated
orders (relations the rules imply, without re-implementing the function).
"""

from __future__ import annotations

import copy
import random
from decimal import Decimal

import pytest

from solution import price_order

D = Decimal


def line(unit_price: str | Decimal, qty: int, sku: str = "item") -> dict:
    return {"sku": sku, "unit_price": unit_price, "qty": qty}


def as_text(result: dict[str, Decimal]) -> dict[str, str]:
    """The result as strings: Decimal('1.8') and Decimal('1.80') differ here."""
    assert set(result) == {"subtotal", "discount", "tax", "total"}
    for value in result.values():
        assert isinstance(value, Decimal)
    return {key: str(value) for key, value in result.items()}


def amounts(subtotal: str, discount: str, tax: str, total: str) -> dict[str, str]:
    return {"subtotal": subtotal, "discount": discount, "tax": tax, "total": total}


# --- hand-worked orders -----------------------------------------------------------------

WORKED = [
    pytest.param(
        [line(D("2.50"), 4)],
        None,
        D("0.20"),
        amounts("10.00", "0.00", "2.00", "12.00"),
        id="no-coupon",
    ),
    pytest.param(
        [line(D("2.50"), 4)],
        "save10",
        D("0.20"),
        amounts("10.00", "1.00", "1.80", "10.80"),
        id="statement-example",
    ),
    pytest.param(
        [line("2.50", 4)],
        None,
        D("0.20"),
        amounts("10.00", "0.00", "2.00", "12.00"),
        id="price-as-string",
    ),
    pytest.param(
        [line(D("0"), 3)], None, D("0.20"), amounts("0.00", "0.00", "0.00", "0.00"), id="free-item"
    ),
    # bulk boundary: 9 is full price, 10 is 5% off
    pytest.param(
        [line(D("10.00"), 9)],
        None,
        D("0"),
        amounts("90.00", "0.00", "0.00", "90.00"),
        id="qty-9-no-bulk",
    ),
    pytest.param(
        [line(D("10.00"), 10)],
        None,
        D("0"),
        amounts("95.00", "0.00", "0.00", "95.00"),
        id="qty-10-bulk",
    ),
    pytest.param(
        [line(D("10.00"), 11)],
        None,
        D("0"),
        amounts("104.50", "0.00", "0.00", "104.50"),
        id="qty-11-bulk",
    ),
    pytest.param(
        [line(D("1.00"), 10), line(D("1.00"), 9)],
        None,
        D("0"),
        amounts("18.50", "0.00", "0.00", "18.50"),
        id="bulk-per-line-not-per-order",
    ),
    # rounding once, half up
    pytest.param(
        [line("0.125", 1)],
        None,
        D("0"),
        amounts("0.13", "0.00", "0.00", "0.13"),
        id="subtotal-half-up",
    ),
    pytest.param(
        [line("0.005", 1), line("0.005", 1), line("0.005", 1)],
        None,
        D("0"),
        amounts("0.02", "0.00", "0.00", "0.02"),
        id="subtotal-rounded-once",
    ),
    pytest.param(
        [line("0.333", 3)],
        None,
        D("0"),
        amounts("1.00", "0.00", "0.00", "1.00"),
        id="line-not-rounded-before-qty",
    ),
    pytest.param(
        [line("0.03", 10)],
        None,
        D("0"),  # 0.285 -> 0.29
        amounts("0.29", "0.00", "0.00", "0.29"),
        id="bulk-then-round-half-up",
    ),
    pytest.param(
        [line("0.25", 1)],
        None,
        D("0.5"),  # tax 0.125 -> 0.13
        amounts("0.25", "0.00", "0.13", "0.38"),
        id="tax-half-up",
    ),
    pytest.param(
        [line("10.00", 1)],
        None,
        D("0.075"),  # tax 0.75
        amounts("10.00", "0.00", "0.75", "10.75"),
        id="other-rate",
    ),
    pytest.param(
        [line("10.00", 1)], None, D("0"), amounts("10.00", "0.00", "0.00", "10.00"), id="rate-0"
    ),
    pytest.param(
        [line("10.00", 1)], None, D("1"), amounts("10.00", "0.00", "10.00", "20.00"), id="rate-1"
    ),
    # SAVE10: 10%, rounded half up, capped at 20.00
    pytest.param(
        [line("10.05", 1)],
        "SAVE10",
        D("0"),  # 1.005 -> 1.01
        amounts("10.05", "1.01", "0.00", "9.04"),
        id="save10-half-up",
    ),
    pytest.param(
        [line("199.90", 1)],
        "SAVE10",
        D("0"),
        amounts("199.90", "19.99", "0.00", "179.91"),
        id="save10-below-cap",
    ),
    pytest.param(
        [line("200.00", 1)],
        "SAVE10",
        D("0"),
        amounts("200.00", "20.00", "0.00", "180.00"),
        id="save10-at-cap",
    ),
    pytest.param(
        [line("500.00", 1)],
        "SAVE10",
        D("0"),
        amounts("500.00", "20.00", "0.00", "480.00"),
        id="save10-capped",
    ),
    pytest.param(
        [line("500.00", 1)],
        "SAVE10",
        D("0.20"),
        amounts("500.00", "20.00", "96.00", "576.00"),
        id="save10-capped-then-tax",
    ),
    # FLAT15: 15.00, never more than the subtotal
    pytest.param(
        [line("40.00", 1)],
        "FLAT15",
        D("0.20"),
        amounts("40.00", "15.00", "5.00", "30.00"),
        id="flat15-tax-after-coupon",
    ),
    pytest.param(
        [line("15.00", 1)],
        "FLAT15",
        D("0.20"),
        amounts("15.00", "15.00", "0.00", "0.00"),
        id="flat15-equal-subtotal",
    ),
    pytest.param(
        [line("9.99", 1)],
        "FLAT15",
        D("0.20"),
        amounts("9.99", "9.99", "0.00", "0.00"),
        id="flat15-larger-than-subtotal",
    ),
    pytest.param(
        [line("0", 1)],
        "FLAT15",
        D("0.20"),
        amounts("0.00", "0.00", "0.00", "0.00"),
        id="flat15-on-free-order",
    ),
    # coupon spelling
    pytest.param(
        [line("40.00", 1)],
        "  flat15 ",
        D("0"),
        amounts("40.00", "15.00", "0.00", "25.00"),
        id="coupon-spaces-and-case",
    ),
    pytest.param(
        [line("40.00", 1)],
        "Save10",
        D("0"),
        amounts("40.00", "4.00", "0.00", "36.00"),
        id="coupon-mixed-case",
    ),
    pytest.param(
        [line("40.00", 1)],
        " SAVE10",
        D("0"),
        amounts("40.00", "4.00", "0.00", "36.00"),
        id="coupon-leading-space",
    ),
]


@pytest.mark.parametrize(("lines", "coupon", "rate", "expected"), WORKED)
def test_worked_orders(lines, coupon, rate, expected) -> None:
    assert as_text(price_order(lines, coupon=coupon, tax_rate=rate)) == expected


def test_default_tax_rate_is_twenty_percent() -> None:
    assert as_text(price_order([line("7.25", 2)])) == amounts("14.50", "0.00", "2.90", "17.40")
    assert as_text(price_order([line("7.25", 2)], None)) == amounts(
        "14.50", "0.00", "2.90", "17.40"
    )


# --- refused inputs ----------------------------------------------------------------------

REFUSED = [
    pytest.param([], None, D("0.20"), id="empty-order"),
    pytest.param([line("1.00", 0)], None, D("0.20"), id="qty-0"),
    pytest.param([line("1.00", -2)], None, D("0.20"), id="qty-negative"),
    pytest.param([line("1.00", True)], None, D("0.20"), id="qty-bool"),
    pytest.param([line("1.00", 2.0)], None, D("0.20"), id="qty-float"),
    pytest.param([line("1.00", 1), line("1.00", 0)], None, D("0.20"), id="qty-0-on-second-line"),
    pytest.param([line("-0.01", 1)], None, D("0.20"), id="negative-price"),
    pytest.param([line(D("-5"), 10)], None, D("0.20"), id="negative-price-bulk"),
    pytest.param([line("1.00", 1)], None, D("-0.01"), id="rate-below-0"),
    pytest.param([line("1.00", 1)], None, D("1.01"), id="rate-above-1"),
    pytest.param([line("1.00", 1)], "SAVE20", D("0.20"), id="unknown-coupon"),
    pytest.param([line("1.00", 1)], "", D("0.20"), id="empty-coupon"),
    pytest.param([line("1.00", 1)], "SAVE 10", D("0.20"), id="coupon-inner-space"),
    pytest.param([line("1.00", 1)], "FLAT15X", D("0.20"), id="coupon-extra-text"),
]


@pytest.mark.parametrize(("lines", "coupon", "rate"), REFUSED)
def test_refused_inputs(lines, coupon, rate) -> None:
    with pytest.raises(ValueError):
        price_order(lines, coupon=coupon, tax_rate=rate)


# --- invariants on generated orders --------------------------------------------------------


def _generated_orders(count: int = 150):
    rng = random.Random(20240611)
    for _ in range(count):
        lines = [
            line(
                f"{rng.randint(0, 20000) / 1000:.3f}"
                if rng.random() < 0.5
                else D(rng.randint(0, 9999)) / 100,
                rng.choice([1, 2, 3, 7, 9, 10, 11, 25]),
                sku=f"sku{i}",
            )
            for i in range(rng.randint(1, 4))
        ]
        coupon = rng.choice([None, "SAVE10", "save10 ", "FLAT15", " Flat15"])
        rate = rng.choice([D("0"), D("0.05"), D("0.2"), D("0.175"), D("1")])
        yield lines, coupon, rate


@pytest.mark.parametrize(("lines", "coupon", "rate"), list(_generated_orders()))
def test_invariants(lines, coupon, rate) -> None:
    before = copy.deepcopy(lines)
    result = price_order(lines, coupon=coupon, tax_rate=rate)
    assert lines == before, "the input lines must not be modified"

    sub, disc, tax, total = (result[k] for k in ("subtotal", "discount", "tax", "total"))
    for value in (sub, disc, tax, total):
        assert isinstance(value, Decimal) and value.as_tuple().exponent == -2
    assert total == sub - disc + tax
    assert D("0") <= disc <= sub
    assert total >= 0
    code = None if coupon is None else coupon.strip().upper()
    if code == "SAVE10":
        assert disc <= D("20.00")
        assert abs(disc - min(sub / 10, D("20.00"))) <= D("0.005")
    elif code == "FLAT15":
        assert disc == min(D("15.00"), sub)
    else:
        assert disc == 0
    # tax is on the amount after the coupon, within half a cent
    assert abs(tax - (sub - disc) * rate) <= D("0.005")
    # and the same order without a coupon has the same subtotal
    assert price_order(lines, tax_rate=rate)["subtotal"] == sub


def test_lines_are_not_modified() -> None:
    lines = [line("2.50", 12, "pen"), line(D("3.10"), 1, "pad")]
    before = copy.deepcopy(lines)
    price_order(lines, coupon="SAVE10")
    assert lines == before
    assert isinstance(lines[0]["unit_price"], str)


def test_calls_do_not_influence_each_other() -> None:
    first = price_order([line("40.00", 1)], coupon="FLAT15")
    price_order([line("1000.00", 20)], coupon="SAVE10", tax_rate=D("1"))
    assert price_order([line("40.00", 1)], coupon="FLAT15") == first
