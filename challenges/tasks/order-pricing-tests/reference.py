"""A test suite for price_order that pins down every pricing rule."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from solution import price_order

D = Decimal


def line(price: str, qty: int, sku: str = "item") -> dict[str, Any]:
    """One order line with a Decimal unit price."""
    return {"sku": sku, "unit_price": D(price), "qty": qty}


def amounts(result: dict[str, Decimal]) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """The four amounts in a fixed order."""
    return result["subtotal"], result["discount"], result["tax"], result["total"]


def test_single_line_without_coupon() -> None:
    """One line, no coupon: the default 20% tax is added to the subtotal."""
    result = price_order([line("2.50", 4)])
    assert result == {
        "subtotal": D("10.00"),
        "discount": D("0.00"),
        "tax": D("2.00"),
        "total": D("12.00"),
    }


def test_amounts_have_two_decimal_places() -> None:
    """Every amount is a Decimal with exactly two decimal places."""
    result = price_order([line("3", 1)], tax_rate=D("0"))
    for value in result.values():
        assert isinstance(value, Decimal)
        assert value.as_tuple().exponent == -2


def test_string_unit_price_is_accepted() -> None:
    """A unit price given as a string is priced like the same Decimal."""
    result = price_order([{"sku": "x", "unit_price": "1.10", "qty": 3}])
    assert amounts(result) == (D("3.30"), D("0.00"), D("0.66"), D("3.96"))


@pytest.mark.parametrize(
    ("qty", "subtotal"),
    [(9, D("9.00")), (10, D("9.50")), (11, D("10.45")), (20, D("19.00"))],
)
def test_bulk_discount_starts_at_ten(qty: int, subtotal: Decimal) -> None:
    """A line of ten or more costs 5% less; nine does not."""
    result = price_order([line("1.00", qty)], tax_rate=D("0"))
    assert result["subtotal"] == subtotal


def test_bulk_discount_is_per_line() -> None:
    """Only the bulk line is discounted, not the whole order."""
    result = price_order([line("1.00", 10, "a"), line("2.00", 1, "b")], tax_rate=D("0"))
    assert result["subtotal"] == D("11.50")


def test_subtotal_is_rounded_once_not_per_line() -> None:
    """3.135 + 3.135 = 6.27 (rounding each line first would give 6.28)."""
    result = price_order([line("0.33", 10, "a"), line("0.33", 10, "b")], tax_rate=D("0"))
    assert result["subtotal"] == D("6.27")


def test_half_cents_round_up() -> None:
    """0.625 rounds to 0.63 and a tax of 0.125 to 0.13 (not to the even cent)."""
    result = price_order([line("0.625", 1)])
    assert amounts(result) == (D("0.63"), D("0.00"), D("0.13"), D("0.76"))
    assert price_order([line("0.125", 1)], tax_rate=D("0"))["subtotal"] == D("0.13")


def test_tax_is_charged_after_the_coupon() -> None:
    """SAVE10 on 100.00: tax is 20% of 90.00."""
    result = price_order([line("50.00", 2)], coupon="SAVE10")
    assert amounts(result) == (D("100.00"), D("10.00"), D("18.00"), D("108.00"))


def test_save10_is_capped_at_twenty() -> None:
    """10% of 300.00 would be 30.00; the discount stops at 20.00."""
    result = price_order([line("100.00", 3)], coupon="SAVE10", tax_rate=D("0"))
    assert amounts(result) == (D("300.00"), D("20.00"), D("0.00"), D("280.00"))
    exactly = price_order([line("200.00", 1)], coupon="SAVE10", tax_rate=D("0"))
    assert exactly["discount"] == D("20.00")


def test_save10_discount_is_rounded_half_up() -> None:
    """10% of 0.25 is 0.025, which rounds to 0.03."""
    result = price_order([line("0.25", 1)], coupon="SAVE10", tax_rate=D("0"))
    assert result["discount"] == D("0.03")


def test_flat15_takes_fifteen_off() -> None:
    """FLAT15 takes 15.00 off a large enough order."""
    result = price_order([line("40.00", 1)], coupon="FLAT15")
    assert amounts(result) == (D("40.00"), D("15.00"), D("5.00"), D("30.00"))


def test_flat15_never_makes_total_negative() -> None:
    """On a 10.00 order FLAT15 takes 10.00 off and the total is zero."""
    result = price_order([line("5.00", 2)], coupon="FLAT15")
    assert amounts(result) == (D("10.00"), D("10.00"), D("0.00"), D("0.00"))


@pytest.mark.parametrize("code", ["save10", "Save10", "  SAVE10 ", "flat15"])
def test_coupon_codes_ignore_case_and_spaces(code: str) -> None:
    """Coupon codes are case-insensitive and stripped."""
    result = price_order([line("50.00", 1)], coupon=code, tax_rate=D("0"))
    assert result["discount"] in {D("5.00"), D("15.00")}


@pytest.mark.parametrize("code", ["SAVE20", "", "FLAT 15", "SAVE10X"])
def test_unknown_coupon_is_rejected(code: str) -> None:
    """Any other coupon code raises ValueError."""
    with pytest.raises(ValueError):
        price_order([line("50.00", 1)], coupon=code)


def test_no_coupon_means_no_discount() -> None:
    """coupon=None gives a zero discount."""
    assert price_order([line("50.00", 1)], coupon=None)["discount"] == D("0.00")


@pytest.mark.parametrize("qty", [0, -1, 1.5, "2"])
def test_bad_quantity_is_rejected(qty: Any) -> None:
    """A quantity that is not a positive integer raises ValueError."""
    with pytest.raises(ValueError):
        price_order([{"sku": "x", "unit_price": D("1.00"), "qty": qty}])


def test_negative_price_is_rejected() -> None:
    """A negative unit price raises ValueError; a zero price is fine."""
    with pytest.raises(ValueError):
        price_order([line("-0.01", 1)])
    assert price_order([line("0", 1)])["total"] == D("0.00")


def test_empty_order_is_rejected() -> None:
    """An order without lines raises ValueError."""
    with pytest.raises(ValueError):
        price_order([])


@pytest.mark.parametrize("rate", [D("-0.01"), D("1.01"), D("20")])
def test_tax_rate_outside_zero_to_one_is_rejected(rate: Decimal) -> None:
    """A tax rate below 0 or above 1 raises ValueError."""
    with pytest.raises(ValueError):
        price_order([line("1.00", 1)], tax_rate=rate)


@pytest.mark.parametrize(("rate", "tax"), [(D("0"), D("0.00")), (D("1"), D("10.00"))])
def test_tax_rate_bounds_are_allowed(rate: Decimal, tax: Decimal) -> None:
    """0 and 1 are valid tax rates."""
    assert price_order([line("10.00", 1)], tax_rate=rate)["tax"] == tax


def test_input_lines_are_not_modified() -> None:
    """Pricing does not change the caller's lines."""
    lines = [line("1.00", 12, "a"), line("3.30", 1, "b")]
    before = copy.deepcopy(lines)
    price_order(lines, coupon="SAVE10")
    assert lines == before
