"""Sample tests for top_words (informative only: the hidden checks go further)."""

from solution import top_words


def test_counts_and_order() -> None:
    """The most frequent words come first."""
    assert top_words("The cat and the hat.", 2) == [("the", 2), ("and", 1)]


def test_ties_are_sorted_by_word() -> None:
    """Equal counts are ordered by word ascending."""
    assert top_words("b a b a c", 2) == [("a", 2), ("b", 2)]


def test_apostrophe_inside_a_word() -> None:
    """An apostrophe between two letters belongs to the word."""
    assert top_words("Don't stop; don't!", 5) == [("don't", 2), ("stop", 1)]


def test_underscore_splits_words() -> None:
    """Underscores are not word characters."""
    assert top_words("snake_case", 5) == [("case", 1), ("snake", 1)]


def test_non_positive_n() -> None:
    """n <= 0 gives an empty list."""
    assert top_words("anything", 0) == []
