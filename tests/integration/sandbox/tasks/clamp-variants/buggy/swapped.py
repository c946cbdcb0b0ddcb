def clamp(x, lo, hi):
    if lo > hi:
        raise ValueError("lo > hi")
    return min(lo, max(x, hi))
