"""The cookie secret comes from a file (a Kubernetes Secret volume), never from a command line
or the pod's environment; a file that cannot give a good secret stops the start."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg

from reflect.settings import MIN_COOKIE_SECRET, SettingsError, cookie_secret, read_settings
from tests.browser_support import free_port, running_server

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cr3t-" + "x" * 40
ENV = "REFLECT_COOKIE_SECRET_FILE"


def secret_file(tmp_path: Path, text: str = SECRET + "\n", name: str = "cookieSecret") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_secret_is_read_from_the_file_named_on_the_command_line_or_in_the_environment(
        tmp_path):
    path = secret_file(tmp_path)  # with the line end `kubectl create secret` often keeps
    by_flag = read_settings(["--cookie-secret-file", str(path)], {})
    by_env = read_settings([], {ENV: str(path)})
    assert by_flag.cookie_secret_file == by_env.cookie_secret_file == str(path)
    assert cookie_secret(by_flag) == cookie_secret(by_env) == SECRET
    # The command line wins, as for every setting.
    other = secret_file(tmp_path, "o" * MIN_COOKIE_SECRET, "other")
    assert cookie_secret(read_settings(["--cookie-secret-file", str(other)],
                                       {ENV: str(path)})) == "o" * MIN_COOKIE_SECRET
    assert cookie_secret(read_settings([], {})) is None
    # Only the path is kept: printing the settings never prints the secret.
    assert SECRET not in repr(by_env)


@pytest.mark.parametrize(("text", "words"), [
    (None, "there is no file"),
    ("", "is empty"),
    ("  \n", "is empty"),
    ("y" * (MIN_COOKIE_SECRET - 1), "too short"),
    ("z" * 5000, "longer than 4096"),
])
def test_a_missing_empty_short_or_huge_file_is_refused_naming_the_setting(tmp_path, text,
                                                                           words):
    path = tmp_path / "cookieSecret"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=words) as raised:
        read_settings([], {ENV: str(path)})
    message = str(raised.value)
    assert ENV in message and "--cookie-secret-file" in message and "\n" not in message
    assert text is None or text.strip() == "" or text not in message


def test_an_unreadable_file_is_refused_without_printing_it(tmp_path):
    path = tmp_path / "cookieSecret"
    path.mkdir()  # unreadable as a file, even for root
    with pytest.raises(SettingsError, match="cannot be read") as raised:
        read_settings(["--cookie-secret-file", str(path)], {})
    assert ENV in str(raised.value)
    with pytest.raises(SettingsError, match="names no file"):
        read_settings([], {ENV: ""})


def start_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run the start's settings check alone, as `python -m webserver` runs it first."""
    code = "from webserver.app import check_settings; check_settings([])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, **env})


def test_a_bad_file_stops_the_start_with_one_line_that_never_holds_the_secret(tmp_path):
    short = secret_file(tmp_path, "short-secret")
    result = start_check({ENV: str(short)})
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("The app cannot start: ") and ENV in line
    assert "short-secret" not in result.stderr + result.stdout
    # Two secrets at once (the file and Streamlit's variable): refused, neither printed.
    good = secret_file(tmp_path, name="good")
    result = start_check({ENV: str(good), "STREAMLIT_SERVER_COOKIE_SECRET": "q" * 40})
    assert result.returncode == 2 and "keep only the file" in result.stderr
    assert SECRET not in result.stderr and "q" * 40 not in result.stderr


# ---- the real server signs with the file's secret -----------------------------------------


async def user_cookie_is_trusted(url: str, signing_secret: str, log: Path) -> bool:
    """Open the app's websocket with a login cookie signed by signing_secret for another site.

    Streamlit checks a login cookie's signature with server.cookieSecret, and only a cookie
    whose signature holds gets as far as its origin check, which logs "Origin mismatch".
    So the log says whether the server signs with signing_secret.
    """
    from streamlit.web.server.starlette.starlette_app_utils import (
        create_signed_value,
        generate_xsrf_token_string,
    )

    before = log.read_text(encoding="utf-8").count("Origin mismatch")
    token = generate_xsrf_token_string()
    user = create_signed_value(signing_secret, "_streamlit_user", json.dumps(
        {"origin": "https://elsewhere.example", "is_logged_in": True})).decode("latin-1")
    socket = await websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit", token],
        open_timeout=60, additional_headers={
            "Origin": url, "Cookie": f"_streamlit_xsrf={token}; _streamlit_user={user}"})
    try:
        # The cookie is read before the session starts: a run's first message means it was.
        message = BackMsg()
        message.rerun_script.query_string = ""
        await socket.send(message.SerializeToString())
        await asyncio.wait_for(socket.recv(), 60)
    finally:
        await socket.close()
    return log.read_text(encoding="utf-8").count("Origin mismatch") > before


@pytest.mark.server
def test_two_servers_with_one_secret_file_trust_the_same_cookies(tmp_path):
    path = secret_file(tmp_path)
    command = [".venv/bin/python", "-m", "webserver", "--server.port", "PORT"]
    logs = [tmp_path / "one.log", tmp_path / "two.log"]
    with running_server(command, logs[0], env={ENV: str(path)}) as one, \
            running_server(command, logs[1], env={ENV: str(path)}) as two:
        for url, log in zip((one, two), logs, strict=True):
            assert asyncio.run(user_cookie_is_trusted(url, SECRET, log))
            assert not asyncio.run(user_cookie_is_trusted(url, "another-" + "a" * 40, log))
            text = log.read_text(encoding="utf-8")
            assert SECRET not in text and "Read-only" not in text


@pytest.mark.server
def test_streamlit_run_started_directly_stops_instead_of_signing_with_another_secret(tmp_path):
    # Streamlit reads its options before server.py runs, so the file's secret cannot reach it.
    result = subprocess.run(
        [".venv/bin/python", "-m", "streamlit", "run", "server.py", "--server.port",
         str(free_port())], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, ENV: str(secret_file(tmp_path))})
    assert result.returncode == 2
    assert ("The app cannot start: Streamlit is not using the secret in "
            "REFLECT_COOKIE_SECRET_FILE") in result.stderr
    assert SECRET not in result.stdout + result.stderr
