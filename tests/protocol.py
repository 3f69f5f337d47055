"""A small client that speaks Streamlit's websocket protocol, as a browser tab would.

It shows what a session's screen holds (every text Streamlit sends) and can press buttons,
choose radio options, tick boxes, type a note and fetch a deferred download. Used by the
isolation and fuzz tests; no browser, so a hundred sessions fit on two cores.

Like Streamlit's page, it keeps the messages the server marks cacheable (an element of at
least global.minCachedMessageSize, 10 KB) and tells the server their hashes with each run,
so the server sends such an element again only as a reference to that copy, which it reads
from here as the page does. Without that, a benchmark counted 11 KB a run that no browser
is sent.
"""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

import websockets
from google.protobuf.json_format import MessageToDict
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

WIDGETS = ("button", "radio", "checkbox", "text_area", "download_button")
# A hang guard, not a speed goal: with a hundred sessions on two cores a run can queue.
REPLY_SECONDS = 120


@dataclass
class Widget:
    kind: str
    id: str
    label: str
    options: list[str] = field(default_factory=list)
    deferred_file_id: str = ""
    url: str = ""


@dataclass
class Screen:
    """What one run drew: every text in order, and the widgets by label."""

    texts: list[str] = field(default_factory=list)
    widgets: list[Widget] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(self.texts)

    def widget(self, kind: str, label: str) -> Widget:
        found = [w for w in self.widgets if w.kind == kind and w.label == label]
        if not found:
            raise LookupError(f"no {kind} labelled {label!r}; "
                              f"there are {[(w.kind, w.label) for w in self.widgets]}")
        return found[-1]

    def radios(self) -> list[Widget]:
        return [w for w in self.widgets if w.kind == "radio"]


def _strings(value) -> list[str]:
    """Every string inside a decoded message, depth first."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


class Session:
    """One tab: a websocket, the widgets' current values, and the last screen."""

    def __init__(self, base_url: str, query: str = "", locale: str = "en-US",
                 headers: dict | None = None, source: str | None = None) -> None:
        """source: the loopback address this tab connects from (127.0.0.2, say), as another
        device would; https base URLs speak TLS (trusted through SSL_CERT_FILE)."""
        self.http = base_url
        self.ws_url = (base_url.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
                       + "/_stcore/stream")
        self.source = source
        self.query = query
        self.locale = locale
        self.values: dict[str, object] = {}  # widget id -> ("string"|"bool", value)
        self.screen = Screen()
        self.everything: list[str] = []  # every text this session was ever sent
        self.largest = 0  # the size in bytes of the largest message the server sent
        self.headers = headers or {}
        self.socket = None
        self.session_id = ""
        self.last_download_url = ""
        self.cache: dict[str, ForwardMsg] = {}  # hash -> a cacheable message, as the page keeps

    async def __aenter__(self) -> Session:
        await self._connect(["streamlit"])
        await self.rerun()
        return self

    async def _connect(self, subprotocols: list[str]) -> None:
        where = {"local_addr": (self.source, 0)} if self.source else {}
        self.socket = await websockets.connect(self.ws_url, subprotocols=subprotocols,
                                               max_size=2**24, open_timeout=30,
                                               additional_headers=self.headers, **where)

    async def drop(self) -> None:
        """The connection is lost (a phone's signal, a closed lid): the session stays on the
        server for a while."""
        await self.socket.close()

    async def reconnect(self) -> Screen:
        """Connect again to the same session, as Streamlit's page does after a drop (its
        session id in the WebSocket's subprotocols), and run the screen again."""
        await self._connect(["streamlit", "reconnect", self.session_id])
        return await self.rerun()

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    def _client_state(self, message: BackMsg, trigger: str | None) -> None:
        state = message.rerun_script
        state.query_string = self.query
        state.cached_message_hashes.extend(self.cache)
        state.context_info.locale = self.locale
        for widget in self.screen.widgets:
            if widget.kind in ("button", "download_button"):
                continue
            if widget.id in self.values:
                kind, value = self.values[widget.id]
                if value is None:  # a radio the app set to no choice: the page sends none
                    continue
                entry = state.widget_states.widgets.add(id=widget.id)
                if kind == "string":
                    entry.string_value = value
                else:
                    entry.bool_value = value
        if trigger:
            state.widget_states.widgets.add(id=trigger, trigger_value=True)

    async def rerun(self, trigger: str | None = None) -> Screen:
        """Send the widgets' values (and a button press) and read the run to its end."""
        message = BackMsg()
        self._client_state(message, trigger)
        await self.socket.send(message.SerializeToString())
        screen = Screen()
        while True:
            forward = ForwardMsg()
            raw = await asyncio.wait_for(self.socket.recv(), REPLY_SECONDS)
            self.largest = max(self.largest, len(raw))
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "ref_hash":  # an element this tab was sent before, by its hash
                forward = self.cache[forward.ref_hash]
                kind = forward.WhichOneof("type")
            elif forward.metadata.cacheable:
                self.cache[forward.hash] = forward
            if kind == "new_session":
                self.session_id = forward.new_session.initialize.session_id
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                self._read_element(forward.delta.new_element, screen)
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    screen = Screen()
                    continue
                break
        self.screen = screen
        return screen

    def _read_element(self, element, screen: Screen) -> None:
        kind = element.WhichOneof("type")
        proto = getattr(element, kind)
        texts = _strings(MessageToDict(proto))
        screen.texts.extend(texts)
        self.everything.extend(texts)
        if kind in WIDGETS:
            screen.widgets.append(Widget(kind, proto.id, proto.label,
                                         list(getattr(proto, "options", [])),
                                         getattr(proto, "deferred_file_id", ""),
                                         getattr(proto, "url", "")))
            if kind == "radio" and proto.set_value:
                # The app set the radio's value: the browser shows, and sends back, that
                # one from now on.
                value = proto.raw_value if proto.HasField("raw_value") else None
                self.values[proto.id] = ("string", value)
            elif kind == "radio" and proto.id not in self.values and proto.HasField("default"):
                self.values[proto.id] = ("string", proto.options[proto.default])

    async def walk_to_close(self, answer: str = "Sometimes, or partly",
                            start: str = "Start the reflection",
                            next_: str = "Next", to_help: str = "Ways people find help",
                            to_close: str = "What to do next") -> Screen:
        """From the welcome, give every question the same answer and go on to the close."""
        await self.press(start)
        while any(w.kind == "button" and w.label == next_ for w in self.screen.widgets):
            await self.choose(answer)
            await self.press(next_)
        await self.press(to_help)
        return await self.press(to_close)

    async def press(self, label: str) -> Screen:
        return await self.rerun(self.screen.widget("button", label).id)

    async def choose(self, option: str, radio: int = -1) -> Screen:
        widget = self.screen.radios()[radio]
        self.values[widget.id] = ("string", option)
        return await self.rerun()

    async def tick(self, label: str, value: bool = True) -> Screen:
        self.values[self.screen.widget("checkbox", label).id] = ("bool", value)
        return await self.rerun()

    async def tick_all(self, labels: list[str], note: tuple[str, str] | None = None) -> Screen:
        """Tick several boxes (and type a note) at once, then run once, as after a pause."""
        for label in labels:
            self.values[self.screen.widget("checkbox", label).id] = ("bool", True)
        if note:
            self.values[self.screen.widget("text_area", note[0]).id] = ("string", note[1])
        return await self.rerun()

    async def type(self, label: str, text: str) -> Screen:
        self.values[self.screen.widget("text_area", label).id] = ("string", text)
        return await self.rerun()

    async def download(self, label: str) -> bytes:
        """Fetch a download as the browser does: its address, or a deferred file first."""
        widget = self.screen.widget("download_button", label)
        if widget.url:
            self.last_download_url = self.http + widget.url
            return await asyncio.to_thread(fetch, self.last_download_url, self.headers)
        message = BackMsg()
        request = message.backend_operation_request
        request.request_id = uuid.uuid4().hex
        request.session_id = self.session_id
        request.deferred_file.file_id = widget.deferred_file_id
        await self.socket.send(message.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(self.socket.recv(), REPLY_SECONDS))
            if forward.WhichOneof("type") == "backend_operation_response":
                response = forward.backend_operation_response
                if response.error_msg or not response.deferred_file.url:
                    raise RuntimeError(f"the download failed: {response.error_msg}")
                url = response.deferred_file.url
                break
        self.last_download_url = self.http + url
        return await asyncio.to_thread(fetch, self.last_download_url)


def status(url: str, method: str = "GET", headers: dict | None = None,
           body: bytes | None = None) -> int:
    """Send one HTTP request; return its status, whatever it is."""
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=body)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def upload_request(session_id: str) -> tuple[str, dict, bytes]:
    """A 1 MB file upload for a session, with an XSRF token as a page's script would send:
    the path, the headers and the body."""
    from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

    token = generate_xsrf_token_string()
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"x.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
    body += b"x" * (1024 * 1024 - 2048) + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}",
               "X-Xsrftoken": token, "Cookie": f"_streamlit_xsrf={token}"}
    return f"/_stcore/upload_file/{session_id}/{uuid.uuid4()}", headers, body


async def foreign_handshakes(url: str, count: int) -> list[int]:
    """Open count WebSockets, each with another site's Origin; return each answer's status."""
    codes = []
    for number in range(count):
        try:
            socket = await websockets.connect(
                url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                open_timeout=120,
                additional_headers={"Origin": f"https://visitor-{number}.example"})
        except websockets.InvalidStatus as refused:
            codes.append(refused.response.status_code)
        else:
            await socket.close()
            codes.append(101)
    return codes


def fetch(url: str, headers: dict | None = None) -> bytes:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()
