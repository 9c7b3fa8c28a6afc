"""The dashboard in a browser (textual-serve), behind a guard.

textual-serve itself checks neither `Origin` nor `Host` and has no secret: any web page
the officer visits could open its WebSocket and drive the dashboard. `GuardedServer`
answers only:
- requests whose `Host` is one of the addresses it serves (no DNS rebinding), and whose
  `Origin`, when sent, is one of them too (a WebSocket must send one);
- a browser holding the session cookie, which it gets by opening the URL with the
  per-start secret printed once on the terminal (`/?token=…`), or, when a password was
  set (required beyond loopback), by giving it on the login page;
- at most `max_sessions` dashboards at once (each is a process).
Every page forbids framing and inline resources from elsewhere; the font is served from
this machine (textual-serve's page loads it from a Google host, blocked in mainland
China). The pure checks are in `Guard`; the server around it is textual-serve's.
"""
from __future__ import annotations

import asyncio
import hmac
import html
import secrets
from dataclasses import dataclass, field
from string import Template
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server, to_int

COOKIE = "tracker_session"
#: Seconds a wrong password waits before its answer (slows guessing down).
WRONG_PASSWORD_DELAY = 1.0
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
        "'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass
class Guard:
    """Who may use the served dashboard (pure checks, no I/O)."""

    #: The per-start secret, in the URL printed once on the terminal.
    secret: str
    #: The `Host` values (host:port, or a name a reverse proxy forwards) served.
    hosts: frozenset[str]
    password: str | None = None
    max_sessions: int = 2
    #: The session cookie's value, new at each start.
    cookie: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    def host_ok(self, host: str | None) -> bool:
        return bool(host) and host.lower() in self.hosts

    def origin_ok(self, origin: str) -> bool:
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc.lower() in self.hosts

    def token_ok(self, token: str | None) -> bool:
        return _same(token, self.secret)

    def cookie_ok(self, value: str | None) -> bool:
        return _same(value, self.cookie)

    def password_ok(self, value: str | None) -> bool:
        return self.password is not None and _same(value, self.password)


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"),
                                                     expected.encode("utf-8"))


def allowed_hosts(host: str, port: int, loopback: bool, extra: tuple[str, ...] = ()
                  ) -> frozenset[str]:
    """The Host values to answer: the address bound (with the loopback names when it is
    loopback) and the names given (with and without the port)."""
    shown = f"[{host}]" if ":" in host else host
    hosts = {f"{shown}:{port}"}
    if loopback:
        hosts |= {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    for name in extra:
        hosts |= {name, f"{name}:{port}"} if ":" not in name.strip("[]") else {name}
    return frozenset(h.lower() for h in hosts)


@dataclass
class Pages:
    """The words of the guard's own pages, in both languages (from the i18n catalog)."""

    title: str
    locked: str
    password_label: str
    wrong_password: str
    too_many: str
    refused: str


INDEX = Template("""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>$title</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<style>
@font-face { font-family: "Roboto Mono";
  src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
body { background: #0c181f; margin: 0; }
.textual-terminal { width: 100vw; height: 100vh; }
body.-closed .closed { display: flex; }
.closed { display: none; position: absolute; inset: 0; align-items: center;
  justify-content: center; color: #fff; font-family: "Roboto Mono", monospace; z-index: 9; }
</style>
<script src="/static/js/textual.js"></script>
</head><body>
<div class="closed">$closed</div>
<div id="terminal" class="textual-terminal" data-font-size="$font_size"></div>
<script>
document.getElementById("terminal").dataset.sessionWebsocketUrl =
  (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
</script>
</body></html>
""")

MESSAGE = Template("""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>$title</title>
<style>body { background: #0c181f; color: #eee; font-family: sans-serif; margin: 4em; }
input, button { font-size: 1.2em; margin: .3em 0; }</style></head>
<body><h1>$title</h1><p>$message</p>$form</body></html>
""")

FORM = Template("""<form method="post" action="/login">
<label>$label<br><input type="password" name="password" autofocus required></label><br>
<button type="submit">OK</button></form>""")


class GuardedServer(Server):
    """textual-serve's server, every route behind `Guard`."""

    def __init__(self, command: str, host: str, port: int, guard: Guard, pages: Pages):
        super().__init__(command, host=host, port=port, title=pages.title)
        self.guard = guard
        self.pages = pages
        self.sessions = 0

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.post("/login", self.handle_login, name="login"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, name="static"),
        ])
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler) -> web.StreamResponse:
        guard = self.guard
        origin = request.headers.get("Origin")
        if not guard.host_ok(request.host) or (origin is not None and
                                                not guard.origin_ok(origin)):
            return self._page(self.pages.refused, status=403)
        if request.path == "/" and "token" in request.query:
            if not guard.token_ok(request.query["token"]):
                return self._page(self.pages.refused, status=403)
            return self._signed_in(request)
        if request.path == "/login" and request.method == "POST" and origin is not None:
            return await handler(request)
        if request.path.startswith("/static/") or guard.cookie_ok(request.cookies.get(COOKIE)):
            if request.path == "/ws" and origin is None:  # browsers always send one
                return self._page(self.pages.refused, status=403)
            response = await handler(request)
            if not isinstance(response, web.WebSocketResponse):
                response.headers.update(SECURITY_HEADERS)
            return response
        return self._locked(status=401)

    def _signed_in(self, request: web.Request) -> web.Response:
        """The session cookie, and away from the URL that holds the secret."""
        response = web.Response(status=303, headers={"Location": "/"})
        secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
        response.set_cookie(COOKIE, self.guard.cookie, httponly=True, samesite="Strict",
                            secure=secure, path="/")
        response.headers.update(SECURITY_HEADERS)
        return response

    def _page(self, message: str, *, status: int = 200, form: str = "") -> web.Response:
        body = MESSAGE.substitute(title=html.escape(self.pages.title),
                                  message=html.escape(message).replace("\n", "<br>"),
                                  form=form)
        return web.Response(text=body, status=status, content_type="text/html",
                            headers=SECURITY_HEADERS)

    def _locked(self, *, status: int, message: str | None = None) -> web.Response:
        form = "" if self.guard.password is None else FORM.substitute(
            label=html.escape(self.pages.password_label))
        return self._page(message or self.pages.locked, status=status, form=form)

    async def handle_login(self, request: web.Request) -> web.Response:
        form = await request.post()
        if self.guard.password_ok(str(form.get("password", ""))):
            return self._signed_in(request)
        await asyncio.sleep(WRONG_PASSWORD_DELAY)
        return self._locked(status=403, message=self.pages.wrong_password)

    async def handle_index(self, request: web.Request) -> web.Response:
        font_size = max(8, min(to_int(request.query.get("fontsize", "16"), 16), 40))
        body = INDEX.substitute(title=html.escape(self.title), font_size=font_size,
                                closed=html.escape(self.pages.locked.split("\n")[0]))
        return web.Response(text=body, content_type="text/html")

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """One dashboard process per WebSocket, at most `max_sessions` at once."""
        if self.sessions >= self.guard.max_sessions:
            return self._page(self.pages.too_many, status=503)
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1

    async def on_startup(self, app: web.Application) -> None:
        """Nothing printed here: the command line prints the URL to open, once."""


def serve_dashboard(command: str, host: str, port: int, guard: Guard, pages: Pages) -> None:
    """Serve until Ctrl+C: each browser session runs `command` behind Textual's web driver."""
    GuardedServer(command, host, port, guard, pages).serve()
