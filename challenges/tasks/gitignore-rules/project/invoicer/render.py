"""Plain-text invoices."""

from __future__ import annotations


def render_invoice(number: str, lines: list[tuple[str, int]]) -> str:
    """The invoice as text: one line per item (amounts in cents) and the total."""
    body = [f"Invoice {number}"]
    body += [f"{name}: {cents / 100:.2f}" for name, cents in lines]
    body.append(f"Total: {sum(cents for _, cents in lines) / 100:.2f}")
    return "\n".join(body)
