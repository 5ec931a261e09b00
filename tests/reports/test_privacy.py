"""No output file holds unmasked personal data, even when upstream Findings carry raw values."""

import random
import zipfile

import pytest
from conftest import HISTORY, col, finding, make_findings, make_resolved, make_snapshot

from checks.privacy import synthetic
from checks.privacy.checksums import is_valid_id18
from reports.docx_report import write_docx
from reports.guard import ReportError
from reports.html import write_html
from reports.json_report import write_json
from reports.markdown import render_markdown, write_markdown
from reports.model import build_report_model
from reports.xlsx import write_xlsx

try:
    from checks.privacy.scanner import scan
except ImportError:                                   # the scanner is built in parallel; fall back to checksums
    scan = None


@pytest.fixture
def planted():
    rng = random.Random(20230131)
    values = {"id": synthetic.id18(rng), "id2": synthetic.id18(rng), "mobile": synthetic.mobile(rng),
              "card": synthetic.bank_card(rng)}
    assert is_valid_id18(values["id"]) and is_valid_id18(values["id2"])
    return values


def leaky_findings(v: dict) -> list:
    findings = make_findings(raw_id=v["id"])          # raw ID inside a message
    findings += [
        finding("leak-2", "personal_data", "major", col(f"公示{v['id2']}", "/gs/"), f"http://www.yx.example.gov.cn/gs/show.jsp?sjh={v['mobile']}",
                title=f"含手机号码{v['mobile']}", evidence=f"联系电话：{v['mobile']}", pii_type="mobile",
                remediation=f"删除卡号 {v['card']} 后重新发布", location=f"Sheet1!B{v['id2']}",
                observed={"value": v["id2"]}, message=f"户主{v['id2']}，账号{v['card']}"),
        finding("leak-veto", "veto", "veto", None, "http://www.yx.example.gov.cn/", title=f"严重问题{v['id']}"),
    ]
    return findings


def file_texts(paths) -> dict[str, str]:
    out = {}
    for path in paths:
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as z:
                out[path.name] = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                                           if n.endswith((".xml", ".rels")))
        else:
            out[path.name] = path.read_text(encoding="utf-8")
    return out


def test_no_raw_values_in_any_output(tmp_path, planted):
    model = build_report_model(make_snapshot(), leaky_findings(planted), HISTORY, make_resolved())
    paths = [write_json(model, tmp_path / "findings.json"), write_markdown(model, tmp_path / "report.md"),
             write_html(model, tmp_path / "report.html"), write_docx(model, tmp_path / "report.docx"),
             write_xlsx(model, tmp_path / "rectification.xlsx")]
    texts = file_texts(paths)
    assert len(texts) == 5
    for name, text in texts.items():
        for kind, value in planted.items():
            assert value not in text, f"{name} leaks {kind}"
        if scan is not None:
            hits = [h for h in scan(text) if h.kind == "personal_data" and h.validated]
            assert hits == [], f"{name}: {[(h.pii_type, h.masked) for h in hits]}"
    # The masked forms are there instead: the guard rewrote, it did not drop the finding.
    assert planted["id"][:2] + "*" * 13 + planted["id"][-3:] in texts["report.md"]
    assert planted["mobile"][:3] + "****" + planted["mobile"][-4:] in texts["findings.json"]


@pytest.mark.parametrize("writer", [write_json, write_markdown, write_html, write_docx, write_xlsx])
def test_every_renderer_guard_refuses_raw_text(model, planted, writer, tmp_path):
    # Bypass the model's masking on purpose: each renderer must still refuse to write.
    model.section5.problems[0] += planted["id"]
    model.rows[0].description += planted["mobile"]
    model.findings[0].message += planted["card"]
    with pytest.raises(ReportError, match="未脱敏"):
        writer(model, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_markdown_guard_names_the_output(model, planted):
    model.section5.problems[0] += planted["id"]
    with pytest.raises(ReportError, match="report.md"):
        render_markdown(model)
