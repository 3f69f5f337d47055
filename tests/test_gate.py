"""The gate's rules, without a server: which origins are this server, which routes are shut."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import pytest

from reflect.settings import SettingsError, read_settings
from webserver.gate import Gate, parse_origin, same_origin

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("origin", "host"), [
    ("http://localhost:8501", "localhost:8501"),
    ("https://reflect.example.org", "reflect.example.org"),  # the default port, unwritten
    ("https://reflect.example.org:443", "reflect.example.org"),
    ("http://reflect.example.org", "reflect.example.org:80"),
    ("http://REFLECT.example.org:8080", "reflect.example.org:8080"),
    ("http://[::1]:8501", "[::1]:8501"),
])
def test_an_origin_with_the_requests_host_and_port_is_this_server(origin, host):
    assert same_origin(parse_origin(origin), host)


@pytest.mark.parametrize(("origin", "host"), [
    ("http://localhost:3000", "localhost:8501"),  # another app on this machine
    ("https://reflect.example.org", "reflect.example.org:8080"),
    ("http://reflect.example.org", "reflect.example.org:443"),
    ("https://evil.example", "reflect.example.org"),
    ("https://reflect.example.org.evil.example", "reflect.example.org"),
])
def test_any_other_host_or_port_is_foreign(origin, host):
    assert not same_origin(parse_origin(origin), host)


@pytest.mark.parametrize("origin", ["null", "", "file://", "chrome-extension://abc",
                                    "http://x.example/path", "http://user@x.example",
                                    "http://x.example:99999", "javascript:alert(1)"])
def test_what_is_not_a_web_origin_is_refused(origin):
    assert parse_origin(origin) is None


def run(gate: Gate, scope: dict) -> list[dict]:
    """Send one request through the gate; return what it sent back, or that it passed on."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"x" * 10, "more_body": False}

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):
        sent.append({"type": "passed", "headers": dict(scope.get("headers", []))})

    asyncio.run(Gate(app, **gate)(scope, receive, send))
    return sent


def request(path: str, kind: str = "http", **headers: str) -> dict:
    return {"type": kind, "path": path, "method": "GET",
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()]}


@pytest.mark.parametrize("path", ["/_stcore/upload_file/s/f", "/_stcore/upload_file",
                                  "/base/_stcore/upload_file/s/f", "/_stcore/metrics",
                                  "/_stcore/agent/openapi.json", "/_stcore/agent/mcp"])
def test_uploads_and_operator_routes_answer_404(path):
    sent = run({}, request(path))
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 404


def test_metrics_open_only_when_the_operator_turns_them_on():
    assert run({"metrics": True}, request("/_stcore/metrics"))[0]["type"] == "passed"
    assert run({"metrics": True}, request("/_stcore/agent/x"))[0]["status"] == 404


def test_a_foreign_websocket_is_closed_before_streamlit_sees_it():
    sent = run({}, request("/_stcore/stream", "websocket", host="localhost:8501",
                           origin="https://evil.example"))
    assert sent == [{"type": "websocket.close", "code": 1008}]
    same = run({}, request("/_stcore/stream", "websocket", host="localhost:8501",
                           origin="http://localhost:8501"))
    assert same[0]["type"] == "passed"
    none = run({}, request("/_stcore/stream", "websocket", host="localhost:8501"))
    assert none[0]["type"] == "passed"  # no Origin: a non-browser client


def test_a_listed_origin_reaches_streamlit_as_this_servers_own():
    sent = run({"allowed_origins": ["https://public.example.org"]},
               request("/_stcore/stream", "websocket", host="10.0.0.5:8501",
                       origin="https://public.example.org"))
    assert sent[0]["type"] == "passed"
    assert sent[0]["headers"][b"origin"] == b"https://10.0.0.5:8501"


def test_the_operator_settings_are_read_and_checked():
    settings = read_settings(["--metrics", "on", "--allowed-origins",
                              "https://a.example, http://10.0.0.5:8080/"], {})
    assert settings.metrics is True
    assert settings.allowed_origins == ("https://a.example", "http://10.0.0.5:8080")
    assert read_settings([], {"REFLECT_METRICS": "on"}).metrics is True
    assert read_settings([], {}).metrics is False
    with pytest.raises(SettingsError, match="'maybe' is not on or off"):
        read_settings(["--metrics", "maybe"], {})
    with pytest.raises(SettingsError, match="'a.example/x' is not an origin"):
        read_settings(["--allowed-origins", "a.example/x"], {})


def test_the_audit_hook_would_record_a_lookup_of_another_host(tmp_path):
    """The hook above sees what Streamlit's origin check did: a lookup of a public host."""
    audit = tmp_path / "audit.log"
    code = ("import socket\n"
            "try:\n    socket.getaddrinfo('checkip.amazonaws.com', 80)\n"
            "except OSError:\n    pass\n")
    hook = (ROOT / "tests/servers/audited_serve.py").read_text(encoding="utf-8")
    hook = hook[:hook.index("sys.addaudithook(_hook)")] + "sys.addaudithook(_hook)\n"
    script = tmp_path / "probe.py"
    script.write_text(hook + code, encoding="utf-8")
    env = {**os.environ, "REFLECT_AUDIT_LOG": str(audit)}
    subprocess.run([str(ROOT / ".venv/bin/python"), str(script)], check=True, env=env,
                   timeout=60)
    assert "checkip.amazonaws.com" in audit.read_text()
