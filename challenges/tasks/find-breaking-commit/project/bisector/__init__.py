"""Find the first bad commit of a git history, the way ``git bisect`` does."""

from bisector.search import first_bad_commit

__all__ = ["first_bad_commit"]
