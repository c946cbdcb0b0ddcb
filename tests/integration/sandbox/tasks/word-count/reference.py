def count_words(text):
    """Return a dict mapping each lower-cased word to its count."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    counts = {}
    for word in text.lower().split():
        counts[word] = counts.get(word, 0) + 1
    return counts
