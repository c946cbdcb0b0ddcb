def total_below(n):
    """Sum of the integers 0..n-1."""
    total = 0
    for i in range(n):
        total += i
    return total
