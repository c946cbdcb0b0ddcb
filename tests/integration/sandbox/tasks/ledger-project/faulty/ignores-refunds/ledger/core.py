def balance(entries):
    """Sales add their amount, refunds subtract it."""
    return sum(amount for kind, amount in entries if kind == "sale")
