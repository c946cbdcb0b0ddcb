"""Invoice rendering."""

from invoicer.render import render_invoice

__all__ = ["render_invoice"]
