"""Menus made of image links (`<a><img alt="政务公开"></a>` in a row), as old table-layout portals draw their top
menu and 专题 strips: read like text menus when the structure says so (a row of at least four links that hold only a
picture), never a strip of picture news (dated article URLs) or a grid whose captions are text links already."""

from __future__ import annotations

from lxml import html as lxml_html

from crawler.extract.navigation import find_nav_links
from crawler.extract.page import parse_page
from tests.foreign.portal import build

SITE = "http://www.lf.gov.cn"


def _nav(body: str) -> list[tuple[str, str]]:
    return [(lk.url, lk.text) for lk in find_nav_links(lxml_html.fromstring(f"<html><body>{body}</body></html>"),
                                                       SITE + "/")]


def _cells(items: list[tuple[str, str]], cell: str = "td") -> str:
    return "".join(f'<{cell}><a href="{h}"><img src="/images/m{i}.gif" alt="{t}" border="0"></a></{cell}>'
                   for i, (h, t) in enumerate(items))


MENU = [("/zwgk/", "政务公开"), ("/zwyw/", "政务要闻"), ("/tzgg/", "通知公告"), ("/hdjl/", "互动交流")]


def test_served_image_menu_of_the_gbk_table_skin():
    """The held-out skin's top menu (seed 61 home page as served, GBK): a <tr> of nine image links, no class."""
    page = parse_page(build(61).routes["/index.html"].body, SITE + "/")
    names = [lk.text for lk in page.nav_links]
    assert names[:7] == ["首页", "政府信息公开", "政务要闻", "部门动态", "媒体聚焦", "公示公告", "通知公告"]
    assert "互动交流" in names and "无障碍浏览" not in names              # a script link and an 无障碍 switch are no column


def test_rows_of_image_links_are_menus():
    assert _nav(f"<table><tr>{_cells(MENU)}</tr></table>") == [(SITE + h, t) for h, t in MENU]
    assert _nav(f"<ul>{_cells(MENU, 'li')}</ul>") == [(SITE + h, t) for h, t in MENU]
    strip = [("/ztzl/xxgc/", "学习贯彻专题"), ("/ztzl/yhyshj/", "优化营商环境"), ("/ztzl/wmcj/", "文明城市创建"),
             ("/ztzl/xczx/", "乡村振兴")]
    assert _nav('<div class="zt_banner_box">' + "".join(
        f'<a href="{h}" target="_blank"><img src="/images/zt{i}.jpg" alt="{t}"></a>' for i, (h, t) in enumerate(strip))
        + "</div>") == [(SITE + h, t) for h, t in strip]


def test_image_rows_that_are_no_menu():
    assert _nav(f"<table><tr>{_cells(MENU[:3])}</tr></table>") == []              # three pictures: too few to say
    news = [(f"/zwyw/202611/t202611{d:02d}_{d}.htm", f"县领导调研{d}") for d in range(20, 25)]
    assert _nav(f"<ul class='slides'>{_cells(news, 'li')}</ul>") == []             # picture news: dated articles
    grid = "".join(f'<td><a href="{h}"><img src="/i.gif" alt="{t}"></a><br><a href="{h}">{t}</a></td>' for h, t in MENU)
    assert _nav(f"<table><tr>{grid}</tr></table>") == []                           # captioned: text links, no menu
    words = ("县情概况", "领导之窗", "机构设置", "政策法规", "人事任免")
    text = "".join(f'<td><a href="/x{i}/">{t}</a></td>' for i, t in enumerate(words))
    assert _nav(f"<table><tr>{_cells(MENU)}{text}</tr></table>") == []        # mostly text links: not this rule's
    logos = [(f"http://www.site{i}.gov.cn/", f"友站{i}") for i in range(5)]
    assert _nav(f"<table><tr>{_cells(logos)}</tr></table>") == []                 # other sites' logos
