"""Small strict validators shared by the catalog, case-profile and package readers.

Each reader walks plain data (from YAML or JSON), collects *every* problem with the dotted path of the field
(``country_profile.regime``, ``partners[1].kind``) and raises once, so a user fixes a file in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from enum import StrEnum
from typing import Any

import yaml


class Problems:
    """An ordered list of ``path: message`` lines."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(f"{path}: {message}" if path else message)

    def __bool__(self) -> bool:
        return bool(self.items)


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def show(value: Any) -> str:
    """A short rendering of a bad value for a message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def mapping(value: Any, path: str, problems: Problems) -> Mapping[str, Any] | None:
    if not isinstance(value, Mapping):
        problems.add(path, f"expected a mapping, got {show(value)}")
        return None
    return value


def keys(
    value: Mapping[str, Any],
    path: str,
    problems: Problems,
    required: Collection[str],
    optional: Collection[str] = (),
) -> bool:
    """Report unknown and missing keys; True when there were none."""
    ok = True
    for key in value:
        if key not in required and key not in optional:
            problems.add(join(path, str(key)), "unknown field")
            ok = False
    for key in required:
        if key not in value:
            problems.add(join(path, key), "missing required field")
            ok = False
    return ok


def string(
    value: Any, path: str, problems: Problems, *, pattern: re.Pattern[str] | None = None, hint: str = ""
) -> str | None:
    if not isinstance(value, str) or not value.strip():
        problems.add(path, f"expected a non-empty text, got {show(value)}")
        return None
    if pattern is not None and not pattern.fullmatch(value):
        problems.add(path, f"{show(value)} is not {hint or 'valid'}")
        return None
    return value


def boolean(value: Any, path: str, problems: Problems) -> bool | None:
    if not isinstance(value, bool):
        problems.add(path, f"expected true or false, got {show(value)}")
        return None
    return value


def integer(value: Any, path: str, problems: Problems, *, minimum: int | None = None) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(path, f"expected a whole number, got {show(value)}")
        return None
    if minimum is not None and value < minimum:
        problems.add(path, f"expected a number >= {minimum}, got {value}")
        return None
    return value


def choice[E: StrEnum](
    value: Any, path: str, problems: Problems, enum: type[E], *, allowed: Collection[E] | None = None
) -> E | None:
    members = list(allowed) if allowed is not None else list(enum)
    values = [member.value for member in members]
    if not isinstance(value, str) or value not in values:
        problems.add(path, f"{show(value)} is not one of {', '.join(values)}")
        return None
    return enum(value)


def string_list(
    value: Any, path: str, problems: Problems, *, pattern: re.Pattern[str] | None = None, hint: str = ""
) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        problems.add(path, f"expected a list, got {show(value)}")
        return None
    before = len(problems.items)
    items = [string(item, f"{path}[{i}]", problems, pattern=pattern, hint=hint) for i, item in enumerate(value)]
    if len(problems.items) != before:
        return None
    return tuple(item for item in items if item is not None)


def choice_list[E: StrEnum](
    value: Any, path: str, problems: Problems, enum: type[E], *, allowed: Collection[E] | None = None
) -> tuple[E, ...] | None:
    if not isinstance(value, list):
        problems.add(path, f"expected a list, got {show(value)}")
        return None
    before = len(problems.items)
    items = [choice(item, f"{path}[{i}]", problems, enum, allowed=allowed) for i, item in enumerate(value)]
    if len(problems.items) != before:
        return None
    return tuple(item for item in items if item is not None)


_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class _StrictLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """A safe YAML loader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r} (line {mark.line + 1})", mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str) -> Any:
    """Parse YAML safely, refusing duplicate keys. Raises ``yaml.YAMLError``."""
    loader = _StrictLoader(text)  # a SafeLoader: builds plain data only
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def yaml_error_line(error: yaml.YAMLError) -> str:
    """One line describing a YAML syntax error, with its line number when known."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is not None:
        return f"line {mark.line + 1}: YAML syntax: {problem}"
    return f"YAML syntax: {problem}"
