"""`tracker serve`: loopback by default, a clear warning otherwise, the same dashboard."""
from __future__ import annotations

import shlex

import pytest
import textual_serve.server

from tracker.cli.serve import is_loopback


@pytest.fixture
def served(monkeypatch):
    calls = []

    def fake_serve(self, debug=False):
        calls.append((self.command, self.host, self.port))

    monkeypatch.setattr(textual_serve.server.Server, "serve", fake_serve)
    return calls


def test_serve_binds_loopback_by_default(run, served, db_path):
    result = run("serve", lang="zh")
    assert result.code == 0 and "警告" not in result.err
    command, host, port = served[0]
    assert (host, port) == ("127.0.0.1", 8000)
    argv = shlex.split(command)
    assert argv[1:3] == ["-m", "tracker"] and argv[argv.index("--db") + 1] == str(db_path)
    assert argv[argv.index("--lang") + 1] == "zh"


def test_serve_warns_when_exposed(run, served, monkeypatch):
    monkeypatch.setenv("TRACKER_SERVE_PASSWORD", "a long enough password")
    result = run("serve", "--host", "0.0.0.0", "--port", "8080")
    assert result.code == 0
    assert "not loopback" in result.err and "ID numbers" in result.err
    assert served[0][1:] == ("0.0.0.0", 8080)


def test_loopback_addresses():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_the_dashboard_refuses_a_pipe(run):
    result = run()
    assert result.code == 2 and "terminal" in result.err
