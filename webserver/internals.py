"""Every part of Streamlit's insides the server relies on, in one place, checked at start.

Pinned to Streamlit 1.67.0 (requirements.txt). Each is named in INTERNALS; check() says in one
message which are gone, so an upgrade that moves one stops the start (and a fast test) with a
list, instead of failing every few seconds in the download sweep.
"""

from __future__ import annotations

# (module, class, attribute, why we need it). An attribute set in __init__ is found there.
INTERNALS = (
    ("streamlit.runtime.runtime", "Runtime", "_session_mgr",
     "the sessions that still exist, for the download sweep"),
    ("streamlit.runtime.websocket_session_manager", "WebsocketSessionManager",
     "list_sessions", "the sessions that still exist, for the download sweep"),
    ("streamlit.runtime.media_file_manager", "MediaFileManager",
     "_files_by_session_and_coord", "each session's download files, for the sweep"),
    ("streamlit.runtime.media_file_manager", "MediaFileManager", "clear_session_refs",
     "release an ended session's files"),
    ("streamlit.runtime.media_file_manager", "MediaFileManager", "remove_orphaned_files",
     "delete the files nothing refers to"),
)


class InternalsChanged(RuntimeError):
    """Streamlit no longer has an internal the server relies on."""


def _has(module_name: str, class_name: str, attribute: str) -> bool:
    import importlib
    import inspect

    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError):
        return False
    if not attribute or hasattr(cls, attribute):
        return True
    # An instance attribute: look for "self.<attribute> =" in the class's __init__.
    try:
        source = inspect.getsource(cls.__init__)
    except (OSError, TypeError):
        return False
    return f"self.{attribute} =" in source or f"self.{attribute}:" in source


def missing() -> list[str]:
    """Return each internal that is gone, as 'module.Class.attribute (why)'."""
    return [f"{module}.{cls}{'.' + attribute if attribute else ''} ({why})"
            for module, cls, attribute, why in INTERNALS if not _has(module, cls, attribute)]


def check() -> None:
    """Raise InternalsChanged, listing every internal that is gone."""
    gone = missing()
    if gone:
        raise InternalsChanged(
            "This Streamlit version lacks what the server relies on: " + "; ".join(gone)
            + ". Use the Streamlit version in requirements.txt, or update webserver/.")


def live_session_ids() -> set[str]:
    """The ids of the sessions the server still keeps (connected or waiting to reconnect)."""
    from streamlit.runtime import Runtime

    return {info.session.id for info in Runtime.instance()._session_mgr.list_sessions()}


def release_ended_sessions_files() -> None:
    """Release the download files of sessions that no longer exist, then let Streamlit
    delete what nothing refers to."""
    from streamlit.runtime import Runtime

    live = live_session_ids()
    files = Runtime.instance().media_file_mgr
    for session_id in list(files._files_by_session_and_coord):
        if session_id not in live:
            files.clear_session_refs(session_id)
    files.remove_orphaned_files()
