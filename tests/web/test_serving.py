import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

from workshop.web.serving import listener_inodes, nodelay_on_listeners


def test_the_listener_on_our_port_gets_tcp_nodelay_and_passes_it_on():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # as Streamlit binds it
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    other = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    other.bind(("127.0.0.1", 0))
    other.listen()
    try:
        assert nodelay_on_listeners(listener.getsockname()[1]) == 1
        assert listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        assert not other.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        accepted.close()
        client.close()
        # Our listener is untouched otherwise: still open and accepting.
        assert listener.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
    finally:
        listener.close()
        other.close()


def test_no_listener_on_the_port_changes_nothing():
    assert nodelay_on_listeners(1) == 0


def _descriptors() -> dict[int, tuple[int, int]]:
    """Each open descriptor with the (device, inode) it points at."""
    found = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            status = os.fstat(int(name))
        except OSError:
            continue  # the listing's own descriptor, gone by now
        found[int(name)] = (status.st_dev, status.st_ino)
    return found


def test_every_descriptor_stays_open_and_points_where_it_did(tmp_path: Path):
    opened = (tmp_path / "not-a-socket.txt").open("w")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        before = _descriptors()
        for _ in range(5):
            nodelay_on_listeners(listener.getsockname()[1])
        assert _descriptors() == before
    finally:
        listener.close()
        opened.close()


LAST_USER_PROBE = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute("SELECT count(*) FROM answers").fetchone()
connection.close()  # were it the last user, this would delete the write-ahead log
"""


def test_sqlite_keeps_its_locks_so_another_process_cannot_delete_the_log(tmp_path: Path):
    """What the start-up step could break: closing any descriptor of the database file drops
    this process's POSIX locks, and the next process to close the database deletes the
    write-ahead log under us, losing what we wrote after (issue 7)."""
    database = tmp_path / "tandem.db"
    ours = sqlite3.connect(database, isolation_level=None)
    ours.execute("PRAGMA journal_mode=WAL")
    ours.execute("CREATE TABLE answers (value TEXT)")
    ours.execute("INSERT INTO answers VALUES ('before')")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        nodelay_on_listeners(listener.getsockname()[1])
        probe = [sys.executable, "-c", LAST_USER_PROBE, str(database)]
        subprocess.run(probe, check=True, timeout=60)
        assert (tmp_path / "tandem.db-wal").exists(), "another process deleted our log"
        ours.execute("INSERT INTO answers VALUES ('after')")
    finally:
        listener.close()
        ours.close()
    reopened = sqlite3.connect(database)
    assert [row[0] for row in reopened.execute("SELECT value FROM answers")] == [
        "before",
        "after",
    ]
    reopened.close()


TCP_TABLE = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1
   1: 0100007F:1F90 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000     0        0 222 1
   2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1
"""


def test_only_the_listening_socket_on_the_port_is_named_by_the_kernel_table():
    # Port 8080 (1F90): the listener, not the connection to it, nor the listener on 8081.
    assert listener_inodes(8080, [TCP_TABLE]) == {111}
    assert listener_inodes(9999, [TCP_TABLE]) == set()


def test_with_a_default_socket_timeout_nothing_is_borrowed(tmp_path: Path):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(True)
    socket.setdefaulttimeout(5)
    try:
        # Wrapping would make the descriptor non-blocking (and could close it on failure).
        assert nodelay_on_listeners(listener.getsockname()[1]) == 0
        assert listener.getblocking()
    finally:
        socket.setdefaulttimeout(None)
        listener.close()
