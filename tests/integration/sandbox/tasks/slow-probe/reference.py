import asyncio


async def echo(value, delay=0.0):
    """Return ``value`` after ``delay`` seconds."""
    await asyncio.sleep(delay)
    return value
