"""Faults of the storage: PostgreSQL restarting under a running store, and a database folder that
cannot be written (no permission, a read-only disk, a full disk) refused at start."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import socket
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from tests.conftest import POSTGRES_URL, postgres_schema
from workshop.cli import main
from workshop.store import Store, sqlite_file
from workshop.store.sqlite_file import DatabaseLocationError, StorageError, check_writable

# Only the store's own connections, known by their application name: other tests (and other
# people's test runs) share this PostgreSQL server, and the fixture needs its own connection to
# drop the schema afterwards.
TERMINATE = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = :name"
)
STILL_THERE = (
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND application_name = :name"
)


def _terminate_server_connections(store: Store) -> int:
    """What a restart of PostgreSQL does to every open connection: the server closes it.

    Returns how many it closed, once they are all gone (pg_terminate_backend only asks).
    """
    name = store.engine.url.query["application_name"]
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            closed = len(connection.execute(text(TERMINATE), {"name": name}).all())
        for _ in range(500):
            with admin.connect() as connection:
                left = connection.scalar(text(STILL_THERE), {"name": name})
            if not left:
                return closed
            time.sleep(0.01)
        raise AssertionError(f"{left} connection(s) of the store outlived pg_terminate_backend")
    finally:
        admin.dispose()


@pytest.fixture
def postgres_store():
    with postgres_schema() as url:
        store = Store(f"{url}&application_name=tandem_faults_{secrets.token_hex(4)}")
        store.migrate()
        yield store
        store.close()


def test_a_store_on_postgresql_carries_on_after_its_connections_are_closed_by_the_server(
    postgres_store,
):
    store = postgres_store
    # Several connections in the pool, as a busy room leaves it.
    held = [store.engine.connect() for _ in range(3)]
    for connection in held:
        connection.close()
    store.put_setting("before", "1")
    assert _terminate_server_connections(store) >= 1

    # The very next operations, reads and writes, succeed: no restart of Tandem needed.
    assert store.setting("before") == "1"
    store.put_setting("after", "2")
    assert store.setting("after") == "2"
    for _ in range(5):  # every pooled connection was replaced, not only the first
        assert store.setting("before") == "1"


def test_a_store_on_postgresql_recovers_from_a_second_restart_too(postgres_store):
    store = postgres_store
    for round_number in range(2):
        store.put_setting("round", str(round_number))
        assert _terminate_server_connections(store) >= 1
        assert store.setting("round") == str(round_number)


class Outage:
    """A TCP relay to PostgreSQL that can go away and come back on the same port, as the server
    does when it is stopped for a while and started again: while away, every connection is
    closed and new ones are refused."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            server = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, server]
            for source, sink in [(client, server), (server, client)]:
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        assert self.listener is not None
        # shutdown() first: on Linux it wakes the thread blocked in accept(); close() alone
        # would leave the port listening until that accept() returned.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for end in self.sockets:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.sockets.clear()


def test_postgresql_away_for_a_while_is_an_operational_error_and_then_is_used_again():
    """Stopped, then started again: meanwhile every operation fails at once with
    OperationalError (the web layer's "try again" page); afterwards the same store works."""
    target = make_url(POSTGRES_URL)
    outage = Outage(target.host or "127.0.0.1", target.port or 5432)
    outage.start()
    with postgres_schema() as url:
        proxied = make_url(url).set(host="127.0.0.1", port=outage.port)
        store = Store(proxied.render_as_string(hide_password=False))
        try:
            store.migrate()
            store.put_setting("before", "1")
            outage.stop()
            for _ in range(3):
                with pytest.raises(OperationalError):
                    store.setting("before")
                with pytest.raises(OperationalError):
                    store.put_setting("during", "lost")
            outage.start()
            assert store.setting("before") == "1"
            assert store.setting("during") is None
            store.put_setting("after", "2")
            assert store.setting("after") == "2"
        finally:
            store.close()
            with contextlib.suppress(AssertionError, OSError):
                outage.stop()


# A folder that cannot be written, a read-only disk, a full disk: refused at start -------------

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def no_space(*_arguments):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _probes_left(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir() if path.name.startswith(".tandem-probe")]


def test_a_writable_folder_passes_and_keeps_nothing_of_the_check(tmp_path):
    folder = tmp_path / "new" / "sessions"
    check_writable(folder)
    assert folder.is_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(AS_ROOT, reason="root writes through any folder's permissions")
def test_a_folder_tandem_may_not_write_to_is_refused_with_what_to_do(tmp_path):
    folder = tmp_path / "sessions"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StorageError) as refused:
            check_writable(folder)
        message = str(refused.value)
        assert f"may not write to {folder}" in message
        assert "write permission" in message and "WORKSHOP_DATABASE_URL=" in message
        with pytest.raises(StorageError, match="may not create the folder"):
            check_writable(folder / "inner")
    finally:
        folder.chmod(0o700)


@pytest.mark.skipif(AS_ROOT, reason="root writes through any file's permissions")
def test_a_database_file_tandem_may_not_write_to_is_refused(tmp_path):
    database = tmp_path / "tandem.db"
    Store(f"sqlite:///{database}").close()
    database.chmod(0o400)
    with pytest.raises(StorageError, match=f"may not write to its database file {database}"):
        Store(f"sqlite:///{database}")


def test_a_database_file_that_may_not_be_written_is_refused_even_when_root_could(
    tmp_path, monkeypatch
):
    """As root (CI) permissions stop nothing, so os.access is told what another user sees."""
    database = tmp_path / "tandem.db"
    Store(f"sqlite:///{database}").close()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if path == database else real_access(path, mode)
    )
    with pytest.raises(StorageError, match=f"may not write to its database file {database}"):
        Store(f"sqlite:///{database}")


def test_a_folder_that_cannot_be_made_because_a_file_is_in_the_way_is_refused(tmp_path):
    """Refused for root too: no permission lets a folder be made inside a regular file."""
    blocker = tmp_path / "project"
    blocker.write_text("not a folder")
    for folder in [blocker, blocker / "sessions", blocker / "sessions" / "deeper"]:
        with pytest.raises(StorageError) as refused:
            check_writable(folder)
        message = str(refused.value)
        assert f"cannot make the folder {folder}" in message
        assert f"because {blocker} is a file, not a folder" in message
        assert "WORKSHOP_DATABASE_URL=" in message
    with pytest.raises(DatabaseLocationError):  # what `workshop` already reports
        Store(f"sqlite:///{blocker / 'sessions' / 'tandem.db'}")


def test_workshop_init_on_an_unusable_folder_says_one_sentence_not_a_traceback(
    tmp_path, monkeypatch, capsys
):
    blocker = tmp_path / "project"
    blocker.write_text("not a folder")
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{blocker / 'sessions' / 'tandem.db'}")
    assert main(["init"]) == 1
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()
    assert f"{blocker} is a file, not a folder" in line
    assert "Traceback" not in captured.out + captured.err


def test_a_read_only_disk_is_refused_with_what_to_do(tmp_path, monkeypatch):
    """EROFS as the kernel gives it for a disk mounted read-only (mounting one needs more than
    a test may do): only the probe's own file is refused."""
    real_open = os.open

    def read_only(path, flags, mode=0o777, **kwargs):
        if ".tandem-probe" in str(path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(StorageError) as refused:
        check_writable(tmp_path)
    assert str(refused.value).startswith(f"{tmp_path} is on a read-only disk")
    assert "WORKSHOP_DATABASE_URL=" in str(refused.value)


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_a_full_disk_is_refused_at_start_and_the_probe_is_removed(tmp_path, monkeypatch, failing):
    """ENOSPC from the write, or only from the sync (a disk that took the write into its cache)."""

    monkeypatch.setattr(os, failing, no_space)
    with pytest.raises(StorageError) as refused:
        check_writable(tmp_path)
    monkeypatch.undo()
    message = str(refused.value)
    assert message.startswith(f"The disk holding {tmp_path} is full")
    assert "free some space" in message and "WORKSHOP_DATABASE_URL=" in message
    assert _probes_left(tmp_path) == []


def test_a_short_write_that_stops_is_a_full_disk(tmp_path, monkeypatch):
    real_write = os.write
    calls = []

    def half_then_nothing(descriptor, data):
        calls.append(len(data))
        return real_write(descriptor, bytes(data[:100])) if len(calls) == 1 else 0

    monkeypatch.setattr(os, "write", half_then_nothing)
    with pytest.raises(StorageError, match="is full"):
        check_writable(tmp_path)
    assert len(calls) == 2


def test_workshop_init_on_a_full_disk_says_so_and_writes_no_database(tmp_path, monkeypatch, capsys):
    database = tmp_path / "sessions" / "tandem.db"
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{database}")

    monkeypatch.setattr(os, "write", no_space)
    assert main(["init"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"The disk holding {database.parent} is full")
    assert not database.exists()


def test_a_full_disk_under_an_existing_database_is_refused_too(tmp_path, monkeypatch):
    database = tmp_path / "tandem.db"
    store = Store(f"sqlite:///{database}")
    store.migrate()
    store.close()
    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(StorageError, match="is full"):
        Store(f"sqlite:///{database}")


def test_sqlite_s_own_full_disk_error_names_the_folder(tmp_path):
    database = tmp_path / "tandem.db"
    error = sqlite3.OperationalError("database or disk is full")
    storage = sqlite_file.sqlite_storage_error(database, error)
    assert storage is not None and str(storage).startswith(f"The disk holding {tmp_path} is full")
    assert sqlite_file.sqlite_storage_error(database, ValueError("other")) is None


def test_a_nearly_full_disk_is_refused_before_sqlite_fills_it(tmp_path, monkeypatch):
    """A few kilobytes free take the probe but not SQLite's shared memory and log."""
    free = sqlite_file._free_bytes(tmp_path)
    assert free is not None and free > 0
    monkeypatch.setattr(sqlite_file, "MINIMUM_FREE_BYTES", free + 1024**3)
    with pytest.raises(StorageError) as refused:
        Store(f"sqlite:///{tmp_path / 'tandem.db'}")
    assert str(refused.value).startswith(f"The disk holding {tmp_path} is full (only ")
    assert not (tmp_path / "tandem.db").exists()
