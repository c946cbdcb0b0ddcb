"""Read bank YAML keeping the line of every key and item, so errors can say ``file:line``.

PyYAML's composer gives nodes with marks; this module builds plain Python values from them
(``SourceMap``/``SourceList`` are a ``dict``/``list`` that also know their lines). Duplicate
keys, which PyYAML silently accepts, are reported as issues.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True, order=True)
class BankIssue:
    """One problem in the bank, located at a file and a 1-based line."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        """Render as ``file:line: message``, the form editors and CI understand."""
        return f"{self.file}:{self.line}: {self.message}"


class SourceMap(dict[Any, Any]):
    """A mapping read from YAML that remembers its own line and the line of each key."""

    line: int
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """The line of ``key`` when present, else the line of the mapping itself."""
        return self.key_lines.get(key, self.line)


class SourceList(list[Any]):
    """A sequence read from YAML that remembers its own line and the line of each item."""

    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        """The line of item ``index`` (or of the sequence when out of range)."""
        if 0 <= index < len(self.item_lines):
            return self.item_lines[index]
        return self.line


class SourceFile:
    """A YAML file of the bank: its display name and a collector for issues found in it."""

    def __init__(self, path: Path, display: str) -> None:
        """Remember where the file is and how errors should name it."""
        self.path = path
        self.display = display
        self.issues: list[BankIssue] = []

    def error(self, line: int, message: str) -> None:
        """Record an issue at ``line`` of this file."""
        self.issues.append(BankIssue(self.display, line, message))

    def read(self) -> Any:
        """Parse the file; return ``None`` (with an issue recorded) when it is not valid YAML."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.error(1, f"not UTF-8: {exc.reason}")
            return None
        except OSError as exc:
            self.error(1, f"cannot read: {exc.strerror}")
            return None
        return self.parse(text)

    def parse(self, text: str) -> Any:
        """Parse YAML text into ``SourceMap``/``SourceList``/scalars with their lines."""
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                self.error(1, "the file is empty")
                return None
            return self._build(loader, node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 1
            self.error(line, f"invalid YAML: {exc.problem or exc.context}")
            return None
        finally:
            loader.dispose()

    def _build(self, loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        """Turn one composed node into a value, recursively."""
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            loader.flatten_mapping(node)
            result = SourceMap()
            result.line = line
            result.key_lines = {}
            for key_node, value_node in node.value:
                key = self._build(loader, key_node)
                key_line = key_node.start_mark.line + 1
                if isinstance(key, list | dict):
                    self.error(key_line, "a mapping key must be a plain value")
                    continue
                if key in result:
                    self.error(
                        key_line, f"duplicate key {key!r} (first at line {result.key_lines[key]})"
                    )
                    continue
                result[key] = self._build(loader, value_node)
                result.key_lines[key] = key_line
            return result
        if isinstance(node, yaml.SequenceNode):
            items = SourceList()
            items.line = line
            items.item_lines = []
            for item in node.value:
                items.append(self._build(loader, item))
                items.item_lines.append(item.start_mark.line + 1)
            return items
        return loader.construct_object(node, deep=True)
