"""Turn Nagle's algorithm off on the port Streamlit listens on.

Streamlit 1.67 pre-binds its listening socket as socket.socket(AF_INET, SOCK_STREAM), whose
`proto` is 0. asyncio sets TCP_NODELAY only on accepted sockets whose proto is IPPROTO_TCP, so
every response on a kept-alive connection waited for the client's delayed ACK: measured here,
44 ms per request instead of 1 to 3 (plain uvicorn, which binds through getaddrinfo, does not
have the problem). Every phone browser keeps its connection alive.

The listener is bound before our code runs, so at start-up we find it among this process's
descriptors and set TCP_NODELAY on it; accepted connections inherit the option (Linux and the
BSDs do). We work on a duplicate of the descriptor, so nothing of Streamlit's is replaced or
closed. Where nothing is found, Tandem works as before, only slower on kept-alive connections.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterable
from pathlib import Path


def _open_descriptors() -> Iterable[int]:
    folder = Path("/proc/self/fd")
    if folder.is_dir():
        return sorted(int(name) for name in os.listdir(folder) if name.isdigit())
    return range(3, 1024)


def nodelay_on_listeners(port: int) -> int:
    """Set TCP_NODELAY on this process's TCP listeners on `port`; returns how many."""
    accepting = getattr(socket, "SO_ACCEPTCONN", None)
    changed = 0
    for descriptor in _open_descriptors():
        try:
            duplicate = os.dup(descriptor)
        except OSError:
            continue  # closed meanwhile
        try:
            probe = socket.socket(fileno=duplicate)
        except OSError:
            os.close(duplicate)  # not a socket: give the duplicate back
            continue
        with probe, contextlib.suppress(OSError):
            if probe.family not in (socket.AF_INET, socket.AF_INET6):
                continue
            if probe.type != socket.SOCK_STREAM or probe.getsockname()[1] != port:
                continue
            if accepting is not None and not probe.getsockopt(socket.SOL_SOCKET, accepting):
                continue  # a connection, not the listener
            probe.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            changed += 1
    return changed
