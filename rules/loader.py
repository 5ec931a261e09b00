"""Load rule files (YAML) into a RuleSet, validating them with JSON Schema and reporting every error at once.

A preset is a directory of YAML files (rules/presets/<name>/*.yml). A county file may `extends:` a preset,
override params / severity / enabled per rule id, add rules, and list `retired` ids. Errors read like
yamllint: `file:line:col: RULE: path: problem`.
"""

from __future__ import annotations

import copy
import json
import re
import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from rules.column_types import column_type_names

RULES_DIR = Path(__file__).parent
PRESETS_DIR = RULES_DIR / "presets"
SCHEMA_DIR = RULES_DIR / "schema"
DEFAULT_PRESET = "guoban-2019"
# Fields a message template may always use besides the check's observed keys and the rule's params.
COMMON_FIELDS = frozenset({"column", "url", "title", "location", "count", "evidence", "id", "site_name"})


class RuleConfigError(Exception):
    """One or more rule files are invalid; `errors` holds every `file:line:col: RULE: path: problem` line."""

    exit_code = 2

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("规则配置错误 (rule configuration errors):\n" + "\n".join(self.errors))


@dataclass(frozen=True)
class AppliesTo:
    """Which columns / pages / links a rule looks at; empty means everything its check handles."""

    column_types: tuple[str, ...] = ()
    level: tuple[int, ...] = ()
    page_kinds: tuple[str, ...] = ()
    link_kinds: tuple[str, ...] = ()
    homepage: bool | None = None
    media_types: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> AppliesTo:
        data = dict(data or {})
        level = data.get("level")
        return cls(
            column_types=tuple(data.get("column_types") or ()),
            level=tuple(level) if isinstance(level, list) else ((level,) if level else ()),
            page_kinds=tuple(data.get("page_kinds") or ()),
            link_kinds=tuple(data.get("link_kinds") or ()),
            homepage=data.get("homepage"),
            media_types=tuple(data.get("media_types") or ()),
        )

    def get(self, key: str, default: Any = None) -> Any:
        """Dict-style access, so checks may treat applies_to as a mapping."""
        value = getattr(self, key, None)
        return default if value in (None, ()) else value


@dataclass(frozen=True)
class Rule:
    """One rule as loaded: what to check, how findings are worded and stamped, where it was defined."""

    id: str
    name: str
    title: str
    family: str
    check: str
    kind: str
    severity: str
    params: Mapping[str, Any] = field(default_factory=dict)
    applies_to: AppliesTo = field(default_factory=AppliesTo)
    message: str = ""
    remediation: str = ""
    basis: str = ""
    enabled: bool = True
    source: str = ""
    line: int = 0

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def finding_kind(self) -> str:
        """The kind written into findings (snake_case)."""
        return self.kind.replace("-", "_")

    def with_params(self, **params: Any) -> Rule:
        """A copy with some params replaced (fixtures and county overrides use this)."""
        return replace(self, params={**self.params, **params})


@dataclass
class RuleSet:
    """Rules by id, plus the ids a preset or county retired (never to be reused)."""

    rules: dict[str, Rule] = field(default_factory=dict)
    retired: set[str] = field(default_factory=set)
    preset: str | None = None
    sources: list[str] = field(default_factory=list)

    def enabled(self) -> list[Rule]:
        return [rule for rule in self.rules.values() if rule.enabled]

    def get(self, rule_id: str) -> Rule | None:
        return self.rules.get(rule_id)

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self.rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules.values())

    def __len__(self) -> int:
        return len(self.rules)

    def only(self, ids: Iterable[str]) -> RuleSet:
        """A RuleSet with just these ids (unknown ids are ignored)."""
        wanted = set(ids)
        return RuleSet({k: v for k, v in self.rules.items() if k in wanted}, set(self.retired), self.preset,
                       list(self.sources))


# ---------------------------------------------------------------- YAML with positions

class _Loader(yaml.SafeLoader):
    """SafeLoader whose impossible dates (2024-02-30) stay strings, so the schema reports them, not a crash."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _compose(text: str) -> tuple[Any, dict[tuple, tuple[int, int]]]:
    """Parse YAML and map every data path (tuple of keys / indexes) to its (line, col), 1-based."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    marks: dict[tuple, tuple[int, int]] = {}

    def walk(n: yaml.Node, path: tuple) -> None:
        marks[path] = (n.start_mark.line + 1, n.start_mark.column + 1)
        if isinstance(n, yaml.MappingNode):
            for key_node, value_node in n.value:
                key = key_node.value
                marks[path + (key, "__key__")] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                walk(value_node, path + (key,))
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, path + (i,))

    walk(node, ())
    return data, marks


def load_yaml_with_marks(text: str) -> tuple[Any, dict[tuple, tuple[int, int]]]:
    """Public form of the position-keeping YAML parse (waiver files and site profiles use it)."""
    return _compose(text)


def mark_of(marks: dict, path: Iterable) -> tuple[int, int]:
    """(line, col) of a data path, or of its nearest parent that has one."""
    return _mark(marks, tuple(path))


def _mark(marks: dict, path: tuple) -> tuple[int, int]:
    path = tuple(path)
    while path and path not in marks:
        path = path[:-1]
    return marks.get(path, (1, 1))


def _dotted(path: Iterable) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "-"


# ---------------------------------------------------------------- schema

def _schemas() -> tuple[Draft202012Validator, Draft202012Validator]:
    resources = {}
    for name in ("rule.schema.json", "rulefile.schema.json"):
        with open(SCHEMA_DIR / name, encoding="utf-8") as handle:
            resources[name] = json.load(handle)
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in resources.values())
    return (Draft202012Validator(resources["rulefile.schema.json"], registry=registry),
            Draft202012Validator(resources["rule.schema.json"], registry=registry))


_FILE_VALIDATOR, _RULE_VALIDATOR = _schemas()


def _observed_registry() -> dict[str, dict[str, dict]]:
    """family → check → {observed: [...], params: schema} from rules/schema/rule_checks.json."""
    with open(SCHEMA_DIR / "rule_checks.json", encoding="utf-8") as handle:
        data = json.load(handle)
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def _declared(observed: dict, family: Any, check: Any) -> dict | None:
    if not isinstance(family, str) or not isinstance(check, str):
        return None
    return observed.get(family, {}).get(check)


def template_fields(template: str) -> set[str]:
    """The root names a str.format template uses ('{age_days}天' → {'age_days'})."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name:
            names.add(name.split(".")[0].split("[")[0])
    return names


# ---------------------------------------------------------------- one file

@dataclass
class _ParsedFile:
    path: Path
    data: dict
    marks: dict
    is_list: bool


def _read(path: Path, errors: list[str]) -> _ParsedFile | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(f"{path}:1:1: -: -: cannot read file: {exc}")
        return None
    try:
        data, marks = _compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        errors.append(f"{path}:{line}:{col}: -: -: YAML syntax error: {problem}")
        return None
    if data is None:
        data = {}
    is_list = isinstance(data, list)
    if is_list:
        data = {"rules": data}
        marks = {(("rules",) + k): v for k, v in marks.items()}
    return _ParsedFile(path, data, marks, is_list)


def _rule_id_at(parsed: _ParsedFile, path: tuple) -> str:
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rules = parsed.data.get("rules")
        if isinstance(rules, list) and path[1] < len(rules) and isinstance(rules[path[1]], dict):
            return str(rules[path[1]].get("id", "-"))
    if len(path) >= 2 and path[0] == "overrides":
        return str(path[1])
    return "-"


def _error(parsed: _ParsedFile, path: tuple, problem: str, key: bool = False) -> str:
    line, col = _mark(parsed.marks, path + ("__key__",)) if key else _mark(parsed.marks, path)
    rule_id = _rule_id_at(parsed, path)
    inner = path[2:] if len(path) >= 2 and path[0] in ("rules", "overrides") else path
    return f"{parsed.path}:{line}:{col}: {rule_id}: {_dotted(inner)}: {problem}"


def _schema_errors(parsed: _ParsedFile) -> list[str]:
    out = []
    if not isinstance(parsed.data, dict):
        return [_error(parsed, (), "a rule file must be a list of rules or a mapping (extends/rules/overrides)")]
    for err in sorted(_FILE_VALIDATOR.iter_errors(parsed.data), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(err.absolute_path)
        problem = err.message
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = set((err.schema.get("properties") or {}).keys())
            extra = [k for k in err.instance if k not in allowed]
            if extra:
                out.extend(_error(parsed, path + (k,), f"unknown key {k!r}", key=True) for k in extra)
                continue
        out.append(_error(parsed, path, problem))
    return out


def _semantic_errors(parsed: _ParsedFile, observed: dict) -> list[str]:
    """Checks JSON Schema cannot express: duplicate ids, known column types, message template fields."""
    out = []
    known_types = set(column_type_names())
    seen: dict[str, int] = {}
    rules = parsed.data.get("rules") if isinstance(parsed.data.get("rules"), list) else []
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        rule_id = rule.get("id")
        if isinstance(rule_id, str):
            if rule_id in seen:
                out.append(_error(parsed, ("rules", i, "id"), f"duplicate rule id (first defined in rules[{seen[rule_id]}])"))
            else:
                seen[rule_id] = i
        out.extend(_applies_errors(parsed, ("rules", i), rule.get("applies_to"), known_types))
        out.extend(_check_name_errors(parsed, ("rules", i), rule, observed))
        out.extend(_template_errors(parsed, ("rules", i), rule, rule, observed))
    overrides = parsed.data.get("overrides") if isinstance(parsed.data.get("overrides"), dict) else {}
    for rule_id, override in overrides.items():
        if isinstance(override, dict):
            out.extend(_applies_errors(parsed, ("overrides", rule_id), override.get("applies_to"), known_types))
    return out


def _check_name_errors(parsed, base: tuple, rule: dict, observed: dict) -> list[str]:
    """A family or check the engine does not have: such a rule would pass loading and never run."""
    family, kind, check = rule.get("family"), rule.get("kind"), rule.get("check")
    if not isinstance(family, str):
        return []                            # the schema reports a missing or mistyped family
    if family not in observed:
        return [_error(parsed, base + ("family",),
                       f"unknown family {family!r} (known: {', '.join(sorted(observed))})")]
    if check is None and isinstance(kind, str):
        name, where = kind.replace("-", "_"), "kind"
    elif isinstance(check, str):
        name, where = check, "check"
    else:
        return []
    if name not in observed[family]:
        hint = "" if where == "check" else f"; without `check:` the check is the kind {kind!r} with '-' as '_'"
        return [_error(parsed, base + (where,),
                       f"unknown check {name!r} in family {family!r} "
                       f"(known: {', '.join(sorted(observed[family]))}){hint}")]
    return []


def _applies_errors(parsed, base: tuple, applies: Any, known_types: set[str]) -> list[str]:
    out = []
    if isinstance(applies, dict) and isinstance(applies.get("column_types"), list):
        for j, name in enumerate(applies["column_types"]):
            if isinstance(name, str) and name not in known_types:
                out.append(_error(parsed, base + ("applies_to", "column_types", j),
                                  f"unknown column type {name!r} (see rules/column_types.yml)"))
    return out


def _template_errors(parsed, base: tuple, rule: dict, effective: dict, observed: dict) -> list[str]:
    out = []
    family, kind = effective.get("family"), effective.get("kind")
    check = effective.get("check") or (kind.replace("-", "_") if isinstance(kind, str) else None)
    declared = _declared(observed, family, check)
    if declared is None or "observed" not in declared:
        return out                          # unknown (reported by _check_name_errors) or checked at run time
    params = effective.get("params") or {}
    if isinstance(params, dict) and "params" in declared:
        validator = Draft202012Validator(declared["params"])
        for err in validator.iter_errors(params):
            out.append(_error(parsed, base + ("params",) + tuple(err.absolute_path), err.message))
    allowed = COMMON_FIELDS | set(declared.get("observed", ())) | set(params.keys() if isinstance(params, dict) else ())
    for key in ("message", "remediation"):
        template = rule.get(key)
        if not isinstance(template, str):
            continue
        try:
            names = template_fields(template)
        except ValueError as exc:
            out.append(_error(parsed, base + (key,), f"bad message template: {exc}"))
            continue
        for name in sorted(names - allowed):
            out.append(_error(parsed, base + (key,),
                              f"template field {{{name}}} is not observed by {family}.{check} "
                              f"(available: {', '.join(sorted(allowed))})"))
    return out


def _by_position(errors: list[str]) -> list[str]:
    """Errors ordered by file, then line and column (stable for equal positions)."""
    def key(error: str) -> tuple:
        match = re.match(r"^(.*?):(\d+):(\d+): ", error)
        return (match.group(1), int(match.group(2)), int(match.group(3))) if match else (error, 0, 0)
    return sorted(errors, key=key)


def validate_file(path: str | Path) -> list[str]:
    """Every problem in one rule file, as `file:line:col: RULE: path: problem` lines (empty = valid)."""
    errors: list[str] = []
    parsed = _read(Path(path), errors)
    if parsed is None:
        return errors
    errors.extend(_schema_errors(parsed))
    errors.extend(_semantic_errors(parsed, _observed_registry()))
    return _by_position(errors)


# ---------------------------------------------------------------- building a RuleSet

def _make_rule(raw: dict, source: Path, line: int) -> Rule:
    kind = raw["kind"]
    return Rule(
        id=raw["id"], name=raw["name"], title=raw["title"], family=raw["family"],
        check=raw.get("check") or kind.replace("-", "_"), kind=kind, severity=raw["severity"],
        params=copy.deepcopy(raw.get("params") or {}), applies_to=AppliesTo.from_dict(raw.get("applies_to")),
        message=raw["message"], remediation=raw["remediation"], basis=raw["basis"],
        enabled=raw.get("enabled", True), source=str(source), line=line,
    )


def _retired_ids(data: dict) -> list[tuple[int, str]]:
    out = []
    for i, item in enumerate(data.get("retired") or []):
        out.append((i, item["id"] if isinstance(item, dict) else item))
    return out


def _apply_file(ruleset: RuleSet, parsed: _ParsedFile, errors: list[str], observed: dict,
                allow_overrides: bool) -> None:
    data = parsed.data
    for i, rid in _retired_ids(data):
        ruleset.retired.add(rid)
        if rid in ruleset.rules:
            errors.append(_error(parsed, ("retired", i), f"rule {rid} is retired but still defined in "
                                                          f"{ruleset.rules[rid].source}"))
    for i, raw in enumerate(data.get("rules") or []):
        line = _mark(parsed.marks, ("rules", i))[0]
        rid = raw["id"]
        if rid in ruleset.retired:
            errors.append(_error(parsed, ("rules", i, "id"), "retired rule ids are never reused; pick a new id"))
            continue
        if rid in ruleset.rules:
            other = ruleset.rules[rid]
            errors.append(_error(parsed, ("rules", i, "id"),
                                 f"duplicate rule id (already defined at {other.source}:{other.line}); "
                                 f"use `overrides:` to change it"))
            continue
        ruleset.rules[rid] = _make_rule(raw, parsed.path, line)
    overrides = data.get("overrides") or {}
    if overrides and not allow_overrides:
        errors.append(_error(parsed, ("overrides",), "overrides belong in a county file that extends a preset",
                             key=True))
        return
    for rid, override in overrides.items():
        if rid not in ruleset.rules:
            errors.append(_error(parsed, ("overrides", rid), "override of an unknown rule id", key=True))
            continue
        rule = ruleset.rules[rid]
        changes: dict[str, Any] = {k: v for k, v in override.items() if k in ("severity", "enabled", "message",
                                                                                 "remediation")}
        if "params" in override:
            changes["params"] = {**rule.params, **override["params"]}
        if "applies_to" in override:
            changes["applies_to"] = AppliesTo.from_dict(override["applies_to"])
        effective = {"family": rule.family, "check": rule.check, "kind": rule.kind,
                     "params": changes.get("params", rule.params)}
        errors.extend(_template_errors(parsed, ("overrides", rid), override, effective, observed))
        ruleset.rules[rid] = replace(rule, **changes)


def preset_files(preset: str) -> list[Path]:
    """The YAML files of a preset directory, sorted."""
    directory = PRESETS_DIR / preset
    return sorted(list(directory.glob("*.yml")) + list(directory.glob("*.yaml")))


def load_ruleset(preset: str | None = DEFAULT_PRESET, extra: Iterable[str | Path] = ()) -> RuleSet:
    """Load a preset and any county files over it; raise RuleConfigError listing every problem."""
    errors: list[str] = []
    observed = _observed_registry()
    ruleset = RuleSet(preset=preset)
    parsed_files: list[tuple[_ParsedFile, bool]] = []
    if preset:
        files = preset_files(preset)
        if not files:
            available = ", ".join(p.name for p in sorted(PRESETS_DIR.iterdir()))
            raise RuleConfigError([f"{PRESETS_DIR / preset}:1:1: -: -: unknown preset {preset!r} ({available})"])
        parsed_files += [(p, False) for p in (_read(f, errors) for f in files) if p]
    for path in extra:
        parsed = _read(Path(path), errors)
        if parsed is None:
            continue
        extends = parsed.data.get("extends") if isinstance(parsed.data, dict) else None
        if extends is not None and extends != preset:
            errors.append(_error(parsed, ("extends",), f"extends {extends!r} but the loaded preset is {preset!r}"))
        parsed_files.append((parsed, True))
    for parsed, _ in parsed_files:
        errors.extend(_schema_errors(parsed))
        errors.extend(_semantic_errors(parsed, observed))
    if errors:
        raise RuleConfigError(_by_position(errors))
    for parsed, is_county in parsed_files:
        ruleset.sources.append(str(parsed.path))
        _apply_file(ruleset, parsed, errors, observed, allow_overrides=is_county)
    if errors:
        raise RuleConfigError(errors)
    return ruleset
