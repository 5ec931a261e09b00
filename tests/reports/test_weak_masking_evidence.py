"""Weak masking is proven by what the page leaves visible (positions, never digits), and the value in the
report stays masked to the usual 2+3, whether the check reads the page text or the stored token."""

import datetime as dt
import random
import re

from conftest import SITE

from checks.engine import run_checks
from checks.privacy import synthetic
from checks.privacy.redact import tokenize
from crawler.records import ColumnRecord, PageRecord, Snapshot
from reports.evidence import describe
from reports.model import build_report_model
from rules.loader import load_ruleset

AS_OF = dt.date(2026, 12, 4)


def _masked(value: str, hidden: range) -> str:
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value, 1))


def _snapshot(body: str) -> Snapshot:
    column = ColumnRecord(url=f"{SITE}/shjz/", name="社会救助", type="重点领域", items=1, latest=AS_OF, dated_items=1)
    page = PageRecord(url=f"{SITE}/shjz/1.html", column_url=column.url, title="低保对象名单公示", published=AS_OF,
                      text=body)
    return Snapshot(site_name="云县人民政府", site_url=SITE, as_of=AS_OF, run_id=1, columns_=[column], pages_=[page],
                    attachments_=[], stats={})


def _row(body: str):
    snapshot = _snapshot(body)
    findings = run_checks(snapshot, load_ruleset().only(["PII004"])).findings
    model = build_report_model(snapshot, findings)
    weak = [r for r in model.rows if r.kind == "weak_masking"]
    assert len(weak) == 1, [r.kind for r in model.rows]
    return findings[0], weak[0]


def _no_long_digit_run(text: str, value: str) -> None:
    """No more than the usual 2 leading and 3 trailing characters of the ID appear anywhere."""
    for run in re.findall(r"[0-9Xx]{4,}", text):
        assert run not in value, run


def test_evidence_says_which_positions_the_page_shows():
    rng = random.Random(5)
    first, second = synthetic.id18(rng), synthetic.id18(rng)
    body = (f"城乡低保对象名单 序号1 张某 身份证号码：{_masked(first, range(11, 17))} 家庭人口3人。"
            f"序号2 李某 身份证号码：{_masked(second, range(3, 13))} 家庭人口2人。")
    finding, row = _row(body)
    assert finding.observed["visible_spans"] == "1-10,17-18"            # the more revealing of the two
    assert (finding.observed["visible_head"], finding.observed["visible_tail"]) == (10, 2)
    assert "页面显示前10位（含出生年份）和后2位" in row.evidence
    assert "本报告中号码统一按前2位、后3位遮蔽" in row.evidence
    assert row.evidence not in row.description and "页面显示" not in row.description
    _no_long_digit_run(row.evidence + row.description, first)
    _no_long_digit_run(row.evidence + row.description, second)

    # The store keeps a token, not the value: the check reads the same positions back from it.
    stored = tokenize(body)
    assert first[:10] not in stored
    again, row_again = _row(stored)
    assert again.observed["visible_spans"] == "1-10,17-18" and row_again.evidence == row.evidence


def test_middle_digits_and_old_tokens():
    rng = random.Random(9)
    value = synthetic.id18(rng)
    # 6 leading digits hidden after the region code, the birth month and day left visible.
    finding, row = _row(f"身份证号码：{_masked(value, tuple(range(7, 11)) + tuple(range(15, 19)))}")
    assert finding.observed["visible_spans"] == "1-6,11-14"
    assert "页面显示前6位和第11至14位（含出生日期部分数字）" in row.evidence

    # A token stored before positions were recorded: the claim falls back to what is certain.
    token_body = tokenize(f"身份证号码：{_masked(value, range(11, 17))}")
    old = re.sub(r";visible=[0-9,-]+", "", token_body)
    assert old != token_body
    finding, row = _row(old)
    assert "visible_spans" not in finding.observed
    assert "页面未遮蔽全部出生日期位" in row.evidence


def test_describe_from_head_and_tail_counts_only(model):
    f = next(f for f in model.findings if f.kind == "personal_data")
    f.kind, f.observed = "weak_masking", {"visible_head": 14, "visible_tail": 0, "count": 1}
    _, evidence = describe(f, _snapshot(""))
    assert "页面显示前14位（含完整出生日期）" in evidence
