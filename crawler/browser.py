"""The last resort for a list no known pattern reads: open it in a real headless Chromium and watch
which requests the page itself makes for its entries (XHR / fetch), so the crawl can replay them.

Chromium is Debian's (/usr/bin/chromium); nothing is downloaded. It is driven over the DevTools
protocol with the small client below (a WebSocket client on a plain socket, RFC 6455: masked text
frames out, unmasked frames in), so no dependency is added. A render is bounded by a timeout and
always ends the browser; every failure comes back as a `BrowserError` with a reason in Chinese,
which the spider records (the column is then unread), never a crash.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from crawler.listapi import SeenRequest

RENDER_TIMEOUT_S = 25.0                 # one list page: start, load, one click, the answers
MAX_RENDERS_PER_SITE = 20               # a site with more script-paged lists than this is recorded, not rendered
_IDLE_S = 0.6                           # no request in flight for this long: the page has settled
_CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--no-first-run", "--mute-audio",
                   "--disable-extensions", "--remote-debugging-port=0", "--remote-allow-origins=*")
_CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium", "google-chrome")
_LIST_TYPES = ("XHR", "Fetch")
# Clicks the page's own pager: 下一页 first, else the link to page 2 (script links, spans, buttons).
_CLICK_NEXT = r"""(() => {
  const els = Array.from(document.querySelectorAll('a, span, button, li, input[type=button]'));
  const text = el => (el.innerText || el.value || '').replace(/\s+/g, '');
  const pick = els.find(el => ['下一页', '下页', '下一頁', '>', '›'].includes(text(el)))
            || els.find(el => text(el) === '2');
  if (!pick) return '';
  pick.click();
  return text(pick);
})()"""


class BrowserError(Exception):
    """A render that could not be done; the message is the reason shown to the user."""


@dataclass
class Observation:
    """What a rendered list page asked its server for."""

    url: str
    on_load: list[SeenRequest] = field(default_factory=list)     # list requests made while loading
    on_click: list[SeenRequest] = field(default_factory=list)    # made after clicking the pager
    clicked: str = ""                                            # the pager text that was clicked


def find_chromium() -> str | None:
    """Debian's Chromium, or None when it is not installed."""
    for name in _CANDIDATES:
        found = shutil.which(name) if "/" not in name else (name if os.access(name, os.X_OK) else None)
        if found:
            return found
    return None


class _WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol on 127.0.0.1."""

    def __init__(self, port: int, path: str, timeout: float) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise BrowserError("浏览器调试接口握手失败")
            head += chunk
        status, _, rest = head.partition(b"\r\n\r\n")
        if b" 101 " not in status.split(b"\r\n", 1)[0] + b" ":
            raise BrowserError("浏览器调试接口拒绝连接")
        self.buffer = rest

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buffer)))
            if not chunk:
                raise BrowserError("浏览器调试连接已关闭")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def send(self, text: str) -> None:
        payload = text.encode("utf-8")
        mask = os.urandom(4)
        n = len(payload)
        header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                  bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else
                                  bytes([0x80 | 127]) + struct.pack(">Q", n))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def recv(self, timeout: float) -> str | None:
        """One text message, or None when nothing arrived within `timeout`."""
        self.sock.settimeout(max(timeout, 0.01))
        try:
            if not self.buffer:
                self.buffer += self.sock.recv(65536)
                if not self.buffer:
                    raise BrowserError("浏览器调试连接已关闭")
        except TimeoutError:
            return None
        self.sock.settimeout(RENDER_TIMEOUT_S)
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            if b1 & 0x80:
                mask = self._read(4)
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read(n)))
            else:
                data = self._read(n)
            opcode = b0 & 0x0F
            if opcode == 0x8:
                raise BrowserError("浏览器调试连接已关闭")
            if opcode in (0x9, 0xA):                   # ping / pong: the browser never pings; ignore
                continue
            message += data
            if b0 & 0x80:
                return message.decode("utf-8", "replace")

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


class _Cdp:
    """DevTools calls on one page session, with the events that arrive meanwhile kept in order."""

    def __init__(self, ws: _WebSocket, deadline: float) -> None:
        self.ws = ws
        self.deadline = deadline
        self.next_id = 0
        self.session: str | None = None
        self.events: list[dict] = []

    def left(self) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise BrowserError(f"页面渲染超过{RENDER_TIMEOUT_S:.0f}秒未完成")
        return remaining

    def call(self, method: str, params: dict | None = None, session: bool = True) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            raw = self.ws.recv(self.left())
            if raw is None:
                continue
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"浏览器调试命令 {method} 失败：{reply['error'].get('message', '')}")
                return reply.get("result") or {}
            if "method" in reply:
                self.events.append(reply)

    def pump(self, wait: float) -> None:
        """Read events for up to `wait` seconds."""
        until = min(time.monotonic() + wait, self.deadline)
        while (remaining := until - time.monotonic()) > 0:
            raw = self.ws.recv(remaining)
            if raw is not None:
                reply = json.loads(raw)
                if "method" in reply:
                    self.events.append(reply)


class _Watch:
    """List requests (XHR / fetch) seen on the page, answered ones with their text."""

    def __init__(self, cdp: _Cdp) -> None:
        self.cdp = cdp
        self.requests: dict[str, dict] = {}
        self.inflight: set[str] = set()
        self.loaded = False
        self.done: list[str] = []                       # request ids in the order they finished

    def absorb(self) -> None:
        events, self.cdp.events = self.cdp.events, []
        for event in events:
            method, params = event.get("method"), event.get("params") or {}
            rid = params.get("requestId")
            if method == "Page.loadEventFired":
                self.loaded = True
            elif method == "Network.requestWillBeSent":
                self.inflight.add(rid)
                if params.get("type") in _LIST_TYPES:
                    request = params.get("request") or {}
                    headers = {k.lower(): v for k, v in (request.get("headers") or {}).items()}
                    self.requests[rid] = {"url": request.get("url", ""), "method": request.get("method", "GET"),
                                          "post": request.get("postData"),
                                          "ctype": headers.get("content-type"), "status": None}
            elif method == "Network.responseReceived" and rid in self.requests:
                self.requests[rid]["status"] = (params.get("response") or {}).get("status")
            elif method in ("Network.loadingFinished", "Network.loadingFailed"):
                self.inflight.discard(rid)
                if method == "Network.loadingFinished" and rid in self.requests:
                    self.done.append(rid)

    def settle(self, need_load: bool) -> None:
        """Wait until the page has loaded (if asked) and no request has been in flight for a moment."""
        quiet_since = None
        while True:
            self.cdp.pump(0.1)
            self.absorb()
            if (self.loaded or not need_load) and not self.inflight:
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= _IDLE_S:
                    return
            else:
                quiet_since = None

    def take(self) -> list[SeenRequest]:
        """Answered list requests since the last take, with their bodies."""
        out = []
        for rid in self.done:
            info = self.requests[rid]
            if not info["status"] or info["status"] >= 400:
                continue
            try:
                body = self.cdp.call("Network.getResponseBody", {"requestId": rid})
            except BrowserError:
                continue
            text = body.get("body", "")
            if body.get("base64Encoded"):
                text = base64.b64decode(text).decode("utf-8", "replace")
            out.append(SeenRequest(info["url"], info["method"], info["post"], info["ctype"], text))
        self.done = []
        return out


def _port(profile: Path, proc: subprocess.Popen, deadline: float) -> tuple[int, str]:
    marker = profile / "DevToolsActivePort"
    while time.monotonic() < deadline:
        if marker.is_file():
            lines = marker.read_text().split()
            if len(lines) >= 2 and lines[0].isdigit():
                return int(lines[0]), lines[1]
        if proc.poll() is not None:
            raise BrowserError(f"浏览器启动失败（退出码 {proc.returncode}）")
        time.sleep(0.05)
    raise BrowserError("浏览器启动超时")


def observe_list(url: str, chromium: str | None = None, timeout: float = RENDER_TIMEOUT_S,
                 user_agent: str | None = None) -> Observation:
    """Load `url` in headless Chromium, click its pager once, and return the list requests it made."""
    chromium = chromium or find_chromium()
    if not chromium:
        raise BrowserError("未安装 Chromium 浏览器，无法读取由脚本分页的列表")
    if not url.startswith(("http://", "https://")):
        raise BrowserError("只渲染 http(s) 页面")
    deadline = time.monotonic() + timeout
    profile = Path(tempfile.mkdtemp(prefix="govaudit-chromium-"))
    flags = list(_CHROMIUM_FLAGS) + [f"--user-data-dir={profile}"]
    if user_agent:
        flags.append(f"--user-agent={user_agent}")
    proc = subprocess.Popen([chromium, *flags, "about:blank"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    _LIVE.add(proc)
    ws = None
    try:
        port, path = _port(profile, proc, deadline)
        ws = _WebSocket(port, path, max(deadline - time.monotonic(), 0.1))
        cdp = _Cdp(ws, deadline)
        target = cdp.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        cdp.session = cdp.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                               session=False)["sessionId"]
        watch = _Watch(cdp)
        cdp.call("Network.enable")
        cdp.call("Page.enable")
        navigated = cdp.call("Page.navigate", {"url": url})
        if navigated.get("errorText"):
            raise BrowserError(f"页面无法打开：{navigated['errorText']}")
        watch.settle(need_load=True)
        seen = Observation(url, on_load=watch.take())
        clicked = cdp.call("Runtime.evaluate", {"expression": _CLICK_NEXT, "returnByValue": True})
        seen.clicked = str(((clicked.get("result") or {}).get("value")) or "")
        if seen.clicked:
            watch.settle(need_load=False)
            seen.on_click = watch.take()
        return seen
    except (OSError, ValueError, KeyError) as exc:
        raise BrowserError(f"浏览器调试通信失败：{type(exc).__name__}") from exc
    finally:
        if ws is not None:
            ws.close()
        _stop(proc)
        _LIVE.discard(proc)
        shutil.rmtree(profile, ignore_errors=True)


# Browsers being driven right now (their own sessions: they would outlive a forced stop of the crawl).
_LIVE: set[subprocess.Popen] = set()


def kill_all() -> None:
    """SIGKILL every running render's browser group; no wait and no lock, so a signal handler may call it.

    The render's thread then fails at once on its closed socket and cleans up after itself, instead of
    holding the process at exit until its render timeout.
    """
    for proc in list(_LIVE):
        try:
            os.killpg(proc.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass


def _stop(proc: subprocess.Popen) -> None:
    """End this render's browser (its own process group: the zygote and renderers go with it)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, 15)
        except (ProcessLookupError, PermissionError):
            proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, 9)
            except (ProcessLookupError, PermissionError):
                proc.kill()
            proc.wait(timeout=5)


def describe(exc: BaseException) -> str:
    """One line for a failed render."""
    return re.sub(r"\s+", " ", str(exc)) or type(exc).__name__
