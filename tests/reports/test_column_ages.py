"""栏目更新情况 in report.html says what the findings say: no negative age from a future date, one limit per
column type (the number in the finding's message), and a blank, undated or unread column named as such."""

import datetime as dt
import re

from conftest import AS_OF, SITE
from lxml import html as lxml_html

from checks.engine import run_checks
from crawler.records import ColumnRecord, PageRecord, Snapshot
from reports.html import render_html
from reports.model import build_report_model
from rules.loader import load_ruleset


def _portal() -> Snapshot:
    def day(days: int) -> dt.date:
        return AS_OF - dt.timedelta(days=days)

    cols = [
        # Its newest entry is dated after the check date; the one before it is 200 days old: stale.
        ColumnRecord(url=f"{SITE}/tzgg/", name="通知公告", path="首页/通知公告", type="通知公告", items=3,
                     latest=AS_OF + dt.timedelta(days=20), dated_items=3),
        ColumnRecord(url=f"{SITE}/gsgg/", name="公示公告", path="首页/公示公告", type="通知公告", items=4,
                     latest=day(days=30), dated_items=4),
        ColumnRecord(url=f"{SITE}/bmwj/", name="部门文件", path="首页/部门文件", type="政策文件", items=2,
                     latest=day(days=190), dated_items=2),
        ColumnRecord(url=f"{SITE}/wsdc/", name="网上调查", path="首页/网上调查", type="动态要闻", items=0,
                     blank_marker="正在建设"),
        ColumnRecord(url=f"{SITE}/wmcj/", name="文明创建动态", path="首页/文明创建动态", type="动态要闻", items=12),
        ColumnRecord(url=f"{SITE}/xzdt/", name="乡镇动态", path="首页/乡镇动态", type="动态要闻", items=40,
                     latest=day(days=3), dated_items=40, unread_reason="已达到抓取页数上限"),
        ColumnRecord(url=f"{SITE}/yj/", name="意见征集", path="首页/意见征集", type="通知公告", items=1,
                     latest=AS_OF + dt.timedelta(days=5), dated_items=1),
    ]
    pages = [PageRecord(url=f"{SITE}/", kind="home", title="云县人民政府"),
             PageRecord(url=f"{SITE}/tzgg/3.html", column_url=cols[0].url, title="关于征集意见的公告",
                        published=AS_OF + dt.timedelta(days=20), published_source="meta"),
             PageRecord(url=f"{SITE}/tzgg/2.html", column_url=cols[0].url, title="通知", published=day(days=200)),
             PageRecord(url=f"{SITE}/tzgg/1.html", column_url=cols[0].url, title="通知", published=day(days=400)),
             PageRecord(url=f"{SITE}/yj/1.html", column_url=cols[6].url, title="征集", published=cols[6].latest)]
    return Snapshot(site_name="云县人民政府", site_url=SITE, as_of=AS_OF, run_id=1, columns_=cols, pages_=pages,
                    attachments_=[], stats={"pages": len(pages), "columns": len(cols)})


def test_chart_agrees_with_the_findings():
    snapshot = _portal()
    findings = run_checks(snapshot, load_ruleset()).findings
    model = build_report_model(snapshot, findings)
    series = {f.name: f for f in model.freshness}

    # A future date is its own finding; the column's age comes from its newest item not after the check date.
    assert any(f.kind == "future_date" and f.url == f"{SITE}/tzgg/3.html" for f in findings)
    notice = series["通知公告"]
    assert notice.age_days == 200 and notice.latest == AS_OF - dt.timedelta(days=200) and notice.stale
    stale = {f.column["name"]: f for f in findings if f.kind == "stale_column"}
    assert "通知公告" in stale and stale["通知公告"].observed["age_days"] == 200
    assert all(s.age_days is None or s.age_days >= 0 for s in model.freshness)
    assert series["意见征集"].age_days is None and series["意见征集"].state == "仅有晚于检查日期的发布日期"

    # One limit per column type, and it is the number the finding's message gives.
    assert notice.limit_days == series["公示公告"].limit_days == series["意见征集"].limit_days
    for name, finding in stale.items():
        assert f"{series[name].limit_days}天" in finding.message
        assert series[name].limit_days == finding.observed["max_age_days"]

    # A column without an age says why.
    assert series["网上调查"].state == "空白栏目"
    assert series["文明创建动态"].state == "信息未标注发布日期"
    assert series["乡镇动态"].state == "未检查完" and not series["乡镇动态"].stale

    tree = lxml_html.fromstring(render_html(model))
    labels = {g.get("data-column"): g.text_content().strip() for g in tree.xpath("//g[@class='fresh-bar']")}
    assert "-" not in "".join(re.findall(r"-?\d+天", "".join(labels.values()))).replace("天", "")
    assert "200天 / 时限183天" in labels["通知公告"] and "30天 / 时限183天" in labels["公示公告"]
    assert labels["网上调查"].endswith("空白栏目（时限14天）")
    assert "信息未标注发布日期" in labels["文明创建动态"] and "未检查完" in labels["乡镇动态"]
    assert "无可识别的发布日期" not in "".join(labels.values())
    limits = {int(n) for text in labels.values() for n in re.findall(r"时限(\d+)天", text)}
    assert limits <= {14, 183, 365}
