"""Named exceptions of the sandbox."""

from __future__ import annotations


class SandboxError(Exception):
    """The platform failed (engine unreachable, image missing, harness broken)."""


class EngineUnavailableError(SandboxError):
    """The Docker engine cannot be reached."""


class ImageMissingError(SandboxError):
    """The runner image is not built."""


class GoldenError(SandboxError):
    """The reference solution did not produce a clean set of observations."""


class TaskFormatError(Exception):
    """A task folder does not follow the bank format; names the file (and line)."""

    def __init__(self, path: object, message: str, line: int | None = None) -> None:
        """Remember where the problem is."""
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")
