"""HTML shells of the demo portal, in the shapes of three CMS families seen on real county sites:
TRS WCM (政务公开), Hanweb 大汉 JCMS (新闻中心) and 博达 VSB (部门乡镇).

Pure string functions: the generator decides what goes on a page, these decide how it looks.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from govaudit.demo import content as C

Nav = list[tuple[str, str, list[tuple[str, str]]]]     # (channel name, url, [(column name, url)])


def meta_tags(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f'<meta name="{escape(k)}" content="{escape(v)}">' for k, v in pairs)


def site_meta() -> list[tuple[str, str]]:
    return [("SiteName", C.SITE_NAME), ("SiteDomain", C.SITE_DOMAIN), ("SiteIDCode", C.SITE_ID_CODE)]


def head(title: str, metas: list[tuple[str, str]], charset: str = "utf-8", extra: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n'
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
            f'<meta http-equiv="X-UA-Compatible" content="IE=edge">\n{meta_tags(metas)}\n'
            f'<title>{escape(title)}</title>\n<link rel="stylesheet" href="/images/base.css">\n{extra}</head>\n')


def header(nav: Nav) -> str:
    items = []
    for name, url, children in nav:
        sub = "".join(f'<li><a href="{escape(u)}">{escape(n)}</a></li>' for n, u in children)
        items.append(f'<li class="nav-item"><a href="{escape(url)}">{escape(name)}</a>'
                     + (f'<ul class="subnav">{sub}</ul>' if sub else "") + "</li>")
    return (f'<div class="top"><div class="logo"><a href="/"><img src="/images/logo.png" alt="{C.SITE_NAME}">'
            f'</a></div><div class="toplinks"><a href="/wzdt/index.html">网站地图</a> | <a href="#">无障碍</a> | '
            f'<a href="#">长者模式</a></div></div>\n<div class="nav"><ul class="nav-list">'
            + "".join(items) + "</ul></div>\n")


def footer() -> str:
    return (f'<div class="footer"><p>主办单位：{C.SITE_NAME}办公室　承办单位：{C.COUNTY}融媒体中心</p>'
            f'<p>联系电话：{C.AREA_CODE}-6100100　地址：{C.COUNTY}青禾镇政务中心</p>'
            f'<p>网站标识码：{C.SITE_ID_CODE}　<a href="https://beian.miit.gov.cn/">{C.ICP}</a>　'
            f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=53099902000123">'
            f'<img src="/images/ga.png" alt="">{C.POLICE_RECORD}</a>　'
            f'<a href="https://bszs.conac.cn/sitename?method=show&amp;id={C.SITE_ID_CODE}"><img src="/images/red.png" '
            'alt="党政机关"></a></p>'
            f'<p><a href="/wzdt/index.html">网站地图</a> | <a href="/admin/index.html">网站管理</a></p></div>\n'
            "</body>\n</html>\n")


def crumbs_trs(trail: list[tuple[str, str]]) -> str:
    links = " &gt; ".join(f'<a href="{escape(u)}">{escape(n)}</a>' for n, u in trail)
    return f'<div class="position">当前位置：{links}</div>\n'


def crumbs_current_unlinked(trail: list[tuple[str, str]]) -> str:
    """A breadcrumb list whose last item, the current column, is not a link (TRS's li.path-cur)."""
    items = [f'<li><a href="{escape(u)}">{escape(n)}</a> &gt; </li>' for n, u in trail[:-1]]
    items.append(f'<li class="path-cur">{escape(trail[-1][0])}</li>')
    return f'<div class="breadcrumb"><span>当前位置：</span><ul>{"".join(items)}</ul></div>\n'


def hidden_location(trail: list[tuple[str, str]], current_unlinked: bool = False) -> str:
    """Hanweb keeps the column chain in a hidden div (col1 = innermost)."""
    spans = ['<span id="ss_webid">9901</span>']
    for depth, (name, url) in enumerate(reversed(trail[1:]), start=1):
        spans.append(f'<span id="col{depth}_name">{escape(name)}</span><span id="col{depth}_url">{escape(url)}</span>')
    visible = " &gt; ".join(f'<a href="{escape(u)}">{escape(n)}</a>' for n, u in trail)
    if current_unlinked:
        visible = " &gt; ".join([f'<a href="{escape(u)}">{escape(n)}</a>' for n, u in trail[:-1]]
                                + [f'<span class="path-cur">{escape(trail[-1][0])}</span>'])
    return (f'<div id="hiddenLocation" style="display:none;">{"".join(spans)}</div>\n'
            f'<div class="bt-position">您当前的位置：{visible}</div>\n')


def crumbs_vsb(trail: list[tuple[str, str]]) -> str:
    links = "&gt;&gt;".join(f'<a href="{escape(u)}">{escape(n)}</a>' for n, u in trail)
    return f'<div class="dqwz">当前位置: {links}</div>\n'


def paragraphs_html(paragraphs: list[str], word: bool) -> str:
    """Body paragraphs; `word` gives the markup a Word paste leaves behind (mso- styles, <o:p>, <style>)."""
    if not word:
        return "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    style = ('<style>@font-face{font-family:"仿宋_GB2312";panose-1:2 1 6 9 3 1 1 1 1 1;}'
             'p.MsoNormal{mso-style-parent:"";margin:0cm;text-align:justify;font-size:10.5pt;}</style>\n')
    body = "\n".join(
        '<p class="MsoNormal" style="text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;'
        'mso-line-height-rule:exactly"><span style="font-size:16.0pt;font-family:仿宋_GB2312;'
        f'mso-ascii-font-family:&quot;Times New Roman&quot;">{escape(p)}<o:p></o:p></span></p>'
        for p in paragraphs)
    return style + body


def trs_page_script(count: int, current: int, with_links: bool) -> str:
    """The TRS pager: the JS call always; the rendered <a> links only when `with_links`."""
    script = (f'<div class="page"><script language="javascript">\nvar countPage = {count};//共多少页\n'
              f'var currentPage = {current};//当前页\ncreatePageHTML(countPage, currentPage, "index", "html");\n'
              "</script>")
    if with_links and count > 1:
        def name(i: int) -> str:
            return "index.html" if i == 0 else f"index_{i}.html"
        parts = [f'<a href="{name(0)}">首页</a>']
        if current > 0:
            parts.append(f'<a href="{name(current - 1)}">上一页</a>')
        for i in range(count):
            parts.append(f'<span class="now">{i + 1}</span>' if i == current else f'<a href="{name(i)}">{i + 1}</a>')
        if current < count - 1:
            parts.append(f'<a href="{name(current + 1)}">下一页</a>')
        parts.append(f'<a href="{name(count - 1)}">尾页</a>')
        script += "&nbsp;&nbsp;".join(parts)
    return script + "</div>\n"


def trs_pager_js() -> str:
    """The createPageHTML function TRS pages ship (its output only exists after JS runs)."""
    return ('<script type="text/javascript">\nfunction createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){\n'
            ' if(_nPageCount == null || _nPageCount<=1){ return; }\n var nCurrIndex = _nCurrIndex || 0;\n'
            ' if(nCurrIndex == 0) document.write("<span>首页</span>&nbsp;");\n'
            ' else document.write("<a href=\\""+_sPageName+"."+_sPageExt+"\\">首页</a>&nbsp;");\n'
            ' for(var i=1;i<_nPageCount;i++){ if(i==nCurrIndex) document.write("<span>"+(i+1)+"</span>");\n'
            '  else document.write("<a href=\\""+_sPageName+"_"+i+"."+_sPageExt+"\\">"+(i+1)+"</a>&nbsp;"); }\n}\n'
            "</script>\n")


def trsapi_list_model(channel: int, total: int, per_page: int) -> str:
    """The Fujian TRS 集约化 list script: page 1 is static, pages 2..N come only from the list API."""
    return ('<div class="pagebar" ms-include-src="\'/images/pgBar_xxgk.html\'"></div>\n'
            '<script>\nvar SiteInfo = {searchId: 200210, defaultPgTemp: "pgBar_xxgk.html"};\n'
            'require(["list2.trsapi", "tools"], function(listModel, tools) {\n  listModel({\n'
            '    quickMode: "动静结合",\n    maxStaticIndex: 1,\n    listArgs: {\n'
            f'      channelid: SiteInfo.searchId,\n      classsql: "" || "chnlid={channel}",\n'
            '      sortfield: "-docorderpri,-docreltime"\n    },\n    pagebar: {\n'
            f"      prepage: {per_page},\n      recordCount: '{total}',\n      pgTemp: \"pgBar_xxgk.html\",\n"
            '      pgCountMode: "recordCount",\n      displayNum: 2\n    }\n  });\n});\n</script>\n')


def xxgk_table(fields: list[tuple[str, str]]) -> str:
    """The 信息公开 metadata block of TRS detail pages (索引号, 发布机构, 文号 …)."""
    cells = "".join(f'<li><strong>{label}</strong>：<font>{escape(value)}</font></li>' for label, value in fields)
    return f'<div class="xxgk_top index_box"><ul>{cells}</ul></div>\n'


def fmt_date(day: dt.date | dt.datetime, style: str) -> str:
    """Dates the way list pages print them."""
    if style == "cn":
        return f"{day.year}年{day.month:02d}月{day.day:02d}日"
    if style == "md":
        return f"[{day.month:02d}-{day.day:02d}]"
    if style == "slash":
        when = day if isinstance(day, dt.datetime) else dt.datetime.combine(day, dt.time(9, 0))
        return when.strftime("%Y/%m/%d %H:%M")
    return f"{day:%Y-%m-%d}"
