from probekit import probe


@probe("sales")
def _(ledger):
    return ledger.balance([("sale", 3), ("sale", 4)])


@probe("refunds", weight=2)
def _(ledger):
    return ledger.balance([("sale", 10), ("refund", 4), ("refund", 1)])


@probe("empty")
def _(ledger):
    return ledger.balance([])


@probe("package-api")
def _(ledger):
    import ledger.core

    return ledger.core.balance is ledger.balance
