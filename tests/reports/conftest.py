"""A small, stable county portal run and its findings, built in code (synthetic personal data only)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from checks.finding import Finding
from checks.privacy import synthetic
from crawler.records import AttachmentRecord, ColumnRecord, PageRecord, Snapshot
from reports.model import RunSummary

AS_OF = dt.date(2023, 1, 31)
SITE = "http://www.yx.example.gov.cn"


def make_snapshot() -> Snapshot:
    cols = [
        ColumnRecord(url=f"{SITE}/zwdt/bmdt/", name="部门动态", type="动态要闻", items=40, latest=dt.date(2022, 10, 8),
                     dated_items=40, department="县政府办公室"),
        ColumnRecord(url=f"{SITE}/zwdt/xzdt/", name="乡镇动态", type="动态要闻", items=12, latest=dt.date(2023, 1, 10),
                     dated_items=12),
        ColumnRecord(url=f"{SITE}/tzgg/", name="通知公告", type="通知公告", items=30, latest=dt.date(2023, 1, 20),
                     dated_items=30),
        ColumnRecord(url=f"{SITE}/zcjd/", name="政策解读", type="政策解读", items=9, latest=dt.date(2022, 12, 1),
                     dated_items=9),
        ColumnRecord(url=f"{SITE}/ghjh/", name="规划计划", type="规划计划", items=0, blank_marker="暂无信息"),
    ]
    pages = [PageRecord(url=f"{SITE}/", kind="home", title="云县人民政府")]
    for i in range(6):
        pages.append(PageRecord(url=f"{SITE}/zwdt/bmdt/{i}.html", column_url=cols[0].url, title=f"动态{i}",
                                published=dt.date(2022, 3 + i, 1)))
    for i in range(3):
        pages.append(PageRecord(url=f"{SITE}/zcjd/{i}.html", column_url=cols[3].url, title=f"解读{i}",
                                published=dt.date(2022, 5, 1 + i)))
    pages.append(PageRecord(url=f"{SITE}/tzgg/old.html", column_url=cols[2].url, published=dt.date(2021, 5, 1)))
    pages.append(PageRecord(url=f"{SITE}/tzgg/nodate.html", column_url=cols[2].url))
    atts = [AttachmentRecord(url=f"{SITE}/tzgg/P020220601.xls", page_url=f"{SITE}/tzgg/old.html", filename="名单.xls")]
    return Snapshot(site_name="云县人民政府", site_url=SITE, as_of=AS_OF, run_id=7, columns_=cols, pages_=pages,
                    attachments_=atts, stats={"pages": 12, "columns": 5, "attachments": 1, "errors": 0,
                                              "started": "2023-01-31T08:00:00", "finished": "2023-01-31T08:20:00"})


def finding(id, kind, severity, column=None, url=None, **kw) -> Finding:
    base = dict(rule=kw.pop("rule", "R" + id), title=kw.pop("title", kind), confidence=kw.pop("confidence", 1.0),
                message=kw.pop("message", f"{kind} 问题"), remediation=kw.pop("remediation", "按要求整改。"),
                basis=kw.pop("basis", "国办秘函〔2019〕19号"))
    return Finding(id=id, kind=kind, severity=severity, column=column, url=url, **base, **kw)


def col(name: str, path: str) -> dict:
    return {"name": name, "url": f"{SITE}{path}"}


def make_findings(raw_id: str | None = None) -> list[Finding]:
    rng = random.Random(11)
    masked_id = synthetic.id18(rng)[:2] + "*" * 13 + "123"
    out = [
        finding("f-stale-1", "stale_column", "major", col("部门动态", "/zwdt/bmdt/"), f"{SITE}/zwdt/bmdt/", rule="UPD001",
                title="动态要闻类栏目超过2周未更新",
                message="栏目「部门动态」最近一次更新为2022-10-08，已115天未更新（要求不超过14天）。",
                observed={"age_days": 115, "latest": dt.date(2022, 10, 8), "max_age_days": 14},
                status="persisting", first_seen=dt.date(2022, 12, 31)),
        finding("f-blank-1", "blank_column", "minor", col("规划计划", "/ghjh/"), f"{SITE}/ghjh/", rule="UPD003",
                title="空白栏目", message="栏目「规划计划」无任何信息。", first_seen=AS_OF),
        finding("f-mis-1", "category_mismatch", "minor", col("通知公告", "/tzgg/"), f"{SITE}/tzgg/old.html",
                rule="CAT001", title="信息与栏目类别不符", message="《2021年招聘公告》发布在「通知公告」栏目，疑似人事信息。",
                observed={"predicted": "人事信息"}, confidence=0.7, needs_review=True, first_seen=AS_OF),
        finding("f-pii-1", "personal_data", "major", col("通知公告", "/tzgg/"), f"{SITE}/tzgg/P020220601.xls",
                rule="PII001", title="公开内容含身份证号码", pii_type="id_card", count=3, location="Sheet1!C7",
                evidence=f"身份证号码 {masked_id}",
                message="附件《名单.xls》Sheet1!C7 等3处含完整身份证号码。" + (f"如{raw_id}" if raw_id else ""),
                first_seen=AS_OF),
        finding("f-pii-2", "personal_data", "major", col("通知公告", "/tzgg/"), f"{SITE}/tzgg/old.html",
                rule="PII002", title="公开内容含手机号码", pii_type="mobile", count=2, evidence="手机号码 138****5678",
                message="页面含2个完整手机号码。", first_seen=AS_OF),
        finding("f-veto-1", "veto", "veto", None, f"{SITE}/", rule="UPD010", title="栏目不更新（单项否决）",
                message="动态要闻类、通知公告类栏目不更新合计达到5个。", first_seen=AS_OF),
        finding("f-waived", "broken_link", "minor", None, f"{SITE}/x.html", status="waived", first_seen=AS_OF),
    ]
    return out


def make_resolved() -> list[Finding]:
    return [finding("f-old-1", "stale_column", "major", col("乡镇动态", "/zwdt/xzdt/"), f"{SITE}/zwdt/xzdt/",
                    rule="UPD001", message="栏目「乡镇动态」超过2周未更新。", status="resolved",
                    first_seen=dt.date(2022, 12, 31))]


HISTORY = [RunSummary(5, dt.date(2022, 11, 30), {"total": 9, "veto": 1, "major": 5, "minor": 3}),
           RunSummary(6, dt.date(2022, 12, 31), {"total": 7, "veto": 1, "major": 4, "minor": 2})]


@pytest.fixture
def snapshot() -> Snapshot:
    return make_snapshot()


@pytest.fixture
def model():
    from reports.model import build_report_model
    return build_report_model(make_snapshot(), make_findings(), HISTORY, make_resolved(),
                              profile_departments={"通知公告": "县政务服务管理局"})
