"""The opaque page cursor: a position (created_at, id) written as plain text.

Format: ``p<microseconds since the Unix epoch, UTC>_<id>``, both in decimal, for example
``p1772366405000000_42``. The microseconds make the position exact; clients never parse it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
ONE_MICROSECOND = timedelta(microseconds=1)
MAX_BIGINT = 2**63 - 1
_FORMAT = re.compile(r"p(-?[0-9]{1,19})_([0-9]{1,19})")


class InvalidCursor(ValueError):
    """The string is not a cursor this server issued."""


def encode(created_at: datetime, row_id: int) -> str:
    micros = (created_at - EPOCH) // ONE_MICROSECOND
    return f"p{micros}_{row_id}"


def decode(text: str) -> tuple[datetime, int]:
    match = _FORMAT.fullmatch(text)
    if match is None:
        raise InvalidCursor(text)
    micros, row_id = int(match.group(1)), int(match.group(2))
    if row_id > MAX_BIGINT:
        raise InvalidCursor(text)
    try:
        created_at = EPOCH + timedelta(microseconds=micros)
    except OverflowError as exc:
        raise InvalidCursor(text) from exc
    return created_at, row_id
