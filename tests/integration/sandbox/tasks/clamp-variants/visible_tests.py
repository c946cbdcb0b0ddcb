from solution import clamp


def test_something():
    assert clamp(5, 0, 10) == 5
