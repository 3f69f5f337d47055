"""Test-only: serve the app exactly as `python -m webserver` does, with a Python audit hook
installed before Streamlit starts. The hook writes one line to $REFLECT_AUDIT_LOG for every
name lookup (socket.getaddrinfo) or connection (socket.connect) to a host that is not this
machine. Never used outside the tests.

Run as `python tests/servers/audited_serve.py <the arguments of python -m webserver>`.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOG = os.environ["REFLECT_AUDIT_LOG"]
THIS_MACHINE = {"localhost", "localhost.localdomain", socket.gethostname().lower()}


def _is_this_machine(host: object) -> bool:
    if host is None:  # getaddrinfo(None, port): the machine's own addresses, for binding
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").lower()
    if name in THIS_MACHINE:
        return True
    try:
        address = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _hook(event: str, args: tuple) -> None:
    if event == "socket.getaddrinfo":
        host = args[0]
    elif event == "socket.connect":
        address = args[1]
        if not isinstance(address, tuple):  # a Unix socket path
            return
        host = address[0]
    else:
        return
    if not _is_this_machine(host):
        with open(LOG, "a", encoding="utf-8") as out:
            out.write(f"{event} {host!r}\n")


sys.addaudithook(_hook)
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from webserver.__main__ import main  # noqa: E402 - after the hook, so it sees everything

main(sys.argv[1:])
