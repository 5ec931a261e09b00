"""An attachment's name from its Content-Disposition header, as county platforms send it.

A 集约化 platform serves files at `/download?fileId=…`: the name is only in the header, as RFC 5987
`filename*=UTF-8''…` beside an ASCII stand-in `filename="download"` (the jyh-api skin of tests/foreign). The
spider used the first `filename` it met, so the roster of held-out seed 71 was stored as "download".
"""

from __future__ import annotations

from urllib.parse import quote

from crawler.extract.attachments import disposition_filename

NAME = "耕地地力保护补贴发放名册.xlsx"


def _latin1(text: str, charset: str) -> str:
    """A raw header value as the HTTP layer hands it over (bytes read as Latin-1)."""
    return text.encode(charset).decode("latin-1")


def test_the_extended_name_wins_over_an_ascii_stand_in_in_either_order():
    encoded = quote(NAME, safe="")
    assert disposition_filename(f"attachment; filename=\"download\"; filename*=UTF-8''{encoded}") == NAME
    assert disposition_filename(f"attachment; filename*=utf-8''{encoded}; filename=download") == NAME
    assert disposition_filename(f"attachment;filename*=UTF-8'zh-CN'{encoded}") == NAME
    assert disposition_filename(f"attachment; filename*=GBK''{quote(NAME.encode('gbk'), safe='')}") == NAME


def test_plain_names_raw_utf8_gbk_percent_encoded_or_quoted():
    assert disposition_filename(_latin1(f'attachment; filename="{NAME}"', "utf-8")) == NAME
    assert disposition_filename(_latin1(f"attachment; filename={NAME}", "gbk")) == NAME
    assert disposition_filename(f"attachment; filename={quote(NAME)}") == NAME
    assert disposition_filename(f"attachment; filename={quote(NAME.encode('gbk'))}") == NAME
    assert disposition_filename('inline; filename="a \\"quoted\\" name.pdf"') == 'a "quoted" name.pdf'


def test_bad_headers_give_a_bare_name_or_nothing():
    assert disposition_filename(r'attachment; filename="..\..\windows\报名表.doc"') == "报名表.doc"
    assert disposition_filename("attachment; filename=\"/etc/passwd\"") == "passwd"
    assert disposition_filename("attachment") is None
    assert disposition_filename("") is None
    assert disposition_filename("attachment; filename*=UTF-8''") is None
    assert disposition_filename("attachment; filename*=UTF-8''%ZZ%E8") == "%ZZ%E8"          # undecodable: kept
