"""What the benchmarks in bench/ share: a real server with its own database, a session on a deck,
a phone with its own cookie jar, a PostgreSQL schema of its own, figures about processes
(memory and CPU from /proc), and percentiles printed the same way.

Only loopback addresses are ever used: the server listens on 127.0.0.1 and its QR code points
there (WORKSHOP_PUBLIC_URL, set by workshop.testing.server.Server). Nothing here identifies
anyone: phones are cookie jars, and no address or user agent is sent or kept.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import ssl
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx2
from sqlalchemy import create_engine, text

from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.curriculum.decks import Deck
from workshop.room import live
from workshop.store import Store
from workshop.testing.server import Server

DEFAULT_DECK = "codependency-to-interdependency-90"
# The database the PostgreSQL tests use (tests/conftest.py); each run gets a schema of its own.
POSTGRES_URL = os.environ.get(
    "WORKSHOP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# Folders, servers, sessions ------------------------------------------------------------------


@contextlib.contextmanager
def temporary_folder(prefix: str = "tandem-bench-") -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)


def sqlalchemy_url(url: str) -> str:
    """`postgresql://...` as SQLAlchemy needs it with the driver Tandem installs (psycopg 3)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


@contextlib.contextmanager
def postgres_schema(url: str = POSTGRES_URL) -> Iterator[str]:
    """The URL of a fresh PostgreSQL schema of its own, dropped afterwards (as the tests'
    postgres_schema does): a benchmark never sees, or leaves, anyone else's rows."""
    url = sqlalchemy_url(url)
    schema = f"tandem_bench_{secrets.token_hex(4)}"
    admin = create_engine(url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        separator = "&" if "?" in url else "?"
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with contextlib.suppress(Exception), admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def is_postgresql(kind_or_url: str) -> bool:
    """Whether `--database` names PostgreSQL: "postgresql" or a PostgreSQL URL."""
    return kind_or_url.startswith(("postgresql", "postgres:"))


@contextlib.contextmanager
def database(kind_or_url: str, folder: Path) -> Iterator[str]:
    """A database URL for one run: "sqlite" (a file in `folder`), "postgresql" (a schema of
    its own in the tests' database), or a URL (a PostgreSQL URL gets a schema of its own)."""
    if kind_or_url == "sqlite":
        yield f"sqlite:///{folder / 'tandem.db'}"
    elif kind_or_url == "postgresql":
        with postgres_schema() as url:
            yield url
    elif is_postgresql(kind_or_url):
        with postgres_schema(kind_or_url) as url:
            yield url
    else:
        yield kind_or_url


@contextlib.contextmanager
def running_server(
    folder: Path, *, database_url: str | None = None, **options
) -> Iterator[tuple[Server, Store]]:
    """A real Tandem server on 127.0.0.1 and a store beside it on the same database, migrated
    before the server starts; both stopped and closed afterwards."""
    server = Server(folder, database_url=database_url, **options)
    store = Store(server.database_url)
    try:
        store.migrate()
        server.start()
        yield server, store
    finally:
        server.stop()
        store.close()


def built_in_deck(deck_id: str = DEFAULT_DECK) -> Deck:
    return load_deck(DECK_FOLDER / f"{deck_id}.toml")


def start_session(
    store: Store,
    deck: Deck,
    *,
    index: int | None = None,
    headcount: int | None = None,
    **options,
) -> live.Live:
    """The facilitator starts a session on `deck` (options as live.start_session takes them),
    saying how many people are expected (`headcount`: so many phones may join at once), and
    moves to activity `index` if given."""
    session = live.start_session(store, deck, headcount=headcount, **options)
    if index is not None:
        live.go_to(store, session.id, index)
    return session


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every phone of this process. A client left to make its own loads the
    certificate bundle: about 0.8 MB and 40 ms a client, 1.6 GB for 2,000 phones. (The phones
    speak plain HTTP to 127.0.0.1 anyway.)"""
    return httpx2.create_ssl_context()


def phone(
    base_url: str,
    *,
    timeout: float = 60.0,
    asynchronous: bool = False,
    reuse_connections: bool = True,
) -> httpx2.Client | httpx2.AsyncClient:
    """A phone: a client with its own cookie jar, redirects not followed. It sends no user
    agent of a real device, and nothing in it names anyone. It keeps its connections open
    between requests, as a browser does, unless `reuse_connections` is False: then each
    request opens a connection of its own and closes it."""
    options: dict = {"base_url": base_url, "timeout": timeout, "verify": tls_context()}
    if not reuse_connections:
        options["limits"] = httpx2.Limits(max_keepalive_connections=0)
    if asynchronous:
        return httpx2.AsyncClient(**options)
    return httpx2.Client(**options)


# Processes: memory and CPU from /proc --------------------------------------------------------


def rss_megabytes(pid: int) -> float:
    """The resident memory of one process, in MB (NaN once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def process_tree(pid: int) -> list[int]:
    """`pid` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        waiting.extend(children.get(current, []))
    return found


def tree_rss_megabytes(pid: int) -> float:
    """The resident memory of a process and its children, in MB."""
    return sum(
        value for value in (rss_megabytes(each) for each in process_tree(pid)) if value == value
    )


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) one process has used; 0 once it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds a process and its living children have used."""
    return sum(cpu_seconds(each) for each in process_tree(pid))


def own_cpu_seconds() -> float:
    """CPU seconds this process (every thread of it, not its children) has used."""
    times = os.times()
    return times.user + times.system


# Figures -------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank); NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def milliseconds(seconds: float) -> str:
    if seconds != seconds:
        return "-"
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def percentiles(label: str, seconds: Sequence[float], shares: Sequence[float] = (0.5, 0.9, 0.99)):
    """One line: how many, the percentiles asked for and the largest, in milliseconds."""
    parts = "  ".join(
        f"p{round(share * 100)}={milliseconds(percentile(seconds, share)):>9}" for share in shares
    )
    largest = milliseconds(max(seconds)) if seconds else "-"
    print(f"{label:<28} n={len(seconds):<5} {parts}  max={largest:>9}")
