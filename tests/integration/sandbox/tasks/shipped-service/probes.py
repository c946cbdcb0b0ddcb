from probekit import probe


@probe("greets")
def _(shipped):
    return shipped.greet("lin")
