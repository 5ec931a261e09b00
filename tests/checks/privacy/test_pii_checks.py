"""The privacy family's CHECKS on snapshots: one observation per (document, type), masked evidence."""

from __future__ import annotations

import datetime as dt
import random

from checks.privacy import CHECKS, synthetic
from crawler.records import AttachmentRecord, ColumnRecord, PageRecord, Snapshot, TextSegment
from rules.loader import AppliesTo, Rule


def rule(check: str = "personal_data", **params) -> Rule:
    return Rule(id="PII900", name="privacy.test", title="测试", family="privacy", check=check, kind=check,
                severity="major", params=params)


def snapshot(pages=(), attachments=()) -> Snapshot:
    return Snapshot(site_name="示例县", site_url="http://x.gov.cn", as_of=dt.date(2023, 6, 30),
                    columns_=[ColumnRecord(url="http://x.gov.cn/gsgg/", name="公示公告")],
                    pages_=list(pages), attachments_=list(attachments))


def test_one_observation_per_document_and_type_with_distinct_count():
    rng = random.Random(21)
    ids = [synthetic.id18(rng) for _ in range(5)]
    mobile = synthetic.mobile(rng)
    text = "公示：" + "；".join(f"身份证号{v}" for v in ids + ids[:2]) + f"；联系电话{mobile}"
    page = PageRecord(url="http://x.gov.cn/gsgg/1.htm", column_url="http://x.gov.cn/gsgg/", title="公示", text=text)
    obs = list(CHECKS["personal_data"](snapshot([page]), rule()))
    by_type = {o.pii_type: o for o in obs}
    assert set(by_type) == {"id_card", "mobile"}
    ident = by_type["id_card"]
    assert (ident.count, ident.observed["occurrences"], ident.key) == (5, 7, "id_card")
    assert ident.column_name == "公示公告" and ident.url == page.url
    assert ident.evidence.count("*************") == 3
    assert not any(v in ident.evidence or v in str(ident.observed) for v in ids)
    assert ident.confidence >= 0.9 and not ident.needs_review


def test_attachment_locations_and_type_param():
    rng = random.Random(22)
    segments = [TextSegment("Sheet1!A1", "姓名"), TextSegment("Sheet1!B1", "身份证号")]
    segments += [TextSegment(f"Sheet1!B{i}", synthetic.id18(rng)) for i in range(2, 6)]
    segments.append(TextSegment("Sheet1!C2", f"电话{synthetic.mobile(rng)}"))
    att = AttachmentRecord(url="http://x.gov.cn/f/a.xls", filename="a.xls", media_type="xls", segments=segments)
    obs = list(CHECKS["personal_data"](snapshot(attachments=[att]), rule(types=["id_card"])))
    assert len(obs) == 1 and obs[0].pii_type == "id_card" and obs[0].count == 4
    assert obs[0].location.startswith("Sheet1!B2、Sheet1!B3") and "（Sheet1!B2）" in obs[0].evidence
    assert "附件「a.xls」" in obs[0].evidence


def test_media_type_filter_and_bad_records():
    rng = random.Random(23)
    att = AttachmentRecord(url="http://x.gov.cn/f/a.pdf", media_type="pdf",
                           segments=[TextSegment("p.1", f"身份证{synthetic.id18(rng)}")])
    broken = AttachmentRecord(url="http://x.gov.cn/f/b.doc", status="error", error="损坏", segments=[])
    odd = AttachmentRecord(url="http://x.gov.cn/f/c.doc", segments=[TextSegment("p.1", None)])  # type: ignore[arg-type]
    limited = Rule(id="PII901", name="privacy.t", title="t", family="privacy", check="personal_data",
                   kind="personal_data", severity="major", applies_to=AppliesTo(media_types=("xls",)))
    assert list(CHECKS["personal_data"](snapshot(attachments=[att, broken, odd]), limited)) == []
    assert len(list(CHECKS["personal_data"](snapshot(attachments=[att, broken, odd]), rule()))) == 1


def test_weak_masking_check_is_separate():
    page = PageRecord(url="http://x.gov.cn/1.htm", title="公示",
                      text="身份证号 3417211993****0009，35*************009")
    assert list(CHECKS["personal_data"](snapshot([page]), rule())) == []
    (obs,) = CHECKS["weak_masking"](snapshot([page]), rule("weak_masking"))
    assert obs.key == "weak_masking:id_card" and obs.count == 1 and "1993" not in obs.evidence


def test_min_score_param_controls_context_free_cards():
    rng = random.Random(24)
    page = PageRecord(url="http://x.gov.cn/2.htm", title="名单", text=f"某某 {synthetic.bank_card(rng)} 项")
    assert list(CHECKS["personal_data"](snapshot([page]), rule(types=["bank_card"]))) == []
    (obs,) = CHECKS["personal_data"](snapshot([page]), rule(types=["bank_card"], min_score=0.4))
    assert obs.needs_review


def test_stored_tokens_are_rescored_with_document_context():
    """The store tokenises each cell alone; the header cell's context is applied when the check runs."""
    from checks.privacy.redact import tokenize

    rng = random.Random(25)
    cards = [synthetic.bank_card(rng) for _ in range(3)]
    olds = [synthetic.id15(rng) for _ in range(2)]
    cells = [TextSegment("Sheet1!A1", "姓名\t身份证号\t银行卡号")]
    cells += [TextSegment(f"Sheet1!A{i}", tokenize(f"某某\t{old}\t{card}", salt=b"store"))
              for i, (old, card) in enumerate(zip(olds + olds[:1], cards), start=2)]
    assert not any(v in c.text for c in cells for v in cards + olds)
    att = AttachmentRecord(url="http://x.gov.cn/f/b.xls", filename="b.xls", media_type="xls", segments=cells)
    obs = {o.pii_type: o for o in CHECKS["personal_data"](snapshot(attachments=[att]), rule())}
    assert obs["bank_card"].count == 3 and obs["bank_card"].observed["context_words"] == ["银行卡号"]
    assert obs["id_card"].count == 2 and obs["id_card"].location == "Sheet1!A2、Sheet1!A3、Sheet1!A4"
    without_header = AttachmentRecord(url="http://x.gov.cn/f/c.xls", media_type="xls", segments=cells[1:])
    assert list(CHECKS["personal_data"](snapshot(attachments=[without_header]), rule())) == []


def test_number_cell_ids_count_in_spreadsheets_not_in_pages():
    rng = random.Random(26)
    numeric = str(int(float(synthetic.id18(rng))))
    text = f"身份证号码\t{numeric}"
    xls = AttachmentRecord(url="http://x.gov.cn/f/d.xlsx", media_type="xlsx", segments=[TextSegment("S!A1", text)])
    page = PageRecord(url="http://x.gov.cn/3.htm", title="公示", text=text)
    from checks.privacy.checksums import is_valid_id18
    assert not is_valid_id18(numeric)
    (obs,) = CHECKS["personal_data"](snapshot(attachments=[xls]), rule())
    assert obs.observed["recognizers"] == ["id_card_numeric"] and obs.count == 1
    assert list(CHECKS["personal_data"](snapshot([page]), rule())) == []


def test_documents_scanned_in_batches_give_the_observations_of_one_scan_each(monkeypatch):
    """The check scans pages and attachments together (Scanner.scan_many); spreadsheet text apart from prose,
    each document's observations exactly those of scanning it alone (a batch of one document is `scan`)."""
    import checks.privacy as privacy

    rng = random.Random(25)
    pages, attachments = [], []
    for i in range(40):
        value = rng.choice([synthetic.id18(rng), synthetic.mobile(rng), synthetic.id15(rng), synthetic.bank_card(rng)])
        text = rng.choice(["身份证号", "联系电话", "", "开户账号"]) + value if i % 3 else value + "。各乡镇人民政府"
        pages.append(PageRecord(url=f"http://x.gov.cn/gsgg/{i}.htm", column_url="http://x.gov.cn/gsgg/",
                                title=f"公示{i}", text=text))
    for i in range(6):
        ident = synthetic.id18(rng)
        cells = [TextSegment("Sheet1!B1", "身份证号"), TextSegment("Sheet1!B2", f"{ident[:15]}000"),
                 TextSegment("Sheet1!B3", synthetic.id18(rng))]
        attachments.append(AttachmentRecord(url=f"http://x.gov.cn/f/{i}.{'xls' if i % 2 else 'pdf'}",
                                            page_url=pages[i].url, media_type="xls" if i % 2 else "pdf",
                                            segments=cells))
    snap = snapshot(pages, attachments)
    for check in ("personal_data", "weak_masking"):
        batched = list(CHECKS[check](snap, rule(check)))
        monkeypatch.setattr(privacy, "_BATCH_CHARS", 1)
        alone = list(CHECKS[check](snap, rule(check)))
        monkeypatch.undo()
        assert batched == alone
    found = list(CHECKS["personal_data"](snap, rule()))
    assert len(found) > 30
    assert any(o.observed["document"].startswith("附件") and o.observed["count"] == 2 for o in found)
