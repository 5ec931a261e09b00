"""Canonical 栏目类型 and how a column's type is inferred from its ColumnType meta tag or its name.

The type list, name patterns and freshness groups are data (rules/column_types.yml) so a county
can extend them without code; this module only reads that file and applies it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

COLUMN_TYPES_FILE = Path(__file__).with_name("column_types.yml")
FRESHNESS_GROUPS = ("dynamic", "notice_policy", "personnel_plan")


@dataclass(frozen=True)
class ColumnType:
    """One canonical 栏目类型 with its name patterns, guideline ColumnType values and freshness group."""

    name: str
    patterns: tuple[re.Pattern, ...]
    guideline_types: tuple[str, ...]
    freshness: str | None
    order: int


def _normalise(text: str) -> str:
    """NFKC (full-width → half-width) and no whitespace, so '通 知 公 告' matches 通知公告."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@functools.lru_cache(maxsize=4)
def load_column_types(path: Path = COLUMN_TYPES_FILE) -> tuple[ColumnType, ...]:
    """The column types of `path` in file order (order breaks ties between equally long matches)."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    result = []
    for order, entry in enumerate(data["types"]):
        result.append(ColumnType(
            name=entry["name"],
            patterns=tuple(re.compile(p) for p in entry.get("patterns") or ()),
            guideline_types=tuple(entry.get("guideline_types") or ()),
            freshness=entry.get("freshness"),
            order=order,
        ))
    return tuple(result)


def column_type_names() -> list[str]:
    """Every canonical 栏目类型 name, in file order."""
    return [t.name for t in load_column_types()]


def freshness_group(type_name: str | None) -> str | None:
    """The freshness group (dynamic | notice_policy | personnel_plan) of a type, or None."""
    for column_type in load_column_types():
        if column_type.name == type_name:
            return column_type.freshness
    return None


def types_in_group(group: str) -> list[str]:
    """The type names whose freshness group is `group`."""
    return [t.name for t in load_column_types() if t.freshness == group]


def _type_from_meta(meta_type: str) -> str | None:
    wanted = _normalise(meta_type)
    if not wanted:
        return None
    for column_type in load_column_types():
        if wanted == column_type.name or wanted in column_type.guideline_types:
            return column_type.name
    return None


def _type_from_name(name: str) -> str | None:
    text = _normalise(name)
    if not text:
        return None
    best: tuple[int, int] | None = None
    best_name = None
    for column_type in load_column_types():
        for pattern in column_type.patterns:
            for match in pattern.finditer(text):
                # longest matched text wins; on a tie the type listed first in the YAML wins
                score = (len(match.group(0)), -column_type.order)
                if match.group(0) and (best is None or score > best):
                    best, best_name = score, column_type.name
    return best_name


def infer_column_type(name: str, meta_type: str | None = None) -> tuple[str | None, str | None]:
    """(type, source) for a column: a recognised ColumnType meta wins ('meta'), else its name ('name').

    Returns (None, None) when neither says anything; callers may then fall back to '其他'.
    """
    if meta_type:
        found = _type_from_meta(meta_type)
        if found:
            return found, "meta"
    found = _type_from_name(name)
    if found:
        return found, "name"
    return None, None
