"""Optional site profile: what the crawl heuristics cannot know about one portal.

A profile is a small YAML file (validated by rules/schema/site_profile.schema.json). Errors name
the file, line and column of the offending value, all at once, so a clerk can fix them in one go.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from jsonschema import Draft202012Validator

import rules
from crawler.errors import SiteProfileError
from crawler.records import Snapshot
from rules.column_types import update_requirement

SCHEMA_PATH = Path(rules.__file__).resolve().parent / "schema" / "site_profile.schema.json"


@dataclass
class SiteProfile:
    """The validated content of a site profile; every field is optional."""

    name: str | None = None
    start_urls: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    column_types: dict[str, str] = field(default_factory=dict)
    departments: dict[str, str] = field(default_factory=dict)
    selectors: dict[str, str] = field(default_factory=dict)
    obey_robots: bool | None = None
    leaders: list[dict] = field(default_factory=list)     # [{name, title, wrong_titles?, from?, until?}] (EXP001)
    source: str | None = None                 # file it came from, for messages

    def __post_init__(self) -> None:
        self._exclude_res = [re.compile(p) for p in self.exclude]

    def excluded(self, url: str) -> bool:
        """True when the URL matches one of the profile's exclude patterns."""
        return any(r.search(url) for r in self._exclude_res)

    def column_type_for(self, url: str, name: str) -> str | None:
        """The type the profile assigns to a column, by URL first, then by name."""
        return _lookup(self.column_types, url, name)

    def department_for(self, url: str, name: str) -> str | None:
        """The 责任单位 the profile assigns to a column, by URL first, then by name."""
        return _lookup(self.departments, url, name)

    def rule_params(self) -> dict[str, dict[str, Any]]:
        """Rule id -> params this site's facts supply (PROFILE_RULE_PARAMS); empty keys supply nothing.

        Why here: only the site knows its leaders, while the rule files are shared by every county.
        """
        out: dict[str, dict[str, Any]] = {}
        for key, (rule_id, param, convert) in PROFILE_RULE_PARAMS.items():
            value = getattr(self, key)
            if value:
                out.setdefault(rule_id, {})[param] = convert(value)
        return out

    def apply_to(self, ruleset: Any) -> Any:
        """A copy of `ruleset` (rules.loader.RuleSet) whose rules carry this profile's params."""
        params = {rid: p for rid, p in self.rule_params().items() if rid in ruleset}
        if not params:
            return ruleset
        rules = {rid: rule.with_params(**params[rid]) if rid in params else rule
                 for rid, rule in ruleset.rules.items()}
        return replace(ruleset, rules=rules)


def apply_profile_file(ruleset: Any, path: str | Path | None) -> Any:
    """`ruleset` with the params of the profile a run was crawled with (its settings name the file).

    A re-check finds the file where the crawl read it; when it is gone or no longer valid, the rules keep
    their own params (the check is then as without a profile, never stopped by it).
    """
    if not path:
        return ruleset
    try:
        return load_profile(path).apply_to(ruleset)
    except SiteProfileError:
        return ruleset


def leader_params(leaders: list[dict]) -> list[dict]:
    """EXP001's params.leaders: each leader with the titles that are wrong next to their name.

    Unless the profile lists them, the wrong titles are the other leaders' titles and 副 before the leader's
    own (副县长 for a 县长), never one the right title ends with: the check matches the title just before the
    name, so 县长 would match inside a correct 常务副县长 or 副县长. `from`/`until` (the days the title was
    held) travel as ISO dates, so an article is judged by the title its leader held when it was published.
    """
    out = []
    titles = [str(x["title"]) for x in leaders]
    for leader in leaders:
        title = str(leader["title"])
        wrong = leader.get("wrong_titles")
        if wrong is None:
            variant = title[1:] if title.startswith("副") else "副" + title
            wrong = [t for t in dict.fromkeys([*titles, variant]) if t != title and not title.endswith(t)]
        entry = {"name": str(leader["name"]), "title": title, "wrong_titles": list(wrong)}
        for bound in ("from", "until"):
            day = period_bound(leader.get(bound))
            if day is not None:
                entry[bound] = day.isoformat()
        out.append(entry)
    return out


def period_bound(value: Any) -> dt.date | None:
    """A `from`/`until` as YAML gives it (a date) or as text (2021-06-01, how params carry it); None when
    absent; ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _leader_period_problems(leaders: Any) -> Iterator[tuple[list[Any], str]]:
    """(path, problem) for each leader whose `from`/`until` is not a date, or ends before it starts."""
    for i, leader in enumerate(leaders if isinstance(leaders, list) else []):
        if not isinstance(leader, dict):
            continue
        days = {}
        for bound in ("from", "until"):
            try:
                days[bound] = period_bound(leader.get(bound))
            except ValueError:
                yield ["leaders", i, bound], f"应为日期（如 2021-06-01），实际为 {leader.get(bound)!r}"
        if days.get("from") and days.get("until") and days["from"] > days["until"]:
            yield ["leaders", i, "until"], f"任职截止日期 {days['until']} 早于起始日期 {days['from']}"


# Profile key -> (rule id, param, conversion): the general path from what a site states to a rule's params.
PROFILE_RULE_PARAMS: dict[str, tuple[str, str, Any]] = {
    "leaders": ("EXP001", "leaders", leader_params),
}


def _lookup(table: dict[str, str], url: str, name: str) -> str | None:
    if not table:
        return None
    if url in table:
        return table[url]
    path = urlsplit(url).path
    if path and path in table:
        return table[path]
    return table.get(name)


def _schema() -> dict:
    with open(SCHEMA_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def _node_at(root: yaml.Node | None, path: list[Any]) -> yaml.Node | None:
    """The YAML node at a jsonschema error path (deepest node found), for its line/column."""
    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for key, value in node.value:
                if key.value == part:
                    nxt = value
                    break
            if nxt is None:
                return node
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


_TYPE_NAMES = {"string": "字符串", "array": "列表", "object": "映射", "boolean": "布尔值（true/false）"}


def _problem(err) -> str:
    """A Chinese sentence for a schema error (the clerk reads these), with jsonschema's own as fallback."""
    if err.validator == "type":
        return f"应为{_TYPE_NAMES.get(err.validator_value, err.validator_value)}，实际为 {err.instance!r}"
    if err.validator == "minLength":
        return "不能为空"
    if err.validator == "minItems":
        return f"至少需要 {err.validator_value} 项"
    if err.validator == "pattern":
        return f"格式不正确：{err.instance!r}"
    return err.message


def _fmt(source: str, node: yaml.Node | None, path: list[Any], problem: str) -> str:
    line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (1, 1)
    dotted = ".".join(str(p) for p in path) or "(root)"
    return f"{source}:{line}:{col}: {dotted}: {problem}"


def _impossible_date(root: yaml.Node | None) -> yaml.ScalarNode | None:
    """The first scalar YAML reads as a date but no calendar has (2021-13-01), for its line and column."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop(0)
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:timestamp":
                try:
                    yaml.SafeLoader("").construct_yaml_timestamp(node)
                except ValueError:
                    return node
        elif isinstance(node, yaml.MappingNode):
            stack.extend(value for _key, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


def parse_profile(text: str, source: str = "<profile>") -> SiteProfile:
    """Validate profile YAML text and build a SiteProfile; raises SiteProfileError listing every problem."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        problem = getattr(exc, "problem", None) or str(exc)
        raise SiteProfileError(f"{source}:{where}: (root): YAML 语法错误：{problem}") from exc
    except ValueError as exc:                       # an impossible date such as 2021-13-01 (leaders' from/until)
        node = _impossible_date(root)
        where = f"{node.start_mark.line + 1}:{node.start_mark.column + 1}" if node is not None else "1:1"
        raise SiteProfileError(f"{source}:{where}: (root): 日期无效：{node.value if node else ''}（{exc}）") from exc
    if data is None:
        data = {}
    errors: list[tuple[int, int, str]] = []

    def add(path: list[Any], problem: str) -> None:
        node = _node_at(root, path)
        line = node.start_mark.line if node is not None else 0
        col = node.start_mark.column if node is not None else 0
        errors.append((line, col, _fmt(source, node, path, problem)))

    validator = Draft202012Validator(_schema())
    for err in validator.iter_errors(data):
        path = list(err.absolute_path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = set(err.schema.get("properties", {}))
            for key in err.instance:
                if key not in allowed:
                    add([*path, key], f"不支持的配置项「{key}」（可用：{'、'.join(sorted(allowed))}）")
            continue
        add(path, _problem(err))
    if isinstance(data, dict):
        for path, problem in _leader_period_problems(data.get("leaders")):
            add(path, problem)
        for i, pattern in enumerate(data.get("exclude") or []):
            if isinstance(pattern, str):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    add(["exclude", i], f"正则表达式无效：{exc}")
    if errors:
        errors.sort()
        raise SiteProfileError("\n".join(e[2] for e in errors))
    return SiteProfile(
        name=data.get("name"),
        start_urls=list(data.get("start_urls") or []),
        hosts=[h.lower() for h in data.get("hosts") or []],
        exclude=list(data.get("exclude") or []),
        column_types=dict(data.get("column_types") or {}),
        departments=dict(data.get("departments") or {}),
        selectors=dict(data.get("selectors") or {}),
        obey_robots=data.get("obey_robots"),
        leaders=[dict(x) for x in data.get("leaders") or []],
        source=source,
    )


def load_profile(path: str | Path) -> SiteProfile:
    """Read and validate a site profile file; raises SiteProfileError (`file:line:col: path: problem`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SiteProfileError(f"{path}:1:1: (root): 站点配置文件不存在") from exc
    except UnicodeDecodeError as exc:
        raise SiteProfileError(f"{path}:1:1: (root): 站点配置文件须为 UTF-8 编码（{exc.reason}）") from exc
    except OSError as exc:
        raise SiteProfileError(f"{path}:1:1: (root): 无法读取站点配置文件（{exc.strerror}）") from exc
    return parse_profile(text, str(path))


def _one_line(text: str) -> str:
    """Text safe inside a YAML comment: one line."""
    return " ".join((text or "").split())


def _q(value: str) -> str:
    """A YAML scalar that always reads back as the same string."""
    return json.dumps(value, ensure_ascii=False)


def write_profile_from_discovery(snapshot: Snapshot, path: str | Path) -> Path:
    """Write a starting profile from a discovery crawl: site, hosts and every column with its inferred type.

    The clerk then corrects types and fills in 责任单位; the written file validates as is.
    """
    path = Path(path)
    hosts = sorted({urlsplit(c.url).hostname or "" for c in snapshot.columns_} - {""}
                   - {urlsplit(snapshot.site_url).hostname or ""})
    lines = [
        "# govaudit 站点配置（由 govaudit init 根据首次抓取生成，请核对后使用）",
        f"name: {_q(snapshot.site_name or urlsplit(snapshot.site_url).hostname or snapshot.site_url)}",
        "start_urls:",
        f"  - {_q(snapshot.site_url)}",
    ]
    if hosts:
        lines.append("hosts:")
        lines += [f"  - {_q(h)}" for h in hosts]
    else:
        lines.append("# hosts: [附件或信息公开平台所在的其他域名]")
    lines += [
        "# exclude: ['/search/', '\\\\?keyword=']   # 不需抓取的地址（正则表达式）",
        "# obey_robots: true",
        "# 栏目类型：以下为自动识别结果，如有误请修改；未识别的栏目请补充类型",
    ]
    columns = sorted(snapshot.columns_, key=lambda c: (c.path or c.name, c.url))
    typed = [c for c in columns if c.type]
    if typed:
        lines.append("column_types:")
    for c in columns:
        label = _one_line(c.path or c.name)
        reason = f"；依据：{_one_line(c.type_reason)}" if c.type_reason else ""
        if c.type:
            lines.append(f"  {_q(c.url)}: {_q(c.type)}   # {label}（更新要求：{update_requirement(c.type)}{reason}）")
        else:
            lines.append(f"  # {_q(c.url)}: \"\"   # {label}（未识别{reason}）")
    lines.append("# 责任单位：请为各栏目填写负责更新的单位，例如")
    lines.append("# departments:")
    for c in columns[:50]:
        lines.append(f"#   {_q(c.url)}: \"\"   # {c.path or c.name}")
    text = "\n".join(lines) + "\n"
    parse_profile(text, str(path))            # never write a profile that would not load
    path.write_text(text, encoding="utf-8")
    return path
