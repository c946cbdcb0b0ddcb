"""Tests for price_order: one named test per rule, with hand-computed amounts."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from solution import price_order

D = Decimal


def line(price: str, qty: int, sku: str = "item") -> dict[str, object]:
    """One order line with a Decimal unit price."""
    return {"sku": sku, "unit_price": D(price), "qty": qty}


def amounts(result: dict[str, Decimal]) -> tuple[str, str, str, str]:
    """The four amounts as strings (so that 10.0 and 10.00 differ)."""
    return (
        str(result["subtotal"]),
        str(result["discount"]),
        str(result["tax"]),
        str(result["total"]),
    )


def test_documented_example() -> None:
    """The example of the specification, with a lower-case coupon."""
    result = price_order([line("2.50", 4, "pen")], coupon="save10")
    assert result == {
        "subtotal": D("10.00"),
        "discount": D("1.00"),
        "tax": D("1.80"),
        "total": D("10.80"),
    }


def test_result_shape_and_two_decimal_places() -> None:
    """Exactly the four keys, each a Decimal with two decimal places."""
    result = price_order([line("3", 1)])
    assert set(result) == {"subtotal", "discount", "tax", "total"}
    for value in result.values():
        assert isinstance(value, Decimal)
        assert value.as_tuple().exponent == -2
    assert amounts(result) == ("3.00", "0.00", "0.60", "3.60")


def test_several_lines_are_added() -> None:
    """The subtotal is the sum of the line prices."""
    result = price_order([line("1.10", 2), line("0.35", 3), line("5", 1)])
    assert amounts(result) == ("8.25", "0.00", "1.65", "9.90")


def test_string_unit_price_is_accepted() -> None:
    """A unit price may be given as a string."""
    result = price_order([{"sku": "a", "unit_price": "1.25", "qty": 2}])
    assert amounts(result) == ("2.50", "0.00", "0.50", "3.00")


def test_no_bulk_discount_below_ten() -> None:
    """Nine units cost the full price."""
    assert price_order([line("10.00", 9)])["subtotal"] == D("90.00")


def test_bulk_discount_from_ten() -> None:
    """Ten units and more cost 5% less."""
    assert price_order([line("10.00", 10)])["subtotal"] == D("95.00")
    assert price_order([line("10.00", 11)])["subtotal"] == D("104.50")


def test_bulk_discount_is_per_line() -> None:
    """Two lines of 5 are not one line of 10."""
    assert price_order([line("10.00", 5), line("10.00", 5)])["subtotal"] == D("100.00")


def test_subtotal_rounded_once_not_per_line() -> None:
    """0.125 + 0.125 = 0.25, while rounding each line first would give 0.26."""
    result = price_order([line("0.125", 1), line("0.125", 1)])
    assert result["subtotal"] == D("0.25")


def test_subtotal_rounds_half_up() -> None:
    """0.125 rounds to 0.13 (half up), not 0.12 (half even)."""
    assert price_order([line("0.125", 1)])["subtotal"] == D("0.13")
    assert price_order([line("0.005", 1)])["subtotal"] == D("0.01")


def test_bulk_line_rounding_happens_on_the_subtotal() -> None:
    """10 x 0.25 x 0.95 = 2.375 exactly, rounded half up to 2.38."""
    assert price_order([line("0.25", 10)])["subtotal"] == D("2.38")


def test_tax_rounds_half_up() -> None:
    """Tax on 0.25 at 10% is 0.025, which rounds to 0.03."""
    result = price_order([line("0.25", 1)], tax_rate=D("0.10"))
    assert amounts(result) == ("0.25", "0.00", "0.03", "0.28")


def test_tax_is_charged_after_the_coupon() -> None:
    """Tax on 100.00 - 15.00, not on 100.00."""
    result = price_order([line("100.00", 1)], coupon="FLAT15")
    assert amounts(result) == ("100.00", "15.00", "17.00", "102.00")


def test_save10_is_ten_percent_of_the_subtotal() -> None:
    """SAVE10 on 50.00 is 5.00."""
    result = price_order([line("50.00", 1)], coupon="SAVE10")
    assert amounts(result) == ("50.00", "5.00", "9.00", "54.00")


def test_save10_discount_rounds_half_up() -> None:
    """10% of 0.25 is 0.025, which rounds to 0.03."""
    result = price_order([line("0.25", 1)], coupon="SAVE10", tax_rate=D("0"))
    assert amounts(result) == ("0.25", "0.03", "0.00", "0.22")


def test_save10_is_capped_at_twenty() -> None:
    """At 200.00 the discount is exactly 20.00; above it stays 20.00."""
    assert price_order([line("200.00", 1)], coupon="SAVE10")["discount"] == D("20.00")
    result = price_order([line("500.00", 1)], coupon="SAVE10")
    assert amounts(result) == ("500.00", "20.00", "96.00", "576.00")


def test_flat15_takes_fifteen_off() -> None:
    """FLAT15 on 40.00 leaves 25.00 to tax."""
    result = price_order([line("40.00", 1)], coupon="flat15")
    assert amounts(result) == ("40.00", "15.00", "5.00", "30.00")


def test_flat15_never_exceeds_the_subtotal() -> None:
    """On a 9.99 order FLAT15 takes 9.99 off: nothing is left to pay, never a negative total."""
    result = price_order([line("9.99", 1)], coupon="FLAT15")
    assert amounts(result) == ("9.99", "9.99", "0.00", "0.00")


def test_flat15_exactly_the_subtotal() -> None:
    """At 15.00 the discount is the whole subtotal."""
    result = price_order([line("15.00", 1)], coupon="FLAT15")
    assert amounts(result) == ("15.00", "15.00", "0.00", "0.00")


@pytest.mark.parametrize("code", ["save10", "Save10", "  SAVE10  ", "\tsave10\n"])
def test_coupon_case_and_surrounding_spaces_ignored(code: str) -> None:
    """Coupon codes are case-insensitive and stripped."""
    assert price_order([line("50.00", 1)], coupon=code)["discount"] == D("5.00")


def test_no_coupon() -> None:
    """coupon=None gives no discount."""
    assert price_order([line("50.00", 1)], coupon=None)["discount"] == D("0.00")


@pytest.mark.parametrize("code", ["SAVE20", "FLAT 15", "", "save", "SAVE10X"])
def test_unknown_coupon_raises(code: str) -> None:
    """Any other code is a ValueError."""
    with pytest.raises(ValueError):
        price_order([line("50.00", 1)], coupon=code)


def test_custom_tax_rate() -> None:
    """The tax rate is a parameter."""
    result = price_order([line("10.00", 1)], tax_rate=D("0.07"))
    assert amounts(result) == ("10.00", "0.00", "0.70", "10.70")


@pytest.mark.parametrize("rate", ["0", "1"])
def test_tax_rate_bounds_are_allowed(rate: str) -> None:
    """0 and 1 are valid tax rates."""
    result = price_order([line("10.00", 1)], tax_rate=D(rate))
    assert result["tax"] == D("10.00") * D(rate)


@pytest.mark.parametrize("rate", ["-0.01", "1.01", "20"])
def test_tax_rate_outside_range_raises(rate: str) -> None:
    """A tax rate outside 0..1 is a ValueError."""
    with pytest.raises(ValueError):
        price_order([line("10.00", 1)], tax_rate=D(rate))


def test_empty_order_raises() -> None:
    """An order needs at least one line."""
    with pytest.raises(ValueError):
        price_order([])


@pytest.mark.parametrize("qty", [0, -1, -10])
def test_quantity_below_one_raises(qty: int) -> None:
    """A quantity must be at least 1."""
    with pytest.raises(ValueError):
        price_order([line("1.00", qty)])


def test_non_integer_quantity_raises() -> None:
    """A fractional quantity is not an integer."""
    with pytest.raises(ValueError):
        price_order([{"sku": "a", "unit_price": D("1.00"), "qty": 1.5}])


def test_negative_unit_price_raises() -> None:
    """A negative unit price is a ValueError; zero is allowed."""
    with pytest.raises(ValueError):
        price_order([line("-0.01", 1)])
    assert amounts(price_order([line("0", 3)])) == ("0.00", "0.00", "0.00", "0.00")


def test_invalid_line_anywhere_raises() -> None:
    """A bad line after good ones still raises."""
    with pytest.raises(ValueError):
        price_order([line("1.00", 1), line("1.00", 0)])


def test_input_lines_are_not_modified() -> None:
    """price_order leaves the caller's lines as they were."""
    lines = [line("10.00", 12), {"sku": "b", "unit_price": "0.125", "qty": 1}]
    before = copy.deepcopy(lines)
    price_order(lines, coupon="SAVE10")
    assert lines == before
