"""Site identity (《政府网站发展指引》 国办发〔2017〕47号; 19号 扣分指标·功能设计·网站域名名称及网站标识).

Judged from the identity facts the crawl kept for each page (crawler/extract/identity.py) and from the
https:// visits of `govaudit probe`. What is missing on every page is one site-wide finding (one footer
template to fix), what is missing on some pages is a finding per page. A page whose facts were not
extracted (a run from before they were kept) is not judged; an address host (the demo on 127.0.0.1)
gets no domain or certificate verdict — reports/verdict.py says 无法判断 and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from checks.finding import Observation
from crawler.records import PageRecord, Snapshot
from crawler.urls import canonicalize

ELEMENT_LABELS = {
    "site_id_code": "网站标识码", "icp": "ICP备案编号", "police": "公安机关备案号", "conac": "党政机关网站标识",
}
# What the page shows of an element the strict facts missed (crawler/extract/identity.py unverified_marks):
# the element is there in a form that cannot be verified, so its absence is 需人工复核, never a finding.
UNVERIFIED_FACTS = {"police": "police_unverified", "conac": "conac_unverified"}
META_LABELS = {"meta_site_name": "SiteName", "meta_site_domain": "SiteDomain", "meta_site_id_code": "SiteIDCode"}
GOV_SUFFIXES = (".gov.cn", ".政务", ".xn--zfr164b")


def _params(rule: Any) -> dict[str, Any]:
    return dict(getattr(rule, "params", None) or {})


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_address_host(host: str) -> bool:
    """An IP address or a loopback name: no domain or certificate verdict is possible."""
    import ipaddress

    host = host.strip("[]").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _received(page: PageRecord | None) -> bool:
    """A page of the site that answered, whose identity facts were kept (a run from before they were kept is
    not judged), and that came whole (a page cut off before its closing tags never showed its footer)."""
    return (page is not None and page.identity is not None and (page.status or 200) < 300
            and page.kind in ("home", "list", "article", "other") and not page.identity.get("cut_off"))


def _frame_urls(page: PageRecord) -> list[str]:
    """The same-site frames and iframes the page shows (crawler/extract/page.py), as the crawl keys pages."""
    urls = []
    for src in page.identity.get("frames") or ():
        url = canonicalize(urljoin(page.url, src))
        if url != page.url and url not in urls:
            urls.append(url)
    return urls


def _assembled(page: PageRecord, by_url: dict[str, PageRecord]) -> PageRecord | None:
    """The page as a visitor sees it: its facts joined with those of its frames (and theirs), or None when a
    frame was not received whole — what the page lacks may be in that frame, so it cannot be judged.

    An old county home page is often a <frameset> of a banner-and-menu frame and a content frame that holds
    the footer; a page may also draw its footer in an <iframe>. Judged alone, each frame lacks the footer."""
    if not page.identity.get("frames"):
        return page
    facts = {k: v for k, v in page.identity.items() if k != "frames"}
    seen, queue = {page.url}, _frame_urls(page)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        frame = by_url.get(url)
        if not _received(frame):
            return None
        for key, value in frame.identity.items():
            if value and not facts.get(key) and key != "frames":
                facts[key] = value
        if frame.identity.get("jiucuo") and not frame.identity.get("jiucuo_hidden"):
            facts.pop("jiucuo_hidden", None)      # one frame shows the entry openly
        queue.extend(_frame_urls(frame))
    return replace(page, identity=facts)


def judged_pages(snapshot: Snapshot) -> list[PageRecord]:
    """The pages judged: each received page as assembled with its frames; a page shown as another page's
    frame is judged within it, not alone."""
    pages = [p for p in snapshot.pages() if _received(p)]
    by_url = {p.url: p for p in pages}
    framed = {url for p in pages for url in _frame_urls(p)}
    assembled = (_assembled(p, by_url) for p in pages if p.url not in framed)
    return [p for p in assembled if p is not None]


def _home(snapshot: Snapshot) -> PageRecord | None:
    """The home page as a visitor sees it (a frameset assembled with its frames); None when it cannot be judged."""
    home = snapshot.home
    if not _received(home):
        return None
    return _assembled(home, {p.url: p for p in snapshot.pages() if _received(p)})


def _site_url(snapshot: Snapshot) -> str:
    """Where a site-wide verdict points: the home page, else the site's address."""
    return snapshot.home.url if snapshot.home else snapshot.site_url


def _site_missing(snapshot: Snapshot, key: str, evidence: str, missing: list[str], pages: int,
                  scope: str, page_title: str | None = None) -> Observation:
    """A missing-element verdict about many pages at once, placed on the home page."""
    return Observation(url=_site_url(snapshot), key=key, evidence=evidence,
                       observed={"missing": missing, "pages": pages, "scope": scope, "page_title": page_title})


def _page_missing(snapshot: Snapshot, page: PageRecord, key: str, evidence: str, missing: list[str]) -> Observation:
    """A missing-element verdict about one page, in its column."""
    column = snapshot.column(page.column_url)
    return Observation(url=page.url, column_url=page.column_url, column_name=column.name if column else None,
                       key=key, evidence=evidence,
                       observed={"missing": missing, "pages": 1, "scope": "本页面", "page_title": page.title})


def _site_code(pages: list[PageRecord]) -> str | None:
    """The 网站标识码 most pages print in their footer (the site's own, as far as the pages say)."""
    counts: dict[str, int] = {}
    for page in pages:
        code = page.identity.get("site_id_code")
        if code:
            counts[code] = counts.get(code, 0) + 1
    return max(counts, key=lambda c: (counts[c], c)) if counts else None


def _missing_by_page(snapshot: Snapshot, params: dict[str, Any], present) -> Iterator[Observation]:
    """Shared shape: an element missing on every judged page is one site-wide observation; else per page.

    `present(page, element)` is True, False, or None when the page shows the element in a form that cannot
    be verified: such an element is reported for review (needs_review), apart from what is surely missing."""
    elements = list(params.get("elements") or ())
    limit = int(params.get("max_pages", 100))
    pages = judged_pages(snapshot)
    if not pages:
        return
    state = {e: [present(p, e) for p in pages] for e in elements}
    everywhere = [e for e in elements if all(s is False for s in state[e])]
    unsure_everywhere = [e for e in elements if e not in everywhere and not any(s is True for s in state[e])]
    labels = params.get("labels") or {}
    describe = params.get("describe_unsure") or (lambda page, element: "")
    if everywhere:
        names = [labels.get(e, e) for e in everywhere]
        yield _site_missing(snapshot, "site:" + ",".join(everywhere), f"检查的{len(pages)}个页面均未见：{'、'.join(names)}",
                            names, len(pages), "全站页面", snapshot.home.title if snapshot.home else None)
    if unsure_everywhere:
        shown = {e: next(describe(p, e) for p, s in zip(pages, state[e]) if s is None) for e in unsure_everywhere}
        names = [f"可核实的{labels.get(e, e)}" for e in unsure_everywhere]
        observation = _site_missing(
            snapshot, "site-unverified:" + ",".join(unsure_everywhere),
            f"检查的{len(pages)}个页面均未见{'、'.join(names)}；页面所示：{'；'.join(shown.values())}",
            names, len(pages), "全站页面", snapshot.home.title if snapshot.home else None)
        yield replace(observation, needs_review=True, confidence=0.5)
    judged_apart = set(everywhere) | set(unsure_everywhere)
    reported = 0
    for index, page in enumerate(pages):
        lacking = [e for e in elements if e not in judged_apart and state[e][index] is False]
        unsure = [e for e in elements if e not in judged_apart and state[e][index] is None]
        if not lacking and not unsure:
            continue
        reported += 1
        if reported > limit:
            continue
        if lacking:
            names = [labels.get(e, e) for e in lacking]
            yield _page_missing(snapshot, page, "page:" + ",".join(lacking),
                                f"页面「{page.title or page.url}」未见：{'、'.join(names)}", names)
        if unsure:
            names = [f"可核实的{labels.get(e, e)}" for e in unsure]
            observation = _page_missing(
                snapshot, page, "page-unverified:" + ",".join(unsure),
                f"页面「{page.title or page.url}」未见{'、'.join(names)}；页面所示：{'；'.join(describe(page, e) for e in unsure)}",
                names)
            yield replace(observation, needs_review=True, confidence=0.5)
    if reported > limit:
        more = reported - limit
        yield _site_missing(snapshot, "more-pages", f"另有{more}个页面存在同类问题，未逐一列出", ["（同上）"], more,
                            f"另外{more}个页面")


def _footer_state(page: PageRecord, element: str) -> bool | None:
    """True when the element is there, None when it is shown in a form that cannot be verified, else False."""
    if page.identity.get(element):
        return True
    return None if UNVERIFIED_FACTS.get(element) in page.identity else False


def _describe_unverified(page: PageRecord, element: str) -> str:
    """What the page shows of an element it holds in a form that cannot be verified, in the report's words."""
    value = page.identity.get(UNVERIFIED_FACTS.get(element, ""))
    if element == "police":
        return f"“{value}”不符合“省份简称+公网安备+14位数字+号”的格式"
    if element == "conac":
        host = _host(value) if value else ""
        return f"党政机关网站标识图片链接至“{host}”，不是 conac.cn 的核验页面" if host else "党政机关网站标识图片未链接至核验页面"
    return str(value)


def footer_elements(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """网站标识码, ICP备案编号, 公安机关备案号 and the 党政机关网站标识 on every page."""
    yield from _missing_by_page(snapshot, {**_params(rule), "labels": ELEMENT_LABELS,
                                           "describe_unsure": _describe_unverified}, _footer_state)


def site_meta_tags(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """SiteName / SiteDomain / SiteIDCode on every page, and SiteIDCode equal to the footer's 标识码."""
    yield from _missing_by_page(snapshot, {**_params(rule), "elements": list(META_LABELS), "labels": META_LABELS},
                                lambda page, e: bool(page.identity.get(e)))
    pages = judged_pages(snapshot)
    site_code = _site_code(pages)
    limit = int(_params(rule).get("max_pages", 100))
    shown = 0
    for page in pages:
        meta_code = (page.identity.get("meta_site_id_code") or "").strip()
        footer = page.identity.get("site_id_code") or site_code
        if not meta_code or not footer or meta_code.lower() == footer.lower():
            continue
        shown += 1
        if shown > limit:
            break
        yield _page_missing(snapshot, page, "mismatch", f"SiteIDCode「{meta_code}」，页面底部网站标识码「{footer}」",
                            [f"SiteIDCode与网站标识码不一致（{meta_code}≠{footer}）"])


def domain(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """The site's English domain under .gov.cn (or the Chinese .政务); address hosts are not judged."""
    host = _host(snapshot.site_url)
    if is_address_host(host) or host.endswith(GOV_SUFFIXES):
        return
    yield Observation(url=_site_url(snapshot), key="domain", evidence=f"网站域名：{host}", observed={"host": host})


def jiucuo_entry(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """The home page's 「我为政府网站找错」 entry, with site_code equal to the site's 标识码."""
    home = _home(snapshot)
    if home is None:
        return
    facts = home.identity
    code = facts.get("meta_site_id_code") or facts.get("site_id_code") or _site_code(judged_pages(snapshot))
    if not facts.get("jiucuo") and facts.get("jiucuo_placeholder"):
        yield Observation(url=home.url, key="jiucuo-placeholder",
                          evidence="首页仅见「我为政府网站找错」入口的占位元素（_span_jiucuo），页面中未见填充该入口的 jiucuo.js 脚本",
                          observed={"problem": "首页未见可核实的「我为政府网站找错」入口（仅有入口占位元素，入口可能由其他脚本加载，需人工核实是否显示）"},
                          needs_review=True, confidence=0.5)
    elif not facts.get("jiucuo"):
        yield Observation(url=home.url, key="jiucuo-missing", evidence="首页未见「我为政府网站找错」入口",
                          observed={"problem": "首页未设置「我为政府网站找错」入口"})
    elif facts.get("jiucuo_hidden"):
        yield Observation(url=home.url, key="jiucuo-hidden",
                          evidence=f"首页「我为政府网站找错」入口链接以 {facts['jiucuo_hidden']} 隐藏",
                          observed={"problem": "首页「我为政府网站找错」入口已设置但在页面上被隐藏（访问者可能看不到入口，"
                                               "需人工核实是否另有显示方式）"},
                          needs_review=True, confidence=0.5)
    elif facts.get("jiucuo_site_code") and code and facts["jiucuo_site_code"].lower() != code.lower():
        yield Observation(url=home.url, key="jiucuo-code",
                          evidence=f"入口 site_code「{facts['jiucuo_site_code']}」，网站标识码「{code}」",
                          observed={"problem": f"入口的 site_code（{facts['jiucuo_site_code']}）与网站标识码（{code}）不一致"})


def https_assessment(snapshot: Snapshot) -> tuple[str, str, Any]:
    """(status, reason, newest https visit): status ok | invalid | absent | unknown."""
    host = _host(snapshot.site_url)
    if is_address_host(host):
        return "unknown", f"网站以地址「{host}」访问，无法判断域名证书", None
    since = dt.datetime.combine(snapshot.as_of - dt.timedelta(days=7), dt.time())
    until = dt.datetime.combine(snapshot.as_of + dt.timedelta(days=1), dt.time())
    visits = [p for p in snapshot.probes_ if p.target == "https" and since <= p.probed_at < until]
    if not visits:
        return "unknown", "检查日前7日内没有HTTPS探测记录（govaudit probe 对域名网站每轮探测一次 https://）", None
    newest = visits[-1]
    if newest.outcome in ("ok", "slow", "http_4xx"):
        return "ok", "HTTPS可访问，证书有效", newest
    if newest.outcome == "tls":
        return "invalid", f"HTTPS证书无效或加密连接出错（{newest.detail or '证书校验失败'}）", newest
    if newest.outcome in ("refused", "timeout", "dropped"):
        return "absent", f"未提供HTTPS访问（{newest.outcome}）", newest
    return "unknown", f"HTTPS探测结果无法判断（{newest.outcome}：{newest.detail or ''}）", newest


def https(snapshot: Snapshot, rule: Any) -> Iterator[Observation]:
    """An invalid certificate is a finding; no https:// at all is 需人工复核 (the requirement is not a veto)."""
    status, reason, visit = https_assessment(snapshot)
    if status not in ("invalid", "absent"):
        return
    yield Observation(url=_site_url(snapshot), key=f"https-{status}", evidence=reason,
                      observed={"problem": reason, "probed_at": visit.probed_at.isoformat(sep=" ") if visit else None},
                      needs_review=status == "absent", confidence=1.0 if status == "invalid" else 0.5)


CHECKS = {
    "footer_elements": footer_elements,
    "site_meta_tags": site_meta_tags,
    "domain": domain,
    "jiucuo_entry": jiucuo_entry,
    "https": https,
}
