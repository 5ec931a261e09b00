"""Read a published annual report (HTML page, docx, PDF text layer, plain/flattened/OCR-markdown text) into text.

Every form ends as one text in reading order in which table rows are `| cell | cell |` lines, so the section and
table readers downstream see a single shape: cells from a real table are separate, digits from a flattened copy
run together and are split later only where the format's identities leave one reading.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from checks.annual.model import AnnualReport
from crawler.extract.dates import parse_date

BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "tr", "table",
              "ucapcontent", "center"}
SKIP_TAGS = {"script", "style", "noscript", "head", "template"}
PUBLISHED_LABEL = re.compile(
    r"(?:发布时间|发布日期|公开日期|时间)\s*[:：]\s*(\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2})")
TITLE_YEAR = re.compile(r"(20\d\d)\s*年度?\s*(?:[^\n。]{0,16}?)年度?报告")
# Put in the text where the page or document shows a picture: tables published as images leave their section
# with nothing to read, and the structure check must then ask a person instead of calling the table missing.
IMAGE_MARK = "〔图片〕"
PERIOD_YEAR = re.compile(r"(?:统计期限|统计时限|统计期)[^。\n]{0,6}?(20\d\d)\s*年\s*1\s*月\s*1\s*日")


# The date a report signs itself with: a line holding only a full date, right under the title (often in brackets)
# or in the 落款 at the end after the issuer's name. It is when the report was finished, so it cannot have been
# published before it.
DATE_LINE = re.compile(r"^[\s#*|（(]*(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[\s*|）)]*$", re.M)
SIGNATURE_SPAN = 300


class ReportUnreadable(Exception):
    """The report could not be read at all (exit 3)."""


def _cell_text(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("|", "｜")).strip()


def html_to_text(html: str) -> tuple[str, str, dt.date | None]:
    """Text of an HTML page with tables as pipe rows; also its title and its meta publication date."""
    from lxml import html as lxml_html

    try:
        doc = lxml_html.fromstring(html)
    except Exception as exc:  # lxml raises several types for empty or broken input
        raise ReportUnreadable(f"网页无法解析：{exc}") from exc
    meta_date = None
    for name in ("PubDate", "pubdate", "publishdate", "firstpublishedtime"):
        for value in doc.xpath(f'//meta[@name="{name}"]/@content'):
            meta_date = meta_date or parse_date(value)
    for value in doc.xpath("//publishtime//text()"):
        meta_date = meta_date or parse_date(value)
    title = " ".join(doc.xpath("//title//text()")).strip()
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in SKIP_TAGS:
            if el.tail:
                parts.append(el.tail)
            return
        if tag == "img":
            parts.append(IMAGE_MARK)
        elif tag == "table":
            parts.append("\n")
            for row in el.xpath(".//tr"):
                cells = [_cell_text(c.text_content()) for c in row.xpath("./td|./th")]
                if any(cells):
                    parts.append("| " + " | ".join(cells) + " |\n")
        else:
            if tag in BLOCK_TAGS:
                parts.append("\n")
            if el.text:
                parts.append(el.text)
            for child in el:
                walk(child)
            if tag in BLOCK_TAGS:
                parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    body = doc.find("body")
    walk(body if body is not None else doc)
    text = re.sub(r"[ \t\u3000\xa0]+", " ", "".join(parts))
    return re.sub(r"\n\s*\n+", "\n", text).strip(), title, meta_date


def docx_to_text(data: bytes) -> str:
    """Paragraphs and tables of a .docx in document order, tables as pipe rows."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, xml and key errors on damaged files
        raise ReportUnreadable(f"Word 文档无法打开：{exc}") from exc
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            pictures = child.xpath(".//w:drawing|.//w:pict")
            lines.append(Paragraph(child, document).text + IMAGE_MARK * bool(pictures))
        elif child.tag.endswith("}tbl"):
            for row in Table(child, document).rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:      # a merged cell repeats: keep it once
                    if cell._tc is not previous:
                        cells.append(_cell_text(cell.text))
                    previous = cell._tc
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def pdf_to_text(data: bytes) -> str:
    """The PDF's text layer through the crawler's attachment extractor; a scan without one is unreadable."""
    from crawler.extract.attachments import extract_attachment

    result = extract_attachment(data, "report.pdf")
    if result.status != "ok" or not result.text.strip():
        raise ReportUnreadable(f"PDF 无文字层或无法读取（{result.status}：{result.error or '无文字'}），请提供文字版。")
    return result.text


def _crawler_export(text: str) -> tuple[str, str, dt.date | None]:
    """The archive's text export: header lines (标题/发布时间 …) above a ==== 正文 ==== line, then the body."""
    head, sep, body = text.partition("==== 正文 ====")
    if not sep:
        return text, "", None
    title = re.search(r"^标题\s*[:：]\s*(.+)$", head, re.M)
    published = re.search(r"^发布时间\s*[:：]\s*(\S+)", head, re.M)
    return (body.lstrip("= \n"), title.group(1).strip() if title else "",
            parse_date(published.group(1)) if published else None)


def report_year(title: str, text: str) -> int | None:
    """The year reported on, from the title, else the statistics period."""
    for source in (title, text[:400]):
        m = TITLE_YEAR.search(source or "")
        if m:
            return int(m.group(1))
    m = PERIOD_YEAR.search(text)
    return int(m.group(1)) if m else None


def _first_line_title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip("#| \t")
        if line:
            return line if "报告" in line and len(line) < 80 else ""
    return ""


def signature_date(text: str) -> dt.date | None:
    """The report's own date (落款): the last date alone on its line at the report's end, else the first one just
    under its title."""
    body = text.strip()
    at_end = list(DATE_LINE.finditer(body[-SIGNATURE_SPAN:]))
    at_top = list(DATE_LINE.finditer(body[:SIGNATURE_SPAN]))
    m = at_end[-1] if at_end else at_top[0] if at_top else None
    if m is None:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def read_report(data: bytes, name: str = "", content_type: str = "") -> AnnualReport:
    """Read a report from its bytes; the form comes from the content, the name and the content type."""
    lower = name.lower()
    head = data[:8]
    published, title = None, ""
    if head.startswith(b"%PDF") or lower.endswith(".pdf") or "pdf" in content_type:
        text, form = pdf_to_text(data), "pdf"
    elif head.startswith(b"PK") and (lower.endswith(".docx") or "word" in content_type or not lower):
        text, form = docx_to_text(data), "docx"
    else:
        decoded = _decode(data)
        if lower.endswith((".htm", ".html", ".shtml")) or "html" in content_type or re.match(
                r"\s*(<!doctype|<html|<head|<body|<meta|<div)", decoded[:200], re.I):
            text, title, published = html_to_text(decoded)
            form = "html"
        else:
            text, title, published = _crawler_export(decoded)
            form = "text"
    if not text.strip():
        raise ReportUnreadable("报告内容为空。")
    if not title or "报告" not in title:
        title = _first_line_title(text) or title
    if published is None:
        m = PUBLISHED_LABEL.search(text[:600])
        published = parse_date(m.group(1)) if m else None
    return AnnualReport(text=text, source=name, title=title, year=report_year(title, text), published=published,
                        published_source="页面" if published else "", form=form, dated=signature_date(text))


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportUnreadable("文本编码无法识别（既不是 UTF-8 也不是 GB18030）。")
