async def echo(value, delay=0.0):
    raise NotImplementedError
