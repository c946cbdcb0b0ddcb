from collections import defaultdict


def balance(entries):
    totals = defaultdict(int)
    for kind, amount in entries:
        totals[kind] += amount
    return totals["sale"] - totals["refund"]
