def balance(entries):
    total = 0
    for kind, amount in entries:
        if kind == "refund":
            total -= amount
        else:
            total += amount
    return total
