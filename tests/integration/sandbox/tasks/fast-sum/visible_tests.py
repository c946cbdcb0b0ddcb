from solution import total_below


def test_small():
    assert total_below(4) == 6
