"""Golden files for findings.json and report.md; set GOVAUDIT_REGEN_GOLDEN=1 to rewrite them."""

import copy
import json
import os
from pathlib import Path

import pytest

from reports.guard import ReportError
from reports.json_report import build_document, render_json, validation_errors, write_json
from reports.markdown import render_markdown, write_markdown

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("GOVAUDIT_REGEN_GOLDEN") == "1"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if REGEN:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden {path}; run with GOVAUDIT_REGEN_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_markdown_golden(model):
    check_golden("report.md", render_markdown(model))


def test_json_golden(model):
    check_golden("findings.json", render_json(model))


def test_json_valid_and_shaped(model, tmp_path):
    path = write_json(model, tmp_path / "out" / "findings.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert validation_errors(doc) == []
    assert doc["site"] == {"name": "云县人民政府", "url": "http://www.yx.example.gov.cn"}
    assert doc["run"]["pages"] == 12 and doc["run"]["status"] == "finished"
    assert [f["id"] for f in doc["findings"]][:2] == ["f-veto-1", "f-pii-1"]
    assert doc["summary"]["veto"]["passed"] is False and doc["summary"]["total"] == 4
    assert doc["resolved"][0]["status"] == "resolved"
    assert {c["name"] for c in doc["columns"]} >= {"部门动态", "规划计划"}


@pytest.mark.parametrize("mutate, where", [
    (lambda d: d["findings"][0].update(severity="critical"), "findings/0/severity"),
    (lambda d: d["findings"][0].update(first_seen="31/01/2023"), "findings/0/first_seen"),
    (lambda d: d["findings"][1].update(url="ftp://x"), "findings/1/url"),
    (lambda d: d["run"].pop("pages"), "run"),
    (lambda d: d.update(extra=1), "(root)"),
])
def test_schema_rejects_bad_documents(model, mutate, where):
    doc = copy.deepcopy(build_document(model))
    mutate(doc)
    errors = validation_errors(doc)
    assert errors and errors[0].startswith(where)


def test_invalid_finding_is_left_out_and_recorded_not_the_whole_file(model, tmp_path):
    bad = model.findings[0]
    bad.severity = "critical"
    doc = json.loads(write_json(model, tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert validation_errors(doc) == [] and bad.id not in [f["id"] for f in doc["findings"]]
    assert len(doc["findings"]) == len(model.findings) - 1
    (error,) = doc["errors"]
    assert error["stage"] == "report" and error["rule"] == bad.rule and "severity" in error["message"]
    assert doc["status"] == "有检查异常" and model.problems and "本次检查不完整" in doc["summary"]["headline"]


def test_write_refuses_a_document_invalid_beyond_one_item(model, tmp_path):
    model.run["pages"] = -1
    with pytest.raises(ReportError, match="不符合格式要求"):
        write_json(model, tmp_path / "findings.json")
    assert not (tmp_path / "findings.json").exists()


def test_unwritable_path_is_report_error(model, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError):
        write_markdown(model, blocker / "report.md")
