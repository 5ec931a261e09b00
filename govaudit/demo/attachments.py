"""Real attachment bytes for the demo portal: xls (xlwt), xlsx (openpyxl), docx (python-docx), pdf
(reportlab, CID font so the Chinese text extracts), csv and zip.

Every writer pins the timestamps the libraries would otherwise take from the clock, so a build is
byte-identical for the same seed and date.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

Cell = str | int | float


def _zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    return (max(when.year, 1980), when.month, when.day, when.hour, when.minute, 0)


def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """Re-pack an OOXML/zip file with fixed member times and fixed docProps dates."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms)", rf"\g<1>{stamp}\g<2>", text)
                text = re.sub(r"(<cp:lastPrinted>)[^<]*(</cp:lastPrinted>)", rf"\g<1>{stamp}\g<2>", text)
                body = text.encode("utf-8")
            member = zipfile.ZipInfo(info.filename, date_time=_zip_time(when))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, body)
    return out.getvalue()


def make_xls(sheet: str, rows: list[list[Cell]]) -> bytes:
    """A BIFF8 .xls workbook (what county offices still upload most)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def make_xlsx(sheet: str, rows: list[list[Cell]], when: dt.datetime) -> bytes:
    """An .xlsx workbook; numeric cells stay numeric (an ID typed into Excel as a number)."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.properties.creator = "青禾县"
    book.properties.created = when
    book.properties.modified = when
    buf = io.BytesIO()
    book.save(buf)
    return normalise_zip(buf.getvalue(), when)


def make_docx(title: str, paragraphs: list[str], table: list[list[str]] | None, when: dt.datetime) -> bytes:
    """A .docx with a heading, body paragraphs and an optional table."""
    from docx import Document

    doc = Document()
    doc.core_properties.author = "青禾县"
    doc.core_properties.created = when
    doc.core_properties.modified = when
    doc.core_properties.last_printed = when
    doc.add_heading(title, level=1)
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        grid = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = str(value)
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue(), when)


def make_pdf(title: str, lines: list[str]) -> bytes:
    """A text PDF set in the STSong-Light CID font, so extractors get real Chinese text back."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    pdf.setTitle(title)
    width, height = A4
    y = height - 72
    pdf.setFont("STSong-Light", 16)
    pdf.drawString(72, y, title)
    pdf.setFont("STSong-Light", 11)
    y -= 36
    for line in lines:
        if y < 72:
            pdf.showPage()
            pdf.setFont("STSong-Light", 11)
            y = height - 72
        pdf.drawString(72, y, line)
        y -= 20
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def make_csv(rows: list[list[Cell]]) -> bytes:
    """A GB18030 csv, the encoding Excel on a Chinese desktop produces."""
    text = "\r\n".join(",".join(str(v) for v in row) for row in rows) + "\r\n"
    return text.encode("gb18030")


def make_zip(members: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A zip archive with UTF-8 member names and fixed times."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, body in members:
            member = zipfile.ZipInfo(name, date_time=_zip_time(when))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, body)
    return out.getvalue()
