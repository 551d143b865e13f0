"""Turn Nagle's algorithm off on the port Streamlit listens on.

Streamlit 1.67 pre-binds its listening socket as socket.socket(AF_INET, SOCK_STREAM), whose
`proto` is 0. asyncio sets TCP_NODELAY only on accepted sockets whose proto is IPPROTO_TCP, so
every response on a kept-alive connection waited for the client's delayed ACK: measured here,
44 ms per request instead of 1 to 3 (plain uvicorn, which binds through getaddrinfo, does not
have the problem). Every phone browser keeps its connection alive.

The listener is bound before our code runs, so at start-up we find it among this process's
descriptors and set TCP_NODELAY on it; accepted connections inherit the option (Linux and the
BSDs do). Where nothing is found, Tandem works as before, only slower on kept-alive connections.

This must never close a descriptor, not even a duplicate: on Linux and macOS, closing *any*
descriptor of a file drops every POSIX lock the process holds on that file, and SQLite's locks
are POSIX locks. An earlier version duplicated and closed every descriptor; the next process to
close the database then believed it was the last user and deleted the write-ahead log under the
running server, losing confirmed answers. So nothing here duplicates or closes a descriptor:

- On Linux the kernel's table of listening TCP sockets (/proc/self/net/tcp and tcp6) names the
  inode of the listener on our port, and only the descriptor whose `os.fstat` shows that inode
  is borrowed.
- Elsewhere, descriptors are looked at with `os.fstat` (which changes nothing) and only sockets
  are borrowed.

A borrowed descriptor is wrapped without duplicating it and always detached, never closed.
Python's socket constructor applies `socket.setdefaulttimeout` to what it wraps (and could close
it if that failed), so with a default timeout set, nothing is borrowed at all.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
from collections.abc import Iterable
from pathlib import Path


def _open_descriptors() -> Iterable[int]:
    folder = Path("/proc/self/fd")
    if folder.is_dir():
        return sorted(int(name) for name in os.listdir(folder) if name.isdigit())
    return range(3, 1024)


def listener_inodes(port: int, tables: Iterable[str]) -> set[int]:
    """Inodes of the TCP sockets listening on `port`, read from /proc/net/tcp-style tables."""
    inodes = set()
    for table in tables:
        for line in table.splitlines()[1:]:
            fields = line.split()
            # local_address is HEX_IP:HEX_PORT; state 0A is LISTEN; the inode is field 10.
            if len(fields) > 9 and fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:
                inodes.add(int(fields[9]))
    return inodes


def _listener_inodes(port: int) -> set[int] | None:
    """On Linux, the inodes of the listeners on `port`; None where the kernel does not say."""
    tables = [Path("/proc/self/net/tcp"), Path("/proc/self/net/tcp6")]
    if not tables[0].exists():
        return None
    return listener_inodes(port, [path.read_text() for path in tables if path.exists()])


def _worth_borrowing(descriptor: int, inodes: set[int] | None) -> bool:
    try:
        status = os.fstat(descriptor)
    except OSError:
        return False  # closed meanwhile
    if not stat.S_ISSOCK(status.st_mode):
        return False
    return inodes is None or status.st_ino in inodes


def _is_our_listener(borrowed: socket.socket, port: int) -> bool:
    if borrowed.family not in (socket.AF_INET, socket.AF_INET6):
        return False
    if borrowed.type != socket.SOCK_STREAM or borrowed.getsockname()[1] != port:
        return False
    accepting = getattr(socket, "SO_ACCEPTCONN", None)
    # Without SO_ACCEPTCONN (macOS) a connection on our port gets the option too: harmless.
    return accepting is None or bool(borrowed.getsockopt(socket.SOL_SOCKET, accepting))


def nodelay_on_listeners(port: int) -> int:
    """Set TCP_NODELAY on this process's TCP listeners on `port`; returns how many.

    Never closes or duplicates a descriptor (see the module's docstring).
    """
    if socket.getdefaulttimeout() is not None:
        return 0  # wrapping would change the descriptor's blocking mode
    inodes = _listener_inodes(port)
    if inodes == set():
        return 0
    changed = 0
    for descriptor in _open_descriptors():
        if not _worth_borrowing(descriptor, inodes):
            continue
        try:
            # Borrows the descriptor; one that is not a socket is refused, not closed.
            borrowed = socket.socket(fileno=descriptor)
        except OSError:
            continue
        try:
            with contextlib.suppress(OSError):
                if _is_our_listener(borrowed, port):
                    borrowed.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    changed += 1
        finally:
            borrowed.detach()  # give the descriptor back untouched: never close it
    return changed
