"""The browser fallback under a forced stop: `browser.kill_all` ends a render stuck on a page that never
answers, its thread returns a BrowserError at once (not after the render timeout), and no browser process
is left behind.
"""

from __future__ import annotations

import socket
import threading

import psutil
import pytest

from crawler import browser

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("chromium_binary")]    # fails under CI without chromium


class _SilentServer:
    """A loopback server that accepts connections and never answers: a county server gone quiet."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.connected = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/list.html"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            self.connected.set()

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def _browsers() -> list[psutil.Process]:
    return [psutil.Process(proc.pid) for proc in list(browser._LIVE)]


def test_kill_all_ends_a_stuck_render_and_its_browser(chromium_binary):
    server = _SilentServer()
    outcome: list[BaseException | object] = []

    def render() -> None:
        try:
            outcome.append(browser.observe_list(server.url, chromium_binary, timeout=3600))
        except BaseException as exc:  # noqa: BLE001 - the test inspects what the thread ended with
            outcome.append(exc)

    thread = threading.Thread(target=render, daemon=True)
    try:
        thread.start()
        assert server.connected.wait(120), "the browser never asked the silent server for the page"
        group = _browsers()
        assert group, "the render's browser is registered while it runs"
        leader = group[0]
        members = [leader] + leader.children(recursive=True)
        browser.kill_all()
        thread.join(120)                      # far below the render's own 3,600 s timeout
        assert not thread.is_alive(), "the render did not end after its browser was killed"
        assert isinstance(outcome[0], browser.BrowserError), outcome
        assert psutil.wait_procs(members, timeout=60)[1] == []
        assert not browser._LIVE
    finally:
        browser.kill_all()
        server.close()
