"""Demo plants for the 单项否决 families of issue 14: 互动回应差, off-site links, expression and injected content.

Why a module apart: each plant is a change to an already rendered portal (a new consultation column, a few
articles re-rendered with one more paragraph or link, one more attachment), made with a random stream of its
own, so every earlier plant and every byte the generator wrote before stays as it was.

- 咨询建言: a message list in the CMS family of the 县长信箱 column, stating 原则上15个工作日内予以答复, with
  message pages: one message of the past year still 办理中 after more than 3 months (INT002), one answered
  later than the stated limit (INT003), one answered with boilerplate (INT004), the rest answered properly and
  recently (so the channel is alive: no INT005, no INT001).
- Off-site links: the old 旅游网 domain now parked, the old 招商网 domain now redirecting to a 博彩 lobby, a
  third old domain (parked) linked through an IPv6 gateway, and the site of an abolished body (LNK004, LNK005).
  The taken-over hosts are fake names served by the demo server by Host header; `fake_hosts_resolve` tells the
  demo's own audit to resolve them (and the footer's conac host) to the loopback server.
- Expression: 拔款 in a news body (EXP002), 二十大三中全会 in another (EXP001), a hidden 暗链 block of 博彩 links
  in a third (EXP004, and LNK004 for its two hosts), and a docx attachment marked 内部资料，注意保存 (EXP005,
  always 需人工复核).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

from govaudit.demo import attachments as A
from govaudit.demo import content as C
from govaudit.demo import render as R

REPLY_LIMIT_WORKDAYS = 15
RESOLVE_ENV = "GOVAUDIT_RESOLVE"                 # read by crawler/offsite_probe.py
OFFLINE_ENV = "GOVAUDIT_OFFLINE"                 # ditto: probe no host the override does not name
# Fake hostnames under the reserved .example TLD: never a real site, even when nobody resolves them for us.
PARKED_HOST = "www.qhlvyou.example"              # 青禾旅游网 (old domain, lapsed, now parked)
GAMBLING_HOST = "www.qhzhaoshang.example"        # 青禾招商网 (old domain, now a 博彩 lobby)
IPV6_PARKED_HOST = "www.qhnongjiale.example"     # 青禾农家乐协会 (old domain, parked), linked via an IPv6 gateway
INJECTED_HOSTS = ("www.xpj8866.example", "www.js2288.example")     # targets of the 暗链 block
ABOLISHED_URL = "http://www.saic.gov.cn/"         # 国家工商行政管理总局, abolished in 2018
CONAC_HOST = "bszs.conac.cn"                       # the footer's 党政机关网站标识 link: answered locally, ordinary
IPV6_GATEWAY_SUFFIX = "x7a72968723868.ipv6best.cn"

_PARKED_PAGE = ("<html><head><title>{host} - 该域名正在出售</title></head><body><h1>{host}</h1>"
                "<p>该域名正在出售，欢迎询价。This domain is for sale.</p></body></html>")
_GAMBLING_PAGE = ("<html><head><title>澳门新葡京娱乐场-官方网站</title></head><body><div>真人视讯 百家乐在线 "
                  "注册送彩金 首存送100%</div></body></html>")


def fake_host_pages() -> dict[str, dict]:
    """What the demo server answers for each fake host: {host: {path: {status, body | location}}}."""
    parked = {"/": {"status": 200, "body": ""}}
    lobby = {"/": {"status": 302, "location": "/lobby/"}, "/lobby/": {"status": 200, "body": _GAMBLING_PAGE}}
    pages = {PARKED_HOST: parked, IPV6_PARKED_HOST: parked, GAMBLING_HOST: lobby,
             CONAC_HOST: {"/": {"status": 200, "body": "<html><head><title>党政机关网站标识查询</title></head>"
                                "<body>中国机构编制网 党政机关网站标识查询服务</body></html>"}}}
    for host in INJECTED_HOSTS:
        pages[host] = {"/": {"status": 200, "body": _GAMBLING_PAGE}}
    out: dict[str, dict] = {}
    for host, paths in pages.items():
        out[host] = {path: {**page, "body": page.get("body") or _PARKED_PAGE.format(host=host)}
                     if page["status"] == 200 else dict(page) for path, page in paths.items()}
    return out


def fake_hosts_resolve(base_url: str, manifest_server: dict) -> str:
    """GOVAUDIT_RESOLVE for the demo's own audit: every fake host of the manifest at the demo server's address."""
    address = base_url.split("://", 1)[-1].rstrip("/")
    return ";".join(f"{host}={address}" for host in sorted(manifest_server.get("fake_hosts") or {}))


@contextlib.contextmanager
def resolving_fake_hosts(base_url: str, site_dir: Path) -> Iterator[str]:
    """GOVAUDIT_RESOLVE set to the demo's fake hosts for the `with` body only (the demo's own audit, never a
    user's): the previous value, or its absence, comes back afterwards."""
    manifest = json.loads((Path(site_dir) / "manifest.json").read_text(encoding="utf-8"))
    value = fake_hosts_resolve(base_url, manifest.get("server") or {})
    before = {name: os.environ.get(name) for name in (RESOLVE_ENV, OFFLINE_ENV)}
    os.environ[RESOLVE_ENV] = value
    os.environ[OFFLINE_ENV] = "1"                  # the demo only ever talks to this machine
    try:
        yield value
    finally:
        for name, old in before.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


def _ipv6_wrapped(host: str, path: str = "/") -> str:
    return f"http://{host}{IPV6_GATEWAY_SUFFIX}{path}"


# ------------------------------------------------------------------------------------ helpers
def _free_articles(site: Any) -> dict[str, list]:
    """Per column key: dated articles that host no other plant or quirk (so every earlier plant stays intact)."""
    taken = {p.get("url") for p in site.m.planted} | {p.get("page_url") for p in site.m.planted}
    taken |= {x.get("url") for x in site.m.lookalikes} | {x.get("page_url") for x in site.m.lookalikes}
    taken |= {x["url"] for x in site.m.flaky} | {x["url"] for x in site.m.lying_charset}
    taken |= {x.get("source_url") for x in site.m.broken_links}
    out: dict[str, list] = {}
    for col in site.cols:
        for art in col.arts:
            if (id(art) not in site.hosts and art.url not in taken and not art.atts
                    and art.when.date() <= site.as_of and art.url in site.files):
                out.setdefault(col.key, []).append(art)
    return out


def _pick(free: dict[str, list], keys: tuple[str, ...], index: int = 1):
    """The index-th free article of the first of `keys` that has one, else of any column (styles differ)."""
    for key in (*keys, *sorted(free)):
        arts = free.get(key) or []
        if arts:
            art = arts[min(index, len(arts) - 1)]
            arts.remove(art)
            return art
    raise RuntimeError(f"no free article in {keys} for a demo plant")


def _rerender(site: Any, art: Any) -> None:
    getattr(site, f"_art_{art.col.cms}")(art, site.nav())
    for att in art.atts:
        site.put(att.url, att.data, art.when)


def _plant(site: Any, kind: str, art: Any, note: str, url: str | None = None, **extra: Any) -> None:
    """A planted problem on `art` (or on its attachment or link target `url`); off-site targets go to
    `offsite_links`, since every `planted` URL is a file of the portal."""
    entry = {"kind": kind, "column_url": art.col.url, "url": url or art.url, "note": note}
    if url:
        entry["page_url"] = art.url
    entry.update({k: v for k, v in extra.items() if v is not None})
    (site.m.offsite_links if entry["url"].startswith("http") else site.m.planted).append(entry)
    if kind not in art.col.planted:
        art.col.planted.append(kind)


# ------------------------------------------------------------------------------------ 咨询建言
def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def _message(rng: random.Random, asked: dt.date, replied: dt.date | None, reply: str | None,
             status: str) -> tuple[str, list[str]]:
    topic, town = C._topic(rng), rng.choice(C.TOWNS)
    title = rng.choice((f"关于{town}{topic}的咨询", f"建议完善{town}{topic}", f"{town}{topic}问题咨询"))
    paragraphs = [f"留言内容：您好，{town}的{topic}目前如何办理？希望有关部门予以答复。",
                  f"留言时间：{asked:%Y-%m-%d}", f"办理状态：{status}"]
    if replied is not None:
        paragraphs += [f"答复单位：{rng.choice(C.DEPARTMENTS)}", f"答复时间：{replied:%Y-%m-%d}",
                       f"答复内容：{reply}"]
    return title, paragraphs


def _substantive_reply(rng: random.Random) -> str:
    topic, town = C._topic(rng), rng.choice(C.TOWNS)
    return (f"经{town}人民政府会同县直有关部门核实，您反映的{topic}事项已列入今年民生实事项目，"
            f"计划于本季度完成前期工作并组织实施；具体办理条件和所需材料已在{town}便民服务中心公示，"
            "您也可拨打政务服务便民热线12345进一步了解。")


def _message_column(site: Any, rng: random.Random) -> Any:
    """A 咨询建言 column beside 县长信箱, in that column's CMS family, with its message pages planned."""
    from govaudit.demo.generator import Art, Col

    mailbox = site.col("xzxx")
    col = Col("zxjy", "咨询建言", "互动交流", mailbox.cms, "hdjl", 1, 0, 0, "normal", ("letter",), "none", "iso")
    if col.cms == "hanweb":
        col.colid = max(c.colid for c in site.cols if c.cms == "hanweb") + 1
        col.dir = f"/col/col{col.colid}/"
        col.url = col.dir + "index.html"
    elif col.cms == "vsb":
        col.colid = max(c.colid for c in site.cols if c.cms == "vsb") + 1
        col.url, col.dir, col.encoding = "/hdjl/zxjy.htm", "/hdjl/zxjy/", "gbk"
        prefixes = site.m.server.setdefault("charset_prefixes", {})
        prefixes.update({col.url: "GBK", col.dir: "GBK", "/info/": "GBK"})
    else:
        col.colid = max([c.colid for c in site.cols if c.cms == "trs"] + [1800]) + 1
        col.dir = "/hdjl/zxjy/"
        col.url = col.dir + "index.html"
    as_of = site.as_of
    # (days before as_of the message was left, days it took to answer or None, kind of reply)
    plan = [(3, 2, "good"), (9, 4, "good"), (17, 6, "good"), (26, 3, "boilerplate"), (38, 5, "good"),
            (52, 7, "good"), (100, 40, "late"), (150, None, "unanswered"), (190, 8, "good"), (240, 6, "good")]
    for back, took, what in plan:
        asked = as_of - dt.timedelta(days=back)
        replied = asked + dt.timedelta(days=took) if took is not None else None
        reply = {"good": None, "late": None, "boilerplate": "您好，您的留言已收到，已转相关部门办理。"}.get(what)
        reply = reply or _substantive_reply(rng)
        status = "办理中" if replied is None else "已回复"
        title, paragraphs = _message(rng, asked, replied, reply, status)
        when = dt.datetime.combine(asked, dt.time(rng.randint(8, 20), rng.choice((5, 15, 25, 40))))
        art = Art(col, title, paragraphs, "letter", when, source=f"{C.SITE_NAME}办公室")
        site.docid += rng.randint(1, 37)
        art.docid = site.docid
        art.meta = col.cms in ("trs", "hanweb")
        if col.cms == "hanweb":
            art.url = f"/art/{asked.year}/{asked.month}/{asked.day}/art_{col.colid}_{5_000_000 + art.docid}.html"
        elif col.cms == "vsb":
            art.url, art.encoding = f"/info/{col.colid}/{40_000 + art.docid}.htm", "gbk"
        else:
            art.url = f"{col.dir}{asked:%Y%m}/t{asked:%Y%m%d}_{art.docid}.html"
        art.status, art.replied, art.what = status, replied, what       # for the list and the manifest
        col.arts.append(art)
    site.hosts.update(id(a) for a in col.arts)
    at = site.cols.index(mailbox) + 1
    site.cols.insert(at, col)
    return col


def _render_message_list(site: Any, col: Any) -> None:
    """The list page: each message's 留言时间 and 办理状态 (the reply date is on its own page), and the
    channel's stated time limit. One date a row, as most 留言选登 lists show it."""
    nav = site.nav()
    promise = (f'<p class="notice">本栏目受理群众咨询和建议，原则上在{REPLY_LIMIT_WORKDAYS}个工作日内予以答复；'
               "涉及多个部门的，办理时限可适当延长并告知留言人。</p>")
    if col.cms == "vsb":
        up = "../" * (col.url.count("/") - 1)
        rows = "".join(f"{row}<span>状态：{a.status}</span></li>" for row, a in
                       zip(_vsb_rows(col, up), col.arts))
        html = (R.head(f"{col.name}-{C.SITE_NAME}", R.site_meta(), charset="gbk") + "<body>\n" + R.header(nav)
                + site._crumbs([("首页", f"{up}index.html")] + col.trail[1:], "vsb")
                + f'<div class="main_list"><h2>{col.name}</h2>{promise}<ul class="list">{rows}</ul>'
                + f'<div class="pb_sys_common pb_sys_normal">共{len(col.arts)}条&nbsp;&nbsp;1/1&nbsp;</div></div>\n'
                + R.footer())
        site.put(col.url, html, col.arts[0].when, encoding="gbk")
    else:
        rows = "".join(
            f'<tr><td><a href="{a.url}" title="{escape(a.title)}" target="_blank">{escape(a.title)}</a></td>'
            f"<td>{a.when:%Y-%m-%d}</td><td>{a.status}</td></tr>" for a in col.arts)
        table = ('<table class="hdjl-list"><tr><th>留言标题</th><th>留言时间</th><th>办理状态</th></tr>'
                 + rows + "</table>")
        crumbs = (R.hidden_location(col.trail, site.style.twin_links) if col.cms == "hanweb"
                  else site._crumbs(col.trail, "trs"))
        html = (R.head(f"{col.name}_{C.SITE_NAME}", site.column_meta(col)) + "<body>\n" + R.header(nav) + crumbs
                + f'<div class="main"><h2 class="lm-title">{col.name}</h2>\n{promise}{table}</div>\n' + R.footer())
        site.put(col.url, html, col.arts[0].when)
    col.list_urls.append(col.url)


def _vsb_rows(col: Any, up: str) -> list[str]:
    """VSB rows that label their own values (留言时间：… 状态：…), without the closing status."""
    return [f'<li id="line_u9_{i}"><a href="{up}{a.url[1:]}" title="{escape(a.title)}">{escape(a.title)}</a>'
            f"<span>留言时间：{a.when:%Y/%m/%d}</span>" for i, a in enumerate(col.arts)]


def plant_messages(site: Any, rng: random.Random) -> None:
    col = _message_column(site, rng)
    _render_message_list(site, col)
    nav = site.nav()
    for art in col.arts:
        getattr(site, f"_art_{col.cms}")(art, nav)
    notes = {"unanswered": "咨询建言栏目中一条留言（一年内）超过3个月仍显示“办理中”，未答复",
             "late": f"留言答复用时超过栏目承诺的{REPLY_LIMIT_WORKDAYS}个工作日",
             "boilerplate": "留言标为已回复，但答复内容仅为“已收到，已转相关部门办理”"}
    kinds = {"unanswered": "message_unanswered", "late": "message_late", "boilerplate": "message_empty_reply"}
    for art in col.arts:
        if art.what in kinds:
            _plant(site, kinds[art.what], art, notes[art.what], asked=art.when.date().isoformat(),
                   replied=art.replied.isoformat() if art.replied else None)
    site.render_chrome()                   # the channel page, the home menu and the site map list the new column


# ------------------------------------------------------------------------------------ off-site links
def plant_links(site: Any, free: dict[str, list]) -> None:
    links = (
        (("qhgk", "jgzn", "bszn"), f"http://{PARKED_HOST}/", "青禾旅游网", "offsite_hijacked",
         "原青禾旅游网域名已过期，现为停放出售页面"),
        (("zbcg", "tzgg"), f"http://{GAMBLING_HOST}/", "青禾招商网", "offsite_hijacked",
         "原青禾招商网域名现跳转至博彩网站"),
        (("xzdt", "bmdt", "qhyw"), _ipv6_wrapped(IPV6_PARKED_HOST), "青禾农家乐协会", "offsite_hijacked",
         "经IPv6转换网关改写的链接，原域名已过期并被停放出售"),
        (("gsgg", "tzgg"), ABOLISHED_URL, "国家工商行政管理总局", "abolished_link",
         "链接指向2018年机构改革中撤销的国家工商行政管理总局网站"),
    )
    from crawler.offsite_probe import unwrap_host

    for keys, href, text, kind, note in links:
        art = _pick(free, keys)
        art.paragraphs = art.paragraphs + ["相关链接："]
        art.extra_html.append(f'<p><a href="{escape(href)}" target="_blank">{escape(text)}</a></p>')
        _rerender(site, art)
        _plant(site, kind, art, note, url=unwrap_host(href), link=href)


# ------------------------------------------------------------------------------------ expression
def plant_expression(site: Any, free: dict[str, list], rng: random.Random) -> None:
    town = rng.choice(C.TOWNS)
    art = _pick(free, ("qhyw", "bmdt"), 2)
    amount = rng.randint(120, 480)
    art.paragraphs = art.paragraphs + [f"据悉，县财政已拔款{amount}万元，专项用于{town}农村道路提升改造。"]
    _rerender(site, art)
    _plant(site, "miswriting", art, "正文中“拨款”误写为“拔款”", wrong="拔款")

    art = _pick(free, ("bmdt", "xzdt", "qhyw"), 3)
    art.paragraphs = art.paragraphs + ["会议强调，要深入学习贯彻党的二十大三中全会精神，推动各项工作落地见效。"]
    _rerender(site, art)
    _plant(site, "serious_error", art, "正文中“二十届三中全会”误写为“二十大三中全会”", wrong="二十大三中全会")

    # 暗链: a block pushed off screen, injected after the article by a tampered template.
    art = _pick(free, ("xzdt", "bmdt", "qhyw"), 4)
    anchors = ("澳门新葡京娱乐场", "真人视讯百家乐")
    block = ('<div style="position:absolute;top:-9999px;left:-9999px">'
             + "".join(f'<a href="http://{host}/" target="_blank">{text}</a>'
                       for host, text in zip(INJECTED_HOSTS, anchors)) + "</div>")
    art.extra_html.append(block)
    _rerender(site, art)
    _plant(site, "hidden_link", art, "页面中注入了隐藏的博彩网站链接（暗链）", hidden=list(INJECTED_HOSTS))
    _plant(site, "illegal_content", art, "注入的暗链锚文本含有博彩推广词语", words="、".join(anchors))
    for host in INJECTED_HOSTS:
        _plant(site, "offsite_hijacked", art, "暗链指向的博彩网站", url=f"http://{host}/", link=f"http://{host}/")

    # A secrecy marking in an attachment: always 需人工复核 (only a person can tell whether it is a secret).
    from govaudit.demo.generator import Att

    art = _pick(free, ("tzgg", "gsgg", "zcwj"), 5)
    day = art.when
    url = f"{art.col.dir}{day:%Y%m}/P0{day:%Y%m%d}{rng.randint(10**11, 10**12 - 1)}.docx"
    if art.col.cms == "vsb":
        url = f"/__local/V/{rng.randint(10, 99)}/{rng.randint(1000, 9999)}/{rng.getrandbits(128):032X}.docx"
    paragraphs = ["内部资料，注意保存", f"{C.COUNTY}{day.year}年度重点工作任务分解表",
                  "各乡镇、县直各部门要按照分工抓好落实，每季度末报送进展情况。"]
    data = A.make_docx("重点工作任务分解表", paragraphs, None, day)
    art.atts.append(Att(url, "重点工作任务分解表.docx", "docx", data))
    _rerender(site, art)
    _plant(site, "secret_marking", art, "附件首行标注“内部资料，注意保存”", url=url, review=True, format="docx")


def plant_veto_families(site: Any) -> None:
    """Called once by generator.build() after the pages are rendered, before the manifest is finished."""
    rng = random.Random(f"govaudit-demo-veto:{site.seed}")
    free = _free_articles(site)
    plant_links(site, free)
    plant_expression(site, free, rng)
    plant_messages(site, rng)
    site.m.server["fake_hosts"] = fake_host_pages()
