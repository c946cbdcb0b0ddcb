from ledger.core import balance

__all__ = ["balance"]
