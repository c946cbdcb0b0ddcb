"""Hidden probes for fix-pagination: each returns what paginate gave."""

from __future__ import annotations

from typing import Any

from probekit import probe


def _outcome(call: Any) -> Any:
    """Return the call's result, or the marker "ValueError" when it raises one."""
    try:
        return call()
    except ValueError:
        return "ValueError"


@probe("first-page", weight=3)
def _first(solution: Any) -> Any:
    return solution.paginate(list(range(1, 26)), 1, 10)


@probe("middle-page", weight=2)
def _middle(solution: Any) -> Any:
    return solution.paginate(list(range(1, 26)), 2, 10)


@probe("last-partial-page", weight=3)
def _last(solution: Any) -> Any:
    return solution.paginate(list(range(1, 46)), 3, 20)


@probe("exact-multiple-pages", weight=2)
def _exact(solution: Any) -> Any:
    items = list(range(20))
    return [solution.paginate(items, 1, 10), solution.paginate(items, 2, 10)]


@probe("page-after-the-last", weight=2)
def _past(solution: Any) -> Any:
    return [solution.paginate([1, 2, 3], 2, 3), solution.paginate([1, 2, 3], 7, 2)]


@probe("no-items", weight=2)
def _empty(solution: Any) -> Any:
    return [solution.paginate([], 1, 20), solution.paginate([], 2)]


@probe("default-per-page", weight=1)
def _default(solution: Any) -> Any:
    return solution.paginate(list(range(45)), 2)


@probe("one-item-per-page", weight=1)
def _one(solution: Any) -> Any:
    items = ["a", "b", "c"]
    return [solution.paginate(items, page, 1) for page in (1, 2, 3, 4)]


@probe("single-partial-page", weight=1)
def _single(solution: Any) -> Any:
    return solution.paginate(["x", "y"], 1, 5)


@probe("per-page-limits-accepted", weight=2)
def _limits_ok(solution: Any) -> Any:
    items = list(range(250))
    return [
        _outcome(lambda: solution.paginate(items, 3, 100)),
        _outcome(lambda: solution.paginate(items, 250, 1)),
    ]


@probe("per-page-out-of-range-rejected", weight=2)
def _limits_bad(solution: Any) -> Any:
    return [
        _outcome(lambda: solution.paginate([1, 2], 1, 0)),
        _outcome(lambda: solution.paginate([1, 2], 1, -5)),
        _outcome(lambda: solution.paginate([1, 2], 1, 101)),
    ]


@probe("page-below-one-rejected", weight=2)
def _page_bad(solution: Any) -> Any:
    return [
        _outcome(lambda: solution.paginate([1, 2], 0, 10)),
        _outcome(lambda: solution.paginate([1, 2], -1, 10)),
        _outcome(lambda: solution.paginate([], 0, 10)),
    ]


@probe("items-is-a-new-list-for-any-sequence", weight=1)
def _tuple_input(solution: Any) -> Any:
    from_tuple = solution.paginate(("a", "b", "c", "d"), 2, 3)
    from_range = solution.paginate(range(10), 2, 4)
    return [from_tuple, from_range]


@probe("input-left-untouched", weight=1)
def _untouched(solution: Any) -> Any:
    items = [5, 3, 1]
    result = solution.paginate(items, 1, 10)
    result["items"].append(99)
    return [items, result["total"]]


@probe("large-list", weight=1)
def _large(solution: Any) -> Any:
    items = list(range(100_001))
    result = solution.paginate(items, 1001, 100)
    return [result["items"], result["pages"], result["has_next"], result["has_prev"]]
