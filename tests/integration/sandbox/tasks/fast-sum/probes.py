from probekit import probe


@probe("small")
def _(solution):
    return [solution.total_below(n) for n in (0, 1, 2, 10)]


@probe("large", weight=2)
def _(solution):
    return solution.total_below(30_000_000)
