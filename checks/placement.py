"""Placement checks: 公开内容与栏目类别不吻合 (an article filed under a column of the wrong type).

Two layers judge every article, and one Observation per article merges what they say:
  * explainable keyword profiles (rules/placement_keywords.yml), for columns whose meaning is fixed
    by regulation (政策文件 carry a 文号, 任免 belongs in 人事信息, 年报 in 信息公开年报 …);
  * a classifier trained on the site's own columns (checks/classifier.py) with out-of-fold
    probabilities, for what no keyword list foresees; columns too small to train use the rules only.
Precision first: a verdict is a finding only when it can be said in a clerk's words and defended on
this site's own evidence (the column's type is certain, the model's suspicion is borne out by the
category's words in both title and body, the title's document genre does not place it at home in
its column). Everything else flagged is 需人工复核 (needs_review), listed apart with why.
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
from rules.column_types import judge_column_type

KEYWORDS_FILE = Path(__file__).resolve().parents[1] / "rules" / "placement_keywords.yml"

DEFAULTS: dict[str, Any] = {
    "layers": ["rules", "model"],
    "profiles": None,                 # None = every profile in the keywords file
    "keywords_file": None,
    # Never judged, never trained on, never suggested: a catalogue hub or 其他 says nothing about content.
    "exclude_types": ["其他", "信息公开目录"],
    # Where a column's type must come from before it may be called misused (ColumnRecord.type_source).
    "certain_type_sources": ["name", "profile"],
    "min_column_articles": 20,        # tech-notes §5: smaller columns cannot train a classifier
    "own_max": 0.2,                   # tech-notes §5: own-column probability below this is suspect …
    "other_min": 0.5,                 # … when another type is at least this likely
    "review_below": 0.8,              # a profile less sure than this on its own is only ever 需人工复核
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
    skip_genres: bool = False
    doc_number: str | None = None     # 'absent'
    policy_ref: str | None = None     # 'absent'
    expected_type: str | None = None
    column_doc_number_share: float | None = None
    advice: str | None = None         # what to do when the profile names no expected type
    # The title's words name what the document is (中标结果公告 is procurement), so its form word (公告) does not
    # make it at home in a content-typed column (政策文件): no 'at home' doubt for lack of a target column.
    category_over_genre: bool = False
    # The profile says the article is no formal document (a missing 文号): a title that reads as one (关于印发…的通知,
    # …决议) contradicts it, and a formal document without a 文号 is filed where it belongs, so such a hit only asks.
    formal_title_doubts: bool = False

    def applies_to(self, column_type: str) -> bool:
        if self.in_types is not None and column_type not in self.in_types:
            return False
        return column_type not in self.outside_types


@dataclass(frozen=True)
class Category:
    """A content category a clerk names in words, with the title and body words that mark it."""

    type: str
    label: str
    title_words: tuple[str, ...]
    body_words: tuple[str, ...]


@dataclass(frozen=True)
class Genre:
    """A document genre read from a title's last word, and the column types where it is properly filed."""

    name: str
    words: tuple[str, ...]
    expected_type: str | None
    homes: frozenset[str]


@dataclass
class Keywords:
    """The whole keywords file, compiled."""

    profiles: list[Profile]
    doc_number: regex.Pattern
    policy_refs: list[regex.Pattern]
    formal_titles: list[regex.Pattern]
    categories: dict[str, Category]
    genres: list[Genre]
    tail_noise: regex.Pattern
    body_head_chars: int


def _compile(patterns: Iterable[str], where: str) -> list[regex.Pattern]:
    out = []
    for p in patterns or ():
        try:
            out.append(regex.compile(str(p)))
        except regex.error as exc:
            raise PlacementConfigError(f"{where}: bad pattern {p!r}: {exc}") from exc
    return out


def _words(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(w, str) and w for w in raw):
        raise PlacementConfigError(f"{where}: expected a list of non-empty strings, got {raw!r}")
    return tuple(raw)


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
            share = raw.get("column_doc_number_share")
            profiles.append(Profile(
                id=str(raw["id"]), reason=str(raw["reason"]), confidence=float(raw.get("confidence", 0.7)),
                in_types=frozenset(raw["in_types"]) if raw.get("in_types") else None,
                outside_types=frozenset(raw.get("outside_types") or ()),
                title_any=_compile(raw.get("title_any"), where),
                title_none=_compile(raw.get("title_none"), where),
                skip_genres=bool(raw.get("skip_genres", False)),
                doc_number=raw.get("doc_number"), policy_ref=raw.get("policy_ref"),
                expected_type=raw.get("expected_type"),
                column_doc_number_share=None if share is None else float(share),
                advice=raw.get("advice"),
                category_over_genre=bool(raw.get("category_over_genre", False)),
                formal_title_doubts=bool(raw.get("formal_title_doubts", False)),
            ))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise PlacementConfigError(f"{where}: {exc!r}") from exc
    categories = {}
    for ctype, raw in (data.get("categories") or {}).items():
        where = f"{path.name}:categories.{ctype}"
        if not isinstance(raw, dict) or not raw.get("label"):
            raise PlacementConfigError(f"{where}: needs a label")
        categories[str(ctype)] = Category(str(ctype), str(raw["label"]), _words(raw.get("title"), where + ".title"),
                                          _words(raw.get("body"), where + ".body"))
    genres = []
    for i, raw in enumerate(data.get("genres") or []):
        where = f"{path.name}:genres[{i}]"
        if not isinstance(raw, dict) or not raw.get("words"):
            raise PlacementConfigError(f"{where}: needs words")
        # Longest word first, so 实施意见 is read before 意见 and 公示公告 before 公告.
        words = tuple(sorted(_words(raw.get("words"), where + ".words"), key=len, reverse=True))
        genres.append(Genre(str(raw.get("name") or words[0]), words, raw.get("expected_type"),
                            frozenset(raw.get("homes") or ())))
    return Keywords(
        profiles=profiles,
        doc_number=_compile([data.get("doc_number_pattern", r"〔\d{4}〕\d+号")], path.name)[0],
        policy_refs=_compile(data.get("policy_ref_patterns"), path.name),
        formal_titles=_compile(data.get("formal_document_patterns"), path.name),
        categories=categories,
        genres=genres,
        tail_noise=_compile([data.get("title_tail_noise", r"\s+$")], path.name)[0],
        body_head_chars=int(data.get("body_head_chars", 300)),
    )


@dataclass
class RuleHit:
    profile: Profile
    match: str


def title_genre(title: str, kw: Keywords) -> tuple[Genre, str] | None:
    """The document genre a title ends with (关于召开…会议的通知 → 通知公告类文书, '通知'), or None for news-like titles."""
    core = kw.tail_noise.sub("", (title or "").strip())
    for genre in kw.genres:
        for word in genre.words:
            if core.endswith(word):
                return genre, word
    return None


def _has_doc_number(page: PageRecord, kw: Keywords) -> bool:
    number = (page.doc_number or "").strip()
    if number and number not in {"无", "-", "—", "/", "暂无"}:
        return True
    return bool(kw.doc_number.search(page.title or "") or kw.doc_number.search((page.text or "")[: kw.body_head_chars]))


def rule_hits(page: PageRecord, column_type: str, kw: Keywords, wanted: set[str] | None = None) -> list[RuleHit]:
    """Every keyword profile that fires on this article in a column of `column_type`."""
    title = page.title or ""
    genre = title_genre(title, kw)
    hits = []
    for profile in kw.profiles:
        if wanted is not None and profile.id not in wanted:
            continue
        if not profile.applies_to(column_type):
            continue
        if profile.skip_genres and genre is not None:
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


def _words_in(text: str, words: Iterable[str]) -> list[str]:
    return [w for w in words if w in text]


def _hinted_type(title: str, own: str, kw: Keywords) -> str | None:
    """The category a title names: its genre first (a 通知 is a notice whatever it is about), then topic words."""
    genre = title_genre(title, kw)
    if genre is not None:
        expected = genre[0].expected_type
        # A 通知 in 政策文件 is at home by its form: what is wrong with it is not its category.
        return expected if expected and own not in genre[0].homes else None
    scores = Counter({t: len(_words_in(title, c.title_words)) for t, c in kw.categories.items() if t != own})
    best = scores.most_common(2)
    if not best or best[0][1] == 0 or (len(best) > 1 and best[1][1] == best[0][1]):
        return None                   # no word, or a tie: the category is not clear from the title
    return best[0][0]


# ---------------------------------------------------------------- the merged verdict per article

@dataclass
class Verdict:
    """What both layers say about one article: `flagged` when either suspects it, `confirmed` when it is a finding."""

    page: PageRecord
    column: ColumnRecord
    column_type: str
    type_certain: bool = False
    type_reason: str = ""
    hits: list[RuleHit] = field(default_factory=list)
    confirmed_hits: list[RuleHit] = field(default_factory=list)
    model_flag: bool = False
    model_confirmed: bool = False
    model_words: tuple[list[str], list[str]] = field(default_factory=lambda: ([], []))
    own_prob: float | None = None
    best_type: str | None = None
    best_prob: float | None = None
    terms: list[str] = field(default_factory=list)   # the model's n-grams: for debugging, never shown to a clerk
    expected_type: str | None = None
    target: ColumnRecord | None = None                # the site's column to move it to, when one exists
    confidence: float = 0.0
    doubts: list[str] = field(default_factory=list)  # why a flagged article is not a finding (Chinese)

    @property
    def flagged(self) -> bool:
        return bool(self.hits) or self.model_flag

    @property
    def confirmed(self) -> bool:
        return bool(self.confirmed_hits) or self.model_confirmed


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


def _parents(column: ColumnRecord) -> list[str]:
    crumbs = [c for c in regex.split(r"\s*(?:>|/|›|»|＞)\s*", column.path or "") if c]
    if crumbs and crumbs[-1] == column.name:
        crumbs = crumbs[:-1]
    return crumbs


def column_type_of(column: ColumnRecord, params: dict[str, Any]) -> tuple[str | None, bool, str]:
    """(type, certain, reason): the column's 栏目类型, whether it may be called misused, and on what evidence.

    Certain when the type came from a certain source (its name, the site profile), or when the column's
    own name independently names the same type (a specific ColumnType meta the name agrees with).
    A type from a generic meta, the parent column or the sub-columns is a guess about the column.
    """
    by_name = judge_column_type(column.name or "", _parents(column))
    ctype = column.type or by_name.type
    if not ctype:
        return None, False, by_name.reason
    source = column.type_source if column.type else by_name.source
    reason = column.type_reason or (by_name.reason if by_name.type == ctype else "")
    certain = source in set(params["certain_type_sources"] or ())
    if not certain and by_name.source == "name" and by_name.type == ctype:
        certain, reason = True, by_name.reason
    return ctype, certain, reason


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


@dataclass
class _Site:
    """What the judgement of one article needs to know about the rest of the site."""

    kw: Keywords
    params: dict[str, Any]
    targets: dict[str, ColumnRecord]          # certain-typed column per type, where to move things
    doc_share: dict[str, float]               # share of each column's articles that carry a 文号


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
    typing = {url: column_type_of(c, params) for url, c in columns.items()}
    result: list[Verdict] = []
    for page in snapshot.pages(kind="article"):
        column = columns.get(page.column_url)
        ctype, certain, why = typing.get(page.column_url) or (None, False, "")
        if column is None or not ctype or ctype in excluded:
            continue
        verdict = Verdict(page=page, column=column, column_type=ctype, type_certain=certain, type_reason=why)
        if "rules" in layers:
            verdict.hits = rule_hits(page, ctype, kw, wanted)
        result.append(verdict)

    if "model" in layers:
        _apply_model(result, params, kw)
    site = _Site(kw, params, _targets(columns.values(), typing, result, excluded), _doc_shares(result, kw))
    for verdict in result:
        _settle(verdict, site)
    return result


def _targets(columns: Iterable[ColumnRecord], typing: dict, results: list[Verdict],
             excluded: set[str]) -> dict[str, ColumnRecord]:
    """For each type, the site's certain-typed column of that type holding the most articles."""
    counts = Counter(v.column.url for v in results)
    best: dict[str, ColumnRecord] = {}
    for column in columns:
        ctype, certain, _ = typing[column.url]
        if not ctype or not certain or ctype in excluded:
            continue
        current = best.get(ctype)
        if current is None or counts[column.url] > counts[current.url]:
            best[ctype] = column
    return best


def _doc_shares(results: list[Verdict], kw: Keywords) -> dict[str, float]:
    totals, numbered = Counter(), Counter()
    for v in results:
        totals[v.column.url] += 1
        numbered[v.column.url] += _has_doc_number(v.page, kw)
    return {url: numbered[url] / n for url, n in totals.items()}


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


def _at_home(v: Verdict, kw: Keywords) -> tuple[Genre, str] | None:
    """The title's genre when that genre is properly filed in a column of this type (a 通知 in 通知公告)."""
    genre = title_genre(v.page.title or "", kw)
    return genre if genre is not None and v.column_type in genre[0].homes else None


def _confirm_hit(v: Verdict, hit: RuleHit, site: _Site) -> str | None:
    """None when the profile's hit is a finding on this site's evidence; else why it is only 需人工复核."""
    profile, kw = hit.profile, site.kw
    if profile.confidence < site.params["review_below"]:
        return "该规则单独判断的把握不足"
    if profile.in_types is not None and not v.type_certain:
        return _uncertain_type(v)
    share = profile.column_doc_number_share
    if share is not None and site.doc_share.get(v.column.url, 0.0) < share:
        return "本栏目多数信息均未识别出文号，可能是页面未标注文号字段，需核实原文"
    if profile.formal_title_doubts and (formal := _formal_title(v, kw)):
        return f"标题表明该信息为正式文件（{formal}），仅未见文号，可能原文未编文号或漏标文号，需核实原文"
    home = None if profile.category_over_genre else _at_home(v, kw)
    if home is not None and profile.expected_type and profile.expected_type not in site.targets:
        return (f"标题为“{home[1]}”，属本栏目可发布的文书，且本站未设"
                f"{_label(profile.expected_type, kw)}类栏目")
    return None


def _formal_title(v: Verdict, kw: Keywords) -> str | None:
    """The words that make the title a formal document's: a genre at home in the column, or a formal pattern."""
    home = _at_home(v, kw)
    if home is not None:
        return f"“{home[1]}”"
    title = v.page.title or ""
    found = next((m for m in (p.search(title) for p in kw.formal_titles) if m), None)
    return f"“{found.group(0)}”" if found else None


def _uncertain_type(v: Verdict) -> str:
    basis = f"（{v.type_reason}）" if v.type_reason else ""
    return f"本栏目的类型系推断{basis}，未能确定为{v.column_type}类"


def _label(ctype: str | None, kw: Keywords) -> str:
    category = kw.categories.get(ctype or "")
    return category.label if category else (ctype or "")


def _confirm_model(v: Verdict, site: _Site) -> str | None:
    """None when the model's suspicion is a finding; else why it stays 需人工复核.

    The model's own confidence is not evidence a clerk can check, so a suspect becomes a finding only
    when the column's type is certain, the title's genre does not belong in the column, and both the
    title and the body carry the words of the category the model names.
    """
    kw, best = site.kw, v.best_type
    category = kw.categories.get(best or "")
    if category is None or best in set(site.params["exclude_types"] or ()):
        return f"本站{best}类栏目内容庞杂，无法据此确定该信息的类别"
    if not v.type_certain:
        return _uncertain_type(v)
    home = _at_home(v, kw)
    if home is not None:
        return f"标题为“{home[1]}”，属{v.column_type}类栏目可发布的文书"
    title, body = v.page.title or "", v.page.text or ""
    own = kw.categories.get(v.column_type)
    if own is not None and (mine := _words_in(title, own.title_words)):
        return f"标题含“{mine[0]}”，亦符合本栏目类别"
    in_title, in_body = _words_in(title, category.title_words), _words_in(body, category.body_words)
    v.model_words = (in_title, in_body)
    if not in_title or not in_body:
        return f"标题和正文未同时出现{category.label}类信息的典型用语"
    return None


def _settle(v: Verdict, site: _Site) -> None:
    """Which layers' suspicions are findings, the expected type, and the merged confidence (1 − Π(1 − cᵢ))."""
    if not v.flagged:
        return
    kw = site.kw
    for hit in v.hits:
        doubt = _confirm_hit(v, hit, site)
        if doubt is None:
            v.confirmed_hits.append(hit)
        elif doubt not in v.doubts:
            v.doubts.append(doubt)
    if v.model_flag:
        doubt = _confirm_model(v, site)
        v.model_confirmed = doubt is None
        if doubt is not None and not v.confirmed_hits and doubt not in v.doubts:
            v.doubts.append(doubt)
    fixed = [h.profile for h in sorted(v.confirmed_hits or v.hits, key=lambda h: -h.profile.confidence)
             if h.profile.expected_type]
    if fixed:
        v.expected_type = fixed[0].expected_type
    elif v.model_flag and v.best_type in kw.categories and (v.model_confirmed or _at_home(v, kw) is None):
        v.expected_type = v.best_type
    else:
        v.expected_type = _hinted_type(v.page.title or "", v.column_type, kw)
    if v.expected_type not in kw.categories:
        v.expected_type = None
    v.target = site.targets.get(v.expected_type) if v.expected_type else None
    miss = 1.0
    for h in v.hits:
        miss *= 1.0 - h.profile.confidence
    if v.model_flag:
        miss *= 1.0 - (v.best_prob or 0.0) * (1.0 - (v.own_prob or 0.0))
    v.confidence = round(1.0 - miss, 3)


# ---------------------------------------------------------------- the checks

def _reason(v: Verdict, kw: Keywords) -> str:
    """Why the article does not fit, in words a clerk can check against the page (never n-grams or odds)."""
    hits = v.confirmed_hits or v.hits
    parts = [h.profile.reason.format(match=h.match) for h in hits]
    if v.model_flag and (v.model_confirmed or not hits):
        label = _label(v.best_type, kw)
        if v.model_confirmed:
            in_title, in_body = v.model_words
            words = f"标题含“{'”“'.join(in_title[:2])}”，正文含“{'”“'.join(in_body[:2])}”，"
            parts.append(f"{words}标题和正文均为{label}内容，与本栏目（{v.column_type}）不符")
        else:
            parts.append(f"与本站{v.column_type}类栏目中其他信息的内容差异较大，疑似属{label}内容")
    return "；".join(parts)


def _advice(v: Verdict, target: ColumnRecord | None) -> str:
    """Where the article should go: a column that exists on this site, or none, never a guess."""
    if v.expected_type is None:
        given = [h.profile.advice for h in (v.confirmed_hits or v.hits) if h.profile.advice]
        return given[0] if given else "请核实该信息的内容类别，调整至相应栏目发布。"
    if target is not None:
        return f"应调整至本站「{target.name}」栏目（{v.expected_type}类）发布。"
    return f"本站未设{v.expected_type}类栏目，应按规定设置相应栏目后调整发布。"


def category_mismatch(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """An article whose content does not fit the type of the column it was published in."""
    params = rule_params(rule)
    only = _applies_types(rule)
    results = verdicts(snapshot, params)
    kw = load_keywords(params["keywords_file"] or KEYWORDS_FILE)
    for v in results:
        if not v.flagged or (only is not None and v.column_type not in only):
            continue
        target = v.target
        confirmed = v.confirmed
        source = "+".join(s for s, on in (("规则", bool(v.confirmed_hits if confirmed else v.hits)),
                                           ("模型", v.model_confirmed if confirmed else v.model_flag)) if on)
        reason = _reason(v, kw)
        doubt = "" if confirmed else "；".join(v.doubts)
        yield Observation(
            url=v.page.url, column_name=v.column.name, column_url=v.column.url,
            observed={
                "title": v.page.title, "column": v.column.name, "column_type": v.column_type,
                "column_type_reason": v.type_reason,
                "expected_type": v.expected_type,
                "expected_label": _label(v.expected_type, kw) if v.expected_type else None,
                "expected_column": target.name if target else None,
                "expected_column_url": target.url if target else None,
                "reason": reason, "advice": _advice(v, target), "source": source,
                "profiles": [h.profile.id for h in (v.confirmed_hits if confirmed else v.hits)],
                "review_reason": doubt or None,
            },
            evidence=f"《{v.page.title}》：{reason}" + (f"（需人工复核：{doubt}）" if doubt else ""),
            confidence=v.confidence, key=v.page.url,
            needs_review=not confirmed,
        )


def _enough(chosen: list[Verdict], articles: int, params: dict[str, Any]) -> bool:
    return len(chosen) >= params["min_flagged"] and len(chosen) / articles >= params["min_share"]


def column_mismatch(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """A column where a large share of the articles reads like another type (the column is misused).

    Only a column whose type is certain can be misused: one typed from a generic meta, its parent or
    its sub-columns may simply have been typed wrong, which is no finding about the site.
    """
    params = rule_params(rule)
    only = _applies_types(rule)
    results = verdicts(snapshot, params)
    by_column: dict[str, list[Verdict]] = defaultdict(list)
    for v in results:
        by_column[v.column.url].append(v)
    for url, items in by_column.items():
        column, ctype = items[0].column, items[0].column_type
        if (only is not None and ctype not in only) or not items[0].type_certain:
            continue
        confirmed = [v for v in items if v.confirmed]
        flagged = [v for v in items if v.flagged]
        if _enough(confirmed, len(items), params):
            chosen, review = confirmed, False
        elif _enough(flagged, len(items), params):
            chosen, review = flagged, True
        else:
            continue
        typed = Counter(v.expected_type for v in chosen if v.expected_type).most_common(1)
        expected = typed[0][0] if typed else None
        examples = "；".join(f"《{v.page.title}》" for v in sorted(chosen, key=lambda v: -v.confidence)[:3])
        confidence = round(sum(v.confidence for v in chosen) / len(chosen), 3)
        yield Observation(
            url=url, column_name=column.name, column_url=url,
            observed={"column": column.name, "column_type": ctype, "column_type_reason": items[0].type_reason,
                      "articles": len(items), "misplaced": len(chosen), "share": f"{len(chosen) / len(items):.0%}",
                      "expected_type": expected or "其他", "examples": examples},
            evidence=examples, confidence=confidence, key=url, count=len(chosen),
            needs_review=review,
        )


CHECKS = {
    "category_mismatch": category_mismatch,
    "column_mismatch": column_mismatch,
}
