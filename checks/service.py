"""服务不实用 (国办秘函〔2019〕19号 单项否决): the 办事服务 entry of the home page, and the key elements of 办事指南.

19号 names two cases: (1) 未提供办事服务, (2) 办事指南重点要素类别 missing, whose element list the retrieved text
cuts off after “事项名称、设定依据、申请条件、办理材料、…” with no threshold (regulations.md VETO-SERVICE, [NF]).

SRV001 reads what the crawl kept of the home page: the columns its menus led to, the links it recorded
(on-site and off-site) and its text. Most county portals link to the province's 政务服务网, often by a picture
whose text the crawl cannot read, and an off-site link is kept by address only, so the absence of a known
entry proves little on its own. Only a home page that was read (enough links to hold a menu) and shows no
trace of an entry anywhere — no service column on the whole site, no link to a known platform host or
service path, no entry word in its text — is a counted finding; a trace elsewhere, a bare home page, or an
entry that failed in a way that may pass is 需人工复核. A home-page entry that answered 404/410 is counted.

SRV002 reads 办事指南 pages (a guide title, or a page of a service column laid out with element labels) and
lists the named elements it cannot find, always for review: the clause's list is incomplete and its
threshold unknown, so a missing element is never a counted veto. A guide whose body or attachment could not
be read is not judged.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from checks.finding import Observation
from checks.links import is_blocked, is_broken
from crawler.records import AttachmentRecord, ColumnRecord, LinkRecord, PageRecord, Snapshot

DATA_FILE = "service_platforms.yml"
DEFINITE_GONE = (404, 410)            # an entry answering these is gone, not merely slow


def _params(rule: Any) -> dict[str, Any]:
    return dict(getattr(rule, "params", None) or {})


@functools.lru_cache(maxsize=1)
def _vocabulary() -> dict[str, tuple]:
    """rules/service_platforms.yml: platform host and service path patterns, entry names, non-entry phrases."""
    from checks.expression import load_data

    data = load_data(DATA_FILE)
    return {
        "hosts": tuple(re.compile(str(p["pattern"])) for p in data.get("platform_hosts") or ()),
        "paths": tuple(re.compile(str(p["pattern"])) for p in data.get("service_paths") or ()),
        "names": tuple(str(n) for n in data.get("entry_names") or ()),
        "home_text_names": tuple(str(n) for n in data.get("home_text_names") or ()),
        "not_entries": tuple(str(n) for n in data.get("not_entries") or ()),
    }


def entry_words_in(text: str | None, names: str = "names") -> list[str]:
    """The entry names (or home_text_names) a text carries, once phrases that are no entry (the 12345
    hotline line) are taken out."""
    vocabulary = _vocabulary()
    text = text or ""
    for phrase in vocabulary["not_entries"]:
        text = text.replace(phrase, "")
    return [n for n in vocabulary[names] if n in text]


def _host(url: str) -> str:
    """The host of a link, unwrapped from an IPv6 gateway; '' for an address that does not parse."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    if "ipv6" not in host:                       # every gateway rewrite names itself (crawler/urls.py)
        return host
    from crawler.offsite_probe import unwrap_host

    return (urlsplit(unwrap_host(url)).hostname or "").lower()


@functools.lru_cache(maxsize=4096)
def _is_platform_host(host: str) -> bool:
    return bool(host) and any(p.search(host) for p in _vocabulary()["hosts"])


def is_platform_url(url: str) -> bool:
    """A link to a 政务服务网 / 一体化政务服务平台 host (rules/service_platforms.yml platform_hosts)."""
    return _is_platform_host(_host(url))


def is_service_path(url: str) -> bool:
    """A URL whose path is where real portals keep their 办事服务 section (/bsfw/, /wsdt/ …)."""
    try:
        path = urlsplit(url).path or "/"
    except ValueError:
        return False
    return any(p.search(path) for p in _vocabulary()["paths"])


# ------------------------------------------------------------------------------------ SRV001
@dataclass
class Entry:
    """One way into 办事服务 the crawl saw, where it was, and how its visit ended."""

    url: str
    what: str                                # how it reads in the evidence: 栏目「办事服务」, 政务服务平台链接 …
    on_home: bool                            # on the home page (or its menus), not only deeper in the site
    problem: str | None = None               # None: it opened (or its state is not known to be bad)
    gone: bool = False                       # 404/410 on the site itself: certainly does not open


def _home_pages(snapshot: Snapshot) -> list[PageRecord]:
    """The home page as a visitor sees it: the start page and, for a frameset home, its frames (the crawl keeps
    those as kind home too: an old county site's menu lives in top.htm, its content in main.htm)."""
    return [p for p in snapshot.pages() if p.kind == "home"]


def _home_urls(snapshot: Snapshot) -> set[str]:
    urls = {snapshot.site_url, snapshot.site_url.rstrip("/") + "/"}
    urls.update(p.url for p in _home_pages(snapshot))
    return urls


def _link_problem(links: list[LinkRecord]) -> tuple[str | None, bool]:
    """(what went wrong, certainly gone) over the recorded visits of one target; an answer on any visit wins."""
    from checks.links import describe

    visits = [link for link in links if link.status is not None or link.error]
    if not visits or any(not is_broken(v) and not is_blocked(v) for v in visits):
        return None, False
    if all(is_blocked(v) for v in visits):
        return None, False                    # a firewall answered: the state is unknown, never a problem
    broken = [v for v in visits if is_broken(v)]
    gone = any(v.status in DEFINITE_GONE for v in broken)
    return describe(broken[0]), gone


def _probe_problems(snapshot: Snapshot) -> dict[str, str]:
    """host -> why the after-crawl probe of that off-site host failed (crawler/offsite_probe.py)."""
    out = {}
    for entry in snapshot.stats.get("offsite_probe") or ():
        host = (entry.get("host") or "").lower()
        status = entry.get("status")
        if host and entry.get("error") not in (None, "offline"):
            out[host] = f"访问失败（{entry['error']}）"
        elif host and isinstance(status, int) and status >= 400:
            out[host] = f"HTTP {status}"
    return out


def _is_service_column(column: ColumnRecord) -> bool:
    return bool(entry_words_in(f"{column.name} {column.path}"))


def service_entries(snapshot: Snapshot) -> list[Entry]:
    """Every 办事服务 entry the crawl saw: service columns, links to platforms and to service paths."""
    home_urls = _home_urls(snapshot)
    by_target: dict[str, list[LinkRecord]] = {}
    from_home: set[str] = set()
    for link in snapshot.links():
        if link.kind in ("hidden", "image"):
            continue                                  # a link no visitor can see, or a picture shown, is no entry
        by_target.setdefault(link.target_url, []).append(link)
        if link.source_url in home_urls:
            from_home.add(link.target_url)
    # A page title names an entry only for a non-article page: a news item titled 政务服务… is no way in.
    titles = {p.url: p.title for p in snapshot.pages() if p.kind != "article"}
    probe_problems = _probe_problems(snapshot)
    entries: list[Entry] = []
    seen: set[str] = set()
    for column in snapshot.columns():
        if not _is_service_column(column):
            continue
        on_home = column.level <= 1 or column.url in from_home or any(u in from_home for u in column.list_urls)
        problem, gone = _link_problem(by_target.get(column.url, []))
        entries.append(Entry(column.url, f"栏目「{column.name}」", on_home, problem, gone))
        seen.add(column.url)
    for target, links in by_target.items():
        if target in seen:
            continue
        external = all(link.kind == "external" for link in links)
        if is_platform_url(target):
            what = f"政务服务平台链接（{_host(target)}）"
        elif is_service_path(target) or entry_words_in(titles.get(target)):
            what = f"办事服务页面链接（{target}）"
        else:
            continue
        if external:
            problem, gone = probe_problems.get(_host(target)), False
        else:
            problem, gone = _link_problem(links)
        entries.append(Entry(target, what, target in from_home, problem, gone))
    return entries


def _home_link_count(snapshot: Snapshot) -> int:
    home_urls = _home_urls(snapshot)
    return len({link.target_url for link in snapshot.links() if link.source_url in home_urls
                and link.target_url not in home_urls and link.kind not in ("hidden", "image")})


def entry(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """No usable 办事服务 entry on the home page (SRV001): counted only when no trace of one exists anywhere."""
    home = snapshot.home
    if home is None or (home.status or 200) >= 400:
        return                                            # the home page was not read: 站点无法访问 says why
    min_links = int(_params(rule).get("min_home_links", 10))
    entries = service_entries(snapshot)
    on_home = [e for e in entries if e.on_home]
    if any(e.problem is None for e in on_home):
        return
    url = home.url
    deeper = [e for e in entries if e.problem is None]
    if on_home:
        # Counted only when an entry is certainly gone and no working one exists anywhere on the site.
        gone = any(e.gone for e in on_home) and not deeper
        why = "" if gone else ("（网站其他页面另有可用入口）" if deeper else "（可能为临时故障）")
        shown = "；".join(f"{e.what}：{e.problem}" for e in on_home[:3])
        yield Observation(
            url=url, key="entry-fails", needs_review=not gone, confidence=0.9 if gone else 0.5,
            evidence=shown,
            observed={"problem": "首页的办事服务入口无法打开" + why,
                      "entries": [e.url for e in on_home[:3]], "home_links": _home_link_count(snapshot)})
        return
    words = entry_words_in(" ".join(f"{p.title} {p.text}" for p in _home_pages(snapshot)), "home_text_names")
    links = _home_link_count(snapshot)
    if deeper:
        reason = "入口仅见于首页以外的页面：" + "、".join(e.what for e in deeper[:3])
    elif words:
        reason = f"首页文字含“{'、'.join(words[:3])}”，但未能识别对应的办事服务链接（可能为图片或脚本链接）"
    elif links < min_links:
        reason = f"首页仅识别到{links}个链接，导航可能由脚本生成，无法确认是否设有办事服务入口"
    else:
        yield Observation(
            url=url, key="no-entry", confidence=0.9,
            evidence=(f"首页{links}个链接及全站{len(snapshot.columns_)}个栏目中，未见办事服务栏目，"
                      "也未见指向政务服务网（一体化政务服务平台）的链接"),
            observed={"problem": "首页未提供办事服务入口", "entries": [], "home_links": links})
        return
    yield Observation(url=url, key="no-entry", needs_review=True, confidence=0.5, evidence=reason,
                      observed={"problem": "首页未见办事服务入口，需人工核实", "entries": [e.url for e in deeper[:3]],
                                "home_links": links})


# ------------------------------------------------------------------------------------ SRV002
def _label_present(text: str, synonyms: list[str]) -> bool:
    return any(s in text for s in synonyms)


def _title_names_item(title: str, guide_words: list[str]) -> bool:
    """'不动产登记办事指南' names its item even without a 事项名称 label."""
    for word in guide_words:
        head = title.split(word, 1)[0] if word in title else ""
        if len(re.sub(r"[\s《》“”\"'（）()：:、，,-]", "", head)) >= 2:
            return True
    return False


def _guide_text(page: PageRecord, attachments: list[AttachmentRecord]) -> str | None:
    """The page's text and its attachments' text; None when an attachment could not be read (not judged)."""
    if any(a.status != "ok" for a in attachments):
        return None
    return "\n".join([page.text or ""] + [a.text for a in attachments])


def guide_pages(snapshot: Snapshot, params: dict[str, Any]) -> Iterator[tuple[PageRecord, str]]:
    """(page, text) of each 办事指南 the crawl read: a guide title, or a service-column page laid out with labels."""
    guide_words = [str(w) for w in params.get("guide_titles") or ()]
    not_guides = re.compile("|".join(map(re.escape, params.get("not_guide_titles") or ())) or r"(?!)")
    elements: dict[str, list[str]] = params.get("elements") or {}
    min_labels = int(params.get("min_labels", 2))
    min_chars = int(params.get("min_chars", 40))
    attachments: dict[str | None, list[AttachmentRecord]] = {}
    for attachment in snapshot.attachments():
        attachments.setdefault(attachment.page_url, []).append(attachment)
    columns = {c.url: c for c in snapshot.columns()}
    for page in snapshot.pages():
        if page.kind not in ("article", "other") or (page.status or 200) >= 400:
            continue
        title = page.title or ""
        text = _guide_text(page, attachments.get(page.url, []))
        if text is None or len(text.strip()) < min_chars:
            continue                                          # the guide's body was not read: no verdict
        labelled = sum(_label_present(text, synonyms) for synonyms in elements.values())
        titled = any(w in title for w in guide_words) and not not_guides.search(title)
        column = columns.get(page.column_url)
        in_service = column is not None and _is_service_column(column)
        if titled or (in_service and labelled >= min_labels and not not_guides.search(title)):
            yield page, text


def guide_elements(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """A 办事指南 without one of the named key elements (SRV002), always for review."""
    params = _params(rule)
    elements: dict[str, list[str]] = {str(k): [str(s) for s in v] for k, v in (params.get("elements") or {}).items()}
    guide_words = [str(w) for w in params.get("guide_titles") or ()]
    limit = int(params.get("max_pages", 100))
    columns_by_url = {c.url: c for c in snapshot.columns()}
    shown = 0
    extra = 0
    for page, text in guide_pages(snapshot, params):
        missing = []
        for name, synonyms in elements.items():
            if _label_present(text, [name, *synonyms]):
                continue
            if name == "事项名称" and _title_names_item(page.title or "", guide_words):
                continue
            missing.append(name)
        if not missing:
            continue
        if shown >= limit:
            extra += 1
            continue
        shown += 1
        column = columns_by_url.get(page.column_url)
        present = [name for name in elements if name not in missing]
        yield Observation(
            url=page.url, column_url=page.column_url, column_name=column.name if column else None,
            key="missing:" + ",".join(missing), needs_review=True, confidence=0.6,
            evidence=f"办事指南「{page.title or page.url}」未见“{'、'.join(missing)}”（已见：{'、'.join(present) or '无'}）",
            observed={"page_title": page.title or page.url, "missing": missing, "present": present or ["无"]})
    if extra:
        home = snapshot.home
        yield Observation(
            url=home.url if home else snapshot.site_url, key="more-guides", needs_review=True, confidence=0.6,
            evidence=f"另有{extra}篇办事指南存在同类情况，未逐一列出",
            observed={"page_title": f"另外{extra}篇办事指南", "missing": ["（同上）"], "present": ["—"]})


CHECKS = {
    "entry": entry,
    "guide_elements": guide_elements,
}
