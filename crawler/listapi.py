"""The requests a column list's own script makes for its later pages, derived from the list page.

Some CMSs print only the first records of a list in the HTML and fetch the rest from an API:

- Hanweb 大汉 JCMS jpage: `<datastore>` XML holds the first records; later ones come from
  `POST /module/web/jpage/dataproxy.jsp?startrecord=S&endrecord=E&perpage=P` with the form fields
  `col, appid, webid, path, columnid, sourceContentType, unitid, webname, permissiontype` (jpage's
  `ajaxParam`, or the `<nextgroup>` link's query). One request covers a group of 3 pages. Real
  JCMS answers only POST (GET gives an error page or the first batch again), so GET is a fallback.
- The TRS-based Fujian 集约化 platform (`list2.trsapi` + `listModel({listArgs, pagebar})`): page 1
  is static, pages 2..N come from `POST /fjdzapp/search` with the listArgs (channelid, classsql,
  sortfield …) plus `page` and `prepage`, answered in JSON (`data`/`docs` records with
  `chnldocurl/doctitle/docreltime`). The page count is `recordCount / prepage`.
- A list page that holds no entry and a script that asks a same-site API for them (`$.ajax`, `$.get`,
  `fetch`, `axios` with a literal URL and a page parameter): that request from page 1 on (`script_list_api`).
- An ASP.NET WebForms list paged by postback (`__doPostBack('AspNetPager1','2')`): the page's form posted back
  with the pager's page number (`postback_api`).
- Any other list whose requests were seen in a browser (crawler/browser.py): the seen request is
  replayed with its page (or start) parameter varied.

Everything here is pure: the spider turns an `ApiCall` into a Scrapy request.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from html import unescape as html_unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.urls import canonicalize

MAX_CALLS = 500                         # requests one list API may take: a longer list is a search engine
HANWEB_GROUP = 3                        # jpage fetches 3 pages per request (its `groupSize` default)
HANWEB_PROXY = "/module/web/jpage/dataproxy.jsp"
# The Fujian platform's list endpoint (shared/reference/portals.md; public crawlers of fujian.gov.cn sites).
FUJIAN_SEARCH = "/fjdzapp/search"
_JPAGE_FORM_ORDER = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
                     "permissiontype")
_JPAGE_DEFAULTS = {"col": "1", "appid": "1", "path": "/", "sourceContentType": "1", "permissiontype": "0"}
# Parameters that number a page (1-based) or the first record of a page (offset), lower-cased.
_PAGE_PARAMS = ("page", "pageno", "pagenum", "pageindex", "pagenumber", "currentpage", "curpage", "current",
                "pn", "p", "pageidx", "cpage", "page_no", "page_num", "page_index")
_START_PARAMS = ("start", "startrecord", "offset", "from", "begin", "startrow", "skip")


@dataclass(frozen=True)
class ApiCall:
    """One request for one page (or group of pages) of a list."""

    url: str                                   # absolute, query included
    method: str = "GET"                        # GET | POST
    form: tuple[tuple[str, str], ...] = ()     # POST body fields, in the order the site's script sends them
    page: int = 2                              # which page (or group) of the list this is, 1-based
    json_body: bool = False                    # POST body is JSON (a replayed fetch), not a form

    @property
    def key(self) -> str:
        """A stable identity for bookkeeping: the request as one GET URL (form fields appended)."""
        if not self.form:
            return canonicalize(self.url)
        parts = urlsplit(self.url)
        query = parse_qsl(parts.query, keep_blank_values=True) + list(self.form)
        return canonicalize(urlunsplit(parts._replace(query=urlencode(query))))

    def as_get(self) -> ApiCall:
        """The same request with the form fields in the query (the fallback for sites that answer GET)."""
        return ApiCall(self.key, "GET", (), self.page)


@dataclass
class ListApi:
    """How a list's later pages are fetched, and what the list says it holds."""

    family: str                                # hanweb | fujian-trs | replay
    calls: list[ApiCall] = field(default_factory=list)
    page_size: int = 0                         # records per call (0: unknown)
    declared: int | None = None                # records the list says it holds
    open_ended: bool = False                   # no total known: follow until a short or empty answer
    get_fallback: bool = False                 # a POST the site refuses may be retried as GET
    template: ApiCall | None = None            # for open-ended lists: the call to vary
    vary: str = ""                             # the varied parameter (replay), for the record
    step: int = 1                              # how much the varied parameter grows per call
    first_value: int = 2                       # its value in the first call
    end_param: str = ""                        # a parameter that closes the range (endrecord): value + step - 1

    def next_call(self, after: ApiCall) -> ApiCall | None:
        """The call after `after` for an open-ended list (None past the cap)."""
        if self.template is None or after.page >= MAX_CALLS:
            return None
        value = self.first_value + (after.page - self.template.page + 1) * self.step
        call = _vary(self.template, self.vary, value, after.page + 1)
        return _vary(call, self.end_param, value + self.step - 1, call.page) if self.end_param else call


def js_literal(text: str, start: int) -> str:
    """The `{...}` or `[...]` literal opening at text[start] (balanced, strings skipped); the rest of the text
    when it is never closed (a script cut off mid-call)."""
    opener = text[start]
    closer = "]" if opener == "[" else "}"
    depth, i, quote = 0, start, ""
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c == opener:
            depth += 1
        elif c == closer:
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
        i += 1
    return text[start:]


def _strip_comments(js: str) -> str:
    """`js` without // and /* */ comments (string literals, with their `https://`, kept)."""
    out, i, quote = [], 0, ""
    while i < len(js):
        c = js[i]
        if quote:
            out.append(c)
            if c == "\\" and i + 1 < len(js):
                out.append(js[i + 1])
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
            out.append(c)
        elif js.startswith("//", i):
            end = js.find("\n", i)
            i = len(js) if end < 0 else end
            continue
        elif js.startswith("/*", i):
            end = js.find("*/", i + 2)
            i = len(js) if end < 0 else end + 2
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _js_fields(obj: str) -> dict[str, str]:
    """Flat `key: value` pairs of a JS object literal; a value is its last non-empty string or number
    (so `classsql: "" || "chnlid=1813"` gives chnlid=1813), or the raw expression (`SiteInfo.searchId`)."""
    out: dict[str, str] = {}
    obj = _strip_comments(obj).strip()
    inner = obj[1:-1] if obj.startswith("{") else obj
    for part in _top_level_split(inner, ","):
        key, sep, value = part.partition(":")
        key = key.strip().strip("\"'")
        if not sep or not re.fullmatch(r"[A-Za-z_$][\w$]*", key):
            continue
        value = value.strip()
        literals = [a or b for a, b in re.findall(r'"([^"]*)"|\'([^\']*)\'', value)]
        literals = [x for x in literals if x]
        if literals:
            out[key] = literals[-1]
        elif re.fullmatch(r"-?\d+(?:\.\d+)?", value):
            out[key] = value
        elif value and not value.startswith(("{", "[", "function")):
            out[key] = value
    return out


def _object_after(html: str, name: str) -> dict[str, str] | None:
    m = re.search(rf"\b{name}\s*[:=]\s*\{{", html)
    return _js_fields(js_literal(html, m.end() - 1)) if m else None


def _int(value: str | None) -> int | None:
    return int(value) if value and re.fullmatch(r"\d+", value.strip()) else None


# ------------------------------------------------------------------ Hanweb jpage
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S | re.I)
_JPAGE_CALL = re.compile(r"\.jpage\(\s*\{", re.I)


def hanweb_api(html: str, url: str) -> ListApi | None:
    """The dataproxy.jsp batches after the records embedded in a Hanweb list page, or None."""
    if "dataproxy.jsp" not in html:
        return None
    call = _JPAGE_CALL.search(html)
    options = _js_fields(js_literal(html, call.end() - 1)) if call else {}
    ajax = _object_after(html, "ajaxParam") or {}
    nextgroup: dict[str, str] = {}
    m = _NEXTGROUP.search(html)
    if m:
        href = re.search(r"""href\s*=\s*["']([^"']+)""", m.group(1))
        if href:
            nextgroup = dict(parse_qsl(urlsplit(href.group(1).replace("&amp;", "&")).query, keep_blank_values=True))
    fields = {**_JPAGE_DEFAULTS, **nextgroup, **ajax}
    fields.pop("page", None)
    if not _int(fields.get("columnid")):
        found = re.search(r"""columnid\s*[:=]\s*["']?(\d+)""", html, re.I)
        if not found:
            return None
        fields["columnid"] = found.group(1)
    form = tuple((k, fields[k]) for k in _JPAGE_FORM_ORDER if k in fields)
    form += tuple((k, v) for k, v in fields.items() if k not in _JPAGE_FORM_ORDER)
    per_page = _int(options.get("perPage") or options.get("perpage")) or 15
    group = _int(options.get("groupSize")) or HANWEB_GROUP
    declared = _int(options.get("totalRecord") or options.get("totalrecord"))
    if declared is None:
        xml_total = re.search(r"<totalrecord>\s*(\d+)", html, re.I)
        declared = int(xml_total.group(1)) if xml_total else None
    proxy = options.get("proxyUrl") or HANWEB_PROXY
    if "dataproxy.jsp" not in proxy:
        proxy = HANWEB_PROXY
    proxy_url = urljoin(url, proxy.split("?", 1)[0])
    embedded = len(re.findall(r"<record>", html, re.I))
    step = per_page * group
    api = ListApi("hanweb", page_size=step, declared=declared, get_fallback=True)

    def batch(start: int, page: int) -> ApiCall:
        end = start + step - 1 if declared is None else min(start + step - 1, declared)
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page})
        return ApiCall(f"{proxy_url}?{query}", "POST", form, page)

    first = embedded + 1 if embedded else 1
    if declared is None:
        api.open_ended = True
        api.template = batch(first, 2)
        api.vary, api.step, api.first_value, api.end_param = "startrecord", step, first, "endrecord"
        api.calls = [api.template]
        return api
    for n, start in enumerate(range(first, declared + 1, step)):
        api.calls.append(batch(start, n + 2))
        if len(api.calls) >= MAX_CALLS:
            break
    return api


# ------------------------------------------------------------------ Fujian TRS listModel
_LIST_MODEL = re.compile(r"listModel\s*\(\s*\{")


def fujian_trs_api(html: str, url: str) -> ListApi | None:
    """Pages 2..N of a Fujian 集约化 `listModel({listArgs, pagebar})` list, or None."""
    m = _LIST_MODEL.search(html)
    if not m or "trsapi" not in html:
        return None
    body = js_literal(html, m.end() - 1)
    args = _object_after(body, "listArgs")
    pagebar = _object_after(body, "pagebar") or {}
    if not args:
        return None
    site_info = _object_after(html, "SiteInfo") or {}
    form: list[tuple[str, str]] = []
    for key, value in args.items():
        if value.startswith("SiteInfo."):
            value = site_info.get(value.split(".", 1)[1], "")
        if not value:
            continue
        form.append((key, value))
    if not any(k == "channelid" and _int(v) for k, v in form):
        return None
    per_page = _int(pagebar.get("prepage")) or 15
    records = _int(pagebar.get("recordCount"))
    pages = _int(pagebar.get("pageCount"))
    if records is not None:
        pages = math.ceil(records / per_page)
    api = ListApi("fujian-trs", page_size=per_page, declared=records)
    endpoint = urljoin(url, FUJIAN_SEARCH)

    def page_call(n: int) -> ApiCall:
        return ApiCall(endpoint, "POST", tuple(form) + (("page", str(n)), ("prepage", str(per_page))), n)

    if pages is None:
        api.open_ended = True
        api.template = page_call(2)
        api.vary, api.step, api.first_value = "page", 1, 2
        api.calls = [api.template]
        return api
    api.calls = [page_call(n) for n in range(2, min(pages, MAX_CALLS) + 1)]
    return api


def known_api(html: str, url: str) -> ListApi | None:
    """The list API a page's own script uses, when it is one we know."""
    if "dataproxy.jsp" in html:
        api = hanweb_api(html, url)
        if api is not None:
            return api
    if "listModel" in html:
        return fujian_trs_api(html, url)
    return None


# ------------------------------------------------------------------ replay of a request seen in a browser
@dataclass(frozen=True)
class SeenRequest:
    """A list request the page itself made in the browser (crawler/browser.py)."""

    url: str
    method: str = "GET"
    post_data: str | None = None
    content_type: str | None = None            # of the request body
    response: str = ""                         # the answer's text


def _vary(call: ApiCall, name: str, value: int, page: int) -> ApiCall:
    """`call` with parameter `name` (query, form or JSON body) set to `value`."""
    parts = urlsplit(call.url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(k == name for k, _ in query):
        query = [(k, str(value) if k == name else v) for k, v in query]
        return ApiCall(urlunsplit(parts._replace(query=urlencode(query))), call.method, call.form, page,
                       call.json_body)
    form = tuple((k, str(value) if k == name else v) for k, v in call.form)
    return ApiCall(call.url, call.method, form, page, call.json_body)


def _numbered_params(call: ApiCall) -> list[tuple[str, int]]:
    pairs = parse_qsl(urlsplit(call.url).query, keep_blank_values=True) + list(call.form)
    return [(k, int(v)) for k, v in pairs if re.fullmatch(r"\d{1,6}", v or "")]


def seen_call(seen: SeenRequest) -> ApiCall | None:
    """The request the browser saw as an ApiCall (a JSON body kept as flat fields), or None when its body
    is not a form or a flat JSON object."""
    form: tuple[tuple[str, str], ...] = ()
    json_body = False
    if seen.post_data:
        body = seen.post_data.strip()
        if body.startswith("{"):
            try:
                data = json.loads(body)
            except ValueError:
                return None
            if not isinstance(data, dict):
                return None
            form = tuple((str(k), str(v)) for k, v in data.items() if not isinstance(v, (dict, list)))
            json_body = True
        else:
            form = tuple(parse_qsl(body, keep_blank_values=True))
    return ApiCall(seen.url, seen.method.upper(), form, 1, json_body)


def replay_api(seen: SeenRequest, page_value_hint: int | None, page_size: int, declared: int | None,
               pages: int | None) -> ListApi | None:
    """A plan that replays `seen` for every other page, varying its page or start parameter.

    `page_value_hint` is the page the request was for when known (2 after clicking 下一页). A
    request with no page-like numeric parameter cannot be replayed: None.
    """
    call = seen_call(seen)
    if call is None:
        return None
    numbered = _numbered_params(call)
    page_param = next(((k, v) for k, v in numbered if k.lower() in _PAGE_PARAMS), None)
    start_param = next(((k, v) for k, v in numbered if k.lower() in _START_PARAMS), None)
    if page_param is None and start_param is None:
        return None
    if declared and page_size and not pages:
        pages = math.ceil(declared / page_size)
    api = ListApi("replay", page_size=page_size, declared=declared)
    if page_param is not None:
        name, value = page_param
        zero_based = value == 0 or (page_value_hint is not None and value == page_value_hint - 1)
        first_page = 0 if zero_based else 1
        step, first_value = 1, first_page + 1          # the value that asks for page 2
    else:
        name, value = start_param
        if not page_size:
            return None
        base = 0 if value in (0, page_size) else 1         # offsets counted from 0, or records from 1
        step, first_value = page_size, base + page_size
    api.vary, api.step, api.first_value = name, step, first_value
    template = _vary(call, name, first_value, 2)
    if pages is None:
        api.open_ended = True
        api.template = template
        api.calls = [template]
        return api
    api.calls = [_vary(call, name, first_value + (n - 2) * step, n) for n in range(2, min(pages, MAX_CALLS) + 1)]
    return api


# ------------------------------------------------------------------ a list the page loads whole from its script's API
# A 2020s platform page is often a shell: an empty `<ul id="list">` and a script that asks a JSON API for the
# records (`$.ajax({url:'/api/…', data:{channelId:'12', current: pageNo, size: 15}})`, `fetch('/api/…?page=1')`,
# `axios.get(url, {params})`). The call is read from the script as written: a literal URL, its query and its
# data/params object; a value held in a variable is taken from the script's own `var x = …` when it is there.
_SCRIPT_BODY = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.S | re.I)
_REQUEST_CALL = re.compile(r"(?:\$|\bjQuery)\s*\.\s*(?P<jquery>ajax|getJSON|get|post)\s*\(|\b(?P<fetch>fetch)\s*\("
                           r"|\b(?P<axios>axios)(?:\s*\.\s*(?P<verb>get|post))?\s*\(")
_SIZE_PARAMS = ("size", "pagesize", "page_size", "rows", "limit", "perpage", "per_page", "prepage")
_STRING = re.compile(r"""\s*(["'`])((?:(?!\1)[^\\]|\\.)*)\1""", re.S)


def _variable(script: str, name: str) -> str | None:
    """The literal a script assigns to `name` (`var pageNo = 1;`, `let cid = "12"`), or None."""
    if not re.fullmatch(r"[A-Za-z_$][\w$]*", name):
        return None
    m = re.search(rf"(?:\b(?:var|let|const)\s+|[,;{{\s]){re.escape(name)}\s*=\s*(?:"
                  r"""["']([^"'\n]*)["']|(-?\d+)\b)""", script)
    return (m.group(1) if m.group(1) is not None else m.group(2)) if m else None


def _request_in(script: str, at: re.Match) -> tuple[str, str, dict[str, str], str] | None:
    """(method, URL, data fields, the data object's source) of the request call at `at`; None when its URL is
    not a literal."""
    kind = (at.group("jquery") or at.group("fetch") or "axios").lower()
    rest = script[at.end():]
    method = "POST" if kind == "post" or (at.group("verb") or "").lower() == "post" else "GET"
    options: dict[str, str] = {}
    source = ""
    literal = _STRING.match(rest)
    if literal:
        if literal.group(1) == "`" and "${" in literal.group(2):
            return None                              # a template string built from variables: not read
        url = literal.group(2)
        after = rest[literal.end():].lstrip()
        if after.startswith(","):
            tail = after[1:].lstrip()
            if tail.startswith("{"):
                obj = js_literal(tail, 0)
                if not _closed(obj):
                    return None
                if kind in ("get", "getjson", "post"):
                    source = obj                                 # $.get(url, {data})
                else:
                    options = _js_fields(obj)                    # fetch(url, {method}), axios.get(url, {params})
                    source = _inner_object(obj, "params")
    elif rest.lstrip().startswith("{"):
        obj = js_literal(rest, len(rest) - len(rest.lstrip()))
        if not _closed(obj):
            return None
        options = _js_fields(obj)
        found = re.search(r"""\burl\s*:\s*(["'])([^"'`]*)\1""", obj)
        if not found:
            return None                                          # the URL is an expression: not read
        url = found.group(2)
        source = _inner_object(obj, "data") or _inner_object(obj, "params")
    else:
        return None
    if options.get("type", options.get("method", "")).upper() == "POST":
        method = "POST"
    return method, url, _js_fields(source) if source else {}, source


def _closed(obj: str) -> bool:
    """Whether a `{...}` literal from js_literal was closed (a script cut off mid-call gives the rest)."""
    return obj.endswith("}") and js_literal(obj, 0) == obj


def _inner_object(obj: str, name: str) -> str:
    m = re.search(rf"\b{name}\s*:\s*\{{", obj)
    return js_literal(obj, m.end() - 1) if m else ""


def _literal_in(source: str, key: str) -> bool:
    """Whether `key`'s value in an object's source is a string or number literal (not a variable)."""
    return re.search(rf"""["']?\b{re.escape(key)}["']?\s*:\s*(?:["']|-?\d)""", source) is not None


def script_list_api(html: str, url: str) -> ListApi | None:
    """The JSON API a list page's own script loads its whole list from, paged from page 1, or None.

    Only a request with a page (or first-record) parameter is a list request; its answer is read by
    crawler.extract.lists.api_entries whatever its shape. Pages are followed until one brings no new records
    (open-ended). A request to another site, or one whose URL or parameters are expressions the script does
    not assign, is not guessed at: None.
    """
    if "<script" not in html or not any(w in html for w in ("ajax", "fetch", "axios", "getJSON", "$.get", "$.post")):
        return None
    host = urlsplit(url).netloc
    for body in _SCRIPT_BODY.findall(html):
        if not _REQUEST_CALL.search(body):
            continue                                     # most scripts make no request: no comment stripping
        script = _strip_comments(body)
        for at in _REQUEST_CALL.finditer(script):
            found = _request_in(script, at)
            if found is None:
                continue
            method, target, data, source = found
            parts = urlsplit(urljoin(url, target.strip()))
            if parts.scheme not in ("http", "https") or parts.netloc != host:
                continue
            params = parse_qsl(parts.query, keep_blank_values=True)
            for key, value in data.items():
                if not _literal_in(source, key):
                    value = _variable(script, value)
                    if value is None and key.lower() not in _PAGE_PARAMS:
                        break                                    # a parameter we cannot know: not guessed
                params.append((key, value or ""))
            else:
                api = _paged_from_one(method, urlunsplit(parts._replace(query="")), params)
                if api is not None:
                    return api
    return None


def _paged_from_one(method: str, endpoint: str, params: list[tuple[str, str]]) -> ListApi | None:
    """The open-ended plan of a list request: its page parameter from the first page (a page held in a variable
    the script does not assign counts from 1), or its first-record parameter stepped by the page size."""
    names = [k.lower() for k, _ in params]
    size = next((_int(v) for k, v in params if k.lower() in _SIZE_PARAMS and _int(v)), None) or 0
    page_name = next((k for k in (k for k, _ in params) if k.lower() in _PAGE_PARAMS), None)
    start_name = next((k for k in (k for k, _ in params) if k.lower() in _START_PARAMS), None)
    if page_name is None and (start_name is None or not size):
        return None
    name = page_name or start_name
    value = dict(params)[name]
    first = int(value) if re.fullmatch(r"\d{1,6}", value or "") else (1 if page_name else 0)
    params = [(k, str(first) if k == name else v) for k, v in params]
    if len(set(names)) != len(names):
        return None                                              # a repeated parameter: not ours to vary
    if method == "POST":
        call = ApiCall(endpoint, "POST", tuple(params), 1)
    else:
        call = ApiCall(f"{endpoint}?{urlencode(params)}", "GET", (), 1)
    api = ListApi("script", page_size=size, open_ended=True)
    api.template, api.calls = call, [call]
    api.vary, api.first_value = name, first
    api.step = 1 if page_name else size
    return api


# ------------------------------------------------------------------ URLs a script builds by string concatenation
# `location.href = 'List.aspx?ClassID=' + cid + '&page=' + n;` (a 2010s pager behind `javascript:goPage(2)`), or
# `url: "/api/list?channelId=" + channelId + "&page=" + pageNo` in a request: literal pieces joined with `+`, each
# other piece a variable the script assigns (`var cid = 123;`) or the argument the call passes.
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")


def _top_level_split(expr: str, separator: str) -> list[str]:
    """`expr` cut at `separator` outside strings and brackets."""
    parts, token, depth, quote = [], "", 0, ""
    for c in expr:
        if quote:
            token += c
            if c == quote:
                quote = ""
            continue
        if c in "\"'`":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == separator and depth == 0:
            parts.append(token)
            token = ""
            continue
        token += c
    parts.append(token)
    return parts


def concat_value(expr: str, script: str, bindings: dict[str, str] | None = None) -> str | None:
    """The string a JS concatenation of literals and variables gives, or None when a piece is anything else (a
    call, a property, a variable neither bound nor assigned a literal in the script): nothing is guessed."""
    bindings = bindings or {}
    out = []
    for piece in _top_level_split(expr.strip(), "+"):
        piece = piece.strip()
        while piece.startswith("(") and piece.endswith(")") and len(_top_level_split(piece[1:-1], ")")) == 1:
            piece = piece[1:-1].strip()                  # (n), not (a) + (b)
        literal = _STRING.fullmatch(piece)
        if literal and not (literal.group(1) == "`" and "${" in literal.group(2)):
            out.append(literal.group(2))
        elif re.fullmatch(r"-?\d+", piece):
            out.append(piece)
        elif _IDENTIFIER.fullmatch(piece) and piece in bindings:
            out.append(bindings[piece])
        elif _IDENTIFIER.fullmatch(piece) and (value := _variable(script, piece)) is not None:
            out.append(value)
        else:
            return None
    return "".join(out) if out else None


_FUNCTION = re.compile(r"\bfunction\s+(?P<name>[A-Za-z_$][\w$]*)\s*\(\s*(?P<param>[A-Za-z_$][\w$]*)\s*\)\s*\{")
_NAVIGATION = re.compile(r"\b(?:window\s*\.\s*|document\s*\.\s*|self\s*\.\s*|top\s*\.\s*)?location(?:\s*\.\s*href)?"
                         r"\s*=(?!=)\s*|\blocation\s*\.\s*(?:assign|replace)\s*\(|\bwindow\s*\.\s*open\s*\(")
_PAGE_CALL = re.compile(r"""href\s*=\s*["']\s*javascript\s*:\s*(?P<name>[A-Za-z_$][\w$]*)\s*\(\s*["']?(?P<n>\d{1,4})"""
                        r"""["']?\s*\)\s*;?\s*["']""", re.I)
_PAGE_COUNT = (re.compile(r"共\s*(\d{1,4})\s*页"), re.compile(r"(?:页次|当前第?|第)\s*[:：]?\s*\d{1,4}\s*/\s*(\d{1,4})\s*页?"))
_CURRENT_PAGE = re.compile(r"(?:页次|当前第?|第)\s*[:：]?\s*(\d{1,4})\s*/\s*\d{1,4}")


def script_pages(html: str, url: str) -> list[str]:
    """List pages a pager reaches through its own script: links `javascript:goPage(2)` to a one-argument function
    of the page that sets `location` to a concatenation of literals, script variables and that argument. Every
    page from 2 to the highest the pager names (its links, 共N页, 页次：1/N) is given; [] when nothing is readable."""
    if "javascript" not in html or "location" not in html and "window.open" not in html:
        return []
    calls: dict[str, set[int]] = {}
    for m in _PAGE_CALL.finditer(html):
        calls.setdefault(m.group("name"), set()).add(int(m.group("n")))
    if not calls:
        return []
    scripts = [_strip_comments(body) for body in _SCRIPT_BODY.findall(html) if "function" in body]
    host = urlsplit(url).netloc
    count = max((int(m.group(1)) for p in _PAGE_COUNT for m in p.finditer(html)), default=0)
    for script in scripts:
        for fn in _FUNCTION.finditer(script):
            if fn.group("name") not in calls:
                continue
            body = js_literal(script, fn.end() - 1)
            nav = _NAVIGATION.search(body)
            if nav is None:
                continue
            rest = body[nav.end():]
            expr = _top_level_split(rest, ";")[0]
            expr = _top_level_split(expr, "\n")[0] if "\n" in expr and "+" not in expr.split("\n", 1)[1][:3] else expr
            if nav.group(0).rstrip().endswith("("):          # location.assign(x), window.open(x, '_self')
                expr = _top_level_split(js_literal("(" + rest, 0)[1:-1], ",")[0]
            expr = expr.strip().rstrip("}").strip()
            numbers = calls[fn.group("name")]
            high = min(max(max(numbers), count), MAX_CALLS)
            current = _CURRENT_PAGE.search(html)
            here_n = int(current.group(1)) if current else (1 if 1 not in numbers else 0)   # the unlinked page
            pages = []
            for n in range(1, high + 1):
                target = concat_value(expr, script, {fn.group("param"): str(n)})
                if target is None:
                    break
                parts = urlsplit(urljoin(url, target.strip()))
                if parts.scheme not in ("http", "https") or parts.netloc != host:
                    break
                pages.append((n, canonicalize(parts.geturl())))
            urls = {u for _, u in pages}
            if len(urls) == len(pages) > 1:     # the argument reaches the URL: one page per number
                here = canonicalize(url)
                return [u for n, u in pages if u != here and n != here_n]
    return []


# ------------------------------------------------------------------ ASP.NET WebForms postback pagers
# AspNetPager (and the GridView pager) in postback mode: `javascript:__doPostBack('AspNetPager1','2')` submits the
# page's one <form> — its hidden __VIEWSTATE, __EVENTVALIDATION … as served — with __EVENTTARGET set to the pager and
# __EVENTARGUMENT to the page number, to the form's action (the page itself). A browser does exactly this; no URL
# names page 2. The answer is a whole page whose list is read like any list page's.
_POSTBACK = re.compile(r"""__doPostBack\(\s*['"](?P<target>[\w$:.\-]+)['"]\s*,\s*['"](?P<arg>\d{1,4})['"]\s*\)""")
_FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)(?:</form\s*>|$)", re.S | re.I)
_HIDDEN = re.compile(r"""<input\b(?=[^>]*\btype\s*=\s*["']?hidden\b)[^>]*>""", re.I)
_ATTR = r"""\b{}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""


def _attr(tag: str, name: str) -> str | None:
    m = re.search(_ATTR.format(name), tag, re.I)
    return None if m is None else html_unescape(next(g for g in m.groups() if g is not None))


def postback_api(html: str, url: str) -> ListApi | None:
    """The form posts that reach a WebForms list's other pages (see above), or None when the page has no pager
    posting back through a form that carries its __VIEWSTATE. Pages 2 up to the highest the pager names (its
    links, 共N页, 当前第1/N页); the page is read as page 1 (it is the list's first page, fetched by GET)."""
    if "__doPostBack" not in html or "__VIEWSTATE" not in html:
        return None
    text = html_unescape(html) if "&#39;" in html or "&quot;" in html else html
    pager: dict[str, set[int]] = {}
    for m in _POSTBACK.finditer(text):
        pager.setdefault(m.group("target"), set()).add(int(m.group("arg")))
    if not pager:
        return None
    target, numbers = max(pager.items(), key=lambda kv: (len(kv[1]), max(kv[1])))
    form = next((f for f in _FORM.finditer(html) if "__VIEWSTATE" in f.group("body")), None)
    if form is None:
        return None
    action = _attr("<form" + form.group("attrs") + ">", "action")
    endpoint = canonicalize(urljoin(url, action.strip()) if action and action.strip() else url)
    if urlsplit(endpoint).netloc != urlsplit(url).netloc:
        return None
    fields = []
    for tag in _HIDDEN.findall(form.group("body")):
        name = _attr(tag, "name")
        if name and name not in ("__EVENTTARGET", "__EVENTARGUMENT"):
            fields.append((name, _attr(tag, "value") or ""))
    count = max((int(m.group(1)) for p in _PAGE_COUNT for m in p.finditer(text)), default=0)
    high = min(max(max(numbers), count), MAX_CALLS)
    if high < 2:
        return None
    calls = [ApiCall(endpoint, "POST", (("__EVENTTARGET", target), ("__EVENTARGUMENT", str(n)), *fields), n)
             for n in range(2, high + 1)]
    return ListApi("postback", calls=calls)
