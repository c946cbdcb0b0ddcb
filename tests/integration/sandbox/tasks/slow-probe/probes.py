import asyncio

from probekit import probe


@probe("quick")
def _(solution):
    return asyncio.run(solution.echo("a"))


@probe("bounded", timeout=0.5)
def _(solution):
    return asyncio.run(solution.echo("b", 0.01))


@probe("after")
def _(solution):
    return asyncio.run(solution.echo(("c", 1)))
