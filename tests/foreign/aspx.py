"""The sixth skin, `aspx-zq`: a county site on one of the ASP.NET 站群 (site-group) platforms of 2012–2020.

No sample of such a platform is among the reference pages, and no demo style is copied: the markup is written in
the idiom those WebForms platforms shared (IIS, a `<form runat=server>` around the whole page, AspNetPager):

- columns at `/<section>/List.aspx?ClassID=N`, articles at `/<section>/Show.aspx?ID=N&ClassID=N`; IIS reads paths
  and query names case-insensitively, so menus link the same page as `list.aspx` or `LIST.ASPX`, and some menu links
  carry cache-busting noise (`&_t=0.8213…`, the value of `Math.random()` a template wrote once);
- the list pages of half the paged columns move on only by postback: `javascript:__doPostBack('AspNetPager1','2')`
  submits the page's form (hidden `__VIEWSTATE`, `__EVENTTARGET`, `__EVENTARGUMENT`, `__EVENTVALIDATION`) to the
  same URL; a POST without the page's own view state gets the first page again (server.py). The others page by a
  script that builds the list URL by string concatenation (`location.href = 'List.aspx?ClassID=' + cid +
  '&page=' + n;`) behind `javascript:goPage(2)` links;
- list dates `2026年03月05日`, or `[03-05]` under a year heading (`<h4>2026年</h4>`); an article's date only in
  its `发布时间：2026-3-5` line (no guideline metas on a platform of that age);
- a withdrawn article still listed answers HTTP 200 with 「您访问的页面不存在或已被删除」 (soft 404); an unknown
  ClassID is redirected by customErrors to `/Error.aspx?aspxerrorpath=…` (200); a deleted file's
  `DownLoad.aspx?FileID=` answers 200 with an `alert('文件不存在')` script; a live notice about the site's
  revision quotes that same sentence and must stay alive;
- files behind `/DownLoad.aspx?FileID=N` as `application/octet-stream` with `Content-Disposition: attachment;
  filename=<the name percent-encoded in GBK>` (HttpUtility.UrlEncode with the site's gb2312 encoding);
- every page declares gb2312 in its `<meta http-equiv>`; most are GBK bytes with `charset=gb2312` in the header,
  some articles (pasted in a later editor) are UTF-8 with a BOM under a header that names no charset.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from typing import TYPE_CHECKING
from urllib.parse import quote

from tests.foreign import content
from tests.foreign.skins import ArticleView, ListView, Site, e

if TYPE_CHECKING:
    from tests.foreign.portal import Column, Route, _Builder

SKIN = "aspx-zq"
HOME = "/Default.aspx"
HUB = "/zwgk/Default.aspx"
DOWNLOAD = "/DownLoad.aspx"
ERROR_PAGE = "/Error.aspx"
PAGER_ID = "AspNetPager1"
SOFT_404 = "您访问的页面不存在或已被删除！"


def list_key(section: str, channel: int) -> str:
    return f"/{section}/List.aspx?ClassID={channel}"


def show_key(section: str, doc_id: int, channel: int) -> str:
    return f"/{section}/Show.aspx?ID={doc_id}&ClassID={channel}"


def view_state(channel: int) -> str:
    """The page's __VIEWSTATE as WebForms writes it (base64 of its serialized state; deterministic here)."""
    raw = b"\xff\x01\x0f\x0f\x05\x0a-" + str(channel).encode() + hashlib.sha1(str(channel).encode()).digest()
    return "/wEPDwUK" + base64.b64encode(raw).decode()


def event_validation(channel: int) -> str:
    return "/wEWBQK" + base64.b64encode(hashlib.md5(str(channel).encode()).digest()).decode()


def menu_href(href: str, n: int) -> str:
    """How a 站群 template's menu writes a column link: the case of `List.aspx` varies, some carry `&_t=…`."""
    if "List.aspx" not in href:
        return href
    spelled = href.replace("List.aspx", ("list.aspx", "LIST.ASPX", "List.aspx")[n % 3])
    return spelled + (f"&_t=0.{zlib.crc32(href.encode()) % 10**8:08d}" if n % 2 else "")


def _head(title: str) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312" /><title>
	{e(title)}
</title><link href="/Skin/Default/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/Skin/Default/js/jquery-1.4.2.min.js"></script>
</head>"""


def _form_open(action: str, channel: int) -> str:
    return f"""
<body>
<form name="form1" method="post" action="{e(action)}" id="form1">
<div>
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{view_state(channel)}" />
</div>

<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['form1'];
if (!theForm) {{
    theForm = document.form1;
}}
function __doPostBack(eventTarget, eventArgument) {{
    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {{
        theForm.__EVENTTARGET.value = eventTarget;
        theForm.__EVENTARGUMENT.value = eventArgument;
        theForm.submit();
    }}
}}
//]]>
</script>
"""


def _top(site: Site) -> str:
    nav = "".join(f'<li><a href="{e(menu_href(h, n))}" target="_self">{e(t)}</a></li>'
                  for n, (h, t) in enumerate(site.nav))
    return f"""<div class="top"><div class="topbar">今天是：<span id="today"></span>&nbsp;&nbsp;
<a href="javascript:void(0);" onclick="SetHome(this,window.location)">设为首页</a> | <a href="javascript:void(0);" onclick="AddFavorite(window.location,document.title)">加入收藏</a></div>
<div class="banner"><img src="/Skin/Default/images/banner.jpg" alt="{e(site.name)}" /></div>
<div class="menu"><ul>{nav}</ul></div></div>"""


def _foot(site: Site, channel: int) -> str:
    return f"""
<div class="foot">主办单位：{e(site.name)}办公室&nbsp;&nbsp;技术支持：{e(site.short)}县信息中心<br />
网站标识码：{site.code}&nbsp;&nbsp;<a href="http://www.miibeian.gov.cn/" target="_blank">ICP备12003{site.code[-3:]}号</a><br />
建议使用IE8.0以上版本浏览器，1024*768以上分辨率浏览本站</div>
<div>
	<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="{event_validation(channel)}" />
</div></form>
</body>
</html>
"""


def _position(crumbs: list[tuple[str, str]]) -> str:
    links = " &gt; ".join(f'<a href="{e(h)}">{e(t)}</a>' for h, t in crumbs)
    return f'<div class="position">您现在的位置：{links}</div>'


def _side(title: str, side: list[tuple[str, str]]) -> str:
    if not side:
        return ""
    items = "".join(f'<li><a href="{e(h.replace("List.aspx", "list.aspx"))}">{e(t)}</a></li>' for h, t in side)
    return f'<div class="left"><div class="lefttitle">{e(title)}</div><ul class="leftmenu">{items}</ul></div>'


def postback_pager(page: int, pages: int, total: int) -> str:
    """AspNetPager in postback mode: every page link submits the form."""
    def link(label: str, n: int) -> str:
        if n == page or not 1 <= n <= pages:
            return f'<a disabled="disabled" style="margin-right:5px;">{label}</a>'
        return (f"<a href=\"javascript:__doPostBack('{PAGER_ID}','{n}')\" style=\"margin-right:5px;\">{label}</a>")
    numbers = "".join(f'<span style="margin-right:5px;font-weight:Bold;color:red;">{n}</span>' if n == page
                      else link(str(n), n) for n in range(1, pages + 1))
    return (f'<div id="{PAGER_ID}" class="pages">\n{link("首页", 1)}{link("上一页", page - 1)}{numbers}'
            f'{link("下一页", page + 1)}{link("尾页", pages)}\n&nbsp;共{total}条记录 当前第{page}/{pages}页\n</div>')


def concat_pager(channel: int, page: int, pages: int, total: int, variant: int) -> str:
    """A pager whose links call a script that builds the list URL by string concatenation."""
    def link(label: str, n: int) -> str:
        return f'<a href="javascript:goPage({n})">{label}</a>' if n != page and 1 <= n <= pages else label
    pager = (f'<div class="page">共{total}条 每页10条 页次：{page}/{pages}&nbsp;{link("首页", 1)}&nbsp;'
             f'{link("上一页", page - 1)}&nbsp;{link("下一页", page + 1)}&nbsp;{link("尾页", pages)}</div>')
    if variant % 2:
        script = (f'<script type="text/javascript">\nvar ClassID = "{channel}";\nfunction goPage(n) {{\n'
                  '    window.location = "List.aspx?ClassID=" + ClassID + "&page=" + n;\n}\n</script>')
    else:
        script = (f"<script type=\"text/javascript\">\nvar cid = {channel};\nfunction goPage(n){{ "
                  "location.href = 'List.aspx?ClassID=' + cid + '&page=' + n; }\n</script>")
    return pager + "\n" + script


def _rows(entries: list[tuple[str, str, str]], grouped_years: list[int] | None) -> str:
    """List rows; under year headings when the dates carry no year (`[03-05]`)."""
    def row(h: str, t: str, d: str) -> str:
        return (f'<li><span class="date">{e(d)}</span><a href="{e(h)}" target="_blank" title="{e(t)}">'
                f'{e(t)}</a></li>')
    if grouped_years is None:
        return f'<ul class="list">{"".join(row(*x) for x in entries)}</ul>'
    out, year = [], None
    for (h, t, d), y in zip(entries, grouped_years, strict=True):
        if y != year:
            if year is not None:
                out.append("</ul>")
            out.append(f'<h4 class="year">{y}年</h4><ul class="list">')
            year = y
        out.append(row(h, t, d))
    return "".join(out) + ("</ul>" if year is not None else "")


def list_page(site: Site, view: ListView, action: str, pager: str, grouped_years: list[int] | None,
              side_title: str) -> str:
    if view.sub_columns:
        cells = "".join(f'<li><a href="{e(h)}">{e(t)}</a></li>' for h, t in view.sub_columns)
        region = f'<div class="subcols"><ul>{cells}</ul></div>'
    elif view.empty_text:
        region = f'<div class="nodata">{e(view.empty_text)}</div>'
    else:
        region = _rows(view.entries, grouped_years) + "\n" + pager
    return (_head(f"{view.name}-{site.name}") + _form_open(action, view.channel) + _top(site)
            + f'\n<div class="main">{_side(side_title, view.side)}<div class="right">{_position(view.crumbs)}'
            f'<div class="coltitle">{e(view.name)}</div>\n{region}\n</div></div>' + _foot(site, view.channel))


def show_page(site: Site, view: ArticleView, action: str, channel: int, info: bool) -> str:
    """An article: title, the 发布时间 line (single-digit month and day), an info table on 信息公开 columns."""
    stamp = f"{view.published.year}-{view.published.month}-{view.published.day}"
    table = ""
    if info:
        table = (f'<table class="xxgk" width="100%"><tr><td>索 引 号：</td><td>{e(view.index_number)}</td>'
                 f'<td>发布机构：</td><td>{e(view.source)}</td></tr><tr><td>文　　号：</td><td>{e(view.doc_number)}</td>'
                 f'<td>所属分类：</td><td>{e(view.column)}</td></tr></table>')
    files = "".join(f'<p>附件：<a href="{e(h)}" target="_blank">{e(t)}</a></p>' for h, t in view.attachments)
    return (_head(f"{view.title}-{site.name}") + _form_open(action, channel) + _top(site)
            + f'\n<div class="main"><div class="show">{_position(view.crumbs)}{table}'
            f'<h1><span id="lblTitle">{e(view.title)}</span></h1>'
            f'<div class="info">发布时间：{stamp}&nbsp;&nbsp;来源：<span id="lblSource">{e(view.source)}</span>'
            f'&nbsp;&nbsp;点击数：<span id="lblHits">{view.published.toordinal() % 900 + 37}</span>&nbsp;&nbsp;'
            '【<a href="javascript:window.print();">打印</a>】【<a href="javascript:window.close();">关闭</a>】</div>'
            f'<div id="lblContent" class="content">{chr(10).join(view.body)}{files}</div></div></div>'
            + _foot(site, channel))


def not_found_page() -> str:
    """What the platform's Show.aspx (and Error.aspx) answer with HTTP 200 when the record is gone."""
    return ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\" /><title>提示信息"
            "</title></head><body><div style=\"margin:100px auto;width:400px;text-align:center;border:1px solid #ccc;"
            f"padding:30px\"><img src=\"/Skin/Default/images/error.gif\" /><p>{SOFT_404}</p><p><a href=\"/\">返回首页"
            "</a>&nbsp;<a href=\"javascript:history.go(-1);\">返回上一页</a></p></div></body></html>")


def missing_file_page() -> str:
    """What DownLoad.aspx answers for a deleted file: HTTP 200, a script alert and a step back."""
    return ("<script language='javascript'>alert('对不起，该文件不存在或已被删除！');history.go(-1);</script>")


def disposition(filename: str) -> str:
    """`attachment; filename=…` as HttpUtility.UrlEncode(name, Encoding.GetEncoding("gb2312")) writes it."""
    return f"attachment; filename={quote(filename.encode('gbk'), safe='.')}"


# ------------------------------------------------------------------ the portal
def route_for(text: str, key: str, utf8_bom: bool = False) -> Route:
    """GBK bytes with charset=gb2312 in the header, or (pasted pages) UTF-8 with a BOM and no charset header."""
    from tests.foreign.portal import Route
    if utf8_bom:
        return Route(body=b"\xef\xbb\xbf" + text.encode("utf-8"), content_type="text/html")
    return Route(body=text.encode("gbk", errors="xmlcharrefreplace"), content_type="text/html; charset=gb2312")


def section_of(key: str) -> str:
    return key.split("/")[1]


def render(b: _Builder) -> None:
    """Every page of the aspx-zq portal into b.routes; postback pages into b.api (ClassID -> page routes)."""
    site = b.site
    county = site.name.removesuffix("人民政府")
    hub_subs = [(c.href, c.name) for c in b.columns.values() if c.section is b.hub]
    hub_subs.append((b.gone, "机构职能"))
    hub_crumbs = [("/", "首页"), (HUB, b.hub.name)]
    hub_view = ListView(name=b.hub.name, column_type=None, crumbs=hub_crumbs, sub_columns=hub_subs, channel=1799,
                        side=hub_subs)
    b.routes[HUB] = route_for(list_page(site, hub_view, "Default.aspx", "", None, b.hub.name), HUB)
    talk = [(f"http://liuyan.{site.domain}/{path}", label) for path, label in
            (("Write.aspx", "我要写信"), ("List.aspx", "留言选登"), ("ft/Default.aspx", "在线访谈"))]
    b.routes["/hdjl/"] = route_for(list_page(site, ListView(
        name="互动交流", column_type=None, sub_columns=talk, crumbs=[("/", "首页"), ("/hdjl/", "互动交流")],
        side=talk, channel=1798), "./", "", None, "互动交流"), "/hdjl/")
    # The gone 机构职能 column: customErrors sends an unknown ClassID to the error page, which answers 200.
    from tests.foreign.portal import Route
    b.routes[b.gone] = Route(status=302, location=f"{ERROR_PAGE}?aspxerrorpath=/zwgk/List.aspx")
    b.routes[ERROR_PAGE] = route_for(not_found_page(), ERROR_PAGE)
    _home(b)
    for col in b.columns.values():
        _column(b, col, hub_subs if col.section is b.hub else [])
        for art in col.articles:
            _article(b, col, art, county)


def _home(b: _Builder) -> None:
    site = b.site
    items = "".join(f'<li><a href="{e(a["key"])}" target="_blank">'
                    f'{e(a["title"])}</a><span>{a["published"]:%m-%d}</span></li>'
                    for role in ("news_main", "notice", "policy") for a in b.columns[role].articles[:3])
    more = "".join(f'<a href="{e(menu_href(c.href, n + 1))}" class="more">{e(c.name)}更多&gt;&gt;</a>'
                   for n, c in enumerate(b.columns[r] for r in ("news_main", "notice", "policy")))
    extra = ('<div class="links"><a href="/old/zwgk.html">旧版政务公开</a> <a href="/xxgk">信息公开（旧址）</a> '
             '<a href="javascript:;">更多</a></div>')
    text = (_head(site.name) + _form_open("Default.aspx", 1) + _top(site)
            + f'\n<div class="main"><div class="news"><div class="title">最新信息</div><ul>{items}</ul>{more}</div>'
            f"{extra}</div>" + _foot(site, 1))
    route = route_for(text, HOME)
    b.routes[HOME] = route
    b.routes["/"] = route


def _column(b: _Builder, col: Column, side: list[tuple[str, str]]) -> None:
    site = b.site
    crumbs = b.crumbs(col, 0)
    action = col.key.rsplit("/", 1)[1]
    side_title = b.hub.name if side else col.name
    if col.newest_age is None:
        empty = "暂无信息" if col.role == "blank_marker" else None
        view = ListView(col.name, None, crumbs, channel=col.channel, side=side, empty_text=empty)
        pager = postback_pager(1, 1, 0)
        b.routes[col.key] = route_for(list_page(site, view, action, pager, [] if empty is None else None,
                                                side_title), col.key)
        return
    entries = [(a["href"], a["title"], a["published"]) for a in col.articles]
    if col.role == "news_main":           # a withdrawn article the list still shows (its page is a soft 404)
        entries.insert(4, (b.withdrawn_href, b.withdrawn_title, b.withdrawn_date))
    size = 10
    chunks = [entries[i:i + size] for i in range(0, len(entries), size)]
    grouped = col.date_format == "grouped"
    postback = col.channel % 2 == 0
    pages: list[Route] = []
    for number, chunk in enumerate(chunks, start=1):
        fmt = "[%m-%d]" if grouped else col.date_format
        shown = [(h, t, d.strftime(fmt)) for h, t, d in chunk]
        view = ListView(col.name, None, crumbs, entries=shown, page=number - 1, pages=len(chunks), total=len(entries),
                        channel=col.channel, side=side)
        if postback:
            pager = postback_pager(number, len(chunks), len(entries))
        else:
            pager = concat_pager(col.channel, number, len(chunks), len(entries), b.seed + col.channel)
        text = list_page(site, view, action, pager, [d.year for _h, _t, d in chunk] if grouped else None, side_title)
        route = route_for(text, col.key)
        pages.append(route)
        if number == 1:
            b.routes[col.key] = route
        if not postback:                  # List.aspx?ClassID=N&page=1 is the first page too
            b.routes[f"{col.key}&page={number}"] = route
    if postback:
        b.api[col.channel] = pages


def _article(b: _Builder, col: Column, art: dict, county: str) -> None:
    body = art["body"] or [f"<p>{p}</p>" for p in content.paragraphs(b.rng, county, art["topic"])]
    if col.type == "政策文件" and art["doc_number"] and art["body"] is None:
        body = ["<p>各乡（镇）人民政府，县直各单位：</p>",
                f"<p>现将《{county}{art['topic']}实施方案》印发给你们，请结合实际认真贯彻落实。</p>", *body[:2]]
    view = ArticleView(title=art["title"], column=col.name, column_type=None, crumbs=b.crumbs(col, 0),
                       published=art["published"], source=b.site.name + "办公室", self_url=art["key"],
                       index_number=f"{b.site.code[:6]}-{art['published'].year}-{col.channel:04d}{art['i'] + 1:03d}",
                       doc_number=art["doc_number"], body=body, attachments=art["attachments"],
                       news=col.type == "动态要闻")
    info = col.section is not None
    text = show_page(b.site, view, art["key"].rsplit("/", 1)[1], col.channel, info)
    b.routes[art["key"]] = route_for(text, art["key"], utf8_bom=art["doc_id"] % 3 == 0)


def revision_notice(county: str) -> list[str]:
    """A live notice that quotes the soft-404 sentence (a page about dead links is not a dead link)."""
    return [f"<p>{county}人民政府门户网站已完成集约化改版。改版后，部分旧版栏目及信息的访问地址发生变化，通过收藏夹或"
            f"搜索引擎访问旧地址时，可能提示“{SOFT_404}”。</p>",
            "<p>请通过网站首页导航或站内搜索查找相关信息。由此带来的不便，敬请谅解。</p>",
            f"<p>{content.TOWNS[0]}等乡镇子网站同步完成迁移，原有信息已全部导入新版网站。</p>"]
