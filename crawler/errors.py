"""The error hierarchy (the CLI turns each into one clear line and an exit code), and the fetch error names the
crawler records, in the words a report reader understands."""


class AuditError(Exception):
    """Base of every error govaudit raises on purpose. `exit_code` is what the CLI returns."""

    exit_code = 2


class SiteProfileError(AuditError):
    """A site profile YAML is missing, malformed or fails its schema."""


class StoreError(AuditError):
    """The --db file is not a govaudit store, is corrupt, or cannot be written."""


class StoreUnavailable(StoreError):
    """The database server went away and did not come back: stop, keep what was committed, resume later."""


class CrawlError(AuditError):
    """The crawl was unusable: the site is unreachable or nothing could be fetched."""

    exit_code = 3


# ---------------------------------------------------------------- fetch errors, in the reader's words
# The names the crawler records as a LinkRecord's error when no usable answer came (crawler/spiders/portal.py
# _failure_reason; crawler/images.py; crawler/middlewares.py AccessBlocked). Names it does not list itself are
# an exception's class name in kebab case ('DownloadFailedError' -> 'download-failed-error').
FETCH_ERROR_TEXT = {
    "timeout": "连接超时",
    "dns": "域名无法解析",
    "connection-refused": "服务器拒绝连接",
    # Scrapy's wrapper of Twisted's ResponseFailed / ResponseNeverReceived: the server closed the connection.
    "download-failed-error": "服务器中断连接，未返回完整页面",
    "response-data-loss-error": "服务器返回的内容不完整",
    "download-cancelled-error": "下载被中止",
    "unsupported-u-r-l-scheme-error": "链接地址格式不受支持",
    "redirect-loop": "页面重定向形成循环，无法打开",
    "offsite-redirect": "重定向至本网站以外的地址",
    "robots-disallowed": "网站的爬虫协议（robots.txt）禁止访问，未作检查",
    "too-large": "文件超过下载大小上限，未作检查",
    "list-api": "栏目列表接口未能读取",
    "access-blocked": "访问被网站防护设备拦截",
    "not-image": "返回内容不是图片",
    "soft-404": "返回“页面不存在或已被删除”提示页（HTTP 200）",
}
# Exception names not listed above, by the words in them (Twisted's connection errors, OpenSSL's errors …).
_FETCH_ERROR_WORDS = (
    (("timeout", "timed-out"), "连接超时"),
    (("dns", "resolve", "lookup", "unknown-host", "name-unknown"), "域名无法解析"),
    (("refused",), "服务器拒绝连接"),
    (("s-s-l", "ssl", "tls", "certificate", "verify"), "安全证书或加密连接错误"),
    (("connection-lost", "connection-done", "connection-aborted", "connection-closed", "never-received",
      "response-failed", "data-loss"),
     "服务器中断连接，未返回完整页面"),
    (("no-route", "connect-error", "connecting-cancelled", "unreachable"), "无法连接服务器"),
)
FETCH_ERROR_UNKNOWN = "未能获得服务器的正常响应"


def fetch_error_text(error: str | None) -> str:
    """A recorded fetch error name in formal Chinese for a report; never the raw name (a clerk reads it)."""
    name = (error or "").strip().lower()
    if not name:
        return FETCH_ERROR_UNKNOWN
    head = name.partition(":")[0]                # 'access-blocked:瑞数', 'not-image:text/html'
    if head in FETCH_ERROR_TEXT:
        return FETCH_ERROR_TEXT[head]
    return next((text for words, text in _FETCH_ERROR_WORDS if any(w in name for w in words)), FETCH_ERROR_UNKNOWN)
