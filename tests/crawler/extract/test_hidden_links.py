"""crawler/extract/hidden.py on realistic 暗链 injections and on the drop-down menus that must not count."""

from __future__ import annotations

from crawler.extract.hidden import hidden_links, hiding, offsite_links
from crawler.urls import same_site

SITE = "http://www.qh.gov.cn/index.html"


def _on_site(url: str) -> bool:
    return same_site(url, {"www.qh.gov.cn"})


# The shapes seen in 通报 cases: an inline display:none block in the footer, a block pushed off screen by a
# <style> rule for its id, a zero-height box, and a drop-down menu of the site's own columns (inline display:none).
PAGE = """<html><head><meta charset="utf-8"><title>青禾县人民政府</title>
<style>/* injected */ #kx8 { position:absolute; top:-9999px; left:-9999px } .menu-sub{display:none}</style></head>
<body>
<ul class="nav"><li><a href="/zwgk/">政务公开</a><ul style="display:none"><li><a href="/zwgk/tzgg/">通知公告</a></li></ul></li>
<li><a href="/hdjl/">互动交流</a><ul class="menu-sub"><li><a href="/hdjl/xzxx/">县长信箱</a></li></ul></li></ul>
<div class="links">友情链接：<a href="http://www.fujian.gov.cn/">福建省人民政府</a></div>
<div id="kx8"><a href="http://www.bet-a1.com/">澳门新葡京</a> <a href="http://www.bet-a1.com/">重复</a></div>
<div style="DISPLAY: none"><p><a href="https://porn-b2.net/x">成人视频</a></p></div>
<div style="height:0;overflow:hidden"><a href="http://c3.example.com/">彩票</a></div>
<p style="text-indent:-20px">首行缩进不是隐藏 <a href="http://www.news.cn/">新华网</a></p>
<a href="javascript:void(0)">打印</a> <a href="mailto:a@b.cn">邮件</a>
</body></html>"""


def test_hidden_offsite_links_and_how():
    found = hidden_links(PAGE, SITE, _on_site)
    assert [(x.url, x.text, x.hidden) for x in found] == [
        ("http://www.bet-a1.com/", "澳门新葡京", "off-screen"),
        ("https://porn-b2.net/x", "成人视频", "display:none"),
        ("http://c3.example.com/", "彩票", "zero-size"),
    ]


def test_visible_offsite_links_are_kept_unmarked_and_own_menus_never_returned():
    links = {x.url: x.hidden for x in offsite_links(PAGE, SITE, _on_site)}
    assert links["http://www.fujian.gov.cn/"] is None and links["http://www.news.cn/"] is None
    assert not any("qh.gov.cn" in url for url in links)           # the hidden drop-downs are the site's own
    assert len(links) == 5


def test_style_declarations():
    assert hiding("display : none !important") == "display:none"
    assert hiding("visibility:hidden") == "visibility:hidden"
    assert hiding("position:absolute;left:-3000px") == "off-screen"
    assert hiding("margin-left:-20px") is None                      # a layout nudge, not hiding
    assert hiding("font-size:0px;") == "font-size:0"
    assert hiding("width:1px;height:1px;overflow:hidden") == "zero-size"
    assert hiding("height:10px;overflow:hidden") is None
    assert hiding("") is None


def test_bad_input_never_raises():
    assert hidden_links("", SITE, _on_site) == []
    assert hidden_links("\x00\x01 not html", SITE, _on_site) == []
    assert hidden_links("<div style='display:none'><a href='http://[bad'>x</a></div>", SITE, _on_site) == []
    deep = "<div>" * 3000 + "<a href='http://x.example.com/' style='display:none'>x</a>" + "</div>" * 3000
    assert [x.url for x in hidden_links(deep, SITE, _on_site)] in ([], ["http://x.example.com/"])
