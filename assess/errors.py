"""Named exceptions of the domain. Views and the API turn them into responses."""

from __future__ import annotations


class AssessError(Exception):
    """Base of every error the application raises on purpose."""

    status = 400
    code = "error"


class ConfigurationError(AssessError):
    """The configuration is unusable (a missing secret, a malformed number)."""

    status = 500
    code = "configuration"


class NotFound(AssessError):
    """The object does not exist, or the person may not know that it does."""

    status = 404
    code = "not_found"


class Forbidden(AssessError):
    """The person is known but may not do this."""

    status = 403
    code = "forbidden"


class RateLimited(AssessError):
    """Too many attempts in the window; try again later."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        """Keep how long the caller should wait."""
        super().__init__(message)
        self.retry_after = retry_after


class ValidationFailed(AssessError):
    """Input was malformed; ``fields`` maps a field name to its message."""

    status = 422
    code = "validation"

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        """Keep the per-field messages."""
        super().__init__(message)
        self.fields = fields or {}


class BankError(AssessError):
    """The challenge bank has an error; the message names the file and line."""

    code = "bank"


class InvitationInvalid(AssessError):
    """An invitation link that is unknown, expired or revoked (the reason says which)."""

    status = 404
    code = "invitation_invalid"


class AttemptClosed(AssessError):
    """The attempt is finished or past its deadline; nothing more is accepted."""

    status = 409
    code = "attempt_closed"


class Conflict(AssessError):
    """The request conflicts with the current state (a second attempt, a stale revision)."""

    status = 409
    code = "conflict"
