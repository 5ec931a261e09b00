"""Dead-link and image messages name the failure in formal Chinese, never the crawler's error name.

The names come from the crawler itself: every failure its errback can meet (Scrapy's and Twisted's exceptions,
turned into names by crawler/spiders/portal.py _failure_reason) and the names it sets on purpose.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re

import pytest
import scrapy.exceptions
import twisted.internet.error
from twisted.python.failure import Failure
from twisted.web.client import ResponseFailed, ResponseNeverReceived

from checks.links import broken_image, broken_link, describe, describe_image
from crawler.errors import FETCH_ERROR_UNKNOWN, fetch_error_text
from crawler.images import IMAGE_KIND, NOT_IMAGE
from crawler.middlewares import AccessBlocked
from crawler.records import LinkRecord
from crawler.spiders.portal import REDIRECT_LOOP, _failure_reason
from tests.rules.fixture import build_snapshot

LATIN = re.compile(r"[A-Za-z_]{2,}")
SITE = "http://www.example.gov.cn/"


def _exceptions(module) -> list[type[BaseException]]:
    return [cls for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, Exception) and cls.__module__ == module.__name__]


def _instance(cls: type[BaseException]) -> BaseException | None:
    """One instance, or None for an error a fetch never raises (CannotListenError wants a port and a socket)."""
    for args in (("x",), ()):
        try:
            return cls(*args)
        except TypeError:
            continue
    return None


def recorded_names() -> set[str]:
    """Every error name a failed request can leave on a LinkRecord, and the ones the crawler sets itself."""
    names = set()
    failures = [*_exceptions(scrapy.exceptions), *_exceptions(twisted.internet.error), ResponseFailed,
                ResponseNeverReceived, OSError]
    for cls in failures:
        instance = _instance(cls)
        if instance is None or cls is scrapy.exceptions.StopDownload:
            continue
        status, error = _failure_reason(Failure(instance))
        if status is None and error:
            names.add(error)
    blocked = AccessBlocked("http://x/", 412, "瑞数")
    names |= {REDIRECT_LOOP, "list-api", "offsite-redirect", blocked.keyword, "access-blocked",
              f"{NOT_IMAGE}:text/html"}
    return names


def test_the_crawler_records_more_than_the_known_few():
    names = recorded_names()
    assert {"timeout", "dns", "connection-refused", "download-failed-error"} <= names
    assert len(names) > 20


@pytest.mark.parametrize("name", sorted(recorded_names()))
def test_every_recorded_name_reads_as_chinese(name):
    text = describe(LinkRecord(SITE, SITE + "a.html", None, name, "page"))
    assert not LATIN.search(text.replace("robots.txt", "")), (name, text)
    assert name not in text


@pytest.mark.parametrize(("name", "words"), [
    ("timeout", "连接超时"), ("dns", "域名无法解析"), ("connection-refused", "服务器拒绝连接"),
    ("download-failed-error", "服务器中断连接"), ("response-never-received", "服务器中断连接"),
    ("connection-lost", "服务器中断连接"), ("s-s-l-error", "证书"), ("t-c-p-timed-out-error", "连接超时"),
    ("no-route-error", "无法连接服务器"), ("redirect-loop", "重定向"), ("unknown-host-error", "域名无法解析"),
    ("peer-verify-error", "证书"), ("connection-aborted", "服务器中断连接"),
])
def test_known_failures_are_named_precisely(name, words):
    assert words in fetch_error_text(name)


@pytest.mark.parametrize("name", ["frobnicate-error", "", None, "x"])
def test_an_unknown_name_gets_the_generic_sentence(name):
    assert fetch_error_text(name) == FETCH_ERROR_UNKNOWN


def test_http_status_still_wins():
    assert describe(LinkRecord(SITE, SITE + "b.html", 500, None, "page")) == "HTTP 500"


def test_not_image_names_no_media_type():
    text = describe_image(LinkRecord(SITE, SITE + "a.jpg", 200, f"{NOT_IMAGE}:text/html", IMAGE_KIND))
    assert text == "HTTP 200，返回网页而非图片"          # inside the message's （…）: no nested brackets
    assert "返回内容不是图片" in describe_image(LinkRecord(SITE, SITE + "b.jpg", 200, f"{NOT_IMAGE}:application/json",
                                                          IMAGE_KIND))


def test_a_dead_link_observation_carries_the_chinese_problem():
    """The check as it runs: a link whose download failed (Scrapy's wrapper of a dropped connection)."""
    snapshot = build_snapshot({
        "pages": [{"url": "/index.html", "kind": "home"}],
        "links": [{"source": "/index.html", "target": "/gone.html", "error": "download-failed-error"},
                  {"source": "/index.html", "target": "/img/a.jpg", "error": "s-s-l-error", "kind": IMAGE_KIND}]},
        dt.date(2026, 11, 30))
    rule = type("Rule", (), {"params": {}, "applies_to": {}})()
    problems = [o.observed["problem"] for o in [*broken_link(snapshot, rule), *broken_image(snapshot, rule)]]
    assert problems == ["服务器中断连接，未返回完整页面", "安全证书或加密连接错误"]
