"""Reports: ReportModel (model.py) and one renderer per format; `write_reports` writes them all."""

from __future__ import annotations

from pathlib import Path

FORMATS = ("json", "xlsx", "docx", "md", "html")
FILENAMES = {"json": "findings.json", "xlsx": "rectification.xlsx", "docx": "report.docx", "md": "report.md",
             "html": "report.html"}


def write_reports(model, out_dir: str | Path, formats=FORMATS, previous_xlsx: str | Path | None = None) -> dict:
    """Write the chosen formats of `model` into `out_dir`; returns {format: path}. Raises ReportError."""
    from reports.docx_report import write_docx
    from reports.guard import ReportError
    from reports.html import write_html
    from reports.json_report import write_json
    from reports.markdown import write_markdown
    from reports.xlsx import write_xlsx

    writers = {"json": write_json, "docx": write_docx, "md": write_markdown, "html": write_html}
    out_dir = Path(out_dir)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ReportError(f"不支持的报告格式：{'、'.join(unknown)}（可选：{'、'.join(FORMATS)}）")
    written = {}
    previous = previous_xlsx if previous_xlsx is not None else (out_dir / FILENAMES["xlsx"])
    previous = previous if Path(previous).exists() else None
    if previous is not None:
        # Every file tells the list's state as the units left it (整改状态), section 五's (二) included.
        from reports.section_five import compose_section_five
        from reports.xlsx import carry_over, read_previous

        carry_over(model, read_previous(previous))
        model.section5 = compose_section_five(model, None, model.previous_section5)
    for fmt in formats:
        path = out_dir / FILENAMES[fmt]
        if fmt == "xlsx":
            written[fmt] = write_xlsx(model, path, previous=previous)
        else:
            written[fmt] = writers[fmt](model, path)
    return written
