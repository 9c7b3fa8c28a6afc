"""Issue 17, class 1: `tracker serve` answers only the officer's browser. Driven with a
real HTTP and WebSocket client (aiohttp's) against the real server on loopback."""
from __future__ import annotations

import asyncio
import gc
import os
import shlex
import socket
import stat
import sys
from asyncio.base_subprocess import BaseSubprocessTransport
from pathlib import Path

import aiohttp
import pytest
import textual_serve.server
from aiohttp import web

from tracker.errors import TrackerError
from tracker.services import import_folder
from tracker.services.import_preview import preview_file
from tracker.tui import serve as guarded
from tracker.tui.serve import Guard, GuardedServer, Pages, allowed_hosts

PAGES = Pages(title="t", locked="locked", password_label="pw", wrong_password="wrong",
              too_many="too many", refused="refused")
#: A stand-in for the dashboard process: waits for its first byte of input (textual-serve
#: sends "quit" when the session ends), then exits.
WAITER = shlex.join([sys.executable, "-c", "import sys; sys.stdin.buffer.read(1)"])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_server(scenario, *, command: str = WAITER, password: str | None = None,
               max_sessions: int = 2):
    """Start the guarded server on a free loopback port, run `scenario(client, base,
    guard, server)` against it, stop it."""
    port = free_port()
    guard = Guard(secret="s3cret-token", hosts=allowed_hosts("127.0.0.1", port, True),
                  password=password, max_sessions=max_sessions)

    async def main():
        server = GuardedServer(command, "127.0.0.1", port, guard, PAGES)
        runner = web.AppRunner(await server._make_app())
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            jar = aiohttp.CookieJar(unsafe=True)  # keep cookies for an IP address
            async with aiohttp.ClientSession(cookie_jar=jar) as client:
                return await asyncio.wait_for(
                    scenario(client, f"http://127.0.0.1:{port}", guard, server), 60)
        finally:
            for _ in range(400):  # the sessions' processes end before the loop does
                if server.sessions == 0:
                    break
                await asyncio.sleep(0.05)
            await runner.cleanup()
            await asyncio.sleep(0.2)  # their pipes are closed by the loop
            # textual-serve never closes its processes' transports: closed here, while
            # the loop that owns them runs (else a warning when they are collected).
            for leaked in gc.get_objects():
                if isinstance(leaked, BaseSubprocessTransport) and not leaked.is_closing():
                    leaked.close()

    return asyncio.run(main())


async def sign_in(client, base):
    response = await client.get(f"{base}/?token=s3cret-token", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/"
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert "SameSite=Strict" in response.headers["Set-Cookie"]


async def ws_status(client, url, **kwargs) -> int:
    """101 when the WebSocket opens (then closed), else the HTTP status of the refusal."""
    try:
        async with client.ws_connect(url, **kwargs) as ws:
            await ws.close()
            return 101
    except aiohttp.WSServerHandshakeError as error:
        return error.status


def test_nothing_without_the_secret_and_a_cookie_after_it():
    async def scenario(client, base, guard, server):
        assert (await client.get(f"{base}/")).status == 401
        assert await ws_status(client, f"{base}/ws", origin=base) == 401
        assert (await client.get(f"{base}/?token=guess", allow_redirects=False)).status == 403
        await sign_in(client, base)
        page = await client.get(f"{base}/")
        assert page.status == 200
        assert page.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        assert await ws_status(client, f"{base}/ws", origin=base) == 101

    run_server(scenario)


def test_the_websocket_is_refused_to_other_origins_even_with_the_cookie():
    async def scenario(client, base, guard, server):
        await sign_in(client, base)
        for origin in ("http://evil.example", "http://127.0.0.1.evil.example",
                       "null", f"{base}.evil.example"):
            assert await ws_status(client, f"{base}/ws", origin=origin) == 403, origin
        assert await ws_status(client, f"{base}/ws") == 403  # no Origin at all
        assert (await client.get(f"{base}/", headers={"Origin": "http://evil.example"})
                ).status == 403

    run_server(scenario)


def test_other_host_names_are_refused_dns_rebinding():
    async def scenario(client, base, guard, server):
        port = base.rsplit(":", 1)[1]
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.2:{port}"):
            response = await client.get(f"{base}/?token=s3cret-token", allow_redirects=False,
                                        headers={"Host": host})
            assert response.status == 403, host
            assert "Set-Cookie" not in response.headers
        await sign_in(client, base)
        assert await ws_status(client, f"{base}/ws", origin=base,
                               headers={"Host": f"evil.example:{port}"}) == 403
        for host in (f"localhost:{port}", f"127.0.0.1:{port}"):
            assert (await client.get(f"{base}/", headers={"Host": host})).status == 200

    run_server(scenario)


def test_sessions_are_limited():
    async def scenario(client, base, guard, server):
        await sign_in(client, base)
        first = await client.ws_connect(f"{base}/ws", origin=base)
        second = await client.ws_connect(f"{base}/ws", origin=base)
        assert server.sessions == 2
        assert await ws_status(client, f"{base}/ws", origin=base) == 503
        await first.close()
        for _ in range(200):  # the closed session's process ends, its place frees up
            if server.sessions < 2:
                break
            await asyncio.sleep(0.05)
        assert await ws_status(client, f"{base}/ws", origin=base) == 101
        await second.close()

    run_server(scenario, max_sessions=2)


def test_the_password_signs_in_and_a_wrong_one_does_not(monkeypatch):
    monkeypatch.setattr(guarded, "WRONG_PASSWORD_DELAY", 0)

    async def scenario(client, base, guard, server):
        locked = await client.get(f"{base}/")
        assert locked.status == 401 and 'type="password"' in await locked.text()
        wrong = await client.post(f"{base}/login", data={"password": "guess"},
                                  headers={"Origin": base}, allow_redirects=False)
        assert wrong.status == 403 and "Set-Cookie" not in wrong.headers
        forged = await client.post(f"{base}/login", data={"password": "correct horse 9"},
                                   headers={"Origin": "http://evil.example"},
                                   allow_redirects=False)
        assert forged.status == 403 and "Set-Cookie" not in forged.headers
        right = await client.post(f"{base}/login", data={"password": "correct horse 9"},
                                  headers={"Origin": base}, allow_redirects=False)
        assert right.status == 303
        assert (await client.get(f"{base}/")).status == 200

    run_server(scenario, password="correct horse 9")


def test_the_page_loads_its_font_from_this_machine():
    async def scenario(client, base, guard, server):
        await sign_in(client, base)
        page = await (await client.get(f"{base}/")).text()
        assert "googleapis" not in page and "gstatic" not in page
        assert "/static/fonts/RobotoMono-VariableFont_wght.ttf" in page
        font = await client.get(f"{base}/static/fonts/RobotoMono-VariableFont_wght.ttf")
        assert font.status == 200 and len(await font.read()) > 10_000

    run_server(scenario)


def test_the_real_dashboard_answers_a_signed_in_browser(run, db_path):
    """End to end: the dashboard process starts behind the WebSocket and draws."""
    assert run("add", "--name", "曾国藩", "--id-number", "11010519491231002X").code == 0
    command = shlex.join([sys.executable, "-m", "tracker", "--db", str(db_path),
                          "--lang", "zh"])

    async def scenario(client, base, guard, server):
        await sign_in(client, base)
        async with client.ws_connect(f"{base}/ws?width=100&height=30", origin=base) as ws:
            await ws.send_json(["resize", {"width": 100, "height": 30}])
            received = 0
            while received < 2000:
                message = await ws.receive(timeout=30)
                assert message.type == aiohttp.WSMsgType.BINARY, message
                received += len(message.data)
            await ws.close()

    run_server(scenario, command=command)


# --------------------------------------------------------------------------- command line


@pytest.fixture
def served(monkeypatch):
    calls = []

    def fake_serve(self, debug=False):
        self.import_folder = os.environ.get(import_folder.FOLDER_ENV)  # as the dashboards get
        calls.append(self)

    monkeypatch.setattr(textual_serve.server.Server, "serve", fake_serve)
    monkeypatch.delenv(import_folder.FOLDER_ENV, raising=False)
    return calls


@pytest.mark.parametrize("lang, words", [("en", "needs a password"), ("zh", "需要密码")])
def test_beyond_loopback_only_with_a_password(run, served, lang, words, monkeypatch):
    monkeypatch.delenv("TRACKER_SERVE_PASSWORD", raising=False)
    result = run("serve", "--host", "0.0.0.0", lang=lang)
    assert result.code == 2 and words in result.err and served == []
    monkeypatch.setenv("TRACKER_SERVE_PASSWORD", "short")
    assert run("serve", "--host", "0.0.0.0").code == 2 and served == []
    monkeypatch.setenv("TRACKER_SERVE_PASSWORD", "a long enough password")
    result = run("serve", "--host", "0.0.0.0", "--allow-host", "tracker.example.com",
                 lang=lang)
    assert result.code == 0 and ("TLS" in result.err)
    [server] = served
    assert server.guard.password == "a long enough password"
    assert "TRACKER_SERVE_PASSWORD" not in os.environ  # the dashboards do not inherit it
    assert server.guard.host_ok("tracker.example.com")
    assert not server.guard.host_ok("evil.example")


def test_the_url_with_the_secret_is_printed_once_and_differs_each_start(run, served):
    first, second = run("serve"), run("serve")
    assert first.code == second.code == 0
    urls = [line for r in (first, second) for line in r.err.splitlines() if "token=" in line]
    assert len(urls) == 2 and urls[0] != urls[1]
    assert served[0].guard.secret in urls[0] and served[0].guard.cookie != served[1].guard.cookie
    assert served[0].guard.secret not in served[0].command  # not on any process's argv


def test_the_import_is_confined_to_a_folder(run, served, db_path, tmp_path, monkeypatch):
    assert run("serve").code == 0
    folder = Path(served[0].import_folder)
    assert folder == (db_path.parent / "imports").resolve()
    assert import_folder.FOLDER_ENV not in os.environ  # only while serving
    monkeypatch.setenv(import_folder.FOLDER_ENV, str(folder))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (folder / "staff.csv").write_text("工号,姓名,身份证号\nE1,单田芳,11010519491231002X\n",
                                      encoding="utf-8")
    outside = tmp_path / "secret.csv"
    outside.write_text("工号,姓名,身份证号\nE2,仇英,11010519491231002X\n", encoding="utf-8")
    (folder / "link.csv").symlink_to(outside)
    assert preview_file(folder / "staff.csv").headers
    for path in (outside, folder / "link.csv", folder / ".." / "secret.csv", Path("/etc/passwd")):
        with pytest.raises(TrackerError) as refused:
            preview_file(path)
        assert refused.value.key == "import_outside_folder"
    assert import_folder.browse_root() == folder
