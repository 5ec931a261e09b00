"""Date parsing and URL hygiene: table tests over the formats portals print."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.extract.dates import find_dates, labeled_date, parse_date
from crawler.urls import canonicalize, is_attachment_url, looks_like_trap, same_site, unwrap_ipv6_gateway

D = dt.date(2022, 12, 31)


@pytest.mark.parametrize("text, default_year, expected", [
    ("2022-12-31", None, D),
    ("2022/12/31 10:00", None, D),
    ("2022.12.31", None, D),
    ("2022年12月31日", None, D),
    ("2022年12月31日10时30分", None, D),
    ("发布日期：2022-12-31 10:00:00", None, D),
    ("二〇二二年十二月三十一日", None, D),
    ("二〇一六年十月二十六日", None, dt.date(2016, 10, 26)),
    ("２０２２－１２－３１", None, D),
    ("时间：2022-1-5", None, dt.date(2022, 1, 5)),
    ("[12-31]", None, None),                 # no year: never invented
    ("[12-31]", 2022, D),
    ("(12-31)", 2022, D),
    ("2022-02-30", None, None),              # impossible
    ("1989-06-01", None, None),              # before 1990
    ("第2022-13-01期", None, None),
    ("", None, None),
    (None, None, None),
])
def test_parse_date(text, default_year, expected):
    assert parse_date(text, default_year) == expected


def test_find_dates_order_and_no_double_count():
    assert find_dates("自2022年6月29日至2022年7月5日") == [dt.date(2022, 6, 29), dt.date(2022, 7, 5)]
    assert find_dates("2022-06-29 [07-05]", default_year=2022) == [dt.date(2022, 6, 29), dt.date(2022, 7, 5)]


@pytest.mark.parametrize("text, expected", [
    ("索 引 号：x\n发 布 日 期： 2020年08月02日", dt.date(2020, 8, 2)),
    ("发布时间\t2023-01-31\t来源\tx", dt.date(2023, 1, 31)),
    ("来源: 作者: 时间:2023-01-31 点击率:", dt.date(2023, 1, 31)),
    ("成\u2002文\u2002日\u2002期：2016-10-26", dt.date(2016, 10, 26)),
    ("共有2022-01-01条", None),               # unlabelled
])
def test_labeled_date(text, expected):
    assert labeled_date(text) == expected


@pytest.mark.parametrize("url, expected", [
    ("HTTP://WWW.Hd.Gov.CN:80/a/./b/../c/index.html#top", "http://www.hd.gov.cn/a/c/index.html"),
    ("http://x.gov.cn/list.jsp;jsessionid=ABC123?b=2&a=1", "http://x.gov.cn/list.jsp?a=1&b=2"),
    ("http://x.gov.cn/a.html?utm_source=wx&spm=1.2&from=timeline&id=7&t=1699999999", "http://x.gov.cn/a.html?id=7"),
    ("https://x.gov.cn:443", "https://x.gov.cn/"),
    ("http://x.gov.cn/col/", "http://x.gov.cn/col/"),
])
def test_canonicalize(url, expected):
    assert canonicalize(url) == expected


def test_canonicalize_is_idempotent_and_keeps_real_params():
    url = "http://x.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15&columnid=7"
    once = canonicalize(url)
    assert canonicalize(once) == once and "startrecord=46" in once


def test_ipv6_gateway_unwrap_and_same_site():
    assert unwrap_ipv6_gateway("http://www.acas.org.cnx7a72968723868.ipv6best.cn/") == "http://www.acas.org.cn/"
    assert unwrap_ipv6_gateway("https://www.pingtan.gov.cnx12ab34cd56ef78.ipv6best.cn/zwgk/") == \
        "https://www.pingtan.gov.cn/zwgk/"
    assert unwrap_ipv6_gateway("http://www.hd.gov.cn/x") == "http://www.hd.gov.cn/x"
    hosts = {"www.pingtan.gov.cn"}
    assert same_site("https://www.pingtan.gov.cnx12ab34cd56ef78.ipv6best.cn/zwgk/", hosts)
    assert same_site("https://xzfwzx.pingtan.gov.cn/indexPage", hosts)
    assert not same_site("https://www.fujian.gov.cn/", hosts)
    assert not same_site("https://pingtan.gov.cn.evil.com/", hosts)
    assert not same_site("javascript:void(0)", hosts)


@pytest.mark.parametrize("url, ext", [
    ("/ptwzq/ewebeditor/uploadfile/2022/07/06/20220706171834115.xls", "xls"),
    ("http://x.gov.cn/202008/P020200805.PDF", "pdf"),
    ("http://x.gov.cn/a/W0201.wps", "wps"),
    ("http://x.gov.cn/a/b.et?v=1", "et"),
    ("/generic/web/viewer.html?file=/a/2023/x.ofd", "ofd"),
    ("http://x.gov.cn/a/t2020_1.html", None),
    ("http://x.gov.cn/download.jsp?id=5", None),
])
def test_is_attachment_url(url, ext):
    assert is_attachment_url(url) == ext


@pytest.mark.parametrize("url, trap", [
    ("http://x.gov.cn/calendar.jsp?year=2024&month=5", True),
    ("http://x.gov.cn/a/b/a/b/a/b/index.html", True),
    ("http://x.gov.cn/x/x/x/index.html", True),
    ("http://x.gov.cn/s?q=" + "a" * 400, True),
    ("http://x.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm", False),
    ("http://x.gov.cn/col/col1621004/index.html?uid=4985&pageNum=3", False),
])
def test_looks_like_trap(url, trap):
    assert looks_like_trap(url) is trap
