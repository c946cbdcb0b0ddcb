"""A tiny schema language: one description serves the OpenAPI document and request checks.

Each field knows its JSON Schema (for the document) and how to check a value (for requests),
returning the cleaned value or raising :class:`SchemaError` with per-field messages keyed by a
path such as ``candidates[2].email``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assess import textrules

SCHEMA_REF = "#/components/schemas/"


class SchemaError(Exception):
    """A value broke its schema; ``fields`` maps each bad path to its message."""

    def __init__(self, fields: dict[str, str]) -> None:
        """Keep the per-field messages."""
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


def _join(path: str, key: str | int) -> str:
    """The path of a member (``a.b``) or an item (``a[2]``)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Components:
    """The named schemas collected while a document is built."""

    def __init__(self) -> None:
        """Start empty."""
        self.schemas: dict[str, dict[str, Any]] = {}

    def ref(self, name: str, build: Any) -> dict[str, Any]:
        """Register ``name`` once (built lazily) and return a reference to it."""
        if name not in self.schemas:
            self.schemas[name] = {}
            self.schemas[name] = build(self)
        return {"$ref": SCHEMA_REF + name}


@dataclass(frozen=True)
class Field:
    """Base of every field: a description and whether ``null`` is allowed."""

    description: str = ""
    nullable: bool = False

    def type_schema(self, components: Components) -> dict[str, Any]:
        """The JSON Schema of a non-null value."""
        raise NotImplementedError

    def json_schema(self, components: Components) -> dict[str, Any]:
        """The JSON Schema of this field, with null when allowed."""
        schema = dict(self.type_schema(components))
        if self.nullable:
            if "type" in schema:
                kind = schema["type"]
                schema["type"] = [kind, "null"] if isinstance(kind, str) else [*kind, "null"]
                if "enum" in schema:
                    schema["enum"] = [*schema["enum"], None]
            else:
                schema = {"anyOf": [schema, {"type": "null"}]}
        if self.description:
            if "$ref" in schema:
                return {"allOf": [schema], "description": self.description}
            schema["description"] = self.description
        return schema

    def check(self, value: Any, path: str) -> Any:
        """The cleaned value, or SchemaError."""
        if value is None:
            if self.nullable:
                return None
            raise SchemaError({path or "body": "must not be null"})
        return self.check_value(value, path)

    def check_value(self, value: Any, path: str) -> Any:
        """Check a non-null value."""
        raise NotImplementedError

    def parse_text(self, raw: str, path: str) -> Any:
        """Parse a query-string value, then check it."""
        return self.check(raw, path)


def _ecma_anchors(pattern: str) -> str:
    """A Python pattern whose final ``$`` matches only at the very end, as in ECMA-262."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


@dataclass(frozen=True)
class String(Field):
    """A string with length bounds, an optional format, pattern or choice of values."""

    min_length: int = 0
    max_length: int | None = None
    format: str | None = None
    pattern: str | None = None
    choices: tuple[str, ...] = ()

    def type_schema(self, components: Components) -> dict[str, Any]:
        """The JSON Schema of a string."""
        schema: dict[str, Any] = {"type": "string"}
        if self.choices:
            schema["enum"] = list(self.choices)
        if self.min_length:
            schema["minLength"] = self.min_length
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.format:
            schema["format"] = self.format
        if self.pattern:
            schema["pattern"] = self.pattern
        return schema

    def check_value(self, value: Any, path: str) -> Any:
        """A string within the bounds."""
        if not isinstance(value, str):
            raise SchemaError({path: "must be a string"})
        if self.choices and value not in self.choices:
            raise SchemaError({path: "must be one of " + ", ".join(self.choices)})
        if len(value) < self.min_length:
            raise SchemaError({path: f"must have at least {self.min_length} characters"})
        if self.max_length is not None and len(value) > self.max_length:
            raise SchemaError({path: f"must have at most {self.max_length} characters"})
        if self.pattern and not re.search(_ecma_anchors(self.pattern), value):
            raise SchemaError({path: f"must match {self.pattern}"})
        return value


@dataclass(frozen=True)
class Integer(Field):
    """A whole number within optional bounds."""

    minimum: int | None = None
    maximum: int | None = None

    def type_schema(self, components: Components) -> dict[str, Any]:
        """The JSON Schema of an integer."""
        schema: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema

    def check_value(self, value: Any, path: str) -> Any:
        """An int (never a bool; ``3.0`` counts, as in JSON Schema) within the bounds."""
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError({path: "must be an integer"})
        if self.minimum is not None and value < self.minimum:
            raise SchemaError({path: f"must be at least {self.minimum}"})
        if self.maximum is not None and value > self.maximum:
            raise SchemaError({path: f"must be at most {self.maximum}"})
        return value

    def parse_text(self, raw: str, path: str) -> Any:
        """Parse decimal digits, then check the bounds."""
        text = raw.strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,18}", text):
            raise SchemaError({path: "must be an integer"})
        return self.check(int(text), path)


@dataclass(frozen=True)
class Number(Field):
    """A number (only described: responses use it)."""

    def type_schema(self, components: Components) -> dict[str, Any]:
        """The JSON Schema of a number."""
        return {"type": "number"}

    def check_value(self, value: Any, path: str) -> Any:
        """An int or float, never a bool."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SchemaError({path: "must be a number"})
        return value


@dataclass(frozen=True)
class Boolean(Field):
    """True or false."""

    def type_schema(self, components: Components) -> dict[str, Any]:
        """The JSON Schema of a boolean."""
        return {"type": "boolean"}

    def check_value(self, value: Any, path: str) -> Any:
        """A JSON boolean."""
        if not isinstance(value, bool):
            raise SchemaError({path: "must be true or false"})
        return value

    def parse_text(self, raw: str, path: str) -> Any:
        """Accept true/false in a query string."""
        if raw in ("true", "false"):
            return raw == "true"
        raise SchemaError({path: "must be true or false"})


@dataclass(frozen=True)
class Array(Field):
    """A list of items of one schema."""

    items: Field = field(default_factory=Field)
    min_items: int = 0
    max_items: int | None = None

    def type_schema(self, components: Components) -> dict[str, Any]:
        """The JSON Schema of an array."""
        schema: dict[str, Any] = {"type": "array", "items": self.items.json_schema(components)}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return schema

    def check_value(self, value: Any, path: str) -> Any:
        """A list whose every item is checked; all bad items are reported together."""
        if not isinstance(value, list):
            raise SchemaError({path: "must be a list"})
        if len(value) < self.min_items:
            raise SchemaError({path: f"must have at least {self.min_items} items"})
        if self.max_items is not None and len(value) > self.max_items:
            raise SchemaError({path: f"must have at most {self.max_items} items"})
        cleaned, errors = [], {}
        for index, item in enumerate(value):
            try:
                cleaned.append(self.items.check(item, _join(path, index)))
            except SchemaError as exc:
                errors.update(exc.fields)
        if errors:
            raise SchemaError(errors)
        return cleaned


@dataclass(frozen=True)
class Map(Field):
    """An object with free keys whose values share one schema (or anything)."""

    values: Field | None = None

    def type_schema(self, components: Components) -> dict[str, Any]:
        """The JSON Schema of a free-form object."""
        extra: Any = self.values.json_schema(components) if self.values else True
        return {"type": "object", "additionalProperties": extra}

    def check_value(self, value: Any, path: str) -> Any:
        """A JSON object."""
        if not isinstance(value, dict):
            raise SchemaError({path or "body": "must be an object"})
        return value


@dataclass(frozen=True)
class Object(Field):
    """An object with known properties; unknown ones are refused in requests.

    A ``name`` makes it a reusable component of the document.
    """

    properties: Mapping[str, Field] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    name: str | None = None

    def _build(self, components: Components) -> dict[str, Any]:
        """The inline JSON Schema of the object."""
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {k: f.json_schema(components) for k, f in self.properties.items()},
            "additionalProperties": False,
        }
        if self.required:
            schema["required"] = list(self.required)
        return schema

    def type_schema(self, components: Components) -> dict[str, Any]:
        """A reference to the component, or the inline schema."""
        if self.name:
            return components.ref(self.name, self._build)
        return self._build(components)

    def check_value(self, value: Any, path: str) -> Any:
        """A dict with every required key, no unknown key, each value checked."""
        if not isinstance(value, dict):
            raise SchemaError({path or "body": "must be an object"})
        errors: dict[str, str] = {}
        for key in value:
            if key not in self.properties:
                errors[_join(path, str(key))] = "is not a known field"
        for key in self.required:
            if key not in value:
                errors[_join(path, key)] = "is required"
        cleaned: dict[str, Any] = {}
        for key, spec in self.properties.items():
            if key in value and _join(path, key) not in errors:
                try:
                    cleaned[key] = spec.check(value[key], _join(path, key))
                except SchemaError as exc:
                    errors.update(exc.fields)
        if errors:
            raise SchemaError(errors)
        return cleaned


# Printable text: no control characters, at least one non-space. (Lone surrogates never get
# this far: a body holding one is refused as malformed.)
TEXT_PATTERN = textrules.SINGLE_LINE_PATTERN
# The addresses the email check accepts, as a pattern clients can check beforehand.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_SPECIAL_USE_NAMES = ("arpa", "invalid", "local", "localhost", "onion", "test")
_SPECIAL_USE = (
    r"(?!.*\.(?:"
    + "|".join("".join(f"[{c}{c.upper()}]" for c in name) for name in _SPECIAL_USE_NAMES)
    + r")$)"
)
EMAIL_PATTERN = (
    rf"^{_SPECIAL_USE}[A-Za-z0-9_%+-]{{1,32}}(?:\.[A-Za-z0-9_%+-]{{1,31}})?@"
    rf"(?:{_LABEL}\.){{1,4}}[A-Za-z]{{2,24}}$"
)


def text(max_length: int, description: str = "") -> String:
    """Printable, non-blank text of at most ``max_length`` characters."""
    return String(
        min_length=1, max_length=max_length, pattern=TEXT_PATTERN, description=description
    )


def timestamp(description: str = "", nullable: bool = False) -> String:
    """An ISO 8601 UTC timestamp in a response."""
    return String(description=description, nullable=nullable, format="date-time")
