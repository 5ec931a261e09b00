"""Page skins cut from real portal pages (shared/reference/samples), with synthetic content swapped in.

Each skin keeps its sample's real head and meta tags, navigation markup, breadcrumbs, footers, list markup
and pagination scripts, and replaces only the content: site names and domains, the column's metas, the
list rows, the article's metadata block and body. Every substitution must hit exactly once (`_swap`), so a
sample that changes shape fails loudly instead of silently rendering the original page.

- `hd-trs`: 邯郸 TRS WCM 信息公开 platform — table lists (名称/索引号/发布机构/发布日期) with the
  `var countPage` script, 索引号 detail pages without a breadcrumb, and the 山西 TRS news article
  (`path-cur` breadcrumb with `../../` links, `TRS_Editor` body) for news columns.
- `fj-trs`: the Fujian 集约化 TRS platform (平潭) — `<dl><dd>` static lists under an avalon list model,
  detail pages with the `index_box` metadata, a relative `../../../` breadcrumb and a Word-pasted body.
- `zj-hanweb`: the 浙江 Hanweb 大汉 JCMS page (fgw.zj.gov.cn) — `/col/colNNN/index.html` columns whose list
  is `<script type="text/xml"><datastore><recordset>` records (the first jpage group) with the rest served
  by `POST /module/web/jpage/dataproxy.jsp` (server.py), `/art/Y/M/D/art_C_N.html` articles with the
  `hiddenLocation` column spans, a table breadcrumb (当前位置：首页 >…) and a `#zoom` body. There is no
  real JCMS list page among the samples: the list region is written in the jpage idiom the JCMS article
  page's own chrome surrounds (shared/reference/portals.md), everything else is the sample's.
- `gbk-table`: an old static county site (a 2007–2014 CMS export, the kind poorer counties still run), served
  as GBK — declared only in `<meta http-equiv=Content-Type … charset=gb2312>` on some pages, in the HTTP header
  on others (portal.py chooses). Layout by nested tables, no `<ul>/<li>`: a top menu of image links
  (`<a><img alt="政务公开"></a>`), a left tree of columns, a 当前位置 line with `&gt;&gt;` separators, list rows
  that are either `<tr><td><a>title</a></td><td>date</td></tr>` or `·<a>title</a> (date)<br>` lines, static
  pagination (`index.htm`, `index_1.htm` …) with 共N页 text, 上一页/下一页 links and a `<select onchange=
  location=…>` pager (the `<br>` lines carry only the select). There is no table-layout page among the
  samples: the markup is written in that period's idiom; the article's breadcrumb separator and `<font>`-sized
  centred title come from the 2007 gov.cn 公报 page (article_gov_cn_gongbao_2007.html), its 信息来源 line from
  the cmse TRS page. Seeds 65 and 66 serve the home page as a `<frameset>` (top.htm: banner and image menu;
  main.htm: the home content), as sites of the early 2000s still do.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tests.needs import shared_dir


def samples_dir() -> Path:
    return shared_dir() / "reference" / "samples"


@cache
def _sample(name: str) -> str:
    path = samples_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"reference sample {path} not found (clone shared/ beside the repository)")
    return path.read_text(encoding="utf-8")


def _swap(pattern: str, repl, text: str, flags: int = re.S) -> str:
    """Replace one region of a sample; the region must exist exactly once."""
    out, n = re.subn(pattern, repl if callable(repl) else (lambda _m: repl), text, count=0, flags=flags)
    if n != 1:
        raise ValueError(f"skin template: {pattern!r} matched {n} times")
    return out


def _meta(text: str, name: str, value: str | None) -> str:
    """Set a <meta name=...> value, or drop the tag when value is None (a portal that omits it)."""
    pattern = rf'<meta name="{name}" content="[^"]*"\s*/?>'
    if value is None:
        return _swap(pattern, "", text)
    return _swap(pattern, f'<meta name="{name}" content="{html.escape(value)}">', text)


e = html.escape


@dataclass(frozen=True)
class Site:
    name: str                 # 临溪县人民政府
    short: str                # 临溪
    domain: str               # lx.gov.cn (the portal's public domain, off this loopback site)
    code: str                 # SiteIDCode
    nav: tuple[tuple[str, str], ...] = ()   # (href, label) of the top menu


@dataclass
class ListView:
    name: str
    column_type: str | None              # the ColumnType meta as the portal writes it, or None (omitted)
    crumbs: list[tuple[str, str]]        # (href, label), 首页 first, the column last
    entries: list[tuple[str, str, str]] = field(default_factory=list)   # (href, title, date as shown)
    page: int = 0
    pages: int = 1
    total: int = 0
    channel: int = 1000
    side: list[tuple[str, str]] = field(default_factory=list)    # section menu (href, label)
    empty_text: str | None = None        # 暂无信息 shown in place of the rows
    sub_columns: list[tuple[str, str]] = field(default_factory=list)   # a landing page's sub-columns
    page_hrefs: list[str] = field(default_factory=list)   # every list page's href (static pagers), first page first


@dataclass
class ArticleView:
    title: str
    column: str
    column_type: str | None
    crumbs: list[tuple[str, str]]
    published: dt.date
    source: str
    self_url: str
    index_number: str = ""
    doc_number: str = ""
    body: list[str] = field(default_factory=list)          # HTML fragments, one per paragraph or table
    attachments: list[tuple[str, str]] = field(default_factory=list)
    news: bool = False


# ------------------------------------------------------------------------------------------- hd-trs
def _hd_names(text: str, site: Site) -> str:
    text = text.replace("hdzfxxgk.hd.gov.cn", f"xxgk.{site.domain}").replace("hd.gov.cn", site.domain)
    text = text.replace("邯郸市人民政府办公室", f"{site.name}办公室").replace("邯郸市人民政府", site.name)
    text = text.replace("邯郸市", site.short).replace("邯郸", site.short)
    return text.replace("1304000009", site.code)


def _hd_site(text: str, site: Site) -> str:
    return _meta(_hd_names(text, site), "SiteIDCode", site.code)


def _hd_nav(site: Site) -> str:
    items = "".join(f'\n        <li><a href="{e(h)}">{e(label)}</a></li>' for h, label in site.nav)
    return f'<ul class="sx-list">{items}\n    </ul>'


def _hd_crumbs(crumbs: list[tuple[str, str]]) -> str:
    return "-&gt;".join(f'<a href="{e(h)}" title="{e(t)}" class="CurrChnlCls">{e(t)}</a>' for h, t in crumbs)


def hd_list(site: Site, view: ListView) -> str:
    text = _sample("list_hdzfxxgk_hd_gov_cn_trs_jinqixxgk.html")
    # The saved page's own nav and crumbs point at the real platform: ours replace them before the domain swap.
    text = _swap(r'<ul class="sx-list">.*?</ul>', _hd_nav(site), text)
    # The browser's "save page" folder stands for the platform's own /images/ (as the detail page links it).
    text = text.replace("./邯郸市政府信息公开1_files/", "/images/")
    text = _swap(r'<div class="sx-more1">.*?</div>', f'<div class="sx-more1">{_hd_crumbs(view.crumbs)}</div>', text)
    text = _hd_site(text, site)
    text = _meta(text, "ColumnName", view.name)
    text = _meta(text, "ColumnType", view.column_type)
    text = _meta(text, "ColumnDescription", f"{site.name}网站{view.name}栏目")
    text = _swap(r"<title>.*?</title>", f"<title>{e(view.name)}</title>", text)
    text = _swap(r"<h1>近期信息公开</h1>", f"<h1>{e(view.name)}</h1>", text)
    if view.sub_columns:
        rows = "".join(f'\n                        <tr><td height="35"><a href="{e(h)}">{e(t)}</a></td></tr>'
                       for h, t in view.sub_columns)
    elif view.empty_text:
        rows = f'\n                        <tr><td colspan="4" height="35">{e(view.empty_text)}</td></tr>'
    else:
        rows = "".join(
            f'\n                        <tr>\n                            <td height="35"><a href="{e(h)}" '
            f'title="{e(t)}">\n                                {e(t)}\n                            </a></td>\n'
            f'                            <td height="35">{e(idx)}</td>\n'
            f'                            <td height="35">{e(site.name)}</td>\n'
            f'                            <td height="35">{e(d)}</td>\n                        </tr>'
            for (h, t, d), idx in zip(view.entries, _index_numbers(view), strict=True))
    text = _swap(r'(<th width="12%" height="35">发布日期</th>\s*</tr>).*?(\s*</tbody>)',
                 lambda m: m.group(1) + rows + m.group(2), text)
    text = _swap(r"var countnum= \d+;", f"var countnum= {view.total};", text)
    text = _swap(r"var currentPage=\d+;", f"var currentPage={view.page};", text)
    return _swap(r"var countPage=\d+", f"var countPage={max(view.pages, 1)}", text)


def _index_numbers(view: ListView) -> list[str]:
    return [f"00{view.channel:04d}{i:03d}/2026-{view.channel % 97:02d}{i:03d}" for i in range(len(view.entries))]


def hd_detail(site: Site, view: ArticleView) -> str:
    """The 信息公开 detail page (索引号 block); the saved page lost its body, so a TRS_Editor body is added."""
    text = _sample("xxgk_detail_hdzfxxgk_hd_gov_cn_trs_20200802.html")
    text = _swap(r'<ul class="sx-list">.*?</ul>', _hd_nav(site), text)
    # The saved page links to itself with a bare '#' (menu headings): keep that, on this page's own URL.
    text = text.replace("http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200802_1352104.html#", view.self_url + "#")
    text = _hd_site(text, site)
    pub = f"{view.published:%Y年%m月%d日}"
    text = _meta(text, "ColumnName", view.column)
    text = _meta(text, "ColumnType", view.column_type)
    text = _meta(text, "ArticleTitle", view.title)
    text = _meta(text, "PubDate", pub)
    text = _meta(text, "ContentSource", view.source)
    text = _swap(r"<title>.*?</title>", f"<title>{e(view.title)}</title>", text)
    block = (f'<div class="top-l fl">\n            <p><strong>索引号</strong>：{e(view.index_number)}</p>\n'
             f'            <p><strong>发布机构</strong>：{e(view.source)}</p>\n'
             f'            <p><strong>名称</strong>：{e(view.title)}</p>\n'
             f'            <p><strong>文号</strong>：{e(view.doc_number or "无")}</p>\n        </div>\n'
             f'        <div class="top-r fr">\n            <p><strong>主题分类</strong>：综合政务</p>\n'
             f'            <!--<p><strong>成文日期</strong>：{pub}</p>-->\n'
             f'            <p><strong>发布日期</strong>：{pub}</p>\n            <p style="height: 40px;"></p>\n'
             f'        </div>')
    text = _swap(r'<div class="top-l fl">.*?<!--<p><strong>有效期</strong>：</p>-->\s*</div>', block, text)
    body = "\n".join(view.body)
    files = "".join(f'<p>附件：<a href="{e(h)}">{e(t)}</a></p>' for h, t in view.attachments)
    content = (f'\n    <div class="xxgk-content"><h2 style="text-align:center">{e(view.title)}</h2>'
               f'<div class="TRS_Editor">{body}{files}</div></div>\n')
    return _swap(r'(<div style="clear: both;"></div>\s*</div>\n)', lambda m: m.group(1) + content, text)


def sx_news(site: Site, view: ArticleView) -> str:
    """A news article in the 山西 TRS skin: path-cur breadcrumb, time/source line, TRS_Editor body."""
    text = _sample("article_shanxi_gov_cn_trs_20190918.html")
    text = text.replace("www.shanxi.gov.cn", f"www.{site.domain}").replace("山西省人民政府门户网站", site.name)
    text = text.replace("山西省人民政府网站", site.name).replace("1400000045", site.code)
    stamp = f"{view.published:%Y-%m-%d} {8 + len(view.title) % 9:02d}:{len(view.title) * 7 % 60:02d}"
    for name, value in (("ColumnName", view.column), ("ArticleTitle", view.title), ("PubDate", stamp),
                        ("ContentSource", view.source), ("Url", view.self_url)):
        text = _meta(text, name, value)
    text = _swap(r"<title>.*?</title>", f"<title>{e(view.title)} - {e(site.name)} </title>", text)
    crumbs = [f'<li><a href="{e(view.crumbs[0][0])}" alt="首页">首页</a></li>']
    crumbs += [f'<li class="path-cur"> <span>&gt;</span> <a href="{e(h)}">{e(t)}</a> </li>' for h, t in view.crumbs[1:]]
    text = _swap(r'<ul class="breadcrumb[^"]*">.*?</ul>',
                 f'<ul class="breadcrumb oflow-hd bgc-fff box-shadow-com">\n{"".join(crumbs)}\n        </ul>', text)
    nav = "".join(f'\n            <li><a href="{e(h)}">{e(t)}</a></li>' for h, t in site.nav)
    text = _swap(r'<ul class="main-nav left">.*?</ul>', f'<ul class="main-nav left">{nav}\n        </ul>', text)
    text = _swap(r"<h2>山西品牌丝路行（南美站）正式启动</h2>", f"<h2>{e(view.title)}</h2>", text)
    text = text.replace("山西品牌丝路行（南美站）正式启动", e(view.title))      # the share script's copy of it
    text = _swap(r"<h3>成功举办中国（山西）－巴西双向经贸投资推介会</h3>", "<h3></h3>", text)
    text = _swap(r"<i>时间：</i>2019-09-18 06:23", f"<i>时间：</i>{stamp}", text)
    text = _swap(r"(<i>来源：</i>)\s*山西日报\s*", lambda m: m.group(1) + e(view.source), text)
    body = "\n".join(view.body) + "".join(f'<div>附件：<a href="{e(h)}">{e(t)}</a></div>' for h, t in view.attachments)
    return _swap(r'<div class="TRS_Editor">.*?</div></div>\n', f'<div class="TRS_Editor">{body}</div></div>\n', text)


def platform_page(site: Site, title: str, skin: str = "hd-trs") -> str:
    """A CMS's own page (站内搜索, 无障碍, 用户中心): the site's metas and its skin's real footer."""
    if skin == "fj-trs":
        footer = _fj_names(re.search(r'<div class="footer">.*?<!--底部结束-->',
                                     _sample("list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html"), re.S).group(0), site)
    else:
        footer = _hd_names(re.search(r'<div class="footer_bg">.*?</div>\s*</div>',
                                     _sample("xxgk_detail_hdzfxxgk_hd_gov_cn_trs_20200802.html"), re.S).group(0), site)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteName" content="{e(site.name)}">'
            f'<meta name="SiteDomain" content="www.{e(site.domain)}"><meta name="SiteIDCode" content="{site.code}">'
            f'<title>{e(title)}_{e(site.name)}</title></head>'
            f'<body><h1>{e(title)}</h1><p>请输入关键词。</p>{footer}</body></html>')


# ------------------------------------------------------------------------------------------- fj-trs
def _fj_names(text: str, site: Site) -> str:
    text = text.replace("pingtan.gov.cn", site.domain)
    text = text.replace("平潭综合实验区党工委管委会", site.name).replace("平潭综合实验区管委会办公室", f"{site.name}办公室")
    text = text.replace("平潭综合实验区管委会", site.name).replace("平潭综合实验区", site.short + "县")
    return text.replace("平潭", site.short).replace("3590000001", site.code)


def _fj_site(text: str, site: Site) -> str:
    return _meta(_fj_names(text, site), "SiteIDCode", site.code)


def _fj_nav(site: Site, text: str) -> str:
    items = "".join(f'\n\t\t\t\t<li><a href="{e(h)}">{e(t)}</a></li>' for h, t in site.nav)
    return _swap(r'(<ul class="clearflx" role="navigation" des="站点主目录">).*?(</ul>)',
                 lambda m: m.group(1) + items + "\n\t\t\t" + m.group(2), text)


def _fj_side(side: list[tuple[str, str]], text: str) -> str:
    items = "".join(f'\n\t\t\t<li>\n\t\t\t\t<h3><a href="{e(h)}"><i class="trt-iconfont trt-icon-banlizhinan"></i>'
                    f'<span>{e(t)}</span><em class="trt-iconfont trt-icon-jiahao1"></em></a></h3>\n\t\t\t</li>'
                    for h, t in side)
    return _swap(r'(<div class="info_menu_list" role="navigation" des="政府信息公开">\s*<ul>).*?(\s*</ul>\s*</div>\s*</div>)',
                 lambda m: m.group(1) + items + m.group(2), text)


def fj_list(site: Site, view: ListView) -> str:
    text = _sample("list_pingtan_gov_cn_fujian_trs_jiyue_zfxxgknb.html")
    text = _fj_nav(site, text)
    text = _fj_side(view.side, text)
    text = _fj_site(text, site)
    for name in ("ColumnName", "ColumnDescription", "ColumnKeywords"):
        text = _meta(text, name, view.name)
    text = _meta(text, "ColumnType", view.column_type)
    text = _swap(r'<meta name="ChnlId" content="\d+">', f'<meta name="ChnlId" content="{view.channel}">', text)
    section = view.crumbs[-2][1] if len(view.crumbs) > 2 else "政务公开"
    text = _swap(r"<title>.*?</title>", f"<title>\n        {e(view.name)}_{e(section)}_{e(site.name)}\n    </title>", text)
    text = _swap(r'<a class="cur_def" href="javascript:;">政府信息公开年报</a>',
                 f'<a class="cur_def" href="javascript:;">{e(view.name)}</a>', text)
    if view.sub_columns:
        rows = "".join(f'\n                                        <dl>\n                                            '
                       f'<dd class="trt-col-sm-24 slb-trt-col-24 text_align_left">\n'
                       f'                                                <a href="{e(h)}" title="{e(t)}">{e(t)}</a>\n'
                       f'                                            </dd>\n                                        </dl>'
                       for h, t in view.sub_columns)
    elif view.empty_text:
        rows = f'\n                                        <div class="no_data">{e(view.empty_text)}</div>'
    else:
        rows = "".join(
            f'\n                                        <dl>\n                                            '
            f'<dd class="trt-col-sm-24 slb-trt-col-24 text_align_left">\n'
            f'                                                <a href="{e(h)}" target="_blank" title="{e(t)}">{e(t)}</a>\n'
            f'                                            </dd>\n                                            '
            f'<dd class="trt-col-4 trt-col-sm-24 slb-trt-col-24 text_align_left">\n'
            f'                                                {e(d)}\n                                            </dd>\n'
            f'                                        </dl>\n'
            for h, t, d in view.entries)
    text = _swap(r'(<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="showStatic">).*?(\s*</div>\s*'
                 r'<div class="rules_tabs_01 rules_tabs_no_bg" ms-visible="!showStatic")',
                 lambda m: m.group(1) + rows + m.group(2), text)
    text = _swap(r'"chnlid=\d+"', f'"chnlid={view.channel}"', text)
    return _swap(r"recordCount: '\d+'", f"recordCount: '{len(view.entries)}'", text)


def fj_detail(site: Site, view: ArticleView) -> str:
    text = _sample("xxgk_detail_pingtan_gov_cn_gfxwj_suoyinhao_20161026.html")
    text = _fj_nav(site, text)
    crumbs = "</li><li>".join(f'<a href="{e(h)}" title="{e(t)}" class="CurrChnlCls">{e(t)}</a>' for h, t in view.crumbs)
    text = _swap(r'(<span><i class="trt-iconfont trt-icon-weizhi"></i>当前位置：</span>\s*<ul>\s*<li>).*?(\s*</li>\s*</ul>)',
                 lambda m: m.group(1) + "\n                  " + crumbs + m.group(2), text)
    text = _fj_site(text, site)
    stamp = f"{view.published:%Y-%m-%d} {9 + len(view.title) % 8:02d}:{len(view.title) * 11 % 60:02d}"
    for name, value in (("ColumnName", view.column), ("ArticleTitle", view.title), ("PubDate", stamp),
                        ("ContentSource", view.source), ("Url", view.self_url)):
        text = _meta(text, name, value)
    text = _meta(text, "ColumnType", view.column_type)
    text = _swap(r"<title>.*?</title>", f"<title>{e(view.title)}_{e(view.column)}_{e(site.name)}</title>", text)
    text = _swap(r"<font>PZ00101-1700-2023-00059</font>", f"<font>{e(view.index_number)}</font>", text)
    text = _swap(r"(发文机关：\s*)<font>[^<]*</font>", lambda m: m.group(1) + f"<font>{e(view.source)}</font>", text)
    text = _swap(r"(成文日期：\s*)<font>[^<]*</font>", lambda m: m.group(1) + f"<font>{view.published:%Y-%m-%d}</font>", text)
    text = _swap(r"(发布日期：\s*)<font>[^<]*</font>", lambda m: m.group(1) + f"<font>{view.published:%Y-%m-%d}</font>", text)
    text = _swap(r"(题：\s*)<font>[^<]*</font>", lambda m: m.group(1) + f"<font>{e(view.title)}</font>", text)
    text = _swap(r"(发文字号：\s*)<font>[^<]*</font>", lambda m: m.group(1) + f"<font>{e(view.doc_number)}</font>", text)
    text = _swap(r'(<div class="article_title text_align_center">)\s*[^<]*(</div>)',
                 lambda m: m.group(1) + "\n                          " + e(view.title) + "\n                        " + m.group(2), text)
    text = _swap(r'(<div class="article_title_sec mar_t_base">\s*)<font>[^<]*</font>',
                 lambda m: m.group(1) + f"<font>{e(view.doc_number)}</font>", text)
    text = _swap(r'<span class="article_source">来源：[^<]*</span>', f'<span class="article_source">来源：{e(view.source)}</span>', text)
    text = _swap(r'<span class="article_time bf-pass">时间：[^<]*</span>', f'<span class="article_time bf-pass">时间：{stamp}</span>', text)
    body = "\n".join(view.body)
    text = _swap(r'(<div class="article_content article_content_01 font_family_cn">).*?(</div>\s*</div>\s*<div class="article_attachment")',
                 lambda m: m.group(1) + body + "\n                              " + m.group(2), text)
    files = "".join(f'\n                                  <li><a href="{e(h)}">{e(t)}</a></li>' for h, t in view.attachments)
    return _swap(r'(<ul id="file_ul_fj">).*?(</ul>)', lambda m: m.group(1) + files + m.group(2), text)


# ------------------------------------------------------------------------------------------- zj-hanweb
ZJ_SAMPLE = "article_fgw_zj_gov_cn_hanweb_jcms_20161122.html"
JPAGE_PER_PAGE = 5            # records a jpage page shows; the datastore holds the first group (3 pages)
JPAGE_GROUP = 3
ZJ_WEBID = 3185


def _zj_names(text: str, site: Site) -> str:
    text = text.replace("fgw.zj.gov.cn,www.zjdpc.gov.cn", f"www.{site.domain}").replace("fgw.zj.gov.cn", f"www.{site.domain}")
    text = text.replace("www.zjdpc.gov.cn", f"www.{site.domain}").replace("fzggw.zj.gov.cn", f"www.{site.domain}")
    text = text.replace("浙江省发展和改革委员会", site.name).replace("浙江省经济信息中心", f"{site.short}县大数据发展中心")
    text = text.replace("3300000020", site.code)
    return _meta(text, "SiteIDCode", site.code)


def _zj_chrome(site: Site, crumbs: list[tuple[str, str]], title: str, column: str | None) -> str:
    """The JCMS page around its content: the site's menu, hiddenLocation spans, the 当前位置 table."""
    text = _zj_names(_sample(ZJ_SAMPLE), site)
    items = "".join(f'\n\t\t\t\t\t<dd><a href="{e(h)}">{e(t)}</a></dd>\n\t\t\t\t\t<dd>|</dd>' for h, t in site.nav)
    text = _swap(r'(<div class="nav">).*?(\s*</div>\s*</div>\s*<style>)',
                 lambda m: m.group(1) + '\n\t\t\t<div class="nav_item">\n\t\t\t\t<dl>\n\t\t\t\t\t<dt><a href="/">首页</a></dt>'
                 + items + "\n\t\t\t\t</dl>\n\t\t\t\t<div class=\"clear\"></div>\n\t\t\t</div>" + m.group(2), text)
    levels = list(reversed(crumbs[1:]))                  # col1 is the column itself, col2 its parent …
    spans = "".join(f'<span id="col{i}_name">{e(t)}</span><span id="col{i}_url">{e(h)}</span>'
                    for i, (h, t) in enumerate(levels, start=1))
    text = _swap(r'(<div id="hiddenLocation" style="display:none;"><span id="ss_webid">)\d+(</span>).*?(</div>)',
                 lambda m: m.group(1) + str(ZJ_WEBID) + m.group(2) + spans + m.group(3), text)
    trail = "".join(f'<td> &gt;<a href="{e(h)}">{e(t)}</a></td>' for h, t in crumbs[1:])
    text = _swap(r'(<td>当前位置：</td>\s*<td><a href=")[^"]*(">首页</a></td>.*?<tr>\s*).*?(\s*</tr>)',
                 lambda m: m.group(1) + e(crumbs[0][0]) + m.group(2) + trail + m.group(3), text)
    # The footer's 安全隐私/版权保护/联系我们/网站地图 pages are the real site's: this portal has none.
    text = _swap(r'<p><a href="/col/col1629308/index.html">安全隐私</a>.*?</p>', "", text)
    text = _swap(r"<title>.*?</title>", f"<title>{e(title)}</title>", text)
    text = _meta(text, "ColumnName", column or "")
    return text


def _zj_record(href: str, title: str, date: str) -> str:
    return (f'<record><![CDATA[<li><a href="{e(href)}" target="_blank" title="{e(title)}">{e(title)}</a>'
            f'<span class="bt-data-time">{e(date)}</span></li>]]></record>')


def zj_records(entries: list[tuple[str, str, str]]) -> list[str]:
    """One jpage <record> per list entry, newest first (what the datastore and dataproxy.jsp carry)."""
    return [_zj_record(h, t, d) for h, t, d in entries]


def zj_nextgroup(site: Site, channel: int) -> str:
    return (f'<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid={ZJ_WEBID}&path=/'
            f'&columnid={channel}&unitid={channel + 7000}&webname={e(site.name)}&permissiontype=0"></a>]]></nextgroup>')


def zj_list(site: Site, view: ListView) -> str:
    """A JCMS column page: the first jpage group as <datastore> records, the rest left to dataproxy.jsp."""
    text = _zj_chrome(site, view.crumbs, f"{view.name}_{site.name}" if view.crumbs[1:] else site.name,
                      view.name if view.crumbs[1:] else None)
    text = _swap(r"<meta name=\"ArticleTitle\" content=\"[^\"]*\">\s*<meta name=\"PubDate\" content=\"[^\"]*\">", "", text)
    text = _meta(text, "ColumnType", view.column_type)
    text = _meta(text, "contentSource", None)
    text = _meta(text, "url", None)
    text = _meta(text, "Maketime", None)
    text = _meta(text, "description", f"{site.name}网站{view.name}栏目")
    text = _meta(text, "keywords", view.name)
    unit = view.channel + 7000
    if view.sub_columns:
        body = "".join(f'<li><a href="{e(h)}" title="{e(t)}">{e(t)}</a></li>' for h, t in view.sub_columns)
        region = f'<div class="bt-title">{e(view.name)}</div><ul class="bt-sub-col">{body}</ul>'
    else:
        records = "\n".join(zj_records(view.entries)[:JPAGE_PER_PAGE * JPAGE_GROUP])
        region = (f'<div class="bt-title">{e(view.name)}</div>\n<div class="bt-list" id="{unit}">'
                  f'<script type="text/xml"><datastore>{zj_nextgroup(site, view.channel)}<recordset>\n{records}\n'
                  f"</recordset></datastore></script></div>\n")
        if view.empty_text:
            region += f'<div class="bt-no-data">{e(view.empty_text)}</div>\n'
        region += ('<script language="javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>\n'
                   f"<script>$(document).ready(function(){{$('#{unit}').jpage({{dataStore:dataStore,"
                   f"totalRecord:{view.total},perPage:{JPAGE_PER_PAGE},proxyUrl:'/module/web/jpage/dataproxy.jsp',"
                   f"groupSize:{JPAGE_GROUP},barPosition:'bottom',ajaxParam:{{col:1,appid:1,webid:{ZJ_WEBID},path:'/',"
                   f"columnid:{view.channel},sourceContentType:1,unitid:'{unit}',webname:'{site.name}',permissiontype:0}}"
                   "});});</script>")
    return _swap(r'(<div class="wz-con bt-box-1200">).*?(\s*<div class="height60"></div>)',
                 lambda m: m.group(1) + "\n" + region + "\n    </div>" + m.group(2), text)


def zj_detail(site: Site, view: ArticleView) -> str:
    text = _zj_chrome(site, view.crumbs, view.title, view.column)
    stamp = f"{view.published:%Y-%m-%d} {8 + len(view.title) % 9:02d}:{len(view.title) * 13 % 60:02d}"
    for name, value in (("ArticleTitle", view.title), ("PubDate", stamp), ("contentSource", view.source),
                        ("url", view.self_url)):
        text = _meta(text, name, value)
    text = _meta(text, "ColumnType", view.column_type)
    text = _meta(text, "description", view.title)
    text = _meta(text, "keywords", view.column)
    text = _meta(text, "Maketime", None)
    text = _swap(r"(<!--<\$\[标题\]>begin-->).*?(<!--<\$\[标题\]>end-->)",
                 lambda m: m.group(1) + e(view.title) + m.group(2), text)
    text = _swap(r"<span>发布日期：[^<]*</span>", f"<span>发布日期：{view.published:%Y-%m-%d}</span>", text)
    text = _swap(r"(<!--<\$\[信息来源\]>begin-->).*?(<!--<\$\[信息来源\]>end-->)",
                 lambda m: m.group(1) + e(view.source) + m.group(2), text)
    number = f'<p style="text-align:center">{e(view.doc_number)}</p>' if view.doc_number else ""
    files = "".join(f'<p>附件：<a href="{e(h)}">{e(t)}</a></p>' for h, t in view.attachments)
    return _swap(r'(<meta name="ContentStart">).*?(<meta name="ContentEnd">)',
                 lambda m: m.group(1) + number + "\n".join(view.body) + files + m.group(2), text)


# ------------------------------------------------------------------------------------------- gbk-table
def _old_page(site: Site, title: str, crumbs: list[tuple[str, str]], tree_title: str,
              tree: list[tuple[str, str]], main: str) -> str:
    """The old template: banner, a row of image links, a left tree of columns, the 当前位置 line, the footer."""
    nav = "".join(f'<td><a href="{e(h)}"><img src="/images/nav_{i:02d}.gif" alt="{e(t)}" width="96" height="32" '
                  f'border="0"></a></td>' for i, (h, t) in enumerate(site.nav))
    rows = "".join(f'\n          <tr><td height="26" class="tree_td">&nbsp;<img src="/images/tree_dot.gif" width="9" '
                   f'height="9">&nbsp;<a href="{e(h)}" class="tree">{e(t)}</a></td></tr>' for h, t in tree)
    position = "&nbsp;&gt;&gt;&nbsp;".join(f'<a href="{e(h)}" class="position">{e(t)}</a>' for h, t in crumbs)
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{e(title)}</title>
<meta name="keywords" content="{e(site.short)}县,{e(site.short)}县人民政府,政务公开">
<link href="/css/style.css" rel="stylesheet" type="text/css">
<script language="javascript" src="/js/menu.js"></script>
</head>
<body topmargin="0" leftmargin="0" bgcolor="#FFFFFF">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr><td><img src="/images/banner.jpg" width="980" height="120" alt="{e(site.name)}"></td></tr>
  <tr><td background="/images/nav_bg.gif"><table border="0" cellpadding="0" cellspacing="0"><tr>{nav}</tr></table></td></tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr>
    <td width="200" valign="top" background="/images/left_bg.gif">
      <table width="100%" border="0" cellpadding="0" cellspacing="0">
          <tr><td height="32" class="tree_title" background="/images/tree_title.gif">&nbsp;{e(tree_title)}</td></tr>{rows}
      </table>
    </td>
    <td width="10"></td>
    <td valign="top">
      <table width="100%" border="0" cellpadding="0" cellspacing="0">
        <tr><td height="30" class="position_td"><img src="/images/home.gif" width="12" height="12">&nbsp;当前位置：{position}</td></tr>
        <tr><td valign="top">{main}</td></tr>
      </table>
    </td>
  </tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" class="footer">
  <tr><td height="80" align="center">主办：{e(site.name)}办公室&nbsp;&nbsp;承办：{e(site.short)}县信息中心<br>
  地址：{e(site.short)}县人民路1号&nbsp;&nbsp;邮编：350100&nbsp;&nbsp;电话：0591-22345678<br>
  网站标识码：{site.code}&nbsp;&nbsp;备案号：闽ICP备05012345号<br>
  建议使用IE6.0以上浏览器、1024×768分辨率浏览本站</td></tr>
</table>
</body>
</html>
"""


def _old_pager(view: ListView, select_only: bool) -> str:
    """共N页 and a <select onchange=location=…> pager; the table lists add 首页/上一页/下一页/尾页 links."""
    hrefs = view.page_hrefs or ["index.htm"]
    options = "".join(f'<option value="{e(h)}"{" selected" if n == view.page else ""}>第{n + 1}页</option>'
                      for n, h in enumerate(hrefs))
    links = ""
    if not select_only:
        def link(label: str, n: int) -> str:
            return f'<a href="{e(hrefs[n])}">{label}</a>' if 0 <= n < len(hrefs) and n != view.page else label
        links = "&nbsp;".join((link("首页", 0), link("上一页", view.page - 1), link("下一页", view.page + 1),
                               link("尾页", len(hrefs) - 1))) + "&nbsp;"
    return (f'<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td height="30" '
            f'align="center" class="page">共{view.total}条记录&nbsp;共{max(view.pages, 1)}页&nbsp;当前第{view.page + 1}页'
            f'&nbsp;{links}转到<select name="page" onchange="javascript:location=this.options[this.selectedIndex].value;">'
            f"{options}</select></td></tr></table>")


def gbk_list(site: Site, view: ListView) -> str:
    """A column list in table rows, or in `·<a>` lines separated by <br> (a third of the channels)."""
    lines = view.channel % 3 == 0
    if view.sub_columns:
        cells = "".join(f'<td align="center" width="25%" height="90"><a href="{e(h)}"><img src="/images/ico_{n % 8}.gif" '
                        f'width="48" height="48" border="0" alt="{e(t)}"></a><br><a href="{e(h)}">{e(t)}</a></td>'
                        + ("</tr><tr>" if n % 4 == 3 else "") for n, (h, t) in enumerate(view.sub_columns))
        main = f'<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0"><tr>{cells}</tr></table>'
    elif lines:
        body = "".join(f'·<a href="{e(h)}" target="_blank">{e(t)}</a>&nbsp;<font color="#999999">{e(d)}</font><br>\n'
                       for h, t, d in view.entries)
        if view.empty_text:
            body = f"{e(view.empty_text)}<br>"
        main = (f'<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td class="list_text" '
                f'style="line-height:26px">\n{body}</td></tr></table>' + _old_pager(view, select_only=True))
    else:
        rows = "".join(f'\n<tr><td width="85%" height="26" class="list_td"><img src="/images/dot.gif" width="5" height="5">'
                       f'&nbsp;<a href="{e(h)}" target="_blank" title="{e(t)}">{e(t)}</a></td>'
                       f'<td width="15%" align="right" class="list_date">{e(d)}</td></tr>'
                       f'\n<tr><td colspan="2" height="1" background="/images/line.gif"></td></tr>'
                       for h, t, d in view.entries)
        if view.empty_text:
            rows = f'\n<tr><td colspan="2" height="26" align="center">{e(view.empty_text)}</td></tr>'
        main = (f'<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0">{rows}\n</table>'
                + _old_pager(view, select_only=False))
    title = f"{view.name} - {site.name}"
    return _old_page(site, title, view.crumbs, view.crumbs[-2][1] if len(view.crumbs) > 2 else "栏目导航",
                     view.side or [(h, t) for h, t in site.nav if h.startswith("/") and h != "/"], main)


def gbk_latest(blocks: list[tuple[str, str, str]]) -> str:
    """The home page's 最新信息 block: table rows, as the rest of the site."""
    rows = "".join(f'<tr><td height="24"><img src="/images/dot.gif" width="5" height="5">&nbsp;<a href="{e(h)}" '
                   f'target="_blank">{e(t)}</a></td><td width="60" align="right">{e(d)}</td></tr>' for h, t, d in blocks)
    return (f'<table width="980" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td height="28" '
            f'colspan="2" background="/images/title_bg.gif">&nbsp;<b>最新信息</b></td></tr>{rows}</table>')


def gbk_frameset(site: Site) -> str:
    """An old home page that is only a frameset: the banner and menu in one frame, the home content in another."""
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{e(site.name)}</title>
</head>
<frameset rows="152,*" frameborder="0" border="0" framespacing="0">
  <frame src="top.htm" name="topFrame" scrolling="no" noresize>
  <frame src="main.htm" name="mainFrame">
</frameset>
<noframes><body>您的浏览器不支持框架，请升级浏览器后访问本站。</body></noframes>
</html>
"""


def gbk_top(site: Site) -> str:
    """The frameset's top frame: banner and the row of image links, each opening in the main frame."""
    nav = "".join(f'<td><a href="{e(h)}" target="mainFrame"><img src="/images/nav_{i:02d}.gif" alt="{e(t)}" width="96" '
                  f'height="32" border="0"></a></td>' for i, (h, t) in enumerate(site.nav))
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{e(site.name)}</title>
<link href="/css/style.css" rel="stylesheet" type="text/css">
</head>
<body topmargin="0" leftmargin="0">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr><td><img src="/images/banner.jpg" width="980" height="120" alt="{e(site.name)}"></td></tr>
  <tr><td background="/images/nav_bg.gif"><table border="0" cellpadding="0" cellspacing="0"><tr>{nav}</tr></table></td></tr>
</table>
</body>
</html>
"""


def gbk_detail(site: Site, view: ArticleView) -> str:
    """An article: centred <font> title, 发布时间/信息来源 line, the body in a `#zoom` cell, 附件 links."""
    stamp = (f"{view.published.year}年{view.published.month}月{view.published.day}日" if len(view.title) % 2
             else f"{view.published:%Y-%m-%d} {8 + len(view.title) % 9:02d}:{len(view.title) * 7 % 60:02d}:00")
    number = (f'<tr><td align="center" height="24">{e(view.doc_number)}</td></tr>' if view.doc_number else "")
    files = "".join(f'<br>附件：<a href="{e(h)}" target="_blank">{e(t)}</a>' for h, t in view.attachments)
    main = f"""<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0">
        <tr><td height="50" align="center"><font size="4" style="FONT-SIZE: 16pt"><strong>{e(view.title)}</strong></font></td></tr>
        <tr><td height="26" align="center" class="art_info">发布时间：{stamp}&nbsp;&nbsp;信息来源：{e(view.source)}&nbsp;&nbsp;浏览次数：<span id="hits">0</span>&nbsp;&nbsp;【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
        <tr><td height="1" bgcolor="#CCCCCC"></td></tr>{number}
        <tr><td class="art_content" id="zoom" style="line-height:28px;padding:10px">
{chr(10).join(view.body)}{files}
        </td></tr>
      </table>"""
    tree = [(h, t) for h, t in view.crumbs[1:]]
    return _old_page(site, f"{view.title} - {site.name}", view.crumbs, view.column, tree, main)


SKINS = {
    "hd-trs": {"list": hd_list, "detail": hd_detail, "news": sx_news},
    "fj-trs": {"list": fj_list, "detail": fj_detail, "news": fj_detail},
    "zj-hanweb": {"list": zj_list, "detail": zj_detail, "news": zj_detail},
    "gbk-table": {"list": gbk_list, "detail": gbk_detail, "news": gbk_detail, "latest": gbk_latest,
                  "frameset": gbk_frameset, "top": gbk_top},
}
