def count_words(text):
    """Return a dict mapping each lower-cased word to its count."""
    raise NotImplementedError
