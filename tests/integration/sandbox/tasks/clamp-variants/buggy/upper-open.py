def clamp(x, lo, hi):
    if lo > hi:
        raise ValueError("lo > hi")
    if x >= hi:
        return hi - 1
    return max(lo, x)
