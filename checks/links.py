"""Broken links (不可用链接): one observation per broken target, listing the pages that link to it.

Home-page links and links elsewhere are separate rules (applies_to.homepage true / false) because the
checks weigh them differently. A target a firewall refused us (403/412/429 or a challenge page; the
crawler records it as "access-blocked…") is not broken: its state is unknown, so it is reported once
per site, for review, by `access_blocked`, and never counted as a broken link.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from checks.finding import Observation
from crawler.errors import fetch_error_text
from crawler.images import IMAGE_KIND, NOT_IMAGE
from crawler.images import MAX_SOURCES as MAX_IMAGE_SOURCES
from crawler.records import LinkRecord, Snapshot

# Links the crawler chose not to fetch (robots.txt, our own size cap): unknown, not broken.
NOT_FETCHED = {"robots-disallowed", "too-large"}
BLOCKED = "access-blocked"
# Off-site links are recorded, never fetched by the spider: their state comes from the probe (offsite_domain).
UNFETCHED_KINDS = {"external", "hidden"}


def is_blocked(link: LinkRecord) -> bool:
    """The site's firewall answered instead of the page (crawler/middlewares.py AccessBlocked)."""
    return bool(link.error) and link.error.startswith(BLOCKED)


def is_broken(link: LinkRecord, min_status: int = 400) -> bool:
    """HTTP status ≥ min_status, or no response at all (an error and no status); never a blocked one."""
    if is_blocked(link):
        return False
    if link.status is not None:
        return link.status >= min_status
    return bool(link.error) and link.error not in NOT_FETCHED


def describe(link: LinkRecord) -> str:
    """The problem as a clerk reads it: 'HTTP 404' or '连接超时', never the crawler's error name."""
    if link.status is not None:
        return f"HTTP {link.status}"
    return fetch_error_text(link.error)


def broken_link(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """Group broken LinkRecords by target; applies_to.homepage picks home-page sources (true) or others (false)."""
    params = dict(getattr(rule, "params", None) or {})
    min_status = int(params.get("min_status", 400))
    max_sources = int(params.get("max_sources", 10))
    applies = getattr(rule, "applies_to", None)
    homepage = applies.get("homepage") if applies is not None and hasattr(applies, "get") else None
    kinds = set(applies.get("link_kinds") or ()) if applies is not None and hasattr(applies, "get") else set()
    home = snapshot.home
    home_urls = {home.url} if home else set()
    home_urls.add(snapshot.site_url)
    home_urls.add(snapshot.site_url.rstrip("/") + "/")
    by_target: dict[str, list[LinkRecord]] = {}
    for link in snapshot.links():
        if link.kind in UNFETCHED_KINDS or link.kind == IMAGE_KIND or (kinds and link.kind not in kinds):
            continue
        if homepage is not None and (link.source_url in home_urls) != homepage:
            continue
        if is_broken(link, min_status):
            by_target.setdefault(link.target_url, []).append(link)
    page_columns = {p.url: p.column_url for p in snapshot.pages()} if by_target else {}
    columns = {c.url: c for c in snapshot.columns()}
    for target, links in by_target.items():
        sources = list(dict.fromkeys(link.source_url for link in links))
        first = links[0]
        column = columns.get(page_columns.get(sources[0]))
        yield Observation(
            url=target, column_url=column.url if column else None, column_name=column.name if column else None,
            key="broken", count=len(sources),
            evidence="链接所在页面：" + "、".join(sources[:max_sources]) + ("等" if len(sources) > max_sources else ""),
            observed={"target": target, "status": first.status, "error": first.error, "problem": describe(first),
                      "sources": sources[:max_sources], "source_count": len(sources), "link_kind": first.kind},
        )


# ---------------------------------------------------------------- images (crawler/images.py)
# Statuses that prove an image is gone; any other refusal (403, 5xx …) or no answer leaves it uncertain.
IMAGE_GONE = frozenset({404, 410})
_NOT_IMAGE_WORDS = {"text/html": "返回网页而非图片", "text/plain": "返回文本而非图片"}


def image_state(link: LinkRecord) -> str | None:
    """'broken' (404/410, or a 2xx answer that is not an image), 'review' (no answer, 5xx, other refusals)
    or None (displayed, not checked, or refused by a firewall: LNK003 reports those once per site)."""
    if is_blocked(link):
        return None
    error = link.error or ""
    if error.startswith(NOT_IMAGE) or link.status in IMAGE_GONE:
        return "broken"
    if link.status is not None:
        return "review" if link.status >= 400 else None
    return "review" if error and error not in NOT_FETCHED else None


def describe_image(link: LinkRecord) -> str:
    """'HTTP 404', 'HTTP 200，返回网页而非图片' or '连接超时' (no nested brackets inside the message's own);
    the media type stays in observed.error."""
    error = link.error or ""
    if error.startswith(NOT_IMAGE):
        media = error.partition(":")[2] or "text/html"
        return f"HTTP {link.status}，{_NOT_IMAGE_WORDS.get(media, '返回内容不是图片')}"
    return describe(link)


def broken_image(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """Images that cannot be displayed, one observation per image listing the pages that show it.

    applies_to.homepage picks the home page (true) or the other pages (false), as for links. An image whose
    state is uncertain (timeout, 5xx, 403 …) is listed for review and never counted.
    """
    params = dict(getattr(rule, "params", None) or {})
    max_sources = int(params.get("max_sources", 10))
    applies = getattr(rule, "applies_to", None)
    homepage = applies.get("homepage") if applies is not None and hasattr(applies, "get") else None
    home = snapshot.home
    home_urls = {home.url} if home else set()
    home_urls |= {snapshot.site_url, snapshot.site_url.rstrip("/") + "/"}
    by_image: dict[str, list[LinkRecord]] = {}
    for link in snapshot.links():
        if link.kind != IMAGE_KIND:
            continue
        if homepage is not None and (link.source_url in home_urls) != homepage:
            continue
        if image_state(link) is not None:
            by_image.setdefault(link.target_url, []).append(link)
    page_columns = {p.url: p.column_url for p in snapshot.pages()} if by_image else {}
    for target, links in by_image.items():
        sources = list(dict.fromkeys(link.source_url for link in links))
        first = links[0]
        column = snapshot.column(page_columns.get(sources[0]))
        state = image_state(first)
        yield Observation(
            url=target, column_url=column.url if column else None, column_name=column.name if column else None,
            key="image", count=len(sources), needs_review=state == "review",
            evidence="图片所在页面：" + "、".join(sources[:max_sources]) + ("等" if len(sources) > max_sources else ""),
            observed={"target": target, "status": first.status, "error": first.error,
                      "problem": describe_image(first), "sources": sources[:max_sources],
                      "source_count": len(sources), "link_kind": IMAGE_KIND,
                      # The crawl records a template image from its first MAX_IMAGE_SOURCES pages only.
                      "sources_text": (f"至少{len(sources)}个页面" if len(sources) >= MAX_IMAGE_SOURCES
                                       else f"共有{len(sources)}个页面")},
        )


def _blocked_problem(link: LinkRecord) -> str:
    """'HTTP 412（瑞数）' or '防护页面（安全狗）': what answered instead of the page."""
    firewall = link.error.partition(":")[2] if link.error else ""
    what = f"HTTP {link.status}" if link.status and link.status >= 400 else "防护验证页面"
    return f"{what}（{firewall}）" if firewall else what


def access_blocked(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """One observation for the whole site when its firewall refused some of our requests (for review).

    Counted nowhere: a blocked link may work for a citizen, so whether it is broken is unknown.
    """
    params = dict(getattr(rule, "params", None) or {})
    max_examples = int(params.get("max_examples", 10))
    targets: dict[str, LinkRecord] = {}
    for link in snapshot.links():
        if is_blocked(link):
            targets.setdefault(link.target_url, link)
    if not targets:
        return
    problems = list(dict.fromkeys(_blocked_problem(link) for link in targets.values()))
    examples = sorted(targets)[:max_examples]
    firewalls = sorted({link.error.partition(":")[2] for link in targets.values()} - {""})
    yield Observation(
        url=snapshot.site_url, key="access-blocked", count=len(targets), needs_review=True,
        evidence="被拦截的地址：" + "、".join(examples) + ("等" if len(targets) > max_examples else ""),
        observed={"blocked_count": len(targets), "problems": "、".join(problems), "firewalls": firewalls,
                  "examples": examples},
    )


# ---------------------------------------------------------------- off-site links

def _words(group: str, tier: str) -> list[str]:
    from checks.expression import load_data
    return [str(w).lower() for w in (load_data("injected_content.yml").get(group) or {}).get(tier) or []]


def probe_verdict(entry: dict) -> tuple[str, list[str]] | None:
    """What the crawl's probe of an off-site host's home page shows: (gambling | porn | parked | dns, words).

    Only certain words count (rules/injected_content.yml); a host that answered with an ordinary page,
    an HTTP error or a timeout gets no verdict (a broken off-site link is not a taken-over one).
    """
    if entry.get("error") == "dns":
        return "dns", []
    seen = f"{entry.get('title') or ''} {entry.get('text') or ''} {entry.get('final_url') or ''}".lower()
    for group in ("gambling", "porn", "parked"):
        words = [w for w in _words(group, "certain") if w in seen]
        if words:
            return group, words
    return None


_VERDICTS = {"gambling": "已被博彩网站占用", "porn": "已被色情网站占用", "parked": "已过期或被停放出售",
             "dns": "域名无法解析，可能已过期"}


def _link_sources(snapshot: Snapshot, wanted) -> dict[str, tuple[str, list[str]]]:
    """host -> (first target URL, pages linking to it) for off-site links whose unwrapped host `wanted` accepts."""
    from crawler.offsite_probe import unwrap_host
    out: dict[str, tuple[str, list[str]]] = {}
    for link in snapshot.links():
        if link.kind not in ("external", "hidden"):
            continue
        target = unwrap_host(link.target_url)
        host = (urlsplit(target).hostname or "").lower()
        if not wanted(host):
            continue
        first, sources = out.setdefault(host, (target, []))
        if link.source_url not in sources:
            sources.append(link.source_url)
    return out


def _source_column(snapshot: Snapshot, source: str) -> tuple[str | None, str | None]:
    page = next((p for p in snapshot.pages() if p.url == source), None)
    column = snapshot.column(page.column_url) if page else None
    return (column.url, column.name) if column else (None, None)


def offsite_domain(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """Off-site hosts the site links to whose home page is now a parked, 博彩 or 色情 site (LNK004).

    A host that no longer resolves is listed for review: an expired domain is a risk, not yet a hijack.
    """
    params = dict(getattr(rule, "params", None) or {})
    max_sources = int(params.get("max_sources", 10))
    verdicts = {}
    for entry in snapshot.stats.get("offsite_probe") or ():
        verdict = probe_verdict(entry)
        if verdict and entry.get("host"):
            verdicts[entry["host"]] = (verdict, entry)
    if not verdicts:
        return
    for host, (target, sources) in _link_sources(snapshot, verdicts.__contains__).items():
        (what, words), entry = verdicts[host]
        column_url, column_name = _source_column(snapshot, sources[0])
        final = entry.get("final_url") or target
        yield Observation(
            url=target, column_url=column_url, column_name=column_name, key=f"offsite:{host}",
            count=len(sources), needs_review=what == "dns",
            evidence=(f"外部网站首页{('（跳转至 ' + final + '）') if final and host not in final else ''}"
                      f"标题「{entry.get('title') or '无'}」" + (f"，含“{'、'.join(words)}”" if words else "")
                      + "；链接所在页面：" + "、".join(sources[:max_sources])
                      + ("等" if len(sources) > max_sources else "")),
            observed={"target": target, "host": host, "verdict": what, "problem": _VERDICTS[what],
                      "words": "、".join(words), "sources": sources[:max_sources], "source_count": len(sources),
                      "final_url": final})


def abolished_link(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """Links to the sites of bodies abolished or renamed in the 机构改革 (rules/abolished_bodies.yml, LNK005)."""
    from checks.expression import load_data
    params = dict(getattr(rule, "params", None) or {})
    max_sources = int(params.get("max_sources", 10))
    bodies = load_data("abolished_bodies.yml").get("bodies") or []

    def body_of(host: str) -> dict | None:
        return next((b for b in bodies for d in b.get("domains") or ()
                     if host == d or host.endswith("." + d)), None)

    for host, (target, sources) in _link_sources(snapshot, lambda h: body_of(h) is not None).items():
        body = body_of(host) or {}
        column_url, column_name = _source_column(snapshot, sources[0])
        yield Observation(
            url=target, column_url=column_url, column_name=column_name, key=f"abolished:{host}",
            count=len(sources),
            evidence="链接所在页面：" + "、".join(sources[:max_sources]) + ("等" if len(sources) > max_sources else ""),
            observed={"target": target, "host": host, "body": body.get("name", ""), "year": body.get("year"),
                      "successor": body.get("successor", ""), "successor_domain": body.get("successor_domain", ""),
                      "sources": sources[:max_sources], "source_count": len(sources)})


CHECKS = {"broken_link": broken_link, "access_blocked": access_blocked, "offsite_domain": offsite_domain,
          "abolished_link": abolished_link, "broken_image": broken_image}
