"""Demo plants for the site-identity rules (IDN) and for 站点无法访问 (AVL001), and the demo's week of probes.

Identity: two ordinary articles are changed after rendering — one loses its footer's identity facts (网站标识码,
ICP备案编号, 公安机关备案号, 党政机关网站标识: a page left on an old template), one carries a SiteIDCode tag
that is not the footer's 标识码 (a template copied from another site). Availability: the loopback server
fails the monitoring's visits to the home page on a schedule (a 503 and a dropped connection in every ten,
so 20 % of visits), and `probe_week` makes a week of real probe rounds against it, stamped over the seven
days before the check date, so the audit has the week of monitoring 19号 asks for. The crawler's own
requests are never failed: the outage is what a monitor sees over a week, not what one crawl meets.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from govaudit.demo import content as C

PROBE_OUTAGE = {"path": "/", "every": 10, "status_at": 0, "drop_at": 5}
ROUNDS_PER_DAY = 20                     # 19号: at least 20 visits a day


def _plain_articles(site: Any) -> list:
    """UTF-8 articles that host no other plant, oldest columns first (stable for a seed)."""
    planted = {p.get("url") for p in site.m.planted}
    out = []
    for col in site.cols:
        for art in col.arts:
            if (id(art) not in site.hosts and art.url not in planted and art.encoding == "utf-8"
                    and art.when.date() <= site.as_of and art.url in site.files):
                out.append((col, art))
    return out


def strip_identity(html: str) -> str:
    """The page as an old template renders it: no 标识码, 备案 numbers or 党政机关 mark in the footer."""
    html = re.sub(r"网站标识码[:：]\s*\w+", "", html)
    html = html.replace(C.ICP, "").replace(C.POLICE_RECORD, "")
    html = re.sub(r"<a[^>]*conac\.cn[^>]*>.*?</a>", "", html, flags=re.S)
    return re.sub(r"<script[^>]*conac\.cn[^>]*>\s*</script>", "", html)


def plant_identity_and_outage(site: Any) -> None:
    """Called once by generator.build() after the pages are rendered."""
    candidates = _plain_articles(site)
    if len(candidates) < 2:
        return
    (col_a, bare), (col_b, wrong) = candidates[len(candidates) // 3], candidates[2 * len(candidates) // 3]
    html = site.files[bare.url].decode("utf-8")
    site.files[bare.url] = strip_identity(html).encode("utf-8")
    site._plant("site_identity", col_a, bare.url, "页面底部缺少网站标识码、ICP备案编号、公安机关备案号和党政机关网站标识")
    other = C.SITE_ID_CODE[:-2] + f"{(int(C.SITE_ID_CODE[-2:]) + 7) % 100:02d}"
    html = site.files[wrong.url].decode("utf-8")
    tag = f'<meta name="SiteIDCode" content="{C.SITE_ID_CODE}">'
    if tag in html:
        site.files[wrong.url] = html.replace(tag, f'<meta name="SiteIDCode" content="{other}">').encode("utf-8")
        site._plant("site_identity", col_b, wrong.url, f"SiteIDCode标签为{other}，与页面底部网站标识码不一致")
    # The bare "plain" CMS template of the demo (the 专题 columns) sets no SiteDomain / SiteIDCode tags.
    for col in site.cols:
        if col.cms != "plain":
            continue
        for url in [col.url] + [a.url for a in col.arts]:
            data = site.files.get(url, b"")
            if url not in {p.get("url") for p in site.m.planted if p["kind"] == "site_identity"} \
                    and b'name="SiteIDCode"' not in data and b"<html" in data:
                site._plant("site_identity", col, url, "简易模板页面未设置SiteDomain、SiteIDCode等站点标签")
    site.put("/images/red.png", site.files.get("/images/logo.png", b""))
    site.m.server["probe_outage"] = dict(PROBE_OUTAGE)
    site.m.planted.append({"kind": "site_unreachable", "column_url": None, "url": "/",
                           "note": "监测访问中每10次有1次返回503、1次连接中断（20%），达到5%的单项否决线"})


def probe_outage_action(outage: dict | None, path: str, user_agent: str, visit_number: int) -> str | None:
    """What the demo server does to the n-th monitoring visit (1-based): '503', 'drop' or None (answer)."""
    if not outage or path not in (outage["path"], outage["path"] + "index.html"):
        return None
    if not user_agent.startswith("govaudit-probe"):
        return None
    position = visit_number % int(outage["every"])
    if position == int(outage["status_at"]):
        return "503"
    if position == int(outage["drop_at"]):
        return "drop"
    return None


def probe_week(store: Any, site_url: str, as_of: dt.date, rounds_per_day: int = ROUNDS_PER_DAY) -> int:
    """Real probe rounds against the served demo, stamped over the 7 days before `as_of`; visits made."""
    import httpx

    from govaudit.probe import USER_AGENT, run_probe

    visits = 0
    with httpx.Client(headers={"User-Agent": USER_AGENT}) as client:
        for back in range(7, 0, -1):
            start = dt.datetime.combine(as_of - dt.timedelta(days=back), dt.time(0, 10))
            for n in range(rounds_per_day):
                at = start + dt.timedelta(minutes=n * (1440 // rounds_per_day))
                records, _ = run_probe(site_url, store=store, count=0, timeout=15, at=at, client=client)
                visits += len(records)
    return visits
