"""The fifth skin, `jyh-api`: a county site on a provincial 集约化 (intensive) platform of the 2020s.

No sample of such a platform is among the reference pages, and no demo style is copied: the markup is written in
the idiom several vendors' platforms share (a Vue/jQuery front end over a Java CMS):

- the page is a shell: the 政府信息公开 目录 tree is data, a `<script>var columns=[…]</script>` JSON array on the
  landing page and a `data-columns='[…]'` attribute on the column pages; plain `<a>` fallbacks are printed on some
  pages only (portal.py deals them);
- a list page holds an empty `<ul id="list">`, a hidden 暂无数据 block every list page carries, and a script that
  asks `GET /api/cms/article/page?channelId=…&current=N&size=15` for the records (MyBatis-Plus page shape:
  `{"code":0,"data":{"records":[…],"total":…,"size":…,"current":…,"pages":…}}`), dates as `2024-03-05 10:21:00`
  or epoch milliseconds, article URLs absolute or relative to the list page (`./`, `../`). Half the columns call
  `$.ajax` with a `data:{…}` object whose page is a variable, the other half `fetch` a literal URL;
- article pages carry the 政府网站发展指引 metas (SiteName … ColumnType, ArticleTitle, PubDate with a time), an
  info table of `<div class="row"><span class="label">索引号</span><span class="value">…</span></div>` pairs, and
  attachments behind `/download?fileId=…`: the file name is only in the link text and in the answer's
  `Content-Disposition: attachment; filename*=UTF-8''…` (RFC 5987), the body is `application/octet-stream`;
- decorative links with hash routes (`#/detail/123`), `javascript:void(0)`, and the platform's 找错 entry.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from urllib.parse import parse_qs, quote

from tests.foreign.skins import ArticleView, ListView, Site, e

LIST_API = "/api/cms/article/page"
DOWNLOAD = "/download"
API_PAGE_SIZE = 15
_MAX_SIZE = 50                      # the platform caps `size` (a crawler asking for 10,000 gets 50)
_CHINA = dt.timezone(dt.timedelta(hours=8))


def _head(site: Site, title: str, metas: list[tuple[str, str | None]]) -> str:
    tags = "".join(f'\n  <meta name="{name}" content="{e(value)}">' for name, value in metas if value is not None)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta http-equiv="X-UA-Compatible" content="IE=edge">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <meta name="SiteName" content="{e(site.name)}">
  <meta name="SiteDomain" content="www.{e(site.domain)}">
  <meta name="SiteIDCode" content="{site.code}">{tags}
  <title>{e(title)}</title>
  <link rel="stylesheet" href="/static/platform/css/common.css">
  <link rel="stylesheet" href="/static/platform/css/xxgk.css">
  <script src="/static/platform/js/jquery.min.js"></script>
</head>"""


def _header(site: Site) -> str:
    nav = "".join(f'<li class="nav-item"><a href="{e(h)}">{e(t)}</a></li>' for h, t in site.nav)
    return f"""
<body>
<div class="top-bar"><div class="w1200">
  <span class="welcome">欢迎访问{e(site.name)}门户网站</span>
  <a href="javascript:void(0)" class="btn-elder" onclick="elderMode()">长者模式</a>
  <a href="javascript:void(0)" class="btn-wza" id="cniil_wza">无障碍</a>
  <a href="/#/search" class="btn-search">搜索</a>
</div></div>
<div class="header"><div class="w1200"><a href="/" class="logo"><img src="/static/platform/images/logo.png" alt="{e(site.name)}"></a></div></div>
<div class="main-nav"><ul class="w1200 nav-list">{nav}</ul></div>"""


def _footer(site: Site) -> str:
    return f"""
<div class="footer"><div class="w1200">
  <div class="footer-links"><a href="javascript:void(0)" onclick="addFavorite()">加入收藏</a> | <a href="/#/sitemap">网站地图</a> | <a href="/#/contact">联系我们</a></div>
  <div class="footer-info">
    <p>主办单位：{e(site.name)}办公室　承办单位：{e(site.short)}县大数据中心</p>
    <p>网站标识码：{site.code}　<a href="https://beian.miit.gov.cn/" target="_blank">浙ICP备2021008{site.code[-3:]}号</a>　
       <a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33108202000{site.code[-3:]}" target="_blank"><img src="/static/platform/images/ga.png" alt="">浙公网安备 33108202000{site.code[-3:]}号</a></p>
  </div>
  <div class="footer-icons">
    <a href="https://bszs.conac.cn/sitename?method=show&amp;id={site.code}" target="_blank"><img src="/static/platform/images/dzjg.png" alt="党政机关"></a>
    <a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={site.code}&amp;url=" target="_blank"><img src="/static/platform/images/jiucuo.png" alt="政府网站找错"></a>
  </div>
</div></div>
<script src="/static/platform/js/common.js"></script>
</body>
</html>
"""


def _crumbs(crumbs: list[tuple[str, str]]) -> str:
    links = '<i class="sep">&gt;</i>'.join(f'<a href="{e(h)}">{e(t)}</a>' for h, t in crumbs)
    return f'<div class="breadcrumb w1200"><span class="here">当前位置：</span>{links}</div>'


def tree_json(tree: list[dict]) -> str:
    """The 目录 tree as the platform's template prints it into a script (no HTML escaping inside <script>)."""
    return json.dumps(tree, ensure_ascii=False, separators=(",", ":"))


def _tree(tree: list[dict], as_script: bool, fallback: bool, current: str) -> str:
    """The left 目录 tree: data for the front end to draw, with plain links only when `fallback`."""
    if as_script:
        data = f'<div class="xxgk-tree" id="xxgkTree"></div>\n<script>var columns = {tree_json(tree)};\n' \
               'renderTree(document.getElementById("xxgkTree"), columns);</script>'
    else:
        data = (f'<div class="xxgk-tree" id="xxgkTree" data-current="{e(current)}" '
                f"data-columns='{e(tree_json(tree), quote=True)}'></div>")
    if not fallback:
        return f'<div class="side-tree">{data}</div>'

    def items(nodes: list[dict]) -> str:
        return "".join("<li>" + (f'<a href="{e(n["url"])}">{e(n["name"])}</a>' if n.get("url")
                                 else f'<span class="folder">{e(n["name"])}</span>')
                       + (f'<ul>{items(n["children"])}</ul>' if n.get("children") else "") + "</li>" for n in nodes)
    return f'<div class="side-tree">{data}\n<noscript><ul class="tree-fallback">{items(tree)}</ul></noscript></div>'


def list_script(channel: int, fetch_style: bool) -> str:
    """The list page's script: `$.ajax` with a data object (page in a variable), or `fetch` of a literal URL."""
    if fetch_style:
        return (f'<script>\nfetch("{LIST_API}?channelId={channel}&current=1&size={API_PAGE_SIZE}")\n'
                "  .then(function (r) { return r.json(); })\n"
                "  .then(function (res) { renderList(res.data, '#list', '#pager'); });\n</script>")
    return (f"<script>\nvar pageNo = 1;\nfunction loadList(pageNo) {{\n  $.ajax({{\n    url: '{LIST_API}',\n"
            f"    type: 'get',\n    dataType: 'json',\n    data: {{ channelId: '{channel}', current: pageNo, "
            f"size: {API_PAGE_SIZE} }},\n    success: function (res) {{ renderList(res.data, '#list', '#pager', "
            "loadList); }\n  });\n}\nloadList(pageNo);\n</script>")


def jyh_list(site: Site, view: ListView, tree: list[dict] | None = None, tree_in_script: bool = False,
             fallback: bool = True, fetch_style: bool = False) -> str:
    """A column page: metas, crumbs, the 目录 tree, an empty list the script fills from the API."""
    metas = [("ColumnName", view.name), ("ColumnDescription", f"{site.name}{view.name}栏目"),
             ("ColumnKeywords", view.name), ("ColumnType", view.column_type)]
    head = _head(site, f"{view.name}_{site.name}", metas)
    side = _tree(tree, tree_in_script, fallback, view.crumbs[-1][0]) if tree else ""
    if view.sub_columns and tree:        # the 目录 landing page: the tree is its content
        region = f'<div class="xxgk-intro"><h2>{e(view.name)}</h2><p>本栏目按照信息公开目录分类发布政府信息。</p></div>'
    elif view.sub_columns:               # a channel page over entries of its own (互动交流)
        links = "".join(f'<li><a href="{e(h)}" target="_blank">{e(t)}</a></li>' for h, t in view.sub_columns)
        region = f'<div class="list-title"><h2>{e(view.name)}</h2></div><ul class="channel-entries">{links}</ul>'
    else:
        region = (f'<div class="list-title"><h2>{e(view.name)}</h2></div>\n'
                  '<ul class="news-list" id="list"></ul>\n'
                  '<div class="no-data" id="empty" style="display:none">暂无数据</div>\n'
                  '<div class="pager" id="pager"></div>\n' + list_script(view.channel, fetch_style))
    return (head + _header(site) + "\n" + _crumbs(view.crumbs) + f'\n<div class="main w1200">{side}\n'
            f'<div class="main-right">{region}</div></div>' + _footer(site))


def jyh_home(site: Site, view: ListView, latest: list[tuple[str, str, str]]) -> str:
    """The home page: hash-routed banner slides, the menu, a server-rendered latest block."""
    head = _head(site, site.name, [("ColumnName", "首页"), ("ColumnType", "首页")])
    slides = "".join(f'<div class="swiper-slide"><a href="#/detail/{900 + n}"><img src="/static/upload/banner{n}.jpg" '
                     f'alt=""></a></div>' for n in range(3))
    items = "".join(f'<li><a href="{e(h)}" target="_blank" title="{e(t)}">{e(t)}</a><span class="date">{e(d)}</span></li>'
                    for h, t, d in latest)
    entries = "".join(f'<a href="{e(h)}" class="entry">{e(t)}</a>' for h, t in view.sub_columns)
    return (head + _header(site) + f'\n<div class="banner swiper-container"><div class="swiper-wrapper">{slides}</div></div>'
            f'\n<div class="w1200 home-news"><div class="tab-title"><a href="javascript:void(0)" class="on">最新信息</a></div>'
            f'<ul class="news-list">{items}</ul></div>\n<div class="w1200 entries">{entries}</div>' + _footer(site))


def _info_rows(view: ArticleView, written: dt.date) -> str:
    rows = [("索引号", view.index_number), ("发布机构", view.source), ("成文日期", f"{written:%Y-%m-%d}"),
            ("发布日期", f"{view.published:%Y-%m-%d}"), ("文号", view.doc_number or "无"), ("主题分类", "综合政务")]
    return "".join(f'<div class="row"><span class="label">{e(k)}</span><span class="value">{e(v)}</span></div>'
                   for k, v in rows)


def jyh_detail(site: Site, view: ArticleView, stamp: str) -> str:
    """An article: guideline metas, the info table (not on news), the body, attachments behind /download."""
    metas = [("ColumnName", view.column), ("ColumnType", view.column_type), ("ArticleTitle", view.title),
             ("PubDate", stamp), ("ContentSource", view.source), ("Keywords", view.column), ("Url", view.self_url)]
    head = _head(site, f"{view.title}_{site.name}", metas)
    info = "" if view.news else f'<div class="info-table">{_info_rows(view, view.published - dt.timedelta(days=2))}</div>'
    number = f'<p class="doc-number">{e(view.doc_number)}</p>' if view.doc_number else ""
    files = "".join(f'<li><a href="{e(h)}" target="_blank">{e(t)}</a></li>' for h, t in view.attachments)
    files = f'<div class="attachments"><h4>附件：</h4><ul>{files}</ul></div>' if files else ""
    return (head + _header(site) + "\n" + _crumbs(view.crumbs) + f'\n<div class="main w1200 article">{info}'
            f'<h1 class="article-title">{e(view.title)}</h1>{number}'
            f'<div class="article-meta"><span>发布时间：{e(stamp)}</span><span>来源：{e(view.source)}</span>'
            '<span>浏览次数：<em id="hits"></em></span></div>'
            f'<div class="article-content" id="zoom">{chr(10).join(view.body)}</div>{files}'
            '<div class="article-tools"><a href="javascript:void(0)" onclick="share(\'weixin\')">分享</a>'
            '<a href="javascript:window.print()">打印</a><a href="javascript:window.close()">关闭</a></div>'
            '</div>' + _footer(site))


# ------------------------------------------------------------------ the platform's API
def record(doc_id: int, title: str, url: str, published: dt.datetime, channel: int, epoch: bool) -> dict:
    """One list record as the API returns it: the date a string with seconds, or epoch milliseconds."""
    when: str | int = (int(published.replace(tzinfo=_CHINA).timestamp() * 1000) if epoch
                       else f"{published:%Y-%m-%d %H:%M:%S}")
    return {"id": doc_id, "title": title, "subTitle": "", "url": url, "publishTime": when, "channelId": channel,
            "source": "", "top": 0, "thumbnail": None}


def list_answer(api: dict[int, list], query: str) -> tuple[int, str]:
    """(status, JSON) the list API answers: a page of records, or the platform's error envelope (HTTP 200)."""
    fields = {k: v[-1] for k, v in parse_qs(query).items()}
    try:
        channel = int(fields.get("channelId", ""))
        current = max(int(fields.get("current", "1")), 1)
        size = min(max(int(fields.get("size", str(API_PAGE_SIZE))), 1), _MAX_SIZE)
    except ValueError:
        return 200, json.dumps({"code": 400, "msg": "参数错误", "data": None}, ensure_ascii=False)
    records = api.get(channel)
    if records is None:
        return 200, json.dumps({"code": 500, "msg": "栏目不存在", "data": None}, ensure_ascii=False)
    chosen = records[(current - 1) * size:current * size]
    data = {"records": chosen, "total": len(records), "size": size, "current": current,
            "pages": math.ceil(len(records) / size) if records else 0}
    return 200, json.dumps({"code": 0, "msg": "操作成功", "data": data}, ensure_ascii=False)


def disposition(filename: str) -> str:
    """RFC 6266/5987 as a Java platform writes it: an ASCII fallback name and the real one in filename*."""
    return f"attachment; filename=\"download\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_id(seed: int, n: int) -> str:
    """A file id as such platforms print them (32 hex digits), deterministic per seed."""
    return f"{(seed * 2654435761 + n * 40503) & 0xFFFFFFFF:08x}" * 4
