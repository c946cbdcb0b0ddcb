from probekit import probe


@probe("simple", weight=2)
def _(solution):
    return solution.count_words("b a b")


@probe("case-folded")
def _(solution):
    return solution.count_words("A a B")


@probe("empty")
def _(solution):
    return solution.count_words("")


@probe("whitespace")
def _(solution):
    return solution.count_words("  x\ty\n x ")


@probe("rejects-non-str")
def _(solution):
    return solution.count_words(None)
