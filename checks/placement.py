"""Placement checks: 公开内容与栏目类别不吻合 (an article filed under a column of the wrong type).

Two layers judge every article, and one Observation per article merges what they say:
  * explainable keyword profiles (rules/placement_keywords.yml), for columns whose meaning is fixed
    by regulation (政策文件 carry a 文号, 任免 belongs in 人事信息, 年报 in 信息公开年报 …);
  * a classifier trained on the site's own columns (checks/classifier.py) with out-of-fold
    probabilities, for what no keyword list foresees; columns too small to train use the rules only.
`category_mismatch` reports articles; `column_mismatch` reports columns where a large share of the
articles does not fit. Both read one cached per-snapshot verdict, so the model is trained once.
"""

from __future__ import annotations

import functools
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
import yaml

from checks.classifier import ClassifierConfig, Sample, judge
from checks.finding import Observation
from crawler.records import ColumnRecord, PageRecord, Snapshot
from rules.column_types import infer_column_type

KEYWORDS_FILE = Path(__file__).resolve().parents[1] / "rules" / "placement_keywords.yml"

DEFAULTS: dict[str, Any] = {
    "layers": ["rules", "model"],
    "profiles": None,                 # None = every profile in the keywords file
    "keywords_file": None,
    "exclude_types": ["其他"],        # never judged, never trained on
    "min_column_articles": 20,        # tech-notes §5: smaller columns cannot train a classifier
    "own_max": 0.2,                   # tech-notes §5: own-column probability below this is suspect …
    "other_min": 0.5,                 # … when another type is at least this likely
    "review_below": 0.8,              # confidence under this → needs_review (人工复核)
    "min_share": 0.3,                 # column_mismatch: share of misfiled articles that flags a column
    "min_flagged": 3,                 # column_mismatch: and at least this many of them
    # Topic columns (重点领域, 财政信息 …) legitimately carry notices and 公示 of their topic: the model
    # confusing them with the form-based 通知公告 is no misplacement. Pairs are read both ways.
    "compatible_types": {},
}
_MODEL_KEYS = {f for f in ClassifierConfig.__dataclass_fields__}


class PlacementConfigError(ValueError):
    """The keyword file or a rule's params cannot be used (bad regex, unknown profile …)."""


# ---------------------------------------------------------------- keyword profiles (data)

@dataclass
class Profile:
    """One explainable placement rule read from the keywords file."""

    id: str
    reason: str
    confidence: float
    in_types: frozenset[str] | None = None
    outside_types: frozenset[str] = frozenset()
    title_any: list[regex.Pattern] = field(default_factory=list)
    title_none: list[regex.Pattern] = field(default_factory=list)
    doc_number: str | None = None     # 'absent'
    policy_ref: str | None = None     # 'absent'
    expected_type: str | None = None

    def applies_to(self, column_type: str) -> bool:
        if self.in_types is not None and column_type not in self.in_types:
            return False
        return column_type not in self.outside_types


@dataclass
class Keywords:
    """The whole keywords file, compiled."""

    profiles: list[Profile]
    doc_number: regex.Pattern
    policy_refs: list[regex.Pattern]
    type_hints: dict[str, list[str]]
    fallback_expected_type: str
    body_head_chars: int


def _compile(patterns: Iterable[str], where: str) -> list[regex.Pattern]:
    out = []
    for p in patterns or ():
        try:
            out.append(regex.compile(str(p)))
        except regex.error as exc:
            raise PlacementConfigError(f"{where}: bad pattern {p!r}: {exc}") from exc
    return out


@functools.lru_cache(maxsize=8)
def load_keywords(path: str | Path = KEYWORDS_FILE) -> Keywords:
    """Read and compile a placement keywords file (cached per path)."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PlacementConfigError(f"{path}: cannot read placement keywords: {exc}") from exc
    profiles = []
    for i, raw in enumerate(data.get("profiles") or []):
        where = f"{path.name}:profiles[{i}]"
        try:
            profiles.append(Profile(
                id=str(raw["id"]), reason=str(raw["reason"]), confidence=float(raw.get("confidence", 0.7)),
                in_types=frozenset(raw["in_types"]) if raw.get("in_types") else None,
                outside_types=frozenset(raw.get("outside_types") or ()),
                title_any=_compile(raw.get("title_any"), where),
                title_none=_compile(raw.get("title_none"), where),
                doc_number=raw.get("doc_number"), policy_ref=raw.get("policy_ref"),
                expected_type=raw.get("expected_type"),
            ))
        except (KeyError, TypeError, ValueError) as exc:
            raise PlacementConfigError(f"{where}: {exc!r}") from exc
    return Keywords(
        profiles=profiles,
        doc_number=_compile([data.get("doc_number_pattern", r"〔\d{4}〕\d+号")], path.name)[0],
        policy_refs=_compile(data.get("policy_ref_patterns"), path.name),
        type_hints={k: list(v) for k, v in (data.get("type_hints") or {}).items()},
        fallback_expected_type=str(data.get("fallback_expected_type", "通知公告")),
        body_head_chars=int(data.get("body_head_chars", 300)),
    )


@dataclass
class RuleHit:
    profile: Profile
    match: str


def _has_doc_number(page: PageRecord, kw: Keywords) -> bool:
    number = (page.doc_number or "").strip()
    if number and number not in {"无", "-", "—", "/", "暂无"}:
        return True
    return bool(kw.doc_number.search(page.title or "") or kw.doc_number.search((page.text or "")[: kw.body_head_chars]))


def rule_hits(page: PageRecord, column_type: str, kw: Keywords, wanted: set[str] | None = None) -> list[RuleHit]:
    """Every keyword profile that fires on this article in a column of `column_type`."""
    title = page.title or ""
    hits = []
    for profile in kw.profiles:
        if wanted is not None and profile.id not in wanted:
            continue
        if not profile.applies_to(column_type):
            continue
        match = ""
        if profile.title_any:
            found = next((m for m in (p.search(title) for p in profile.title_any) if m), None)
            if found is None:
                continue
            match = found.group(0)
        if any(p.search(title) for p in profile.title_none):
            continue
        if profile.doc_number == "absent" and _has_doc_number(page, kw):
            continue
        if profile.policy_ref == "absent":
            head = title + "\n" + (page.text or "")[: kw.body_head_chars]
            if _has_doc_number(page, kw) or any(p.search(head) for p in kw.policy_refs):
                continue
        hits.append(RuleHit(profile, match))
    return hits


def _hinted_type(title: str, own: str, kw: Keywords) -> str | None:
    scores = Counter({t: sum(w in title for w in words) for t, words in kw.type_hints.items() if t != own})
    best = scores.most_common(1)
    return best[0][0] if best and best[0][1] > 0 else None


# ---------------------------------------------------------------- the merged verdict per article

@dataclass
class Verdict:
    """What both layers say about one article; `flagged` when either calls it misplaced."""

    page: PageRecord
    column: ColumnRecord
    column_type: str
    hits: list[RuleHit] = field(default_factory=list)
    model_flag: bool = False
    own_prob: float | None = None
    best_type: str | None = None
    best_prob: float | None = None
    terms: list[str] = field(default_factory=list)
    expected_type: str | None = None
    confidence: float = 0.0

    @property
    def flagged(self) -> bool:
        return bool(self.hits) or self.model_flag


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def rule_params(rule: Any) -> dict[str, Any]:
    """The rule's params over DEFAULTS (rule may be a loader object or a plain dict)."""
    params = dict(DEFAULTS)
    params.update(_get(rule, "params") or {})
    return params


def _applies_types(rule: Any) -> set[str] | None:
    applies = _get(rule, "applies_to")
    types = _get(applies, "column_types") if applies is not None else None
    return set(types) if types else None


def _column_type(column: ColumnRecord) -> str | None:
    if column.type:
        return column.type
    inferred, _ = infer_column_type(column.name or "")
    return inferred


def _model_config(params: dict[str, Any]) -> ClassifierConfig:
    given = {k: v for k, v in params.items() if k in _MODEL_KEYS}
    return ClassifierConfig(**given)


_CACHE: dict[int, tuple[weakref.ref, tuple, list[Verdict]]] = {}


def _cache_key(params: dict[str, Any]) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in params.items() if k not in {"min_share", "min_flagged"}))


def verdicts(snapshot: Snapshot, params: dict[str, Any]) -> list[Verdict]:
    """Judge every article of the snapshot with both layers (cached per snapshot and params)."""
    key = _cache_key(params)
    cached = _CACHE.get(id(snapshot))
    if cached and cached[0]() is snapshot and cached[1] == key:
        return cached[2]
    result = _judge_all(snapshot, params)
    for k in [k for k, (ref, _, _) in _CACHE.items() if ref() is None]:
        del _CACHE[k]
    _CACHE[id(snapshot)] = (weakref.ref(snapshot), key, result)
    return result


def _judge_all(snapshot: Snapshot, params: dict[str, Any]) -> list[Verdict]:
    kw = load_keywords(params["keywords_file"] or KEYWORDS_FILE)
    wanted = set(params["profiles"]) if params["profiles"] else None
    if wanted is not None:
        unknown = wanted - {p.id for p in kw.profiles}
        if unknown:
            raise PlacementConfigError(f"params.profiles: unknown profile(s) {sorted(unknown)}")
    layers = set(params["layers"] or ())
    excluded = set(params["exclude_types"] or ())

    columns = {c.url: c for c in snapshot.columns()}
    types = {url: _column_type(c) for url, c in columns.items()}
    result: list[Verdict] = []
    for page in snapshot.pages(kind="article"):
        column = columns.get(page.column_url)
        ctype = types.get(page.column_url)
        if column is None or not ctype or ctype in excluded:
            continue
        verdict = Verdict(page=page, column=column, column_type=ctype)
        if "rules" in layers:
            verdict.hits = rule_hits(page, ctype, kw, wanted)
        result.append(verdict)

    if "model" in layers:
        _apply_model(result, params, kw)
    for verdict in result:
        _settle(verdict, kw)
    return result


def _apply_model(result: list[Verdict], params: dict[str, Any], kw: Keywords) -> None:
    sizes = Counter(v.column.url for v in result)
    trainable = [v for v in result if sizes[v.column.url] >= params["min_column_articles"]]
    samples = [Sample(key=v.page.url, title=v.page.title or "", text=v.page.text or "",
                      has_doc_number=_has_doc_number(v.page, kw), label=v.column_type) for v in trainable]
    outcome = judge(samples, _model_config(params))
    for v in trainable:
        j = outcome.judgements.get(v.page.url)
        if j is None:
            continue
        v.own_prob, v.best_type, v.best_prob, v.terms = j.own_prob, j.best_type, j.best_prob, j.terms
        v.model_flag = (j.own_prob < params["own_max"] and j.best_prob >= params["other_min"]
                        and not _compatible(v.column_type, j.best_type, params["compatible_types"]))


def _compatible(own: str | None, other: str | None, pairs: dict[str, list[str]]) -> bool:
    """True when a column of type `own` may properly hold content that reads like `other`."""
    return bool(own and other) and (other in (pairs.get(own) or ()) or own in (pairs.get(other) or ()))


def _settle(v: Verdict, kw: Keywords) -> None:
    """Expected type and merged confidence (independent evidence: 1 − Π(1 − cᵢ))."""
    if not v.flagged:
        return
    fixed = [h.profile for h in sorted(v.hits, key=lambda h: -h.profile.confidence) if h.profile.expected_type]
    if fixed:
        v.expected_type = fixed[0].expected_type
    elif v.model_flag:
        v.expected_type = v.best_type
    else:
        v.expected_type = (_hinted_type(v.page.title or "", v.column_type, kw)
                           or (v.best_type if v.best_type else None) or kw.fallback_expected_type)
    miss = 1.0
    for h in v.hits:
        miss *= 1.0 - h.profile.confidence
    if v.model_flag:
        miss *= 1.0 - (v.best_prob or 0.0) * (1.0 - (v.own_prob or 0.0))
    v.confidence = round(1.0 - miss, 3)


# ---------------------------------------------------------------- the checks

def _best_columns(snapshot: Snapshot, results: list[Verdict]) -> dict[str, ColumnRecord]:
    """For each type, the site's column of that type holding the most articles (where to move things)."""
    counts = Counter(v.column.url for v in results)
    best: dict[str, ColumnRecord] = {}
    for column in snapshot.columns():
        ctype = _column_type(column)
        if not ctype:
            continue
        current = best.get(ctype)
        if current is None or counts[column.url] > counts[current.url]:
            best[ctype] = column
    return best


def _reason(v: Verdict) -> str:
    parts = [h.profile.reason.format(match=h.match) for h in v.hits]
    if v.model_flag:
        terms = "、".join(v.terms[:5])
        parts.append(
            f"按本站各栏目已发布内容训练的分类模型判断，该信息属「{v.column_type}」类的概率仅为{v.own_prob:.0%}，"
            f"属「{v.best_type}」类的概率为{v.best_prob:.0%}" + (f"（主要依据：{terms}）" if terms else ""))
    return "；".join(parts)


def category_mismatch(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """An article whose content does not fit the type of the column it was published in."""
    params = rule_params(rule)
    only = _applies_types(rule)
    results = verdicts(snapshot, params)
    best = _best_columns(snapshot, results)
    for v in results:
        if not v.flagged or (only is not None and v.column_type not in only):
            continue
        target = best.get(v.expected_type)
        source = "+".join(s for s, on in (("规则", bool(v.hits)), ("模型", v.model_flag)) if on)
        yield Observation(
            url=v.page.url, column_name=v.column.name, column_url=v.column.url,
            observed={
                "title": v.page.title, "column": v.column.name, "column_type": v.column_type,
                "expected_type": v.expected_type,
                "expected_column": target.name if target else f"（本站未设「{v.expected_type}」类栏目）",
                "expected_column_url": target.url if target else None,
                "reason": _reason(v), "source": source,
                "profiles": [h.profile.id for h in v.hits],
                "terms": v.terms if v.model_flag else [],
                "own_prob": None if v.own_prob is None else round(v.own_prob, 3),
                "expected_prob": None if v.best_prob is None or not v.model_flag else round(v.best_prob, 3),
            },
            evidence=f"《{v.page.title}》：{_reason(v)}",
            confidence=v.confidence, key=v.page.url,
            needs_review=v.confidence < params["review_below"],
        )


def column_mismatch(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """A column where a large share of the articles reads like another type (the column is misused)."""
    params = rule_params(rule)
    only = _applies_types(rule)
    results = verdicts(snapshot, params)
    by_column: dict[str, list[Verdict]] = defaultdict(list)
    for v in results:
        by_column[v.column.url].append(v)
    for url, items in by_column.items():
        column, ctype = items[0].column, items[0].column_type
        if only is not None and ctype not in only:
            continue
        flagged = [v for v in items if v.flagged]
        share = len(flagged) / len(items)
        if len(flagged) < params["min_flagged"] or share < params["min_share"]:
            continue
        expected = Counter(v.expected_type for v in flagged).most_common(1)[0][0]
        examples = "；".join(f"《{v.page.title}》" for v in sorted(flagged, key=lambda v: -v.confidence)[:3])
        confidence = round(sum(v.confidence for v in flagged) / len(flagged), 3)
        yield Observation(
            url=url, column_name=column.name, column_url=url,
            observed={"column": column.name, "column_type": ctype, "articles": len(items),
                      "misplaced": len(flagged), "share": f"{share:.0%}", "expected_type": expected,
                      "examples": examples},
            evidence=examples, confidence=confidence, key=url, count=len(flagged),
            needs_review=confidence < params["review_below"],
        )


CHECKS = {
    "category_mismatch": category_mismatch,
    "column_mismatch": column_mismatch,
}
