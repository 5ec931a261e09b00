"""A title whose words name its category (中标结果公告) is not at home in a policy column by its form word (公告).

Found on the foreign portal (tests/foreign/): a procurement result filed under 政府文件 was only 需人工复核 because
its closing 公告 is a genre 政策文件 columns may hold and the site had no 招标采购 column. The procurement profile
now says its title words outrank the form word (rules/placement_keywords.yml `category_over_genre`); formal
titles (关于…的公告, 《…》) stay excepted, and profiles without the flag keep the at-home doubt.
"""

from __future__ import annotations

import datetime as dt

from checks.placement import category_mismatch
from crawler.records import ColumnRecord, PageRecord, Snapshot

BASE = "http://x.gov.cn"
RULES = {"params": {"layers": ["rules"]}}
POLICY = ColumnRecord(url=f"{BASE}/zfwj/", name="政府文件", type="政策文件", type_source="meta")
NOTICES = ColumnRecord(url=f"{BASE}/tzgg/", name="通知公告", type="通知公告", type_source="name")


def _policy_site(title: str, text: str, doc_number: str | None = None) -> Snapshot:
    """A policy column of six real-looking policy documents (with 文号) and one item under test."""
    item = PageRecord(url=f"{BASE}/zfwj/9.htm", column_url=POLICY.url, title=title, text=text, doc_number=doc_number,
                      published=dt.date(2026, 5, 9))
    policies = [PageRecord(url=f"{BASE}/zfwj/{i}.htm", column_url=POLICY.url, doc_number=f"示政办发〔2026〕{i}号",
                           title=f"示例县人民政府办公室关于印发示例县耕地保护实施方案的通知（{i}）",
                           text="各乡（镇）人民政府：现将方案印发给你们，请结合实际认真贯彻执行。", published=dt.date(2026, 4, i))
                for i in range(1, 7)]
    return Snapshot(site_name="x", site_url=BASE, as_of=dt.date(2026, 11, 30), columns_=[POLICY],
                    pages_=[item, *policies])


def _verdicts(snapshot: Snapshot) -> dict[str, object]:
    return {o.url: o for o in category_mismatch(snapshot, RULES)}


def test_procurement_result_in_policy_column_is_counted_without_a_procurement_column():
    snapshot = _policy_site("示例县农村人居环境整治项目中标结果公告",
                            "项目编号：CG-2026-31。已完成评标工作，现将中标结果公告如下：中标供应商：某某建设有限公司。")
    obs = _verdicts(snapshot)[f"{BASE}/zfwj/9.htm"]
    assert not obs.needs_review
    assert "中标" in obs.observed["reason"]
    assert obs.observed["advice"] == "本站未设招标采购类栏目，应按规定设置相应栏目后调整发布。"
    assert len(_verdicts(snapshot)) == 1                     # the six policy documents are not touched


def test_formal_procurement_notice_in_policy_column_is_not_flagged():
    snapshot = _policy_site("示例县人民政府办公室关于进一步规范政府采购管理的通知",
                            "各乡（镇）人民政府：现将有关事项通知如下。", doc_number="示政办发〔2026〕31号")
    assert f"{BASE}/zfwj/9.htm" not in _verdicts(snapshot)


def test_appointment_notice_in_notices_keeps_the_at_home_doubt():
    """The flag is the procurement profile's: a 任免通知 in 通知公告 is at home by its form (no 人事信息 column)."""
    page = PageRecord(url=f"{BASE}/tzgg/1.htm", column_url=NOTICES.url, title="示例县人民政府关于某某等同志职务任免的通知",
                      text="经研究决定：任命某某为县教育局副局长。", published=dt.date(2026, 5, 9))
    snapshot = Snapshot(site_name="x", site_url=BASE, as_of=dt.date(2026, 11, 30), columns_=[NOTICES], pages_=[page])
    [obs] = category_mismatch(snapshot, RULES)
    assert obs.needs_review and "本站未设" in obs.observed["review_reason"]
