def balance(entries):
    """Sales add their amount, refunds subtract it."""
    signs = {"sale": 1, "refund": -1}
    return sum(signs[kind] * amount for kind, amount in entries)
