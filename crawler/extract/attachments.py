"""Attachment bytes → text segments with positions, for every format county portals publish.

`extract_attachment()` never raises: hostile or broken files (zip bombs, entity bombs, looping
PDFs, truncated or mislabelled files) come back as a recorded status and a short Chinese reason.
The type is sniffed from the bytes, never trusted from the extension. Code that may crash or hang
inside C libraries (pdfium, calamine) is isolated by `crawler.attachment_pool`, not here.

Positions: spreadsheets and CSV give one segment per row, located 'Sheet1!A7:H7', with the cells
joined by tabs (tabs and newlines inside a cell become spaces), so `cell_location()` maps a hit's
offset back to 'Sheet1!C7' without paying for one segment per cell. docx gives '第12段' and
'表1 行3 列2', PDF '第3页', doc/wps '第12段', text '第12行'; zip members are prefixed 'member.xlsx:'.
Whatever the status, the segments returned are worth scanning (a timeout keeps what was read).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import shutil
import struct
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import unquote_to_bytes

from crawler.records import TextSegment

MiB = 1024 * 1024

ENCRYPTED = "文件已加密，无法提取"
TIMEOUT = "提取超时"
OFD_UNPARSED = "OFD 版式文件，暂不解析"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# A member smaller than this may have any ratio: a tiny file of zeros is not a bomb.
_RATIO_FLOOR = 1 * MiB
_MAX_DEPTH = 3                      # zip in zip in zip; deeper nesting is a bomb pattern
_TXT_CHUNK_LINES = 200              # lines per text segment, so wrapped numbers stay together
_OOXML_PART_FACTOR = 10             # docx/xlsx may hold more parts than a plain zip's member cap
_ANTIWORD = "antiword"
_FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit)


@dataclass(frozen=True)
class Limits:
    """Bounds on one extraction; the defaults suit a county portal's largest real attachments."""

    max_bytes: int = 30 * MiB
    max_text_chars: int = 5_000_000
    max_zip_members: int = 200
    max_zip_ratio: int = 100
    max_zip_total: int = 200 * MiB
    max_pdf_pages: int = 500
    timeout_s: float = 30


DEFAULT_LIMITS = Limits()


@dataclass
class AttachmentResult:
    """What one attachment yielded. status: ok | needs_ocr | error | unparsed | too_large."""

    media_type: str | None
    status: str
    error: str | None = None
    segments: list[TextSegment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.segments)


class _Fail(Exception):
    """A recorded outcome other than ok: carries the status and the user-facing reason."""

    def __init__(self, message: str, status: str = "error"):
        super().__init__(message)
        self.message = message
        self.status = status


class _Stop(Exception):
    """The whole extraction must stop: text budget reached (truncated) or deadline passed."""

    def __init__(self, timed_out: bool):
        super().__init__("timeout" if timed_out else "truncated")
        self.timed_out = timed_out


class _Ctx:
    """Shared budget of one extraction: text collected, deadline, zip bytes and members used."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.timeout_s
        self.segments: list[TextSegment] = []
        self.chars = 0
        self.notes: list[str] = []
        self.zip_bytes = 0
        self.zip_members = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Stop(timed_out=True)

    def remaining(self) -> float:
        return max(0.1, self.deadline - time.monotonic())

    def add(self, location: str, text: str, strip: bool = True) -> None:
        """Keep one segment; rows pass strip=False so leading empty cells keep their tabs."""
        if strip:
            text = text.strip()
        if not text.strip():
            return
        self.check_time()
        room = self.limits.max_text_chars - self.chars
        if len(text) > room:
            if room > 0:
                self.segments.append(TextSegment(location, text[:room]))
            self.chars = self.limits.max_text_chars
            raise _Stop(timed_out=False)
        self.segments.append(TextSegment(location, text))
        self.chars += len(text)


# ---------------------------------------------------------------------------------------------
# Sniffing


def _ext(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1].split("?", 1)[0]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


_DISPOSITION_PARAM = re.compile(r"""(?:^|;)\s*([A-Za-z*]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)""")


def _header_text(raw: str) -> str:
    """A header value the HTTP layer decoded as Latin-1, as the server meant it: UTF-8 or GBK bytes (Chinese
    servers send raw file names), else as it stands."""
    try:
        data = raw.encode("latin-1")
    except UnicodeEncodeError:
        return raw
    for charset in ("utf-8", "gbk"):
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            continue
    return raw


def _percent_decoded(value: str, charset: str = "utf-8") -> str:
    """`%E8%A1%A5…` in the named charset, or in GBK when that fails (old Chinese servers), else as it stands."""
    if "%" not in value:
        return value
    data = unquote_to_bytes(value)
    for name in (charset, "gbk"):
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return value


def disposition_filename(header: str) -> str | None:
    """The file name a Content-Disposition header gives, or None.

    RFC 6266: `filename*` (RFC 5987, `UTF-8'zh-CN'%E8%A1%A5…`) wins over `filename`, which a Java platform sets
    to an ASCII stand-in ("download") beside it. A plain `filename` may be percent-encoded, quoted, or raw UTF-8
    or GBK bytes; a path in it is cut to its last part (a file name, never a place to write to).
    """
    params: dict[str, str] = {}
    for name, value in _DISPOSITION_PARAM.findall(header or ""):
        value = value.strip()
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = re.sub(r'\\(["\\])', r"\1", value[1:-1])      # only \" and \\: an IE path keeps its \
        params.setdefault(name.lower(), value)
    extended = params.get("filename*")
    name = None
    if extended:
        charset, quote, rest = extended.partition("'")
        if quote:
            _lang, _, encoded = rest.partition("'")
            name = _percent_decoded(encoded, charset or "utf-8")
        else:
            name = _percent_decoded(extended)
    if not name and params.get("filename"):
        name = _percent_decoded(_header_text(params["filename"]))
    if not name:
        return None
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name or None


def _quick_type(head: bytes) -> str | None:
    """The type a file's first bytes announce, without parsing the rest."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(_ZIP_MAGICS):
        return "zip"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")):
        return "rar" if head.startswith(b"Rar!") else "7z"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*",
                        b"BM")):
        return "image"
    return None


def guess_type(head: bytes, filename: str = "") -> str | None:
    """A cheap type from the magic bytes alone (for files refused or lost before parsing).

    Containers (OLE2, zip) cannot be told apart without parsing; the extension names them when it
    is one of their kinds, else 'ole' / 'zip'.
    """
    kind = _quick_type(head[:1024])
    ext = _ext(filename)
    if kind == "ole" and ext in ("doc", "wps", "xls", "et", "ppt", "docx", "xlsx"):
        return ext
    if kind == "zip" and ext in ("docx", "xlsx", "pptx", "ofd", "wps", "et"):
        return ext
    return kind


def _decode_text(data: bytes) -> str | None:
    """Decode bytes that are text (BOM, UTF-8, GB18030, BOM-less UTF-16); None when binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:65536]
    if sample and b"\x00" in sample:
        odd_zeros = sample[1::2].count(0)
        even_zeros = sample[0::2].count(0)
        half = max(1, len(sample) // 2)
        if odd_zeros / half > 0.3 and even_zeros / half < 0.05:
            return data.decode("utf-16-le", errors="replace")
        if even_zeros / half > 0.3 and odd_zeros / half < 0.05:
            return data.decode("utf-16-be", errors="replace")
        return None
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 26, 27))
    if controls > len(sample) / 100:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    text = data.decode("gb18030", errors="replace")
    return text if text.count("\ufffd") < max(1, len(text) // 100) else None


def _looks_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or (
        head.startswith("<") and any(tag in head for tag in ("<html", "<head", "<body", "<meta ")))


def _looks_csv(text: str) -> bool:
    lines = [line for line in text[:8192].splitlines()[:20] if line.strip()]
    if len(lines) < 2:
        return False
    for sep in (",", "\t"):
        counts = {line.count(sep) for line in lines}
        if len(counts) == 1 and counts.pop() > 0:
            return True
    return False


def _ole_type(data: bytes, filename: str) -> str:
    import olefile

    ext = _ext(filename)
    try:
        with olefile.OleFileIO(data) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
    except Exception:  # noqa: BLE001 - a damaged OLE2 header falls back to the name
        return {"wps": "wps", "et": "et", "xls": "xls"}.get(ext, "doc")
    if "WordDocument" in streams:
        return "wps" if ext == "wps" else "doc"
    if "Workbook" in streams or "Book" in streams:
        return "et" if ext == "et" else "xls"
    if "EncryptedPackage" in streams:
        return ext if ext in ("docx", "xlsx", "pptx", "docm", "xlsm") else "ooxml"
    if "PowerPoint Document" in streams:
        return "ppt"
    return "ole"


def _zip_type(data: bytes, filename: str) -> str:
    ext = _ext(filename)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            types = ""
            if "[Content_Types].xml" in names:
                info = zf.getinfo("[Content_Types].xml")
                if info.file_size < MiB:
                    types = zf.read(info).decode("utf-8", errors="replace")
    except Exception:  # noqa: BLE001
        # Truncated or damaged container: the extension is the only hint left.
        return ext if ext in ("docx", "xlsx", "ofd", "wps", "et") else "zip"
    if "wordprocessingml" in types or "word/document.xml" in names:
        return "docx"
    if "spreadsheetml" in types or "xl/workbook.xml" in names:
        return "xlsx"
    if "presentationml" in types or "ppt/presentation.xml" in names:
        return "pptx"
    if "OFD.xml" in names or "ofd.xml" in {n.lower() for n in names}:
        return "ofd"
    if "mimetype" in names and "content.xml" in names:
        return "odf"
    return "zip"


def sniff(data: bytes, filename: str = "") -> str | None:
    """The file type from its bytes (the extension only names wps/et variants and damaged zips)."""
    if not data:
        return None
    kind = _quick_type(data[:1024])
    if kind == "ole":
        return _ole_type(data, filename)
    if kind == "zip":
        return _zip_type(data, filename)
    if kind is not None:
        return kind
    text = _decode_text(data[: 256 * 1024])
    if text is None:
        return None
    if _looks_html(text):
        return "html"
    if _ext(filename) == "csv" or _looks_csv(text):
        return "csv"
    return "txt"


# ---------------------------------------------------------------------------------------------
# Spreadsheets (xls, xlsx, et) through calamine


def col_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _col_index(letters: str) -> int:
    value = 0
    for ch in letters:
        value = value * 26 + ord(ch) - 64
    return value - 1


_RANGE = re.compile(r"^(?P<prefix>.*!)?(?P<col>[A-Z]{1,3})(?P<row>\d+):[A-Z]{1,3}\d+$")


def cell_location(location: str, text: str, offset: int) -> str:
    """Map an offset inside a row segment ('Sheet1!A7:H7', tab-joined cells) to its cell ('Sheet1!C7').

    Locations that are not a row range (pages, paragraphs) are returned unchanged.
    """
    match = _RANGE.match(location)
    if not match:
        return location
    column = _col_index(match["col"]) + text[: max(0, offset)].count("\t")
    return f"{match['prefix'] or ''}{col_letter(column)}{match['row']}"


_EXACT_INTEGERS = 2 ** 53                  # every integer below this is a double exactly
_EXCEL_DIGITS = 15                         # significant digits Excel (and WPS) keep of a number
_CELL_SPACE = str.maketrans({"\t": " ", "\r": " ", "\n": " "})


def _cell_text(value) -> str:
    """A cell as its digits would leak: integral floats (IDs stored as numbers) as full integers."""
    kind = type(value)
    if kind is str:                          # the common case first: this runs once per cell
        return value.translate(_CELL_SPACE) if value else ""
    if value is None:
        return ""
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if kind is float:
        if not math.isfinite(value):
            return ""
        if value.is_integer() and abs(value) < 1e21:
            if abs(value) < _EXACT_INTEGERS:
                return str(int(value))
            # Past 2**53 a double's exact integer may be binary noise: 350222199407010000 in an Excel number
            # cell (Excel keeps 15 significant digits) is the double 350222199407009984, whose "birth date"
            # 19940700 no ID has. A double that is exactly a decimal of at most 15 significant digits was
            # stored as that decimal; any other is read as its exact integer, as before.
            shortest = Decimal(repr(value)).normalize()
            if len(shortest.as_tuple().digits) <= _EXCEL_DIGITS:
                return format(shortest, "f")
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).translate(_CELL_SPACE)


def _sheet_ref(name: str) -> str:
    return f"'{name}'" if any(ch in name for ch in " !:'") else name


def _xls_encrypted(data: bytes) -> bool:
    """BIFF8 workbooks protected by a password carry a FILEPASS record right after BOF."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            stream = ole.openstream(name).read(8192)
    except Exception:  # noqa: BLE001 - unreadable here means calamine will report it
        return False
    pos = 0
    for _ in range(64):
        if pos + 4 > len(stream):
            break
        rtype, size = struct.unpack_from("<HH", stream, pos)
        if rtype == 0x002F:
            return True
        if rtype == 0x0085:                      # BOUNDSHEET: past the globals header
            break
        pos += 4 + size
    return False


def _extract_sheets(ctx: _Ctx, data: bytes, media: str, prefix: str, depth: int = 0) -> None:
    import python_calamine as pc

    oversized: dict[str, str] = {}
    if media == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_container(ctx, zf)
            oversized = _oversized_sheets(ctx, zf)
    try:
        workbook = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise _Fail(ENCRYPTED) from None
    except BaseException as exc:  # noqa: BLE001 - calamine may panic; only then is the slow check worth it
        if isinstance(exc, _FATAL):
            raise
        if media in ("xls", "et") and _xls_encrypted(data):
            raise _Fail(ENCRYPTED) from None
        raise
    before = len(ctx.segments)
    with _closing(workbook):
        for meta in workbook.sheets_metadata:
            ctx.check_time()
            if meta.name in oversized:
                ctx.notes.append(f"工作表「{meta.name}」范围异常（{oversized[meta.name]}），疑似恶意文件，已跳过")
                continue
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
            except Exception as exc:  # noqa: BLE001 - a chart sheet or a damaged part
                ctx.notes.append(f"工作表「{meta.name}」无法读取（{_short(exc)[:60]}）")
                continue
            start = sheet.start
            if start is None:
                continue
            col0 = start[1]
            ref = prefix + _sheet_ref(meta.name)
            for index, row in enumerate(sheet.iter_rows()):
                cells = [_cell_text(v) for v in row]
                while cells and not cells[-1]:
                    cells.pop()
                if not any(cells):
                    if index % 4096 == 0:
                        ctx.check_time()
                    continue
                number = index + 1
                ctx.add(f"{ref}!{col_letter(col0)}{number}:{col_letter(col0 + len(cells) - 1)}{number}",
                        "\t".join(cells), strip=False)
    if oversized and len(ctx.segments) == before:
        raise _Fail(ctx.notes.pop())
    if media == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _extract_embedded(ctx, zf, zf.namelist(), "xl/embeddings/", prefix, depth)


# calamine allocates the dense rectangle spanned by a sheet's cells and aborts the process when that
# fails; 2**24 cells (≈ 512 MiB of cell slots) is above any real sheet and far below a bomb's A1:XFD1048576.
_MAX_SHEET_CELLS = 1 << 24
# The quick pattern (a literal prefix, ~7 ms for a 5000×5 sheet) may count empty styled cells; only a sheet
# it flags is re-scanned with the exact one, which skips self-closing <c/> elements (no value).
_CELL_REF_QUICK = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>')


def _span(refs: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """(height, width) of the rectangle spanned by cell references."""
    if not refs:
        return 0, 0
    rows = [int(row) for _, row in refs]
    cols = [_col_index(col.decode()) for col in {col for col, _ in refs}]
    return max(rows) - min(rows) + 1, max(cols) - min(cols) + 1


def _oversized_sheets(ctx: _Ctx, zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheets (by name) whose cells span more than _MAX_SHEET_CELLS, with their size for the note."""
    from lxml import etree

    parser = _safe_parser()
    try:
        book = etree.fromstring(zf.read("xl/workbook.xml"), parser)
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), parser)
    except (KeyError, etree.XMLSyntaxError):
        return {}                                # calamine will report the damage itself
    targets = {}
    for rel in rels.iter():
        if _local(rel) == "Relationship":
            target = rel.get("Target", "").lstrip("/")
            targets[rel.get("Id")] = target if target.startswith("xl/") else "xl/" + target
    found = {}
    for sheet in book.iter():
        if _local(sheet) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        part = targets.get(rid)
        if part is None or part not in zf.namelist():
            continue
        ctx.check_time()
        xml = zf.read(part)
        height, width = _span(_CELL_REF_QUICK.findall(xml))
        if height * width > _MAX_SHEET_CELLS:
            height, width = _span(_CELL_REF.findall(xml))
            if height * width > _MAX_SHEET_CELLS:
                found[sheet.get("name", "")] = f"{height}行×{width}列"
    return found


class _closing:
    def __init__(self, obj):
        self.obj = obj

    def __enter__(self):
        return self.obj

    def __exit__(self, *exc):
        try:
            self.obj.close()
        except Exception:  # noqa: BLE001, S110 - closing a half-parsed handle may fail; nothing to keep
            pass


# ---------------------------------------------------------------------------------------------
# Zip containers: bounds, member reading, recursion


def _check_container(ctx: _Ctx, zf: zipfile.ZipFile, max_members: int | None = None) -> None:
    """Refuse a container whose declared sizes already make it a bomb (before anything inflates)."""
    limits = ctx.limits
    infos = zf.infolist()
    cap = max_members or limits.max_zip_members * _OOXML_PART_FACTOR
    if len(infos) > cap:
        raise _Fail(f"压缩包成员过多（{len(infos)}个），疑似压缩炸弹，已停止")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
            raise _Fail(f"压缩比异常（{info.file_size // max(info.compress_size, 1)}:1），疑似压缩炸弹，已停止")
    if ctx.zip_bytes + total > limits.max_zip_total:
        raise _Fail(f"解压后总量超过上限（{limits.max_zip_total // MiB} MiB），疑似压缩炸弹，已停止")


def _read_member(ctx: _Ctx, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Inflate one member, never past its declared size or the remaining budget (sizes can lie)."""
    cap = min(info.file_size, ctx.limits.max_zip_total - ctx.zip_bytes)
    if info.file_size > cap:
        raise _Fail(f"解压后总量超过上限（{ctx.limits.max_zip_total // MiB} MiB），疑似压缩炸弹，已停止")
    try:
        with zf.open(info) as stream:
            chunks, size = [], 0
            while size <= cap:
                chunk = stream.read(min(MiB, cap + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                ctx.check_time()
    except RuntimeError as exc:
        if "encrypted" in str(exc) or "password" in str(exc):
            raise _Fail(ENCRYPTED) from None
        raise
    if size > cap:
        raise _Fail("解压数据超过声明大小，疑似压缩炸弹，已停止")
    ctx.zip_bytes += size
    return b"".join(chunks)


def _member_name(info: zipfile.ZipInfo) -> str:
    """Member names from Chinese Windows zip tools are GBK bytes that zipfile decoded as cp437."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _extract_zip(ctx: _Ctx, data: bytes, prefix: str, depth: int) -> None:
    limits = ctx.limits
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        _check_container(ctx, zf, max_members=10 * limits.max_zip_members)
        got_text = len(ctx.segments)
        problems: list[tuple[str, str, str]] = []
        for info in infos:
            if ctx.zip_members >= limits.max_zip_members:
                ctx.notes.append(f"压缩包成员超过{limits.max_zip_members}个，其余未提取")
                break
            ctx.zip_members += 1
            name = _member_name(info)
            try:
                member = _read_member(ctx, zf, info)
                _extract_into(ctx, member, name, prefix + name + ":", depth + 1)
            except _Fail as fail:
                if "压缩炸弹" in fail.message:
                    raise
                problems.append((name, fail.status, fail.message))
            except (_Stop, MemoryError):
                raise
            except BaseException as exc:  # noqa: BLE001 - one damaged member must not hide the others
                if isinstance(exc, _FATAL):
                    raise
                problems.append((name, "error", f"文件已损坏，无法提取（corrupt: {_short(exc)}）"))
        for name, _status, message in problems[:5]:
            ctx.notes.append(f"{prefix}{name}：{message}")
        if len(problems) > 5:
            ctx.notes.append(f"另有{len(problems) - 5}个成员未能提取")
        if len(ctx.segments) == got_text:
            statuses = {status for _n, status, _m in problems}
            if statuses == {"needs_ocr"}:
                raise _Fail("压缩包内文件无文本层，需 OCR 识别", "needs_ocr")
            if "error" in statuses:
                raise _Fail("压缩包内文件均未能提取")
            raise _Fail("压缩包内无可提取文本的文件", "unparsed")


# ---------------------------------------------------------------------------------------------
# docx through zipfile + lxml (entities never resolved, no network, no huge trees)


def _safe_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           remove_comments=True, remove_pis=True)


def _local(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _para_text(p) -> str:
    parts: list[str] = []
    for el in p.iter():
        name = _local(el)
        if name in ("t", "delText") and el.text:
            parts.append(el.text)
        elif name == "tab":
            parts.append("\t")
        elif name in ("br", "cr"):
            parts.append("\n")
    return "".join(parts)


def _cell_block_text(cell) -> str:
    """All paragraphs of a table cell (nested tables flattened), one line each."""
    lines = [_para_text(p) for p in cell.iter() if _local(p) == "p"]
    return "\n".join(line for line in lines if line.strip())


class _DocxWalker:
    """Walks a WordprocessingML part in order, numbering paragraphs and tables as a reader counts them."""

    def __init__(self, ctx: _Ctx, prefix: str):
        self.ctx = ctx
        self.prefix = prefix
        self.paras = 0
        self.tables = 0

    def walk(self, container) -> None:
        for child in container:
            name = _local(child)
            if name == "p":
                self.paras += 1
                if self.paras % 512 == 0:
                    self.ctx.check_time()
                self.ctx.add(f"{self.prefix}第{self.paras}段", _para_text(child))
            elif name == "tbl":
                self.tables += 1
                self.table(child, self.tables)
            elif name not in ("sectPr", "tblPr", "pPr", "rPr"):
                self.walk(child)

    def table(self, tbl, number: int) -> None:
        rows = [el for el in _children(tbl, "tr")]
        for r, tr in enumerate(rows, start=1):
            col = 1
            for tc in _children(tr, "tc"):
                span = 1
                for prop in _children(tc, "tcPr"):
                    for el in prop:
                        if _local(el) == "gridSpan":
                            span = _int_attr(el, "val", 1)
                self.ctx.add(f"{self.prefix}表{number} 行{r} 列{col}", _cell_block_text(tc))
                col += max(1, span)


def _children(el, name: str):
    """Direct children with this local name, looking through content controls (w:sdt)."""
    for child in el:
        local = _local(child)
        if local == name:
            yield child
        elif local in ("sdt", "sdtContent", "customXml"):
            yield from _children(child, name)


def _int_attr(el, name: str, default: int) -> int:
    for key, value in el.attrib.items():
        if key.rsplit("}", 1)[-1] == name:
            try:
                return int(value)
            except ValueError:
                return default
    return default


_DOCX_PARTS = (
    (re.compile(r"^word/document\d*\.xml$"), ""),
    (re.compile(r"^word/header\d*\.xml$"), "页眉 "),
    (re.compile(r"^word/footer\d*\.xml$"), "页脚 "),
    (re.compile(r"^word/footnotes\.xml$"), "脚注 "),
    (re.compile(r"^word/endnotes\.xml$"), "尾注 "),
    (re.compile(r"^word/comments\.xml$"), "批注 "),
)


def _extract_docx(ctx: _Ctx, data: bytes, prefix: str, depth: int) -> None:
    from lxml import etree

    parser = _safe_parser()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        _check_container(ctx, zf)
        names = zf.namelist()
        if "word/document.xml" not in names:
            raise _Fail("文件已损坏，无法提取（corrupt: docx without word/document.xml）")
        ordered = [n for pattern, _ in _DOCX_PARTS for n in sorted(names) if pattern.match(n)]
        for name in ordered:
            label = next(lab for pattern, lab in _DOCX_PARTS if pattern.match(name))
            xml = _read_member(ctx, zf, zf.getinfo(name))
            root = etree.fromstring(xml, parser)
            _DocxWalker(ctx, prefix + label).walk(root)
        _extract_embedded(ctx, zf, names, "word/embeddings/", prefix, depth)


def _extract_embedded(ctx: _Ctx, zf: zipfile.ZipFile, names: list[str], folder: str, prefix: str,
                      depth: int) -> None:
    """Spreadsheets and documents embedded in an Office file leak like any attachment."""
    for name in names:
        if not name.startswith(folder) or name.endswith("/"):
            continue
        member = _read_member(ctx, zf, zf.getinfo(name))
        short = name.rsplit("/", 1)[-1]
        try:
            _extract_into(ctx, member, short, f"{prefix}嵌入对象 {short}:", depth + 1)
        except _Fail as fail:
            if "压缩炸弹" in fail.message:
                raise
            if fail.status == "error":
                ctx.notes.append(f"嵌入对象 {short}：{fail.message}")


_SLIDE = re.compile(r"^ppt/slides/slide(\d+)\.xml$")


def _extract_pptx(ctx: _Ctx, data: bytes, prefix: str, depth: int) -> None:
    """One segment per slide (its text paragraphs one per line), in slide order, located '第3张幻灯片'."""
    from lxml import etree

    parser = _safe_parser()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        _check_container(ctx, zf)
        names = zf.namelist()
        slides = sorted((int(m.group(1)), n) for n in names if (m := _SLIDE.match(n)))
        for number, name in slides:
            root = etree.fromstring(_read_member(ctx, zf, zf.getinfo(name)), parser)
            lines = ["".join(t.text or "" for t in p.iter() if _local(t) == "t")
                     for p in root.iter() if _local(p) == "p"]
            ctx.add(f"{prefix}第{number}张幻灯片", "\n".join(line for line in lines if line.strip()))
        _extract_embedded(ctx, zf, names, "ppt/embeddings/", prefix, depth)


# ---------------------------------------------------------------------------------------------
# PDF through pypdfium2


def _extract_pdf(ctx: _Ctx, data: bytes, prefix: str) -> None:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _Fail(ENCRYPTED) from None
        raise _Fail(f"文件已损坏，无法提取（corrupt: {_short(exc)}）") from None
    with _closing(pdf):
        pages = len(pdf)
        if pages == 0:
            raise _Fail("PDF 无可读页面，文件可能已损坏（corrupt: no pages）")
        limit = min(pages, ctx.limits.max_pdf_pages)
        textless, broken = [], []
        before = len(ctx.segments)
        for index in range(limit):
            ctx.check_time()
            try:
                page = pdf[index]
            except pdfium.PdfiumError:
                broken.append(index + 1)      # one damaged page must not hide the others
                continue
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_bounded()
                textpage.close()
                if not text.strip() and _has_images(page):
                    textless.append(index + 1)
            except pdfium.PdfiumError:
                broken.append(index + 1)
                continue
            finally:
                page.close()
            ctx.add(f"{prefix}第{index + 1}页", text.replace("\r\n", "\n").replace("\r", "\n"))
        if pages > limit:
            ctx.notes.append(f"PDF 共{pages}页，仅提取前{limit}页")
        if len(broken) == limit:
            raise _Fail("文件已损坏，无法提取（corrupt: no readable page）")
        if broken:
            ctx.notes.append(f"第{_page_list(broken)}页已损坏，无法读取")
        if len(ctx.segments) == before:
            raise _Fail("PDF 无文本层（疑似扫描件），需 OCR 识别", "needs_ocr")
        if textless:
            ctx.notes.append(f"第{_page_list(textless)}页无文本层（疑似扫描页），需 OCR 识别")


def _page_list(pages: list[int]) -> str:
    return "、".join(str(n) for n in pages[:10]) + ("等" if len(pages) > 10 else "")


def _has_images(page) -> bool:
    from pypdfium2 import raw

    try:
        return any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    except Exception:  # noqa: BLE001
        return False


# ---------------------------------------------------------------------------------------------
# doc / wps through antiword


def _doc_encrypted(data: bytes) -> bool:
    """fEncrypted (bit 8 of the FIB flags at offset 0x0A) marks a password-protected Word file."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            fib = ole.openstream("WordDocument").read(12)
    except Exception:  # noqa: BLE001 - antiword reports unreadable files itself
        return False
    return len(fib) >= 12 and bool(struct.unpack_from("<H", fib, 10)[0] & 0x0100)


def _extract_doc(ctx: _Ctx, data: bytes, prefix: str) -> None:
    if _doc_encrypted(data):
        raise _Fail(ENCRYPTED)
    binary = shutil.which(_ANTIWORD)
    if binary is None:
        raise _Fail("未安装 antiword，doc/wps 文件暂不解析", "unparsed")
    with tempfile.TemporaryDirectory(prefix="govaudit-doc-") as tmp:
        path = os.path.join(tmp, "input.doc")
        with open(path, "wb") as fh:
            fh.write(data)
        try:
            # -w 0: no wrapping, so numbers in narrow table cells are not split across lines.
            proc = subprocess.run([binary, "-w", "0", "-m", "UTF-8.txt", path], capture_output=True,
                                  timeout=ctx.remaining(), stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            raise _Stop(timed_out=True) from None
    if proc.returncode < 0:                  # killed by a signal: antiword reads past buffers on odd files
        raise _Fail(f"文件已损坏，无法提取（corrupt: antiword 异常退出，信号{-proc.returncode}）")
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", errors="replace").replace(path, "").strip()
        if "encrypt" in reason.lower():
            raise _Fail(ENCRYPTED)
        raise _Fail(f"文件已损坏，无法提取（corrupt: antiword: {reason[:80] or proc.returncode}）")
    number = 0
    for line in proc.stdout.decode("utf-8", errors="replace").split("\n"):
        if line.strip():
            number += 1
            ctx.add(f"{prefix}第{number}段", line)


# ---------------------------------------------------------------------------------------------
# RTF (often served as .doc): a small tokenizer, enough for text, GBK escapes and \u code points

_RTF_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+",
                        re.DOTALL)
_RTF_SKIP = {b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"themedata",
             b"datastore", b"latentstyles", b"listtable", b"listoverridetable", b"rsidtbl", b"generator",
             b"xmlnstbl", b"mmathPr", b"revtbl", b"fldinst", b"bkmkstart", b"bkmkend"}
_RTF_BREAKS = {b"par": "\n", b"line": "\n", b"row": "\n", b"sect": "\n", b"page": "\n", b"tab": "\t",
               b"cell": "\t", b"emdash": "—", b"endash": "–", b"lquote": "‘", b"rquote": "’",
               b"ldblquote": "“", b"rdblquote": "”", b"bullet": "•"}


def _rtf_text(ctx: _Ctx, data: bytes) -> str:
    """The visible text of an RTF document (destinations such as fonts and pictures are skipped)."""
    codec = "cp1252"
    out: list[str] = []
    pending = bytearray()                    # \'hh bytes, decoded together so GBK pairs stay whole
    skip_depth = None                        # group depth at which an ignored destination started
    depth = 0
    uc, to_skip = 1, 0
    star = False

    def flush() -> None:
        if pending:
            out.append(pending.decode(codec, errors="replace"))
            pending.clear()

    for count, match in enumerate(_RTF_TOKEN.finditer(data)):
        if count % 65536 == 0:
            ctx.check_time()
        word, arg, hexa, sym, brace, plain = match.groups()
        if brace is not None:
            flush()
            depth += 1 if brace == b"{" else -1
            if skip_depth is not None and depth < skip_depth:
                skip_depth = None
            star = False
            continue
        if skip_depth is not None:
            continue
        if word is not None:
            if word == b"ansicpg" and arg:
                codec = {936: "gb18030", 950: "big5"}.get(int(arg), f"cp{int(arg)}")
                try:
                    "".encode(codec)
                except LookupError:
                    codec = "cp1252"
            elif word == b"uc" and arg:
                uc = max(0, int(arg))
            elif word == b"u" and arg:
                flush()
                out.append(chr(int(arg) % 65536))
                to_skip = uc
            elif star or word in _RTF_SKIP:
                skip_depth = depth
            elif word in _RTF_BREAKS:
                flush()
                out.append(_RTF_BREAKS[word])
            continue
        if hexa is not None:
            if to_skip:
                to_skip -= 1
            else:
                pending.append(int(hexa, 16))
            continue
        if sym is not None:
            if sym == b"*":
                star = True
            elif sym in b"\\{}":
                flush()
                out.append(sym.decode())
            elif sym == b"~":
                out.append(" ")
            continue
        if plain is not None:
            if to_skip:
                skipped = min(to_skip, len(plain))
                plain, to_skip = plain[skipped:], to_skip - skipped
            flush()
            out.append(plain.decode(codec, errors="replace"))
    flush()
    # \u escapes carry UTF-16 units: join surrogate pairs, replace lone halves (they cannot be stored).
    return "".join(out).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


# ---------------------------------------------------------------------------------------------
# Text formats


def _extract_lines(ctx: _Ctx, text: str, prefix: str) -> None:
    """Plain text in blocks of lines (blank lines or every 200 lines end a block), located by first line."""
    block: list[str] = []
    first = 1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not block:
                first = number
            block.append(line)
        if block and (not line.strip() or len(block) >= _TXT_CHUNK_LINES):
            ctx.add(f"{prefix}第{first}行", "\n".join(block))
            block = []
    if block:
        ctx.add(f"{prefix}第{first}行", "\n".join(block))


def _extract_csv(ctx: _Ctx, text: str, prefix: str) -> None:
    head = text[:8192]
    delimiter = max((",", "\t", ";", "|"), key=head.count)
    try:
        for index, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            cells = [cell.translate(_CELL_SPACE) for cell in row]
            while cells and not cells[-1].strip():
                cells.pop()
            if cells:
                ctx.add(f"{prefix}A{index}:{col_letter(len(cells) - 1)}{index}", "\t".join(cells), strip=False)
    except csv.Error as exc:
        ctx.notes.append(f"CSV 格式异常，其余部分按文本提取（{_short(exc)}）")
        _extract_lines(ctx, text, prefix)


_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _extract_html(ctx: _Ctx, data: bytes, prefix: str) -> None:
    import lxml.html

    text = None
    match = _CHARSET.search(data[:4096])
    if match:
        name = match.group(1).decode("ascii").lower()
        name = "gb18030" if name in ("gb2312", "gbk", "gb_2312-80") else name
        try:
            text = data.decode(name)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = _decode_text(data) or data.decode("utf-8", errors="replace")
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, huge_tree=False, remove_comments=True)
    root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for br in root.xpath("//br|//p|//div|//tr|//li|//h1|//h2|//h3|//h4|//td"):
        br.tail = ("\t" if br.tag == "td" else "\n") + (br.tail or "")
    _extract_lines(ctx, root.text_content(), prefix)


# ---------------------------------------------------------------------------------------------
# Dispatch


def _short(exc: BaseException) -> str:
    message = str(exc).replace("\n", " ").strip()
    return f"{type(exc).__name__}: {message[:100]}" if message else type(exc).__name__


def _extract_into(ctx: _Ctx, data: bytes, filename: str, prefix: str, depth: int) -> str | None:
    """Extract one file (or zip member) into ctx; raises _Fail for a recorded non-ok outcome."""
    if depth > _MAX_DEPTH:
        raise _Fail("压缩包嵌套层数过多，疑似压缩炸弹，已停止")
    if len(data) > ctx.limits.max_bytes:
        raise _Fail(f"文件超过大小上限（{ctx.limits.max_bytes // MiB} MiB），未提取", "too_large")
    media = sniff(data, filename)
    if media is None:
        raise _Fail("无法识别的文件类型，未提取", "unparsed")
    if data.startswith(_OLE_MAGIC) and media in ("ooxml", "docx", "xlsx", "pptx", "docm", "xlsm"):
        raise _Fail(ENCRYPTED)              # an OOXML file with a password is an OLE2 EncryptedPackage
    if media in ("xls", "xlsx", "et"):
        _extract_sheets(ctx, data, media, prefix, depth)
    elif media == "docx":
        _extract_docx(ctx, data, prefix, depth)
    elif media == "pptx":
        _extract_pptx(ctx, data, prefix, depth)
    elif media == "pdf":
        _extract_pdf(ctx, data, prefix)
    elif media in ("doc", "wps"):
        _extract_doc(ctx, data, prefix)
    elif media == "zip":
        _extract_zip(ctx, data, prefix, depth)
    elif media in ("txt", "csv"):
        text = _decode_text(data) or ""
        (_extract_csv if media == "csv" else _extract_lines)(ctx, text, prefix)
    elif media == "html":
        _extract_html(ctx, data, prefix)
    elif media == "rtf":
        _extract_lines(ctx, _rtf_text(ctx, data), prefix)
    elif media == "ofd":
        raise _Fail(OFD_UNPARSED, "unparsed")
    elif media == "image":
        raise _Fail("图片文件无文本层，需 OCR 识别", "needs_ocr")
    else:
        raise _Fail(f"{media} 格式暂不解析", "unparsed")
    return media


def extract_attachment(data: bytes, filename: str = "", limits: Limits = DEFAULT_LIMITS) -> AttachmentResult:
    """Extract the text of one attachment with positions; never raises (failures are a status)."""
    media: str | None = None
    ctx: _Ctx | None = None
    try:
        data = bytes(data)
        if len(data) > limits.max_bytes:
            return AttachmentResult(guess_type(data, filename), "too_large",
                                    f"文件超过大小上限（{limits.max_bytes // MiB} MiB），未提取", [])
        media = sniff(data, filename)
        ctx = _Ctx(limits)
        _extract_into(ctx, data, filename, "", 0)
        # Nothing extracted but something went wrong on the way (e.g. every sheet unreadable): an error.
        status = "error" if ctx.notes and not ctx.segments else "ok"
        return AttachmentResult(media, status, _join(ctx.notes), ctx.segments)
    except _Fail as fail:
        notes = ctx.notes if ctx else []
        return AttachmentResult(media, fail.status, _join([fail.message, *notes]), ctx.segments if ctx else [])
    except _Stop as stop:
        assert ctx is not None
        if stop.timed_out:
            return AttachmentResult(media, "error", _join([f"{TIMEOUT}（已保留部分文本）", *ctx.notes]),
                                    ctx.segments)
        message = f"提取文本超过上限（{limits.max_text_chars}字），已截断"
        return AttachmentResult(media, "ok", _join([message, *ctx.notes]), ctx.segments)
    except MemoryError:
        return AttachmentResult(media, "error", "内存不足，无法提取（MemoryError）", [])
    except RecursionError:
        return AttachmentResult(media, "error", "文件结构嵌套过深，无法提取（corrupt: RecursionError）", [])
    except BaseException as exc:  # noqa: BLE001 - the contract: any failure becomes a recorded status
        # Rust extensions (calamine) raise pyo3's PanicException, which is not an Exception.
        if isinstance(exc, _FATAL):
            raise
        return AttachmentResult(media, "error", f"文件已损坏，无法提取（corrupt: {_short(exc)}）",
                                ctx.segments if ctx else [])


def _join(messages: list[str]) -> str | None:
    return "；".join(messages) if messages else None
