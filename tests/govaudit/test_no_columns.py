"""Why a home page gave no column: the home pages county portals really serve when nothing is there to examine
(a maintenance notice, a frameset around another address, a script redirect, a page a script fills), and real
portal pages that must not be mistaken for any of them."""

from __future__ import annotations

import pytest

from govaudit.no_columns import GENERIC, decode, diagnose, meta_refresh_target, why_no_columns
from tests.loopback import LoopbackServer, Response
from tests.needs import reference_file

HOME = "http://www.qh.gov.cn/index.html"


def test_a_maintenance_notice_in_gbk_is_read_and_quoted():
    body = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'><title>青禾县人民政府"
            "</title></head><body><div align='center'><img src='/images/wh.jpg'><p>尊敬的用户：本网站正在进行系统升级维护，"
            "暂停访问，预计恢复时间另行通知。给您带来的不便敬请谅解！</p></div></body></html>").encode("gb18030")
    reason = why_no_columns(decode(body, None), HOME)
    assert reason == "首页显示网站暂停服务的提示（“网站正在进行系统升级维护”），未见网站栏目和信息"


def test_a_frameset_names_its_frames_and_whether_they_are_on_site():
    offsite = ("<html><head><title>青禾县人民政府</title></head><frameset rows='0,*' frameborder='0'>"
               "<frame src='about:blank'><frame src='http://59.110.12.3:8080/portal/index.jsp'></frameset></html>")
    assert why_no_columns(offsite, HOME) == ("首页为框架页，页面内容由框架中的地址 http://59.110.12.3:8080/portal/index.jsp "
                                             "提供，该地址不属于本网站，本次未作检查")        # about:blank holds nothing
    mixed = offsite.replace("about:blank", "/top.html")
    reason = why_no_columns(mixed, HOME)
    assert "http://www.qh.gov.cn/top.html" in reason and reason.endswith("未能从中识别出栏目")
    iframe = "<html><body><iframe src='/web/main.html' width='100%' height='100%'></iframe></body></html>"
    assert why_no_columns(iframe, HOME) == ("首页为框架页，页面内容由框架中的地址 http://www.qh.gov.cn/web/main.html "
                                            "提供，未能从中识别出栏目")


@pytest.mark.parametrize("script", ["window.location.href = '/zwgk/index.html';",
                                    'top.location.replace("/zwgk/index.html")',
                                    "document.location='/zwgk/index.html'"])
def test_a_script_redirect_gives_the_address_to_audit_instead(script):
    page = f"<html><head><title>青禾县人民政府</title><script>{script}</script></head><body></body></html>"
    reason = why_no_columns(page, HOME)
    assert reason.startswith("首页通过脚本跳转至 http://www.qh.gov.cn/zwgk/index.html") and "重新检查" in reason


def test_a_page_a_script_fills_and_a_page_with_no_menu():
    spa = ("<html><head><title>青禾县人民政府</title></head><body><div id='app'></div>"
           "<script src='/static/js/app.3f2a.js'></script></body></html>")
    assert why_no_columns(spa, HOME).startswith("首页几乎没有文字和链接（页面内容可能由脚本加载）")
    text = "<html><body><p>" + "青禾县位于河北省中部，辖10个乡镇，总人口32万。" * 3 + "</p><a href='/a.html'>简介</a></body></html>"
    assert why_no_columns(text, HOME) == f"{GENERIC}（首页有1个链接，均未能识别为栏目或信息列表）"
    assert why_no_columns("", HOME).startswith("首页几乎没有文字和链接")


def test_meta_refresh_target():
    page = '<html><head><meta http-equiv="Refresh" content="0; URL=/site/index.html"></head></html>'
    assert meta_refresh_target(page, HOME) == "http://www.qh.gov.cn/site/index.html"
    assert meta_refresh_target("<html><head><meta charset='utf-8'></head></html>", HOME) is None


@pytest.mark.parametrize("name", ["article_shanxi_gov_cn_trs_20190918.html", "list_hdzfxxgk_hd_gov_cn_trs_jinqixxgk.html",
                                  "article_fgw_zj_gov_cn_hanweb_jcms_20161122.html",
                                  "xxgk_guide_hdzfxxgk_hd_gov_cn_gkzn.html"])
def test_real_portal_pages_are_none_of_these(name):
    path = reference_file("samples", name)
    reason = why_no_columns(decode(path.read_bytes(), None), "http://www.example.gov.cn/" + name)
    assert reason.startswith(GENERIC + "（首页有"), reason


def test_diagnose_follows_a_meta_refresh_as_the_crawler_does():
    routes = {"/index.html": '<html><head><meta http-equiv="refresh" content="0;url=/portal/"></head></html>',
              "/portal/": Response(body="<html><body><h1>网站维护中</h1><p>暂停访问</p></body></html>".encode()),
              "/gone.html": Response(503, b"busy")}
    with LoopbackServer(routes) as server:
        assert diagnose(f"{server.base_url}/index.html") == (
            f"首页自动跳转至 {server.base_url}/portal/；跳转后的页面显示网站暂停服务的提示（“网站维护中”），未见网站栏目和信息")
        assert diagnose(f"{server.base_url}/gone.html") == f"{GENERIC}（再次访问首页时返回HTTP 503）"
