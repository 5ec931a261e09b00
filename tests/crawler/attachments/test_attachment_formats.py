"""Every format county portals publish: the synthetic personal numbers come out intact, in place."""

from __future__ import annotations

import random
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import attachment_samples as S  # noqa: E402

from checks.privacy import synthetic  # noqa: E402
from checks.privacy.scanner import scan  # noqa: E402
from crawler.extract import attachments as A  # noqa: E402
from crawler.extract.attachments import Limits, cell_location, extract_attachment, sniff  # noqa: E402


@pytest.fixture(scope="module")
def ps():
    return S.people(seed=11, n=6)


def _by_location(result):
    return {s.location: s.text for s in result.segments}


def _find(result, needle):
    """(location, offset) of the first segment holding `needle`."""
    for seg in result.segments:
        at = seg.text.find(needle)
        if at >= 0:
            return seg.location, seg.text, at
    raise AssertionError(f"{needle} not extracted")


def test_xlsx_rows_cells_and_float_ids(ps):
    data = S.xlsx_bytes(ps, id_as_number=3)
    result = extract_attachment(data, "名单.xlsx")
    assert (result.media_type, result.status, result.error) == ("xlsx", "ok", None)
    rows = _by_location(result)
    assert rows["低保名单!A3:E3"].split("\t") == ["1", ps[0].name, ps[0].id18, ps[0].mobile, "城关镇幸福村"]
    for i, p in enumerate(ps):
        if i == 3:
            continue
        loc, text, at = _find(result, p.id18)
        assert cell_location(loc, text, at) == f"低保名单!C{i + 3}"
        loc, text, at = _find(result, p.mobile)
        assert cell_location(loc, text, at) == f"低保名单!D{i + 3}"
    # The ID typed as a number: Excel keeps it as a double; the digits it holds must come out in full.
    as_float = _number_cell(ps[3].id18)
    loc, text, at = _find(result, as_float)
    assert cell_location(loc, text, at) == "低保名单!C6"
    assert abs(int(as_float) - int(ps[3].id18)) <= 64        # a double's spacing at 3e17
    assert as_float[:14] == ps[3].id18[:14]                  # province, county and birth date intact
    assert "E+" not in result.text and "e+" not in result.text


def _number_cell(digits: str) -> str:
    """What a number cell holding `digits` reads back as: the decimal Excel would have kept (at most 15
    significant digits) when the double is exactly that, else the double's exact integer."""
    shortest = Decimal(repr(float(digits))).normalize()
    return format(shortest, "f") if len(shortest.as_tuple().digits) <= 15 else str(int(float(digits)))


def _fifteen_digit_ids_whose_double_breaks_the_birth_date(n: int) -> list[str]:
    """IDs as Excel holds them in a number cell (15 significant digits, then 000) whose double's exact
    integer differs from them within the birth date: 350222199407010000 is stored as 350222199407009984."""
    rng, found = random.Random(303), []
    while len(found) < n:
        held = synthetic.id18(rng)[:15] + "000"
        if str(int(float(held)))[6:14] != held[6:14]:
            found.append(held)
    return found


def test_xlsx_number_cell_keeps_the_digits_excel_holds(ps):
    held = _fifteen_digit_ids_whose_double_breaks_the_birth_date(3)
    rows = [S.Person(p.name, h, p.mobile) for p, h in zip(ps, held)]
    for i in range(len(rows)):
        result = extract_attachment(S.xlsx_bytes(rows, id_as_number=i), "发放明细.xlsx")
        loc, text, at = _find(result, held[i])
        assert cell_location(loc, text, at) == f"低保名单!C{i + 3}"
        assert str(int(float(held[i]))) not in result.text      # never the binary noise
        # so the ID's recognizers see a real birth date and find it (its 000 may pass the check digit by chance)
        hits = scan(text, spreadsheet=True, types=["id_card"])
        assert [text[h.start:h.end] for h in hits] == [held[i]]
        assert hits[0].recognizer in ("id_card_numeric", "id_card_18")


def test_xls_and_et_and_float_ids(ps):
    data = S.xls_bytes(ps, id_as_number=0, sheet="救助")
    for name, media in (("list.xls", "xls"), ("list.et", "et"), ("list.pdf", "xls")):
        result = extract_attachment(data, name)
        assert (result.media_type, result.status) == (media, "ok"), name
        loc, text, at = _find(result, _number_cell(ps[0].id18))
        assert cell_location(loc, text, at) == "救助!C3"
        loc, text, at = _find(result, ps[5].mobile)
        assert cell_location(loc, text, at) == "救助!D8"


def test_sheet_offset_start_column_and_quoted_names():
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单 二"
    ws["C5"] = "张三"
    ws["E5"] = "13800000000"
    ws["D9"] = 12.5
    buf = io.BytesIO()
    wb.save(buf)
    result = extract_attachment(buf.getvalue(), "x.xlsx")
    rows = _by_location(result)
    assert rows == {"'名单 二'!C5:E5": "张三\t\t13800000000", "'名单 二'!C9:D9": "\t12.5"}
    assert cell_location("'名单 二'!C5:E5", "张三\t\t13800000000", 5) == "'名单 二'!E5"
    assert cell_location("第3页", "abc", 1) == "第3页"


def test_docx_paragraphs_and_table_cells(ps):
    result = extract_attachment(S.docx_bytes(ps), "公示.docx")
    assert (result.media_type, result.status) == ("docx", "ok")
    rows = _by_location(result)
    assert rows["第1段"] == "关于2023年度城乡低保对象的公示"
    assert ps[0].mobile in rows["第2段"]
    for r, p in enumerate(ps, start=2):
        assert rows[f"表1 行{r} 列2"] == p.id18
        assert rows[f"表1 行{r} 列3"] == p.mobile
    assert rows["第3段"] == "公示期为7天。"


def test_docx_merged_cells_keep_grid_columns(ps):
    import io

    import docx

    doc = docx.Document()
    table = doc.add_table(rows=2, cols=3)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = "姓名", "住址", "电话"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = ps[0].name
    table.cell(1, 2).text = ps[0].mobile
    buf = io.BytesIO()
    doc.save(buf)
    rows = _by_location(extract_attachment(buf.getvalue(), "a.docx"))
    assert rows["表1 行2 列1"] == ps[0].name and rows["表1 行2 列3"] == ps[0].mobile


def test_docx_embedded_sheet_is_extracted(ps):
    import io
    import zipfile

    base = S.docx_bytes(ps[:1])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", S.xlsx_bytes(ps[1:3]))
    result = extract_attachment(buf.getvalue(), "a.docx")
    loc, text, at = _find(result, ps[2].id18)
    assert cell_location(loc, text, at) == "嵌入对象 Microsoft_Excel_Worksheet.xlsx:低保名单!C4"


def test_xlsx_embedded_document_is_extracted(ps):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(S.xlsx_bytes(ps[:1]))) as src, \
            zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/embeddings/Microsoft_Word_Document.docx", S.docx_bytes(ps[2:4]))
    result = extract_attachment(buf.getvalue(), "a.xlsx")
    assert _find(result, ps[3].id18)[0] == "嵌入对象 Microsoft_Word_Document.docx:表1 行3 列2"


def test_pptx_slides(ps):
    ns = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" ' \
         'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'

    def slide(*paras: str) -> bytes:
        body = "".join(f"<a:p><a:r><a:t>{t}</a:t></a:r></a:p>" for t in paras)
        return f"<p:sld {ns}><p:cSld><p:spTree><p:sp><p:txBody>{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>".encode()

    types = (b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override '
             b'PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             b'presentationml.presentation.main+xml"/></Types>')
    data = S.zip_bytes({"[Content_Types].xml": types, "ppt/presentation.xml": f"<p:presentation {ns}/>".encode(),
                        "ppt/slides/slide10.xml": slide("附表", ps[1].id18),
                        "ppt/slides/slide2.xml": slide("工作汇报", f"联系人 {ps[0].name} {ps[0].mobile}")})
    result = extract_attachment(data, "汇报.pptx")
    assert (result.media_type, result.status) == ("pptx", "ok")
    assert [(s.location, s.text) for s in result.segments] == [
        ("第2张幻灯片", f"工作汇报\n联系人 {ps[0].name} {ps[0].mobile}"), ("第10张幻灯片", f"附表\n{ps[1].id18}")]


def test_pdf_pages_with_cid_font(ps):
    pages = [[f"{p.name} 身份证 {p.id18} 电话 {p.mobile}" for p in ps[:3]], ["第二页"] + [ps[4].id18]]
    result = extract_attachment(S.pdf_bytes(pages), "公示.pdf")
    assert (result.media_type, result.status) == ("pdf", "ok")
    rows = _by_location(result)
    assert list(rows) == ["第1页", "第2页"]
    assert all(p.id18 in rows["第1页"] and p.mobile in rows["第1页"] for p in ps[:3])
    assert ps[0].name in rows["第1页"]
    assert ps[4].id18 in rows["第2页"]


def test_pdf_page_limit_is_recorded():
    result = extract_attachment(S.pdf_bytes([[f"第{i}页内容"] for i in range(1, 6)]), "a.pdf",
                                Limits(max_pdf_pages=2))
    assert [s.location for s in result.segments] == ["第1页", "第2页"]
    assert result.status == "ok" and "共5页，仅提取前2页" in result.error


def test_scanned_pdf_needs_ocr():
    result = extract_attachment(S.image_pdf_bytes(), "扫描件.pdf")
    assert (result.media_type, result.status, result.segments) == ("pdf", "needs_ocr", [])
    assert "OCR" in result.error


def test_encrypted_pdf_and_ooxml():
    result = extract_attachment(S.pdf_bytes([["保密"]], encrypt="secret"), "a.pdf")
    assert (result.status, result.error) == ("error", A.ENCRYPTED)
    sealed = S.ole_bytes({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 64})
    for name, media in (("名单.xlsx", "xlsx"), ("公示.docx", "docx"), ("x.bin", "ooxml")):
        result = extract_attachment(sealed, name)
        assert (result.media_type, result.status, result.error) == (media, "error", A.ENCRYPTED)


def test_encrypted_xls_filepass_record():
    # BOF (0x0809) then FILEPASS (0x002F): what Excel writes for a password-protected BIFF8 workbook.
    stream = b"\x09\x08\x10\x00" + b"\x00\x06\x05\x00" + b"\x00" * 12 + b"\x2f\x00\x06\x00" + b"\x01\x00" * 3
    result = extract_attachment(S.ole_bytes({"Workbook": stream}), "a.xls")
    assert (result.media_type, result.status, result.error) == ("xls", "error", A.ENCRYPTED)


def test_csv_in_gbk_and_text(ps):
    csv_text = "姓名,身份证号码,电话\n" + "\n".join(f"{p.name},{p.id18},{p.mobile}" for p in ps)
    result = extract_attachment(csv_text.encode("gbk"), "名单.csv")
    assert (result.media_type, result.status) == ("csv", "ok")
    loc, text, at = _find(result, ps[2].mobile)
    assert cell_location(loc, text, at) == "C4"
    txt = f"公示\n\n联系人：{ps[0].name}\n电话：{ps[0].mobile}\n".encode("gb18030")
    result = extract_attachment(txt, "说明.txt")
    assert result.media_type == "txt"
    assert _by_location(result)["第3行"] == f"联系人：{ps[0].name}\n电话：{ps[0].mobile}"
    utf16 = f"身份证：{ps[1].id18}".encode("utf-16")
    assert ps[1].id18 in extract_attachment(utf16, "a.txt").text


def test_html_served_as_attachment(ps):
    html = (f"<html><head><meta charset='gbk'><script>var x='{ps[3].id18}'</script></head>"
            f"<body><p>姓名：{ps[0].name}</p><table><tr><td>{ps[0].id18}</td><td>{ps[0].mobile}</td></tr>"
            "</table></body></html>").encode("gbk")
    result = extract_attachment(html, "list.xls")
    assert (result.media_type, result.status) == ("html", "ok")
    assert ps[0].id18 in result.text and ps[0].mobile in result.text and ps[0].name in result.text
    assert ps[3].id18 not in result.text


def test_zip_with_gbk_member_names(ps):
    data = S.zip_bytes({"名单.xlsx": S.xlsx_bytes(ps), "附件/说明.txt": f"电话{S.people(seed=99, n=1)[0].mobile}".encode("gbk")},
                       gbk_names=True)
    result = extract_attachment(data, "附件.zip")
    assert (result.media_type, result.status) == ("zip", "ok")
    loc, text, at = _find(result, ps[4].id18)
    assert cell_location(loc, text, at) == "名单.xlsx:低保名单!C7"
    assert _find(result, S.people(seed=99, n=1)[0].mobile)[0] == "附件/说明.txt:第1行"


def test_zip_member_problems_are_listed(ps):
    data = S.zip_bytes({"a.txt": f"电话{ps[1].mobile}".encode(), "扫描.pdf": S.image_pdf_bytes(1),
                        "b.ofd": S.zip_bytes({"OFD.xml": b"<ofd:OFD/>"})})
    result = extract_attachment(data, "x.zip")
    assert result.status == "ok"
    assert "扫描.pdf：PDF 无文本层" in result.error and "b.ofd：OFD" in result.error
    only_scans = extract_attachment(S.zip_bytes({"扫描.pdf": S.image_pdf_bytes(1)}), "x.zip")
    assert only_scans.status == "needs_ocr"


def test_ofd_is_unparsed():
    data = S.zip_bytes({"OFD.xml": b"<?xml version='1.0'?><ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>",
                        "Doc_0/Document.xml": b"<x/>"})
    result = extract_attachment(data, "通知.ofd")
    assert (result.media_type, result.status, result.error) == ("ofd", "unparsed", A.OFD_UNPARSED)


def test_sniff_ignores_extensions(ps):
    assert sniff(S.docx_bytes(ps[:1]), "a.pdf") == "docx"
    assert sniff(S.xlsx_bytes(ps[:1]), "a.doc") == "xlsx"
    assert sniff(S.pdf_bytes([["x"]]), "a.xls") == "pdf"
    assert sniff(S.xls_bytes(ps[:1]), "a.et") == "et"
    assert sniff(S.xls_bytes(ps[:1]), "a.doc") == "xls"
    word = S.ole_bytes({"WordDocument": b"\xec\xa5" + b"\x00" * 64, "1Table": b""})
    assert (sniff(word, "a.wps"), sniff(word, "a.doc"), sniff(word, "a.xls")) == ("wps", "doc", "doc")
    assert sniff(S.zip_bytes({"a.txt": b"x"}), "a.docx") == "zip"
    assert sniff(b"", "a.pdf") is None
    assert sniff(bytes(range(256)) * 8, "a.txt") is None
    assert sniff(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "a.pdf") == "image"


def test_docx_named_pdf_extracts_as_docx(ps):
    result = extract_attachment(S.docx_bytes(ps), "公示.pdf")
    assert (result.media_type, result.status) == ("docx", "ok")
    assert ps[3].id18 in result.text


needs_antiword = pytest.mark.usefixtures("antiword")   # tests/conftest.py: skip, or fail under CI


@needs_antiword
def test_word97_doc_and_wps_through_antiword(ps):
    paras = ["关于低保对象的公示", f"{ps[0].name} 身份证 {ps[0].id18} 电话 {ps[0].mobile}", "", f"{ps[1].id18}"]
    data = S.word97_bytes(paras)
    for name, media in (("公示.doc", "doc"), ("公示.wps", "wps"), ("公示.xls", "doc")):
        result = extract_attachment(data, name)
        assert (result.media_type, result.status, result.error) == (media, "ok", None), name
        rows = _by_location(result)
        assert rows["第1段"] == "关于低保对象的公示"
        assert rows["第2段"] == paras[1]
        assert rows["第3段"] == ps[1].id18
    assert ps[0].id18 in extract_attachment(S.zip_bytes({"a.doc": data}), "a.zip").text


def _rtf_gbk(text: str) -> str:
    return "".join(f"\\'{b:02x}" for b in text.encode("gbk"))


def test_rtf_served_as_doc(ps):
    rtf = ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 " + _rtf_gbk("宋体") + ";}}"
           "{\\*\\generator Msftedit 5.41;}\\uc1\\pard\\f0\\fs24 " + _rtf_gbk("关于低保对象的公示") + "\\par "
           + _rtf_gbk(ps[0].name) + f" {ps[0].id18}\\tab {ps[0].mobile}\\par "
           + "".join(f"\\u{ord(ch)}?" for ch in ps[1].name) + f" {ps[1].id18}\\par "
           + "\\u-10179?\\u-8694?\\u-10179? x\\par}").encode("ascii")        # a surrogate pair, then a lone half
    result = extract_attachment(rtf, "公示.doc")
    assert (result.media_type, result.status) == ("rtf", "ok")
    lines = result.segments[0].text.split("\n")
    assert lines == ["关于低保对象的公示", f"{ps[0].name} {ps[0].id18}\t{ps[0].mobile}", f"{ps[1].name} {ps[1].id18}",
                     "\U0001F60A\ufffd x"]
    assert "宋体" not in result.text and "Msftedit" not in result.text


def test_antiword_that_hangs_is_stopped(tmp_path, monkeypatch):
    fake = tmp_path / "antiword"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setattr(A, "_ANTIWORD", str(fake))
    result = extract_attachment(S.word97_bytes(["x"]), "a.doc", Limits(timeout_s=0.3))
    assert result.status == "error" and result.error.startswith("提取超时")


def test_antiword_that_crashes_is_recorded(tmp_path, monkeypatch):
    fake = tmp_path / "antiword"
    fake.write_text("#!/bin/sh\nkill -SEGV $$\n")
    fake.chmod(0o755)
    monkeypatch.setattr(A, "_ANTIWORD", str(fake))
    result = extract_attachment(S.word97_bytes(["x"]), "a.doc")
    assert (result.status, result.error) == ("error", "文件已损坏，无法提取（corrupt: antiword 异常退出，信号11）")


def test_doc_garbage_goes_through_antiword_and_is_recorded():
    word = S.ole_bytes({"WordDocument": b"\xec\xa5\xc1\x00" + b"\x00" * 64, "1Table": b"\x00" * 16})
    result = extract_attachment(word, "a.wps")
    assert result.media_type == "wps" and result.status in ("error", "unparsed")
    if shutil.which("antiword"):
        assert result.status == "error" and result.error.startswith("文件已损坏") and "antiword" in result.error


def test_doc_encrypted_flag():
    result = extract_attachment(S.word97_bytes(["保密"], encrypted=True), "a.doc")
    assert (result.media_type, result.status, result.error) == ("doc", "error", A.ENCRYPTED)


def test_doc_without_antiword_is_unparsed(monkeypatch):
    monkeypatch.setattr(A, "_ANTIWORD", "antiword-not-installed-here")
    word = S.ole_bytes({"WordDocument": b"\xec\xa5\xc1\x00" + b"\x00" * 64})
    result = extract_attachment(word, "a.doc")
    assert (result.status, result.error) == ("unparsed", "未安装 antiword，doc/wps 文件暂不解析")
