"""Field rules for a sign-up request."""

from __future__ import annotations


def email_ok(address: str) -> bool:
    if len(address) > 254:
        return False
    if address != "".join(address.split()):
        return False
    parts = address.split("@")
    if len(parts) != 2:
        return False
    local, domain = parts
    if local == "":
        return False
    if domain.find(".") < 0:
        return False
    return domain[0] != "." and domain[-1] != "."


def name_ok(name: str) -> bool:
    return len(name) >= 1 and len(name) <= 100


def first_problem(data: dict) -> tuple[str, str] | None:
    """(error code, field) of the first field that fails, or None."""
    for field, ok in [("email", email_ok), ("name", name_ok)]:
        if field not in data:
            return "missing_field", field
        if not isinstance(data[field], str):
            return "invalid_field", field
        if not ok(data[field].strip()):
            return "invalid_field", field
    return None
