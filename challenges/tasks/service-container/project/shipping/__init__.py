"""Shipping quotes: the price of sending a parcel of a given weight to a zone."""

RATES = {"domestic": (450, 120), "eu": (900, 250), "world": (1500, 480)}


def quote(weight_kg: float, zone: str) -> int:
    """The price in cents: the zone's base price plus its price per started kilogram."""
    if zone not in RATES:
        raise ValueError(f"unknown zone {zone!r}")
    if weight_kg <= 0:
        raise ValueError("the weight must be positive")
    base, per_kg = RATES[zone]
    return base + per_kg * -int(-weight_kg // 1)
