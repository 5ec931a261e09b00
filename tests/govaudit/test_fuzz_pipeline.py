"""Property test of the whole pipeline: personal data is a value in content, never structure.

Each example builds a tiny portal (tests/govaudit/pii_portal.py) from generated numbers that pass the
ID (GB 11643), Luhn and mobile-segment checks, planted into a Hanweb download file name, a 14-digit
timestamp file name, a 文号, titles, a column name, article text, an attachment table, JSON inside a
<script>, a page URL (?sfzh=<ID>) and a link path (/phone/<mobile>/), serves it on 127.0.0.1 and runs one
real `govaudit audit` process. Every audit must write all five files, findings.json must validate
against its schema, no raw content value may appear in any output file or in the SQLite database, no
personal value carried by a URL may appear in any output, and the structural values (the Hanweb
download URL, its digit-run file name) must appear intact where they are reported.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.privacy import synthetic
from checks.privacy.checksums import is_valid_id18, luhn_check_digit, luhn_ok
from tests.govaudit import pii_portal

pytestmark = pytest.mark.slow      # real govaudit processes (a Scrapy reactor cannot restart in pytest)
SCHEMA = Path(__file__).resolve().parents[2] / "reports" / "schema" / "findings.schema.json"
OUTPUTS = ("findings.json", "report.html", "report.docx", "report.md", "rectification.xlsx")


def _luhn_run(rng: random.Random, prefix: str, length: int) -> str:
    partial = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    return partial + luhn_check_digit(partial)


def _plant(seed: int) -> tuple[pii_portal.Plant, dict[str, list[str]]]:
    """A portal's plant from one seed, and the generated values by what must happen to them."""
    rng = random.Random(seed)
    download = _luhn_run(rng, rng.choice(["2203", "6222", "6217", "4392"]), rng.choice([16, 17, 19]))
    ids = [synthetic.id18(rng) for _ in range(4)]
    mobiles = [synthetic.mobile(rng) for _ in range(4)]
    cards = [synthetic.bank_card(rng) for _ in range(2)]
    url_id, url_mobile = synthetic.id18(rng), synthetic.mobile(rng)
    rows = [["序号", "姓名", "身份证号码", "联系电话", "银行卡号"]]
    rows += [[str(i + 1), synthetic.person_name(rng), ids[2 + i], mobiles[2 + i], cards[i]] for i in range(2)]
    plant = pii_portal.Plant(
        download_name=download,
        column_name=f"补贴公示{rng.randint(1, 9)}",
        title_value=f"王某（电话{mobiles[0]}）",
        doc_number=f"县政办发〔{rng.randint(2019, 2023)}〕{rng.randint(1, 200)}号",
        body_values=[ids[0], mobiles[1], cards[0]],
        doc_values=[ids[1]],
        table_rows=rows,
        script_values=[synthetic.id18(rng)],
        url_id=url_id,
        url_mobile=url_mobile,
        timestamp_name=f"2023{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 23):02d}"
                       f"{rng.randint(0, 59):02d}{rng.randint(0, 59):02d}",
    )
    content = ids + mobiles + cards + plant.script_values
    assert all(is_valid_id18(v) for v in ids + [url_id]) and all(luhn_ok(v) for v in cards + [download])
    return plant, {"content": content, "url": [url_id, url_mobile], "structure": [download]}


def _text(path: Path) -> str:
    """Everything a reader of the file sees (XML tags of docx/xlsx removed, so split runs join again)."""
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as archive:
            xml = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml"))
        return re.sub(r"<[^>]+>", "", xml)
    return path.read_text(encoding="utf-8")


def _database_text(db: Path) -> str:
    connection = sqlite3.connect(db)
    try:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(repr(row) for table in tables for row in connection.execute(f'SELECT * FROM "{table}"'))
    finally:
        connection.close()


def _audit(plant: pii_portal.Plant, root: Path) -> tuple[Path, Path, str]:
    with pii_portal.PortalServer(pii_portal.build(plant)) as server:
        result = pii_portal.audit(server.url, root / "out", root / "db.sqlite")
        base = server.url.rsplit("/", 1)[0]
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return root / "out", root / "db.sqlite", base


def _check_outputs(out: Path, db: Path, base: str, plant: pii_portal.Plant, values: dict[str, list[str]]) -> dict:
    import jsonschema

    for name in OUTPUTS:
        assert (out / name).is_file(), f"{name} not written"
    report = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, json.loads(SCHEMA.read_text(encoding="utf-8")))
    texts = {name: _text(out / name) for name in OUTPUTS}
    stored = _database_text(db)
    for value in values["content"]:
        for name, text in texts.items():
            assert value not in text, f"{name} holds a raw content value"
        assert value not in stored, "the database holds a raw content value"
    for value in values["url"]:
        for name, text in texts.items():
            assert value not in text, f"{name} holds a raw personal value carried by a URL"
        assert value not in stored, "the database holds a raw personal value carried by a URL"
    for name, text in texts.items():
        assert "⟦" not in text, f"{name} shows a stored token instead of a masked value"
    hanweb = f"{base}/module/download/downfile.jsp?classid=0&filename={plant.download_name}.doc"
    reported = [f for f in report["findings"] if f["url"] == hanweb]
    assert reported, "the Hanweb attachment's finding lost its URL"
    assert all(f"{plant.download_name}.doc" in f["evidence"] for f in reported)
    assert f"{plant.download_name}.doc" in texts["report.md"] and f"{plant.download_name}.doc" in texts["report.html"]
    return report


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_pipeline_masks_content_and_keeps_structure(seed, tmp_path_factory):
    plant, values = _plant(seed)
    out, db, base = _audit(plant, tmp_path_factory.mktemp("fuzz"))
    report = _check_outputs(out, db, base, plant, values)
    # The content was crawled and judged (else "no raw value" would prove nothing) …
    found = {(f["rule"], f["url"].rsplit("/", 1)[-1]) for f in report["findings"]}
    assert {("PII001", "P020230130_list.xlsx"), ("PII002", "P020230130_list.xlsx"),
            ("PII003", "art_1_101.html"), ("PII001", "art_1_101.html")} <= found, sorted(found)
    # … and the download name in the article's text (a Luhn-valid run near 银行卡号) is not a card.
    cards = [f for f in report["findings"] if f["rule"] == "PII003" and f["url"].endswith("art_1_101.html")]
    assert [f["count"] for f in cards] == [1], [f["evidence"] for f in cards]
    in_url = [f for f in report["findings"] if f["rule"] == "PII007"]
    assert {f["pii_type"] for f in in_url} == {"id_card", "mobile"}, [f["evidence"] for f in in_url]
    assert all(f["needs_review"] is False and "*" in f["url"] for f in in_url)


def test_hanweb_download_url_survives_the_audit(tmp_path):
    """The filed case (issue 10 item 1): a Luhn-valid digit run in downfile.jsp's file name, exit 2, no report."""
    rng = random.Random(10)
    download = _luhn_run(rng, "2203", 16)
    plant = pii_portal.Plant(download_name=download, doc_values=[synthetic.id18(rng)])
    out, db, base = _audit(plant, tmp_path)
    values = {"content": plant.doc_values, "url": [], "structure": [download]}
    report = _check_outputs(out, db, base, plant, values)
    hanweb = [f for f in report["findings"] if f["rule"] == "PII001" and "downfile.jsp" in (f["url"] or "")]
    assert len(hanweb) == 1 and hanweb[0]["url"].endswith(f"filename={download}.doc")
    assert "⟦" not in json.dumps(report, ensure_ascii=False)
