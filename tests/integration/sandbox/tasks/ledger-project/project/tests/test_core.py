from ledger import balance


def test_sales_add_up():
    assert balance([("sale", 5), ("sale", 7)]) == 12


def test_refunds_subtract():
    assert balance([("sale", 5), ("refund", 2)]) == 3
