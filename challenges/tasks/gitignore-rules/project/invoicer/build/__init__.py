"""Builds PDF files from rendered invoices (source code: must stay tracked)."""

from __future__ import annotations


def pdf_name(number: str) -> str:
    """The file name of the PDF built for invoice ``number``."""
    return f"invoice-{number}.pdf"
