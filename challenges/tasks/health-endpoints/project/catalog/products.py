"""The catalog's own routes."""

from flask import Blueprint, jsonify

from catalog.connections import postgres

bp = Blueprint("products", __name__)


@bp.get("/products/count")
def count():
    """How many products the catalog holds."""
    with postgres() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS product (id serial PRIMARY KEY, name text)")
        (value,) = conn.execute("SELECT count(*) FROM product").fetchone()
    return jsonify({"count": value})
