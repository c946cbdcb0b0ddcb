import asyncio

from solution import echo


def test_echo():
    assert asyncio.run(echo(1)) == 1
