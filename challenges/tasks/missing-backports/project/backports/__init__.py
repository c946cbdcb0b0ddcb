"""Which commits of main are not yet on a release branch."""

from backports.compare import missing

__all__ = ["missing"]
