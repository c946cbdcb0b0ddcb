import pytest
from solution import clamp


def test_inside():
    assert clamp(5, 0, 10) == 5


def test_bounds():
    assert clamp(-1, 0, 10) == 0
    assert clamp(11, 0, 10) == 10
    assert clamp(10, 0, 10) == 10


def test_bad_range():
    with pytest.raises(ValueError, match="lo"):
        clamp(1, 5, 0)
