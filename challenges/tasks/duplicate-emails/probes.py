"""Hidden probes for duplicate-emails: results on small and large inputs."""

from __future__ import annotations

from typing import Any

from probekit import probe


def _summary(groups: Any) -> Any:
    """Condense a long result: group count, total size, the first and last groups."""
    return [len(groups), sum(len(group) for group in groups), groups[:3], groups[-3:]]


def _variant(address: str, k: int) -> str:
    """Spell ``address`` differently (case, surrounding whitespace) depending on ``k``."""
    if k % 3 == 1:
        return address.upper()
    if k % 3 == 2:
        return f"  {address}\t"
    return address


@probe("example", weight=2)
def _example(solution: Any) -> Any:
    return solution.duplicate_groups(["a@x.io", "b@x.io", " A@X.io", "c@x.io", "b@x.io", "a@x.io"])


@probe("no-duplicates", weight=1)
def _unique(solution: Any) -> Any:
    return [
        solution.duplicate_groups(["a@x.io", "b@x.io", "c@x.io"]),
        solution.duplicate_groups([]),
    ]


@probe("case-and-whitespace-normalised", weight=2)
def _normalised(solution: Any) -> Any:
    return solution.duplicate_groups(
        ["Ann@Mail.COM", "ann@mail.com ", "\tANN@mail.com\n", "an@mail.com"]
    )


@probe("inner-whitespace-kept", weight=1)
def _inner(solution: Any) -> Any:
    return solution.duplicate_groups(["a b@x.io", "ab@x.io", "A B@x.io"])


@probe("blank-entries-ignored", weight=2)
def _blank(solution: Any) -> Any:
    return solution.duplicate_groups(["", "a@x.io", "  ", "\t", "", "A@x.io "])


@probe("groups-ordered-by-first-index", weight=2)
def _order(solution: Any) -> Any:
    return solution.duplicate_groups(
        ["z@x.io", "b@x.io", "a@x.io", "a@x.io", "b@x.io", "z@x.io", "a@x.io"]
    )


@probe("non-ascii-lower", weight=1)
def _non_ascii(solution: Any) -> Any:
    return solution.duplicate_groups(["ÉLODIE@x.fr", "élodie@x.fr", "STRASSE@x.de", "straße@x.de"])


@probe("input-not-modified", weight=1)
def _untouched(solution: Any) -> Any:
    emails = [" A@x.io", "a@x.io", "B@x.io "]
    solution.duplicate_groups(emails)
    return emails


@probe("repeat-calls-independent", weight=1)
def _repeat(solution: Any) -> Any:
    first = solution.duplicate_groups(["a@x.io", "a@x.io"])
    second = solution.duplicate_groups(["b@x.io", "c@x.io"])
    return [first, second]


@probe("large-all-unique", weight=3)
def _large_unique(solution: Any) -> Any:
    emails = [f"user{i}@example.com" for i in range(5_000)]
    return solution.duplicate_groups(emails)


@probe("large-pairs-spelled-differently", weight=3)
def _large_pairs(solution: Any) -> Any:
    emails = [_variant(f"client{i % 3_000}@shop.example", i // 3_000 + i) for i in range(6_000)]
    return _summary(solution.duplicate_groups(emails))


@probe("large-few-big-groups", weight=2)
def _large_groups(solution: Any) -> Any:
    emails = [_variant(f"team{(i * 7) % 50}@corp.example", i) for i in range(4_000)]
    emails += [f"solo{i}@corp.example" for i in range(3_000)]
    return _summary(solution.duplicate_groups(emails))


@probe("large-mostly-blank", weight=1)
def _large_blank(solution: Any) -> Any:
    emails = ["" if i % 4 else f" dup{i % 40}@x.io" for i in range(20_000)]
    return _summary(solution.duplicate_groups(emails))
