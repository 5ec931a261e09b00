"""UPD010's 栏目不更新 reason counts only the columns really left unread: a column judged 由外部平台承载 (its page only
hands visitors to the province's 12345 platform) and a landing page (栏目导航页) are no such columns."""

from __future__ import annotations

import datetime as dt

from crawler.columns import HUB_REASON, UNDECIDED_REASON
from crawler.records import ColumnRecord, LinkRecord, PageRecord, Snapshot
from reports.verdict import build_veto_verdict

SITE = "http://127.0.0.1:8/"
PLATFORM = "https://www.12345.hebei.gov.cn/"


def _snapshot(*, budget_cut: bool) -> Snapshot:
    hosted = ColumnRecord(url=f"{SITE}hdjl/", name="县长信箱", path="首页/互动交流/县长信箱", type="互动交流",
                          list_urls=[f"{SITE}hdjl/index.html"], unread_reason=UNDECIDED_REASON)
    landing = ColumnRecord(url=f"{SITE}zwgk/", name="政务公开", path="首页/政务公开", list_urls=[f"{SITE}zwgk/"],
                           unread_reason=HUB_REASON.format(n=6))
    news = ColumnRecord(url=f"{SITE}gzdt/", name="工作动态", path="首页/工作动态", type="动态要闻",
                        list_urls=[f"{SITE}gzdt/"], items=20, dated_items=20, latest=dt.date(2026, 11, 28),
                        unread_reason="已达到抓取页数上限，栏目列表未读完" if budget_cut else None)
    links = [LinkRecord(f"{SITE}hdjl/index.html", PLATFORM, None, None, "external"),
             LinkRecord(f"{SITE}hdjl/index.html", PLATFORM + "mailbox/xzxx.html", None, None, "external"),
             LinkRecord(f"{SITE}hdjl/index.html", SITE, 200, None, "page")]
    return Snapshot("某县人民政府", SITE, dt.date(2026, 11, 30), run_id=1, columns_=[hosted, landing, news],
                    pages_=[PageRecord(url=SITE, kind="home", title="首页")], links_=links)


def _stale_item(snapshot: Snapshot):
    return next(i for i in build_veto_verdict(snapshot, []).items if i.name == "栏目不更新")


def test_a_column_on_an_outside_platform_is_not_counted_unread():
    item = _stale_item(_snapshot(budget_cut=False))
    assert item.status == "passed"
    assert "未检查完" not in item.reason, item.reason          # it was 2 (hosted + landing page) before


def test_a_column_cut_by_the_page_budget_still_is():
    item = _stale_item(_snapshot(budget_cut=True))
    assert "另有1个栏目未检查完" in item.reason, item.reason
