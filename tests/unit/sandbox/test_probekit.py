"""The probe API: strict encoding of observations, exception names, registration."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[3] / "sandbox" / "harness"))
import probekit


@pytest.fixture(autouse=True)
def clean_registry() -> Iterator[None]:
    """Each test starts with no registered probes."""
    saved = list(probekit.PROBES)
    probekit.PROBES.clear()
    yield
    probekit.PROBES[:] = saved


class Rigged(dict):  # type: ignore[type-arg]
    """A dict whose equality always holds."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = None  # type: ignore[assignment]


class Text(str):
    """A str subclass."""


def test_plain_values_encode() -> None:
    """Exact built-in types become tagged JSON data; tuples differ from lists."""
    assert probekit.encode([1, "a", None, True, 2.5]) == [1, "a", None, True, 2.5]
    assert probekit.encode((1, 2)) == {"tuple": [1, 2]}
    assert probekit.encode({"b": 1, "a": [2]}) == {"dict": [["a", [2]], ["b", 1]]}
    assert probekit.encode({3, 1, 2}) == {"set": [1, 2, 3]}
    assert probekit.encode(frozenset({"x"})) == {"set": ["x"]}
    assert probekit.encode(b"\x00\xff") == {"bytes": "00ff"}
    assert probekit.encode(float("nan")) == {"float": "nan"}


RIGGED: list[Any] = [
    Rigged(),
    Text("a"),
    {1: "non-str key"},
    object(),
    10**301,
    "x" * 100_001,
    list(range(10_001)),
    {str(i): i for i in range(10_001)},
]


@pytest.mark.parametrize("value", RIGGED)
def test_rigged_or_oversized_values_are_unencodable(value: Any) -> None:
    """Subclasses, foreign objects and oversized values never match anything."""
    with pytest.raises(probekit.Unencodable):
        probekit.encode(value)


def test_deep_nesting_is_unencodable() -> None:
    """Nesting beyond the depth limit is refused."""
    value: list[Any] = []
    for _ in range(probekit.MAX_DEPTH + 2):
        value = [value]
    with pytest.raises(probekit.Unencodable, match="deeply"):
        probekit.encode(value)


def test_observe_names_builtin_exceptions_only() -> None:
    """A raised built-in exception is named; a look-alike class is just 'Exception'."""
    fake = type("ValueError", (Exception,), {})

    def raises(exc: BaseException) -> Any:
        def run(module: Any) -> Any:
            raise exc

        return run

    assert probekit.observe(raises(KeyError("k")), None) == {"raised": "KeyError"}
    assert probekit.observe(raises(fake()), None) == {"raised": "Exception"}
    sub = type("MyError", (ValueError,), {})
    assert probekit.observe(raises(sub()), None) == {"raised": "ValueError"}
    assert probekit.observe(lambda m: Rigged(), None) == {
        "unencodable": "value of type Rigged is not plain data"
    }
    assert probekit.observe(lambda m: m * 2, 21) == 42


def test_probe_registration_rules() -> None:
    """Ids are unique and bounded; weights are positive."""

    @probekit.probe("first", weight=2, timeout=1.5)
    def first(module: Any) -> Any:
        return module

    assert [probekit.Probe("first", 2.0, first, 1.5)] == probekit.PROBES
    with pytest.raises(ValueError, match="duplicate"):
        probekit.probe("first")(first)
    with pytest.raises(ValueError, match=r"1\.\.80"):
        probekit.probe("")
    with pytest.raises(ValueError, match="positive"):
        probekit.probe("x", weight=0)
