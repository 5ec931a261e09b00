"""Attachment files as county portals serve them: a real BIFF8 .xls, a real PDF, a ".doc" that is an HTML
page (what "另存为 Word" from many office systems and eWebEditor uploads really are), and a PDF cut short
in transfer (the corrupt file every large portal has)."""

from __future__ import annotations

import io

import xlwt
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas


def xls_roster(sheet_name: str, header: list[str], rows: list[list[str]], title: str) -> bytes:
    """An .xls whose first row is a merged title and second row the header (rows start at Excel row 3)."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(sheet_name)
    sheet.write_merge(0, 0, 0, len(header) - 1, title)
    for col, name in enumerate(header):
        sheet.write(1, col, name)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row):
            sheet.write(r, col, value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def pdf_roster(title: str, header: list[str], rows: list[list[str]]) -> bytes:
    """A one-page PDF table in a CID font (how reportlab-like report servers export 发放名册)."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    pdf.setFont("STSong-Light", 14)
    pdf.drawString(60, 790, title)
    pdf.setFont("STSong-Light", 10)
    y = 760
    for row in [header, *rows]:
        x = 50
        for cell, width in zip(row, (40, 70, 190, 170, 60), strict=False):
            pdf.drawString(x, y, cell)
            x += width
        y -= 20
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def html_doc(title: str, header: list[str], rows: list[list[str]]) -> bytes:
    """A ".doc" that is Word-flavoured HTML (GBK, mso styles): Word and WPS open it as a document."""
    cells = "".join(f"<tr>{''.join(f'<td><p class=MsoNormal>{c}<o:p></o:p></p></td>' for c in row)}</tr>"
                    for row in [header, *rows])
    text = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">'
            '<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">'
            '<meta name=ProgId content=Word.Document><style>p.MsoNormal{mso-style-parent:"";font-family:仿宋_GB2312}'
            f'</style></head><body lang=ZH-CN><p class=MsoNormal align=center><b>{title}</b></p>'
            f'<table class=MsoTableGrid border=1 cellspacing=0>{cells}</table></body></html>')
    return text.encode("gbk")


def truncated_pdf(title: str) -> bytes:
    """A PDF cut off after its first kilobyte: no xref, no trailer (an interrupted upload)."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    pdf.setFont("STSong-Light", 12)
    for i in range(30):
        pdf.drawString(60, 790 - 20 * i, f"{title} 第{i + 1}项")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()[:1024]
