def total_below(n):
    """Sum of the integers 0..n-1."""
    return n * (n - 1) // 2 if n > 0 else 0
