"""A landing page (栏目导航页) is not an unread column: it does not make a check 有检查异常 (exit 4, 本次检查不完整).

Found on the foreign portal (tests/foreign/): every audit of a portal with a 政务公开 landing page and nothing at or
above --fail-on exited 4 with the headline 本次检查不完整, though the landing page is judged through its sub-columns.
"""

from __future__ import annotations

from crawler.columns import HUB_REASON, is_landing_page
from crawler.records import ColumnRecord
from reports.completeness import STATUS_COMPLETE, STATUS_WITH_ERRORS, run_status, unread_columns

HUB = ColumnRecord(url="http://x.gov.cn/zwgk/", name="政务公开", unread_reason=HUB_REASON.format(n=6))
SHORT = ColumnRecord(url="http://x.gov.cn/tzgg/", name="通知公告", unread_reason="已达到抓取页数上限，栏目列表未读完")
READ = ColumnRecord(url="http://x.gov.cn/gzdt/", name="工作动态", items=12)


def test_landing_page_is_not_listed_as_unread_but_a_short_list_is():
    assert [c.name for c in unread_columns([HUB, SHORT, READ])] == ["通知公告"]
    assert run_status("complete", errors=0, unread=len(unread_columns([HUB, READ]))) == STATUS_COMPLETE
    assert run_status("complete", errors=0, unread=len(unread_columns([HUB, SHORT]))) == STATUS_WITH_ERRORS


def test_only_the_landing_page_reason_is_recognised():
    assert is_landing_page(HUB)
    assert not is_landing_page(SHORT) and not is_landing_page(READ)
    contradiction = ColumnRecord(url="http://x.gov.cn/a/", name="a",
                                 unread_reason="栏目列表未读出任何信息，但有3篇文章的导航路径或栏目元数据指向本栏目")
    assert not is_landing_page(contradiction)
