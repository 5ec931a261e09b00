"""Builders for realistic attachments, generated in the test run (no binary fixtures are committed).

Every personal number comes from checks.privacy.synthetic; `People` keeps them for assertions.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from dataclasses import dataclass

from checks.privacy import synthetic
from govaudit.demo.word97 import ole_bytes, word97_bytes  # noqa: F401  (shared with the demo)


@dataclass
class Person:
    name: str
    id18: str
    mobile: str


def people(seed: int = 7, n: int = 5) -> list[Person]:
    rng = random.Random(seed)
    return [Person(synthetic.person_name(rng), synthetic.id18(rng), synthetic.mobile(rng)) for _ in range(n)]


HEADER = ["序号", "姓名", "身份证号码", "联系电话", "住址"]


def xlsx_bytes(rows: list[Person], id_as_number: int | None = None, sheet: str = "低保名单") -> bytes:
    """An xlsx list; row `id_as_number` (0-based) stores its ID as a float, as Excel users do."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["2023年城乡低保对象名单"])
    ws.append(HEADER)
    for i, p in enumerate(rows):
        ident = float(p.id18) if i == id_as_number else p.id18
        ws.append([i + 1, p.name, ident, p.mobile, "城关镇幸福村"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls_bytes(rows: list[Person], id_as_number: int | None = None, sheet: str = "Sheet1") -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    ws.write(0, 0, "2023年临时救助名单")
    for c, title in enumerate(HEADER):
        ws.write(1, c, title)
    for i, p in enumerate(rows):
        ws.write(i + 2, 0, i + 1)
        ws.write(i + 2, 1, p.name)
        ws.write(i + 2, 2, float(p.id18) if i == id_as_number else p.id18)
        ws.write(i + 2, 3, p.mobile)
        ws.write(i + 2, 4, "城关镇幸福村")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def docx_bytes(rows: list[Person]) -> bytes:
    import docx

    doc = docx.Document()
    doc.add_paragraph("关于2023年度城乡低保对象的公示")
    doc.add_paragraph(f"联系人：{rows[0].name}，电话：{rows[0].mobile}。")
    table = doc.add_table(rows=1 + len(rows), cols=4)
    for c, title in enumerate(["姓名", "身份证号码", "联系电话", "住址"]):
        table.cell(0, c).text = title
    for r, p in enumerate(rows, start=1):
        for c, value in enumerate([p.name, p.id18, p.mobile, "城关镇"]):
            table.cell(r, c).text = value
    doc.add_paragraph("公示期为7天。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def pdf_bytes(pages: list[list[str]], encrypt: str | None = None) -> bytes:
    """A PDF with the CID font STSong-Light (not embedded), one list of lines per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt)
    for lines in pages:
        c.setFont("STSong-Light", 11)
        y = 800
        for line in lines:
            c.drawString(60, y, line)
            y -= 18
        c.showPage()
    c.save()
    return buf.getvalue()


def image_pdf_bytes(pages: int = 2) -> bytes:
    """A scanned-like PDF: each page is one raster image and no text."""
    # A 2×2 grey PNG, built by hand so no imaging library is needed.
    import zlib

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    raw = b"".join(b"\x00" + b"\x80\x80" for _ in range(2))
    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for _ in range(pages):
        c.drawImage(ImageReader(io.BytesIO(png)), 50, 50, 400, 600)
        c.showPage()
    c.save()
    return buf.getvalue()


def zip_bytes(members: dict[str, bytes], gbk_names: bool = False) -> bytes:
    """A zip; with gbk_names the names are raw GBK bytes without the UTF-8 flag, as Chinese Windows writes."""
    buf = io.BytesIO()
    placeholders = {}
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(members.items()):
            stored = name
            if gbk_names:
                raw = name.encode("gbk")
                stored = f"~{i:03d}".ljust(len(raw), "~")
                placeholders[stored.encode("ascii")] = raw
            zf.writestr(stored, data)
    out = buf.getvalue()
    for placeholder, raw in placeholders.items():
        out = out.replace(placeholder, raw)
    return out

