"""tests/loopback.py, the fixture portals' one server: routes of every kind, 404s, query keys, a responder that
sees every request first, methods it does not serve, and a socket that is closed when the block ends."""

from __future__ import annotations

import httpx
import pytest

from tests.loopback import LoopbackServer, Request, Response


def test_routes_of_every_kind_and_what_is_not_there():
    def echo(request: Request) -> Response:
        return Response(201, f"{request.method} {request.key}".encode(), "text/plain")

    routes = {"/index.html": "<p>首页</p>", "/a.bin": b"\x00\x01",
              "/moved": Response(302, b"", None, {"Location": "/index.html"}), "/echo": echo,
              "/q?id=1": b"one"}
    with LoopbackServer(routes) as server, httpx.Client(base_url=server.base_url) as client:
        home = client.get("/")
        assert (home.status_code, home.text, home.headers["content-type"]) == (200, "<p>首页</p>",
                                                                               "text/html; charset=utf-8")
        assert client.get("/a.bin").content == b"\x00\x01"
        moved = client.get("/moved")
        assert moved.status_code == 302 and moved.headers["location"] == "/index.html"
        assert "content-type" not in moved.headers
        assert (client.get("/echo?x=2").status_code, client.get("/echo?x=2").text) == (201, "GET /echo?x=2")
        assert client.get("/q?id=1").text == "one" and client.get("/q?id=2").status_code == 404
        assert client.get("/index.html?from=menu").text == "<p>首页</p>"       # a path route answers any query
        assert client.get("/missing.html").status_code == 404
        assert client.post("/index.html").status_code == 501                  # GET only unless told


def test_exact_query_keys_and_a_responder_that_sees_every_request_first():
    seen: list[tuple[str, str, bytes]] = []

    def responder(request: Request) -> Response | None:
        seen.append((request.method, request.key, request.body))
        return Response(200, b"api", "application/json") if request.path == "/api" else None

    with LoopbackServer({"/index.html": b"home"}, responder=responder, methods=("GET", "POST"),
                        any_query=False) as server, httpx.Client(base_url=server.base_url) as client:
        assert client.post("/api?page=2", data={"q": "通知"}).text == "api"
        assert client.get("/index.html").text == "home"
        assert client.get("/index.html?x=1").status_code == 404                # exact keys only
    assert seen[0][:2] == ("POST", "/api?page=2") and b"q=" in seen[0][2]
    assert [s[1] for s in seen[1:]] == ["/index.html", "/index.html?x=1"]


def test_304_carries_no_body_and_the_port_is_closed_after_the_block():
    with LoopbackServer({"/index.html": Response(304, b"ignored", None, {"ETag": '"e1"'})}) as server:
        url = server.base_url
        answer = httpx.get(url + "/index.html")
        assert answer.status_code == 304 and answer.content == b"" and answer.headers["etag"] == '"e1"'
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/index.html")
