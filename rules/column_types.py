"""Canonical 栏目类型 and how a column's type is judged from all its evidence, with the reason kept.

The type list, name patterns, sections, generic meta values and freshness groups are data
(rules/column_types.yml) so a county can extend them without code; this module only applies that
file. A verdict weighs, in order: the site profile, a specific ColumnType meta, a strong or ordinary
name pattern (unless the parent section absorbs it), what most sub-columns are, the parent's type,
a weak name pattern, and last a generic meta such as 信息公开目录 — so a catalogue-wide meta never
hides that 人事任免 is 人事信息. Every verdict carries the words it rests on, for the clerk.

A column that none of that types may still be typed by what it publishes (`judge_by_articles`: most
of its dated articles are news items, or 文号-bearing documents). Such a type is a guess, kept apart
as type_source 'articles', and judged for freshness only where column_types.yml allows it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

COLUMN_TYPES_FILE = Path(__file__).with_name("column_types.yml")
FRESHNESS_GROUPS = ("dynamic", "notice_policy", "personnel_plan")
FRESHNESS_LIMITS = {"dynamic": "2周", "notice_policy": "6个月", "personnel_plan": "1年"}
FALLBACK_TYPE = "其他"
TIER_STRONG, TIER_NORMAL, TIER_WEAK = 2, 1, 0
# Sub-columns whose own names type them, needed before a header is typed by what it holds.
_MIN_CHILDREN = 3


@dataclass(frozen=True)
class ColumnType:
    """One canonical 栏目类型 with its name patterns by tier, absorbed types, meta values and freshness group."""

    name: str
    patterns: tuple[tuple[re.Pattern, int], ...]
    guideline_types: tuple[str, ...]
    absorbs: frozenset[str]
    freshness: str | None
    order: int


@dataclass(frozen=True)
class ArticleKind:
    """A kind of article that, when most of a column's articles are of it, says the column's type."""

    type: str
    label: str
    doc_number: str | None                    # absent | present | None (either)
    title_any: tuple[re.Pattern, ...]
    title_none: tuple[re.Pattern, ...]
    freshness: bool                           # whether a type read from such articles gets freshness verdicts
    over_name: frozenset[str] = frozenset()   # types a column's own name may give that such articles still override

    def matches(self, title: str, doc_number: str | None) -> bool:
        """Whether one article (its title and 文号, None or '' when it has none) is of this kind."""
        has_number = bool((doc_number or "").strip())
        if (self.doc_number == "absent" and has_number) or (self.doc_number == "present" and not has_number):
            return False
        text = normalise_name(title)
        if self.title_any and not any(p.search(text) for p in self.title_any):
            return False
        return not any(p.search(text) for p in self.title_none)


@dataclass(frozen=True)
class ArticleEvidence:
    """column_types.yml's article_evidence: how many articles, what share, which kinds."""

    min_articles: int = 5
    min_share: float = 0.8
    kinds: tuple[ArticleKind, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """Everything column_types.yml says, compiled."""

    types: tuple[ColumnType, ...]
    generic_meta: frozenset[str]
    meta_separators: re.Pattern
    owner_prefix: re.Pattern
    owner_only: re.Pattern
    home_names: frozenset[str]
    articles: ArticleEvidence = ArticleEvidence()

    def get(self, name: str | None) -> ColumnType | None:
        return next((t for t in self.types if t.name == name), None)


@dataclass(frozen=True)
class NameMatch:
    """The best pattern match in a column name: which type, how strong, on which words."""

    type: str
    tier: int
    text: str


@dataclass(frozen=True)
class TypeVerdict:
    """A column's 栏目类型, where it came from (profile | meta | name | parent | children | articles) and why,
    in Chinese."""

    type: str | None
    source: str | None
    reason: str

    @property
    def freshness(self) -> str | None:
        return freshness_group(self.type)


def normalise_name(text: str | None) -> str:
    """NFKC (full-width → half-width), no whitespace, no enclosing brackets or trailing bars."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return text.strip("[]【】()（）|｜<>《》")


def load_vocabulary(path: Path = COLUMN_TYPES_FILE) -> Vocabulary:
    """column_types.yml compiled, read once per process and path.

    The cache sits behind this function so that `load_vocabulary()` and `load_vocabulary(COLUMN_TYPES_FILE)`
    share one entry: lru_cache keys on the arguments as passed, so a cached function with a default read the
    file twice (~12 ms each).
    """
    return _compiled_vocabulary(path)


@functools.lru_cache(maxsize=4)
def _compiled_vocabulary(path: Path) -> Vocabulary:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    types = []
    for order, entry in enumerate(data["types"]):
        patterns = [(re.compile(str(p)), tier)
                    for key, tier in (("strong", TIER_STRONG), ("patterns", TIER_NORMAL), ("weak", TIER_WEAK))
                    for p in entry.get(key) or ()]
        types.append(ColumnType(
            name=entry["name"], patterns=tuple(patterns),
            guideline_types=tuple(entry.get("guideline_types") or ()),
            absorbs=frozenset(entry.get("absorbs") or ()), freshness=entry.get("freshness"), order=order,
        ))
    return Vocabulary(
        types=tuple(types),
        generic_meta=frozenset(normalise_name(v) for v in data.get("generic_meta") or ()),
        meta_separators=re.compile(data.get("meta_separators") or r"[，,、;；/]"),
        owner_prefix=re.compile(data.get("owner_prefix") or r"(?!)"),
        owner_only=re.compile(data.get("owner_only") or r"(?!)"),
        home_names=frozenset(data.get("home_names") or ()),
        articles=_article_evidence(data.get("article_evidence") or {}, {t.name for t in types}),
    )


def _article_evidence(data: dict, type_names: set[str]) -> ArticleEvidence:
    kinds = []
    for entry in data.get("kinds") or ():
        if entry["type"] not in type_names:
            raise ValueError(f"column_types.yml: article_evidence names an unknown type {entry['type']!r}")
        if entry.get("doc_number") not in (None, "absent", "present"):
            raise ValueError(f"column_types.yml: article_evidence doc_number must be absent or present, "
                             f"not {entry.get('doc_number')!r}")
        kinds.append(ArticleKind(
            type=entry["type"], label=entry.get("label") or entry["type"], doc_number=entry.get("doc_number"),
            title_any=tuple(re.compile(str(p)) for p in entry.get("title_any") or ()),
            title_none=tuple(re.compile(str(p)) for p in entry.get("title_none") or ()),
            freshness=bool(entry.get("freshness", False)),
            over_name=frozenset(_known_types(entry.get("over_name") or (), type_names)),
        ))
    return ArticleEvidence(min_articles=int(data.get("min_articles", 5)), min_share=float(data.get("min_share", 0.8)),
                           kinds=tuple(kinds))


def _known_types(names, type_names: set[str]) -> list[str]:
    if unknown := [n for n in names if n not in type_names]:
        raise ValueError(f"column_types.yml: article_evidence over_name names unknown types {unknown}")
    return list(names)


def load_column_types(path: Path = COLUMN_TYPES_FILE) -> tuple[ColumnType, ...]:
    """The column types of `path` in file order (order breaks ties between equally long matches)."""
    return load_vocabulary(path).types


def column_type_names() -> list[str]:
    """Every canonical 栏目类型 name, in file order."""
    return [t.name for t in load_column_types()]


def freshness_group(type_name: str | None) -> str | None:
    """The freshness group (dynamic | notice_policy | personnel_plan) of a type, or None."""
    found = load_vocabulary().get(type_name)
    return found.freshness if found else None


def types_in_group(group: str) -> list[str]:
    """The type names whose freshness group is `group`."""
    return [t.name for t in load_column_types() if t.freshness == group]


def update_requirement(type_name: str | None) -> str:
    """The 栏目不更新 limit of a type in words (动态要闻 → 2周), '无' when it has none."""
    return FRESHNESS_LIMITS.get(freshness_group(type_name) or "", "无")


# ---------------------------------------------------------------------------- evidence
def strip_owner(name: str) -> str:
    """The column's own words: '县教体局人事任免' → '人事任免', '市政府办公室文件' → '文件'."""
    vocab = load_vocabulary()
    text = normalise_name(name)
    return vocab.owner_prefix.sub("", text, count=1) or text


def is_owner_only(name: str) -> bool:
    """A name that only names a unit (统计局, 县政府): it says who keeps the column, not what it holds."""
    return bool(load_vocabulary().owner_only.match(normalise_name(name)))


def match_name(name: str) -> NameMatch | None:
    """The strongest, then longest, pattern match in the column's own words (None when nothing matches)."""
    text = strip_owner(name)
    if not text or is_owner_only(text):
        return None
    best: tuple[int, int, int] | None = None
    found: NameMatch | None = None
    for column_type in load_column_types():
        for pattern, tier in column_type.patterns:
            for match in pattern.finditer(text):
                if not match.group(0):
                    continue
                score = (tier, len(match.group(0)), -column_type.order)
                if best is None or score > best:
                    best, found = score, NameMatch(column_type.name, tier, match.group(0))
    return found


def names_catalogue(name: str | None) -> bool:
    """A name for the whole catalogue (邯郸市政府信息公开, 部门信息公开), not for one column in it."""
    found = match_name(name or "")
    return found is not None and found.type == "信息公开目录" and found.tier == TIER_WEAK


def meta_values(meta_type: str | Iterable[str] | None) -> list[str]:
    """The values of a ColumnType meta, a list such as '信息公开，政策文件' split into its items."""
    if not meta_type:
        return []
    raw = [meta_type] if isinstance(meta_type, str) else list(meta_type)
    vocab = load_vocabulary()
    out: list[str] = []
    for value in raw:
        for part in vocab.meta_separators.split(value or ""):
            part = normalise_name(part)
            if part and part not in out:
                out.append(part)
    return out


def _meta_type(value: str) -> str | None:
    for column_type in load_column_types():
        if value == column_type.name or value in column_type.guideline_types:
            return column_type.name
    return None


def is_generic_meta(value: str) -> bool:
    """A ColumnType value that names the catalogue as a whole (信息公开目录, 政务公开 …), not a kind of column."""
    return normalise_name(value) in load_vocabulary().generic_meta


def _parents(parents: Sequence[str] | str | None) -> list[str]:
    if not parents:
        return []
    if isinstance(parents, str):
        parents = re.split(r"\s*(?:>|/|›|»|＞)\s*", parents)
    home = load_vocabulary().home_names
    return [p.strip() for p in parents if p and p.strip() and normalise_name(p) not in home]


# ---------------------------------------------------------------------------- the verdict
def judge_column_type(name: str, parents: Sequence[str] | str | None = None,
                      meta_type: str | Iterable[str] | None = None, profile_type: str | None = None,
                      children: Iterable[str] = ()) -> TypeVerdict:
    """The 栏目类型 of a column from all its evidence, with the reason (see the module docstring for the order).

    `parents` is the breadcrumb above the column (top first, 首页 dropped), `meta_type` its pages'
    ColumnType meta values, `children` the names of its sub-columns when they are known.
    """
    if profile_type:
        return TypeVerdict(profile_type, "profile", f"站点配置指定为{profile_type}")
    vocab = load_vocabulary()
    parent_names = _parents(parents)
    generic_metas = []
    specific: list[tuple[str, str]] = []          # (type, meta value)
    for value in meta_values(meta_type):
        if value in vocab.generic_meta:
            generic_metas.append(value)
        elif (found := _meta_type(value)) is not None:
            specific.append((found, value))
    own = match_name(name)
    if specific:
        agreeing = [s for s in specific if own and s[0] == own.type]
        chosen, value = (agreeing or specific)[0]
        return TypeVerdict(chosen, "meta", f"页面ColumnType标签为“{value}”")
    parent = _parent_verdict(parent_names)
    if own is not None and own.tier > TIER_WEAK:
        section = vocab.get(parent.type) if parent else None
        if section is not None and own.type in section.absorbs and _is_section(parent_names[-1]):
            return TypeVerdict(section.name, "parent",
                               f"栏目名称含“{own.text}”，但位于{section.name}类栏目“{parent_names[-1]}”之下，按{section.name}归类")
        return TypeVerdict(own.type, "name", f"栏目名称含“{own.text}”")
    by_children = _children_verdict(children)
    if by_children is not None:
        return by_children
    if parent is not None and parent.type:
        return TypeVerdict(parent.type, "parent",
                           f"栏目名称未提示类型，沿用上级栏目“{parent_names[-1]}”的{parent.type}类")
    if own is not None:
        return TypeVerdict(own.type, "name", f"栏目名称含“{own.text}”")
    if generic_metas:
        return TypeVerdict("信息公开目录", "meta", f"页面ColumnType标签为“{generic_metas[0]}”（泛指信息公开目录）")
    if is_owner_only(strip_owner(name)):
        return TypeVerdict(None, None, "栏目名称仅为单位名称，上级栏目亦未提示类型")
    return TypeVerdict(None, None, "栏目名称及上级栏目均未提示类型")


def _is_section(name: str) -> bool:
    """A header that holds subjects (办事服务, 公共服务), not one exact function (依申请公开, 县长信箱)."""
    found = match_name(name)
    return found is None or found.tier < TIER_STRONG


def _parent_verdict(parent_names: list[str]) -> TypeVerdict | None:
    """The parent's own verdict, judged from its name and its own parents (never from metas or children)."""
    if not parent_names:
        return None
    return _judge_cached(parent_names[-1], tuple(parent_names[:-1]))


@functools.lru_cache(maxsize=4096)
def _judge_cached(name: str, parents: tuple[str, ...]) -> TypeVerdict:
    return judge_column_type(name, parents)


def _children_verdict(children: Iterable[str]) -> TypeVerdict | None:
    """A header that names no kind (邯郸信息) is what most of its sub-columns say they are."""
    typed = [m.type for c in children if (m := match_name(c)) is not None and m.tier > TIER_WEAK]
    if len(typed) < _MIN_CHILDREN:
        return None
    (top, count), = Counter(typed).most_common(1)
    if count * 2 <= len(typed):
        return None
    return TypeVerdict(top, "children", f"栏目名称未提示类型，其下级栏目{count}/{len(typed)}个为{top}类")


# ---------------------------------------------------------------------------- what the articles say
ARTICLES_SOURCE = "articles"


def open_to_articles(verdict: TypeVerdict) -> bool:
    """Whether a column's verdict leaves room for its articles: nothing typed it, or only the catalogue
    it sits in (信息公开目录 from a generic meta on every page of the platform, or inherited from a parent
    such as 政务公开), which says where a column is, not what it holds. A column typed 其他 is not open:
    its name or parent says it is a 专题/概况/党建 column, news-like articles or not."""
    return verdict.type is None or (verdict.type == "信息公开目录" and verdict.source in ("meta", "parent"))


def judge_by_articles(articles: Iterable[tuple[str, str | None]], before: TypeVerdict | None = None,
                      path: Path = COLUMN_TYPES_FILE) -> TypeVerdict | None:
    """The column's type from its dated articles, (title, 文号) each; None when they say nothing clear.

    A kind wins when at least min_share of at least min_articles articles are of it; a title of two
    kinds at once counts for neither. `before` is the verdict being replaced, kept in the reason.
    """
    evidence = load_vocabulary(path).articles
    articles = list(articles)
    if len(articles) < evidence.min_articles or not evidence.kinds:
        return None
    counts: Counter[int] = Counter()
    example: dict[int, str] = {}
    for title, doc_number in articles:
        hits = [i for i, kind in enumerate(evidence.kinds) if kind.matches(title or "", doc_number)]
        if len(hits) == 1:
            counts[hits[0]] += 1
            text = normalise_name(title)
            example.setdefault(hits[0], text if len(text) <= 30 else f"{text[:30]}…")
    if not counts:
        return None
    (best, count), = counts.most_common(1)
    if count < evidence.min_share * len(articles):
        return None
    kind = evidence.kinds[best]
    prefix = f"{before.reason}；" if before is not None and before.reason else ""
    return TypeVerdict(kind.type, ARTICLES_SOURCE,
                       f"{prefix}栏目内{len(articles)}篇有发布日期的信息中{count}篇为{kind.label}"
                       f"（如“{example[best]}”），据此推断为{kind.type}类（把握较低）")


def judges_freshness(type_name: str | None, source: str | None, path: Path = COLUMN_TYPES_FILE) -> bool:
    """Whether a column of this type and type source may get a freshness verdict: always, unless its type
    was read from its articles by a kind that column_types.yml does not let judge freshness."""
    if source != ARTICLES_SOURCE:
        return True
    return any(kind.type == type_name and kind.freshness for kind in load_vocabulary(path).articles.kinds)


def infer_column_type(name: str, meta_type: str | None = None,
                      parents: Sequence[str] | str | None = None) -> tuple[str | None, str | None]:
    """(type, source) for a column, as judge_column_type; (None, None) when nothing says anything.

    Callers may then fall back to '其他'.
    """
    verdict = judge_column_type(name, parents, meta_type)
    return verdict.type, verdict.source


# ---------------------------------------------------------------------------- a list of paths
@dataclass(frozen=True)
class PathVerdict:
    """One line of `govaudit column-types`: the column, its parents and the verdict."""

    name: str
    parents: tuple[str, ...]
    verdict: TypeVerdict

    @property
    def type(self) -> str:
        return self.verdict.type or FALLBACK_TYPE

    @property
    def reason(self) -> str:
        """The verdict's reason, saying so when the type is only the fallback."""
        if self.verdict.type is None:
            return f"{self.verdict.reason}，按“{FALLBACK_TYPE}”处理"
        return self.verdict.reason


def split_path(line: str) -> tuple[str, tuple[str, ...]]:
    """'首页 > 政务公开 > 人事任免' → ('人事任免', ('首页', '政务公开')); a bare name has no parents."""
    parts = [p.strip() for p in re.split(r"\s+>\s+|\s*＞\s*|\s*›\s*|\s*»\s*", line.strip()) if p.strip()]
    if not parts:
        return "", ()
    return parts[-1], tuple(parts[:-1])


def judge_paths(lines: Iterable[str]) -> list[PathVerdict]:
    """Verdicts for breadcrumb lines ('上级栏目 > … > 栏目名'); lines of one file are one tree, so a header's
    sub-columns listed elsewhere in the file are evidence for it too."""
    paths = [split_path(line) for line in lines if line.strip() and not line.lstrip().startswith("#")]
    children: dict[tuple[str, ...], list[str]] = {}
    for name, parents in paths:
        key = tuple(p for p in _parents(parents))
        children.setdefault(key, []).append(name)
    out = []
    for name, parents in paths:
        key = (*_parents(parents), name)
        verdict = judge_column_type(name, parents, children=children.get(key, ()))
        out.append(PathVerdict(name, parents, verdict))
    return out
