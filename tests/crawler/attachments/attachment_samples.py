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


def word97_bytes(paragraphs: list[str], encrypted: bool = False) -> bytes:
    """A real (minimal) Word 97 .doc: a FIB, one Unicode piece in the piece table, text in WordDocument.

    Enough for antiword to read it; no styles, fonts or paragraph properties (all optional).
    """
    text = "".join(p + "\r" for p in paragraphs)
    body = text.encode("utf-16-le")
    fc_text = 0x400                                   # text starts after the 0x384-byte FIB
    fib = bytearray(fc_text)
    struct.pack_into("<HHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0804, 0)   # wIdent, nFib, -, lid zh-CN, pnNext
    flags = 0x0200 | 0x0004 | (0x0100 if encrypted else 0)             # fWhichTblStm=1Table, fComplex
    struct.pack_into("<HH", fib, 0x0A, flags, 0x00BF)
    struct.pack_into("<II", fib, 0x18, fc_text, fc_text + len(body))  # fcMin, fcMac
    struct.pack_into("<H", fib, 0x20, 14)                             # csw
    struct.pack_into("<H", fib, 0x3E, 22)                             # cslw
    struct.pack_into("<I", fib, 0x40, fc_text + len(body))            # cbMac
    struct.pack_into("<I", fib, 0x4C, len(text))                      # ccpText
    struct.pack_into("<H", fib, 0x98, 0x5D)                           # cbRgFcLcb (Word 97)
    plc = struct.pack("<II", 0, len(text)) + struct.pack("<HIH", 0, fc_text, 0)   # CPs + one PCD
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", fib, 0x1A2, 0, len(clx))                  # fcClx, lcbClx
    # An empty stylesheet: cbStshi, then STSHI (cstd=0, cbSTDBaseInFile=10, …, three default fonts).
    stsh = struct.pack("<H", 18) + struct.pack("<HHHHHH", 0, 10, 0, 0, 0, 0) + struct.pack("<HHH", 0, 0, 0)
    struct.pack_into("<II", fib, 0xA2, len(clx), len(stsh))           # fcStshf, lcbStshf
    return ole_bytes({"WordDocument": bytes(fib) + body, "1Table": clx + stsh})


# ---------------------------------------------------------------------------------------------
# A minimal OLE2 / Compound File Binary writer (MS-CFB v3), enough for olefile and for sniffing.

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole_bytes(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` at the root; each is padded to 4096 bytes (no mini stream)."""
    names = list(streams)
    data = [streams[n] + b"\x00" * max(0, 4096 - len(streams[n])) for n in names]
    n_dir = (len(names) + 1 + 3) // 4
    sectors = [(len(d) + 511) // 512 for d in data]
    total = 1 + n_dir + sum(sectors)
    assert total <= 128, "one FAT sector is enough for these tests"
    fat = [_FREE] * 128
    fat[0] = _FATSECT
    for i in range(1, 1 + n_dir):
        fat[i] = i + 1 if i < n_dir else _END
    starts, pos = [], 1 + n_dir
    for count in sectors:
        starts.append(pos)
        for k in range(count):
            fat[pos + k] = pos + k + 1 if k < count - 1 else _END
        pos += count

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", _NOSTREAM, right, child) + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
                + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, 1 if names else _NOSTREAM, _NOSTREAM, _END, 0)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else _NOSTREAM
        entries.append(entry(name, 2, _NOSTREAM, right, starts[i], len(data[i])))
    empty = b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", _NOSTREAM, _NOSTREAM, _NOSTREAM) \
        + b"\x00" * 44 + b"\x00" * 4
    while len(entries) < n_dir * 4:
        entries.append(empty)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\x00" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108)
    assert len(header) == 512
    body = struct.pack("<128I", *fat) + b"".join(entries)
    for d, count in zip(data, sectors):
        body += d.ljust(count * 512, b"\x00")
    return header + body
