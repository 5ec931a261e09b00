"""Hostile and broken inputs: each one is bounded, recorded as a status with a Chinese reason, never raised."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import attachment_samples as S  # noqa: E402

from crawler.extract.attachments import Limits, MiB, extract_attachment  # noqa: E402

STATUSES = {"ok", "needs_ocr", "error", "unparsed", "too_large"}


def _replace_member(data: bytes, name: str, body: bytes) -> bytes:
    return _with_members(data, {name: body})


def _with_members(data: bytes, members: dict[str, bytes]) -> bytes:
    """A copy of an Office zip with some parts replaced or added."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, members.pop(info.filename, None) or src.read(info))
        for name, body in members.items():
            dst.writestr(name, body)
    return buf.getvalue()


LAUGHS = "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' if i else '<!ENTITY lol0 "lol">' for i in range(10))


def test_billion_laughs_in_docx_is_not_expanded():
    body = ('<?xml version="1.0"?><!DOCTYPE w:document [' + LAUGHS + ']>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            '<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p><w:p><w:r><w:t>公示期7天</w:t></w:r></w:p>'
            '</w:body></w:document>').encode()
    data = _replace_member(S.docx_bytes(S.people(n=1)), "word/document.xml", body)
    result = extract_attachment(data, "bomb.docx")
    assert result.status in ("ok", "error")
    assert len(result.text) < 10_000                       # 10**9 "lol"s were never built
    if result.status == "ok":
        assert "公示期7天" in result.text


def test_external_entity_in_docx_is_not_fetched():
    body = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            b'<w:p><w:r><w:t>a&xxe;b</w:t></w:r></w:p></w:body></w:document>')
    data = _replace_member(S.docx_bytes(S.people(n=1)), "word/document.xml", body)
    result = extract_attachment(data, "xxe.docx")
    assert result.status in ("ok", "error")
    assert "root:" not in result.text


def _xlsx_with_shared_string(doctype: str, value: str) -> bytes:
    """openpyxl writes inline strings; point cell A1 at a shared string instead (a DTD may precede it)."""
    data = S.xlsx_bytes(S.people(n=2))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
        types = zf.read("[Content_Types].xml")
    sheet = sheet.replace(b'<c r="A1" t="inlineStr">', b'<c r="A1" t="s"><v>0</v></c><c r="Z1" t="inlineStr">', 1)
    rels = rels.replace(b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                        b"</Relationships>")
    types = types.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                          b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    sst = (f'<?xml version="1.0"?>{doctype}'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
           f"<si><t>{value}</t></si></sst>").encode()
    return _with_members(data, {"xl/worksheets/sheet1.xml": sheet, "xl/_rels/workbook.xml.rels": rels,
                                "[Content_Types].xml": types, "xl/sharedStrings.xml": sst})


def test_billion_laughs_in_xlsx_shared_strings():
    control = extract_attachment(_xlsx_with_shared_string("", "共享字符串"), "ok.xlsx")
    assert control.status == "ok" and control.segments[0].text.startswith("共享字符串\t")  # a sound fixture
    result = extract_attachment(_xlsx_with_shared_string(f"<!DOCTYPE sst [{LAUGHS}]>", "&lol9;"), "bomb.xlsx")
    assert result.status in ("ok", "error") and "lollol" not in result.text    # calamine never expands it


def test_sheet_spanning_the_whole_grid_is_skipped_not_allocated():
    ps = S.people(n=2)
    data = S.xlsx_bytes(ps)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    result = extract_attachment(_replace_member(data, "xl/worksheets/sheet1.xml",
                                                sheet.replace(b"</sheetData>", far)), "grid.xlsx")
    assert result.status == "error" and "1048576行×16384列" in result.error


def test_zip_bomb_by_ratio_stops_before_inflating():
    data = S.zip_bytes({"readme.txt": b"hello", "zeros.xlsx": b"\x00" * (20 * MiB)})
    result = extract_attachment(data, "bomb.zip", Limits(max_zip_ratio=100))
    assert result.status == "error" and "压缩炸弹" in result.error and "压缩比" in result.error


def test_zip_total_budget_and_member_cap():
    chunk = os.urandom(MiB)                               # incompressible: ratio ≈ 1, only the total trips
    data = S.zip_bytes({f"{i}.bin": chunk for i in range(5)})
    result = extract_attachment(data, "many.zip", Limits(max_zip_total=3 * MiB))
    assert result.status == "error" and "总量超过上限" in result.error
    small = S.zip_bytes({f"{i}.txt": f"第{i}号 13800000000".encode() for i in range(30)})
    result = extract_attachment(small, "many.zip", Limits(max_zip_members=10))
    assert result.status == "ok" and len(result.segments) == 10 and "其余未提取" in result.error
    result = extract_attachment(small, "many.zip", Limits(max_zip_members=2))
    assert result.status == "error" and "成员过多" in result.error


def test_nested_zip_bomb_depth_is_bounded():
    data = b"13800000000"
    for level in range(8):
        data = S.zip_bytes({f"level{level}.zip" if level else "inner.txt": data})
    result = extract_attachment(data, "nested.zip")
    assert result.status == "error" and "嵌套层数过多" in result.error


def test_nested_zip_shares_one_budget():
    inner = S.zip_bytes({f"{i}.bin": os.urandom(MiB // 2) for i in range(4)})
    outer = S.zip_bytes({f"copy{i}.zip": inner for i in range(6)})
    result = extract_attachment(outer, "42.zip", Limits(max_zip_total=5 * MiB))
    assert result.status == "error" and "压缩炸弹" in result.error


def test_zip_member_lying_about_its_size():
    text = ("身份证 " + "1" * 18 + "\n").encode() * 2000
    data = bytearray(S.zip_bytes({"a.txt": text}))
    real = len(text).to_bytes(4, "little")
    data = bytes(data).replace(real, (100).to_bytes(4, "little"))  # local + central header say 100 bytes
    result = extract_attachment(data, "liar.zip")
    assert result.status in ("error", "ok")
    assert len(result.text) <= 100


def test_encrypted_zip_member_is_recorded():
    data = bytearray(S.zip_bytes({"a.txt": b"13800000000", "b.txt": "说明".encode()}))
    # Set the "encrypted" general-purpose flag of a.txt in its local and central headers.
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        data[at + offset] |= 1
    result = extract_attachment(bytes(data), "x.zip")
    assert result.status == "ok" and "a.txt：文件已加密，无法提取" in result.error
    assert "13800000000" not in result.text and "说明" in result.text


LOOPING_PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >> endobj
trailer << /Root 1 0 R /Size 4 >>
%%EOF
"""

LYING_COUNT_PDF = LOOPING_PDF.replace(b"/Kids [2 0 R] /Parent 2 0 R /Count 1", b"/Kids [] /Count 999999999")


@pytest.mark.parametrize("data", [LOOPING_PDF, LYING_COUNT_PDF, b"%PDF-1.7\n" + os.urandom(4096),
                                  b"%PDF-", S.pdf_bytes([["一二三"]] * 3)[:700]],
                         ids=["loop", "lying-count", "garbage", "header-only", "truncated"])
def test_malformed_pdfs_are_recorded(data):
    result = extract_attachment(data, "bad.pdf")
    assert result.media_type == "pdf"
    assert result.status in ("error", "needs_ocr")
    assert result.error


@pytest.mark.parametrize("name,make", [
    ("a.xlsx", lambda: S.xlsx_bytes(S.people(n=50))),
    ("a.xls", lambda: S.xls_bytes(S.people(n=50))),
    ("a.docx", lambda: S.docx_bytes(S.people(n=50))),
    ("a.zip", lambda: S.zip_bytes({"a.xlsx": S.xlsx_bytes(S.people(n=50))})),
    ("a.doc", lambda: S.ole_bytes({"WordDocument": b"\xec\xa5\xc1\x00" + bytes(600), "1Table": bytes(600)})),
])
def test_truncated_files_are_recorded(name, make):
    data = make()
    for cut in (len(data) // 2, len(data) - 30, 600):
        result = extract_attachment(data[:cut], name)
        assert result.status in STATUSES
        assert result.status == "ok" or result.error, (name, cut, result)
        assert result.status != "ok" or result.segments


def test_too_large_is_refused_without_parsing():
    data = S.pdf_bytes([["x"]])
    result = extract_attachment(data, "a.pdf", Limits(max_bytes=len(data) - 1))
    assert (result.media_type, result.status, result.segments) == ("pdf", "too_large", [])
    assert "大小上限" in result.error


def test_text_budget_truncates_and_says_so():
    ps = S.people(n=40)
    result = extract_attachment(S.xlsx_bytes(ps), "a.xlsx", Limits(max_text_chars=300))
    assert result.status == "ok" and "已截断" in result.error
    assert sum(len(s.text) for s in result.segments) == 300


def test_deadline_keeps_partial_text():
    result = extract_attachment(S.xlsx_bytes(S.people(n=5)), "a.xlsx", Limits(timeout_s=0))
    assert result.status == "error" and result.error.startswith("提取超时")


@pytest.mark.parametrize("data", [b"", b"\x00" * 100, os.urandom(2048), b"PK\x03\x04" + os.urandom(200),
                                  b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(600), b"Rar!\x1a\x07\x00"],
                         ids=["empty", "zeros", "random", "zip-header", "ole-header", "rar"])
def test_junk_never_raises(data):
    result = extract_attachment(data, "x.doc")
    assert result.status in ("error", "unparsed") and result.error


def test_rtf_with_deep_nesting_and_junk_is_bounded():
    data = b"{\\rtf1" + b"{" * 200_000 + b"\\'zz\\u-99999999999 text" + b"}" * 10 + b"\\" + os.urandom(2000)
    result = extract_attachment(data, "a.rtf")
    assert result.media_type == "rtf" and result.status in ("ok", "error")
