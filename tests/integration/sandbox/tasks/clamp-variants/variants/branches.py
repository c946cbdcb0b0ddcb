def clamp(value, low, high):
    if high < low:
        raise ValueError(f"empty range: lo {low} > hi {high}")
    if value < low:
        return low
    if value > high:
        return high
    return value
