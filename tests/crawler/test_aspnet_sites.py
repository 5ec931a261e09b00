"""ASP.NET 站群 portals of the 2010s: what the held-out aspx-zq skin (tests/foreign/aspx.py, seeds 81/82) showed.

Before these fixes, on its first audit: one column known under List.aspx, list.aspx and LIST.ASPX (stale columns
counted at the wrong spelling, precision 0.33 and 0.00); lists paged by `__doPostBack` or by a script that builds
the list URL by concatenation left unread; a 200 「页面不存在」 answer taken for a live page (dead links 1/4);
year-grouped `[03-05]` lists read as no list; a landing page's sub-columns read as its undated entries (every
信息公开 column folded into one); an empty list whose side menu links its sibling columns taken for a landing page.
The markup below is written the way those WebForms platforms write it, with the bad input they serve.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

from lxml import html as lxml_html

from crawler.extract.gone import gone_notice
from crawler.extract.lists import find_list_entries
from crawler.extract.pagination import find_pagination
from crawler.listapi import concat_value, postback_api, script_pages
from crawler.urls import canonicalize, column_url
from tests.crawler.list_sites import AS_OF, HTML, ListSite, Seen, crawl

BASE = "http://www.example.gov.cn/xwzx/List.aspx?ClassID=12"
VIEWSTATE = "/wEPDwUKLTQ3MTA5ODU4Mw9kFgJmD2QWAgIDD2QWAmYPFgIeC18hSXRlbUNvdW50AgoWFGYPZBYCZg8VAwUxMjM0NQ=="
GONE_PAGE = "<html><head><title>提示信息</title></head><body><p>您访问的页面不存在或已被删除！</p></body></html>"
VALIDATION = "/wEWBQLl+5r3CgKM54rGBgK7q7GGCALKw6SBDQLc6o7iAw=="


def _form(action: str, body: str, validation: bool = True) -> str:
    """A WebForms page: one <form runat=server> around everything, its hidden state and the postback script."""
    tail = (f'<div><input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="{VALIDATION}" />'
            "</div>" if validation else "")
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312" /><title>列表</title>'
            f'</head><body><form name="form1" method="post" action="{action}" id="form1"><div>'
            '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />'
            '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />'
            f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{VIEWSTATE}" /></div>'
            "<script type=\"text/javascript\">\n//<![CDATA[\nvar theForm = document.forms['form1'];\n"
            "function __doPostBack(eventTarget, eventArgument) {\n  theForm.__EVENTTARGET.value = eventTarget;\n"
            "  theForm.__EVENTARGUMENT.value = eventArgument;\n  theForm.submit();\n}\n//]]>\n</script>"
            f"{body}<div class='foot'><a href='javascript:void(0);'>设为首页</a> | <a href='javascript:void(0);'>加入收藏</a>"
            " | <a href='http://www.miibeian.gov.cn/'>闽ICP备12003081号</a>　主办单位：某某县人民政府办公室</div>"
            f"{tail}</form></body></html>")


def _aspnet_pager(page: int, pages: int, total: int) -> str:
    links = "".join(f'<span style="color:red">{n}</span>' if n == page else
                    f"<a href=\"javascript:__doPostBack('AspNetPager1','{n}')\">{n}</a>" for n in range(1, pages + 1))
    nxt = (f"<a href=\"javascript:__doPostBack('AspNetPager1','{page + 1}')\">下一页</a>" if page < pages
           else '<a disabled="disabled">下一页</a>')
    return f'<div id="AspNetPager1"><a disabled="disabled">首页</a>{links}{nxt}&nbsp;共{total}条记录 当前第{page}/{pages}页</div>'


# ------------------------------------------------------------------ pure functions on written markup
def test_iis_pages_are_one_page_whatever_the_case_of_their_path():
    assert canonicalize("http://x.gov.cn/xwzx/LIST.ASPX?ClassID=12&_t=0.8213") == \
        canonicalize("http://x.gov.cn/xwzx/list.aspx?ClassID=12") == "http://x.gov.cn/xwzx/list.aspx?ClassID=12"
    assert canonicalize("http://x.gov.cn/Article/ShowArticle.asp?ArticleID=5") == \
        "http://x.gov.cn/article/showarticle.asp?ArticleID=5"
    assert column_url("http://x.gov.cn/zwgk/Default.aspx") == "http://x.gov.cn/zwgk/"
    # Other servers match case: nothing else is folded (a GBK file name keeps its bytes, values keep their case).
    assert canonicalize("http://x.gov.cn/Upload/A.html") == "http://x.gov.cn/Upload/A.html"
    assert canonicalize("http://x.gov.cn/Up/%B2%B9.XLS") == "http://x.gov.cn/Up/%B2%B9.XLS"
    assert canonicalize("http://x.gov.cn/s.aspx?Key=AbC") == "http://x.gov.cn/s.aspx?Key=AbC"


def test_a_pager_that_builds_the_list_url_by_concatenation():
    single = ("<ul><li><a href='Show.aspx?ID=1&ClassID=12'>一</a>[03-05]</li></ul><div class='page'>共23条 页次：1/3 "
              "首页 上一页 <a href='javascript:goPage(2)'>下一页</a> <a href='javascript:goPage(3)'>尾页</a></div>"
              "<script>var cid = 12;\nfunction goPage(n){ location.href = 'List.aspx?ClassID=' + cid + '&page=' + n; }"
              "</script>")
    assert script_pages(single, BASE) == ["http://www.example.gov.cn/xwzx/list.aspx?ClassID=12&page=2",
                                          "http://www.example.gov.cn/xwzx/list.aspx?ClassID=12&page=3"]
    double = single.replace("var cid = 12;", 'var ClassID = "12";').replace(
        "location.href = 'List.aspx?ClassID=' + cid + '&page=' + n;",
        'window.location = "/xwzx/List.aspx?ClassID=" + ClassID + "&page=" + (n);')
    assert len(script_pages(double, BASE)) == 2
    # Read through the page's pagination like any pager.
    pages, _ = find_pagination(lxml_html.document_fromstring(single), single, BASE)
    assert pages[-1].endswith("page=3")
    # Not guessed: a variable the script never assigns, a call, another site, a URL the argument does not reach.
    for bad in ("location.href = 'List.aspx?ClassID=' + getCid() + '&page=' + n;",
                "location.href = 'List.aspx?ClassID=' + unknown + '&page=' + n;",
                "location.href = 'http://other.gov.cn/List.aspx?ClassID=' + cid + '&page=' + n;",
                "location.href = 'List.aspx?ClassID=' + cid;"):
        assert script_pages(single.replace("location.href = 'List.aspx?ClassID=' + cid + '&page=' + n;", bad),
                            BASE) == [], bad
    assert concat_value("'a?x=' + cid + '&p=' + (n)", "var cid = 5;", {"n": "2"}) == "a?x=5&p=2"
    assert concat_value("`a?x=${cid}`", "var cid = 5;") is None


def test_a_postback_pager_posts_the_page_form_back_with_its_state():
    html = _form("List.aspx?ClassID=12", "<ul><li><a href='Show.aspx?ID=1&amp;ClassID=12'>一</a>2026年03月05日</li></ul>"
                 + _aspnet_pager(1, 3, 25))
    api = postback_api(html, BASE)
    assert api is not None and [c.page for c in api.calls] == [2, 3]
    call = api.calls[0]
    assert call.method == "POST" and call.url == "http://www.example.gov.cn/xwzx/list.aspx?ClassID=12"
    form = dict(call.form)
    assert form["__EVENTTARGET"] == "AspNetPager1" and form["__EVENTARGUMENT"] == "2"
    assert form["__VIEWSTATE"] == VIEWSTATE and form["__EVENTVALIDATION"] == VALIDATION
    # The key names the page, so a second plan of the same list is not a second set of requests.
    assert api.calls[0].key != api.calls[1].key
    # No form state, or a postback that is no pager (a search button): nothing to post.
    assert postback_api(html.replace("__VIEWSTATE", "__STATE"), BASE) is None
    assert postback_api(_form("List.aspx?ClassID=12", "<a href=\"javascript:__doPostBack('btnSearch','')\">搜索</a>"),
                        BASE) is None


def test_a_year_grouped_list_reads_its_year_from_the_heading():
    rows = {2026: [("11", "03-05"), ("12", "01-20")], 2025: [("13", "12-30"), ("14", "06-01")]}
    body = "".join(f'<h4 class="year">{y}年</h4><ul class="list">' + "".join(
        f"<li><span>[{d}]</span><a href='Show.aspx?ID={i}&amp;ClassID=12'>第{i}号信息标题较长一些</a></li>" for i, d in r)
        + "</ul>" for y, r in rows.items())
    html = f"<html><body><div class='menu'><a href='/'>首页</a></div><div class='right'>{body}</div></body></html>"
    entries = find_list_entries(lxml_html.document_fromstring(html), html, BASE)
    assert [e.date for e in entries] == [dt.date(2026, 3, 5), dt.date(2026, 1, 20), dt.date(2025, 12, 30),
                                         dt.date(2025, 6, 1)]
    # Without a year heading the dates stay unread (never a guessed year).
    bare = html.replace("<h4 class=\"year\">2026年</h4>", "").replace("<h4 class=\"year\">2025年</h4>", "")
    assert find_list_entries(lxml_html.document_fromstring(bare), bare, BASE) == []


def test_a_200_answer_that_says_the_page_is_gone_is_a_dead_page():
    box = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312" /><title>提示信息</title>'
           '</head><body><div class="box"><img src="/images/error.gif" /><p>您访问的页面不存在或已被删除！</p>'
           '<p><a href="/">返回首页</a> <a href="javascript:history.go(-1);">返回上一页</a></p></div></body></html>')
    assert gone_notice(box) == "页面不存在"
    alert = "<script language='javascript'>alert('对不起，该文件不存在或已被删除！');history.go(-1);</script>"
    assert gone_notice(alert) == "该文件不存在"
    chrome = ("<html><head><title>信息不存在 - 某某县人民政府</title></head><body><div class='menu'>"
              + "".join(f"<a href='/c{i}/'>栏目{i}</a>" for i in range(12))
              + "</div><div class='main'>对不起，您要查看的信息已删除。</div><div class='foot'>主办：某某县人民政府办公室"
              "　地址：人民路1号　电话：0591-22345678</div></body></html>")
    assert gone_notice(chrome) is not None
    # Live pages: a notice that quotes the sentence, an empty list, an article with 删除 in its prose.
    notice = ("<html><head><title>关于网站改版的说明</title></head><body><h1>关于网站改版的说明</h1><div id='zoom'><p>"
              "县人民政府门户网站已完成集约化改版。改版后部分旧版栏目及信息的访问地址发生变化，通过收藏夹或搜索引擎访问旧地址时，"
              "可能提示“您访问的页面不存在或已被删除”。</p><p>请通过网站首页导航或站内搜索查找相关信息，由此带来的不便敬请谅解。"
              "各乡镇子网站同步完成迁移，原有信息已全部导入新版网站，欢迎社会各界监督。</p></div></body></html>")
    assert gone_notice(notice) is None
    assert gone_notice("<html><body><ul></ul><div class='nodata'>暂无信息</div></body></html>") is None
    assert gone_notice("<html><head><title>关于删除部分行政许可事项的决定</title></head><body><p>经研究，决定删除以下"
                       "事项。" + "具体事项详见附件。" * 30 + "</p></body></html>") is None


# ------------------------------------------------------------------ a crawl of a small WebForms portal
def _site() -> tuple[ListSite, dict]:
    newest = AS_OF - dt.timedelta(days=3)
    docs = [(100 + i, newest - dt.timedelta(days=9 * i)) for i in range(14)]      # a postback list, 2 pages
    side = "".join(f"<li><a href='list.aspx?ClassID={c}'>{n}</a></li>"
                   for c, n in ((21, "政策文件"), (22, "财政资金"), (23, "人事任免")))
    menu = ("<div class='menu'><a href='/Default.aspx'>首页</a><a href='/xwzx/LIST.ASPX?ClassID=12&amp;_t=0.8213'>"
            "工作动态</a><a href='/zwgk/Default.aspx'>政府信息公开</a><a href='javascript:void(0);'>无障碍浏览</a>"
            "<a href='http://www.gov.cn/' target='_blank'>中国政府网</a></div>")
    crumb = "<div class='position'>您现在的位置：<a href='/Default.aspx'>首页</a> &gt; <a href='/zwgk/Default.aspx'>政府信息公开</a>"

    def rows(chunk):
        return "<ul class='list'>" + "".join(f"<li><span>{d:%Y年%m月%d日}</span><a href='Show.aspx?ID={i}&amp;ClassID=12'>"
                                             f"某某镇推进第{i}批重点项目建设</a></li>" for i, d in chunk) + "</ul>"

    def news(seen: Seen):
        page = int(seen.form.get("__EVENTARGUMENT") or 1) if seen.form.get("__VIEWSTATE") == VIEWSTATE else 1
        chunk = docs[(page - 1) * 10:page * 10]
        body = menu + "<div class='position'>您现在的位置：<a href='/Default.aspx'>首页</a> &gt; <a href='List.aspx?ClassID=12'>" \
            "工作动态</a></div>" + rows(chunk) + _aspnet_pager(page, 2, len(docs))
        return 200, _form("List.aspx?ClassID=12", body).encode("utf-8"), HTML

    def zwgk_list(seen: Seen):
        cid = seen.query.get("ClassID")
        name = {"21": "政策文件", "22": "财政资金", "23": "人事任免"}.get(cid)
        if name is None:
            return 200, GONE_PAGE.encode(), HTML           # customErrors' page for an unknown ClassID
        entries = "" if cid == "22" else rows([(200 + int(cid), newest - dt.timedelta(days=30))]).replace(
            "ClassID=12", f"ClassID={cid}")
        body = (menu + f"<div class='left'><ul class='leftmenu'>{side}</ul></div>{crumb} &gt; "
                f"<a href='List.aspx?ClassID={cid}'>{name}</a></div>{entries}"
                + _aspnet_pager(1, 1, 0 if cid == "22" else 1))
        return 200, _form(f"List.aspx?ClassID={cid}", body).encode("utf-8"), HTML

    def show(seen: Seen):
        doc, cid = seen.query.get("ID", ""), seen.query.get("ClassID", "")
        if doc == "105":                    # withdrawn: still listed, answered 200 with the platform's notice
            return 200, GONE_PAGE.encode(), HTML
        date = dict(docs).get(int(doc or 0), newest - dt.timedelta(days=30))
        body = (f"<h1>某某镇推进第{doc}批重点项目建设</h1><div class='info'>发布时间：{date.year}-{date.month}-{date.day}"
                "　来源：县政府办</div><div id='lblContent'><p>近日，某某镇召开重点项目推进会，听取各项目进展情况汇报，研究解决"
                "存在的困难和问题，要求各责任单位压实责任、倒排工期，确保项目按期建成投用。</p></div>")
        return 200, _form(f"Show.aspx?ID={doc}&amp;ClassID={cid}", menu + body).encode("utf-8"), HTML

    hub = _form("Default.aspx", menu + crumb + "</div><div class='subcols'><ul>" + side.replace("list.aspx", "List.aspx")
                + "<li><a href='List.aspx?ClassID=29'>机构职能</a></li></ul></div>"
                # the landing page runs the list template too (TRS-style recordCount: '0'): still a landing page
                + "<script>var pagebar = {prepage: 10, recordCount: '0'};</script>")
    home = _form("Default.aspx", menu + "<div class='news'><a href='/xwzx/Show.aspx?ID=100&amp;ClassID=12'>"
                 "某某镇推进第100批重点项目建设</a></div>")
    handlers = {"/xwzx/list.aspx": news, "/zwgk/list.aspx": zwgk_list, "/xwzx/show.aspx": show,
                "/zwgk/show.aspx": show}
    return ListSite({"/index.html": home, "/default.aspx": home, "/zwgk/default.aspx": hub}, handlers), dict(docs)


def test_crawl_of_a_webforms_portal(tmp_path):
    site, docs = _site()
    with site:
        crawled = crawl(site.url, tmp_path / "s.sqlite")
        posts = [s for s in site.seen if s.method == "POST"]
    columns = {urlsplit(u).path + "?" + urlsplit(u).query: c for u, c in crawled.columns.items()}
    news = columns["/xwzx/list.aspx?ClassID=12"]
    # Both pages of the postback list, under one spelling; the pager posted once, with the page's state.
    assert news.items == len(docs) and news.unread_reason is None
    assert len(posts) == 1 and posts[0].form["__EVENTARGUMENT"] == "2" and posts[0].form["__VIEWSTATE"] == VIEWSTATE
    assert not any("LIST.ASPX" in u or "_t=" in u for u in crawled.columns)
    # Each 信息公开 column apart (the landing page's links are sub-columns, not its entries); the empty one blank.
    for cid, items in (("21", 1), ("22", 0), ("23", 1)):
        column = columns[f"/zwgk/list.aspx?ClassID={cid}"]
        assert column.items == items and column.unread_reason is None, (cid, column)
    # The landing page (its list template says recordCount 0, its sub-columns are below it) is no blank column.
    assert set(columns) == {"/xwzx/list.aspx?ClassID=12", *(f"/zwgk/list.aspx?ClassID={c}" for c in (21, 22, 23))}
    # The withdrawn article and the gone column are dead links; no live page is.
    from crawler.store import Store
    store = Store(tmp_path / "s.sqlite")
    snapshot = store.load_snapshot(store.runs()[-1].id)
    dead = {dict(parse_qsl(urlsplit(link.target_url).query)).get("ID") or dict(parse_qsl(urlsplit(
        link.target_url).query)).get("ClassID") for link in snapshot.links() if link.error == "soft-404"}
    store.close()
    assert dead == {"105", "29"}
