"""The SQLite database as a file on disk: private to its owner, and only where SQLite is safe.

The database holds the passcode hash and the server key as well as the room's answers, so it is
created readable by its owner only (0600), in a folder of the owner's only (0700). SQLite gives
its write-ahead log and shared-memory files the database's own mode.

SQLite keeps its locks with POSIX advisory locks and, in WAL mode, in a shared-memory file:
neither holds across a network filesystem (https://sqlite.org/wal.html, "WAL does not work over a
network filesystem"). A database there could lose confirmed answers without any error, so it is
refused at start with a message saying what to do instead. The filesystem's type is read from
/proc/self/mountinfo on Linux and from `mount`'s output on macOS.

A folder Tandem may not write to, a read-only disk or a full one is refused at start too, in one
sentence naming the folder and what to do (`check_writable`): SQLite would otherwise fail later,
in the middle of a workshop, with "attempt to write a readonly database" or "database or disk is
full".
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import os
import re
import secrets
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

# Filesystems whose locks SQLite cannot rely on: Linux's names (as /proc/self/mountinfo has
# them) and macOS's (as `mount` prints them). 9p is also how WSL shows a Windows drive (/mnt/c).
NETWORK_FILESYSTEMS = {
    "9p",
    "acfs",
    "afs",
    "ceph",
    "cifs",
    "coda",
    "davfs",
    "glusterfs",
    "gpfs",
    "lustre",
    "ncpfs",
    "nfs",
    "nfs4",
    "smb3",
    "smbfs",
    "fuse.gvfsd-fuse",
    "fuse.rclone",
    "fuse.s3fs",
    "fuse.sshfs",
    "fuse.vmhgfs-fuse",
    "macfuse",
    "osxfuse",
    "vboxsf",
    "webdav",
}
MOUNTS = Path("/proc/self/mountinfo")
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


class DatabaseLocationError(RuntimeError):
    """The database cannot be kept safely where it is; the message says what to do."""


class StorageError(DatabaseLocationError):
    """The database's folder or file cannot be written: no permission, a read-only or full disk.

    A DatabaseLocationError, so whatever already reports those (`workshop`'s main) reports these.
    """


ELSEWHERE = "WORKSHOP_DATABASE_URL=sqlite:////a/writable/folder/tandem.db"
# Two SQLite pages: a full disk refuses them.
PROBE_BYTES = b"\0" * 8192
# Less free space than this is a full disk to Tandem: SQLite's shared-memory file and a
# write-ahead log growing to its checkpoint (1000 pages of 4 KiB) need about this much, so a
# workshop started with less would fail in its first minutes instead of at start.
MINIMUM_FREE_BYTES = 4 * 1024 * 1024


def _unescape(text: str) -> str:
    r"""A mount point as the kernel writes it, with \040 (space), \011, \012, \134 decoded."""
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), text)


def _deepest(path: Path, mounts: list[tuple[str, str]]) -> str | None:
    """The type of the mount (point, type) that holds `path`: the deepest one that does."""
    resolved = str(path.resolve())
    best_point, best_type = "", None
    for point, filesystem in mounts:
        inside = resolved == point or resolved.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best_point):
            best_point, best_type = point, filesystem
    return best_type


def filesystem_type(path: Path, mountinfo: str) -> str | None:
    """The type of the filesystem holding `path`, read from /proc/self/mountinfo's text."""
    mounts = []
    for line in mountinfo.splitlines():
        fields = line.split()
        if " - " not in line or len(fields) < 5:
            continue
        # Field 5 is the mount point (octal-escaped); the type follows the " - ".
        mounts.append((_unescape(fields[4]), line.split(" - ", 1)[1].split()[0]))
    return _deepest(path, mounts)


def filesystem_type_from_mount(path: Path, output: str) -> str | None:
    """The same from macOS's `mount` output: "//me@server/share on /Volumes/share (smbfs, ...)"."""
    mounts = []
    for line in output.splitlines():
        found = re.match(r"^.* on (/.*) \(([^,)]+)", line)
        if found:
            mounts.append((found.group(1), found.group(2)))
    return _deepest(path, mounts)


def _filesystem_of(path: Path) -> str | None:
    if MOUNTS.exists():
        return filesystem_type(path, MOUNTS.read_text(encoding="utf-8", errors="replace"))
    if sys.platform == "darwin":
        try:
            output = subprocess.run(
                ["/sbin/mount"], capture_output=True, text=True, timeout=10
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        return filesystem_type_from_mount(path, output)
    return None


def refuse_network_filesystem(database: Path) -> None:
    """Raise DatabaseLocationError if the database is on a network filesystem.

    The file itself is checked when it exists (it may be a link to a share), else its folder.
    """
    filesystem = _filesystem_of(database if database.exists() else database.parent)
    if filesystem in NETWORK_FILESYSTEMS:
        raise DatabaseLocationError(
            f"The database {database} is on a network filesystem ({filesystem}). SQLite cannot "
            "keep its locks there, and answers could be lost without any error. Keep the "
            "database on this computer's own disk (WORKSHOP_DATABASE_URL=sqlite:////a/local/folder/"
            "tandem.db), or use PostgreSQL to share one database between computers."
        )


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no name for this user id (a container, say)
        return f"id {os.getuid()}" if hasattr(os, "getuid") else "running Tandem"


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def _blocking_file(folder: Path) -> Path | None:
    """The file standing where `folder` or one of its parents should be, if any."""
    for candidate in [folder, *folder.parents]:
        if candidate.exists():
            return None if candidate.is_dir() else candidate
    return None


def unwritable(folder: Path, error: OSError, free: int | None = None) -> str:
    """One sentence: why Tandem cannot keep its database in `folder`, and what to do."""
    code = error.errno
    if code in {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}:
        left = f" (only {free // 1024} KB free)" if free is not None else ""
        return (
            f"The disk holding {folder} is full{left}, so Tandem cannot keep the workshop's "
            f"database there: free some space on it, or keep the database on another disk with "
            f"{ELSEWHERE}."
        )
    if code == errno.EROFS:
        return (
            f"{folder} is on a read-only disk, so Tandem cannot keep the workshop's database "
            f"there: keep it on a writable disk with {ELSEWHERE}."
        )
    blocker = _blocking_file(folder)
    if blocker is not None or code in {errno.ENOTDIR, errno.EEXIST}:
        return (
            f"Tandem cannot make the folder {folder} for the workshop's database because "
            f"{blocker or 'part of that path'} is a file, not a folder: move that file away, or "
            f"keep the database elsewhere with {ELSEWHERE}."
        )
    if code in {errno.EACCES, errno.EPERM}:
        user = _user()
        existing = _nearest_existing(folder)
        if existing == folder:
            return (
                f"Tandem (running as {user}) may not write to {folder}, where it keeps the "
                f"workshop's database: give {user} write permission on that folder, or keep the "
                f"database elsewhere with {ELSEWHERE}."
            )
        return (
            f"Tandem (running as {user}) may not create the folder {folder} for the workshop's "
            f"database: give {user} write permission on {existing}, or keep the database "
            f"elsewhere with {ELSEWHERE}."
        )
    return (
        f"Tandem cannot write to {folder}, where it keeps the workshop's database "
        f"({error.strerror or error}): check that folder and its disk, or keep the database "
        f"elsewhere with {ELSEWHERE}."
    )


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def check_writable(folder: Path) -> None:
    """Make `folder` (0700) if it is missing, and prove that it can be written: a small file is
    written, synced to the disk and removed again, and a few megabytes are free
    (MINIMUM_FREE_BYTES). StorageError, saying what to do, if not.

    The sync matters: a full disk can accept a write into the cache and refuse it only there.
    """
    try:
        folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(unwritable(folder, error)) from None
    probe = folder / f".tandem-probe-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        descriptor = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
        try:
            _write_all(descriptor, PROBE_BYTES)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)  # the probe's own descriptor: SQLite holds no lock on it
    except OSError as error:
        raise StorageError(unwritable(folder, error)) from None
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()
    free = _free_bytes(folder)
    if free is not None and free < MINIMUM_FREE_BYTES:
        raise StorageError(unwritable(folder, OSError(errno.ENOSPC, "full"), free))


def _free_bytes(folder: Path) -> int | None:
    """The space left on the disk holding `folder` for an ordinary user; None where unknown."""
    if not hasattr(os, "statvfs"):
        return None
    try:
        found = os.statvfs(folder)
    except OSError:
        return None
    return found.f_bavail * found.f_frsize


def check_database_writable(database: Path) -> None:
    """StorageError if the database file (or its log files) exist but may not be written:
    SQLite would open them read-only and refuse the first answer."""
    for path in [database, Path(f"{database}-wal"), Path(f"{database}-shm")]:
        if path.exists() and not os.access(path, os.W_OK):
            user = _user()
            raise StorageError(
                f"Tandem (running as {user}) may not write to its database file {path}: give "
                f"{user} write permission on it (it should belong to {user}, mode 600), or keep "
                f"the database elsewhere with {ELSEWHERE}."
            )


def sqlite_storage_error(database: Path, error: BaseException) -> StorageError | None:
    """The StorageError that an SQLite error (raw, or wrapped by SQLAlchemy) stands for, naming
    the database's folder: for errors at start that `check_writable` could not foresee."""
    original = getattr(error, "orig", error)
    if not isinstance(original, sqlite3.Error):
        return None
    name = getattr(original, "sqlite_errorname", "")
    text = str(original).lower()
    folder = database.parent
    if name == "SQLITE_FULL" or "disk is full" in text:
        return StorageError(unwritable(folder, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return StorageError(unwritable(folder, OSError(errno.EACCES, os.strerror(errno.EACCES))))
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR")) or "unable to open" in text:
        return StorageError(unwritable(folder, OSError(errno.EIO, str(original))))
    return None


def create_private(database: Path, *, tighten_folder: bool = False) -> None:
    """Create the folder (0700) and an empty database file (0600) if they do not exist yet,
    after checking that both can be written (StorageError, saying what to do, if not).

    SQLite takes an empty file as a new database and keeps the file's mode. `tighten_folder`
    also makes an existing folder private: for Tandem's own sessions/ folder, which a git
    clone creates with the usual 0755.
    """
    folder = database.parent
    check_writable(folder)
    check_database_writable(database)
    if database.exists():
        return
    try:
        if tighten_folder:
            folder.chmod(PRIVATE_FOLDER)
        descriptor = os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    except FileExistsError:
        return  # another process made it a moment ago
    except OSError as error:
        raise StorageError(unwritable(folder, error)) from None
    os.close(descriptor)  # nothing holds a lock on this brand-new file yet


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable: the folder's own entry reaches the disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)  # a folder: no SQLite lock lives on it


def loose_modes(database: Path, *, folder_too: bool = False) -> list[str]:
    """Warnings for a database (and its log files) that others on this computer could read."""
    warnings = []
    candidates = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    for path in candidates:
        if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
            mode = oct(stat.S_IMODE(path.stat().st_mode))[2:]
            warnings.append(
                f"{path} can be read by other users of this computer (mode {mode}); it holds "
                f"the passcode hash and every answer. Run: chmod 600 {path}"
            )
    folder = database.parent
    if folder_too and folder.exists() and stat.S_IMODE(folder.stat().st_mode) & 0o077:
        mode = oct(stat.S_IMODE(folder.stat().st_mode))[2:]
        warnings.append(
            f"{folder} can be listed by other users of this computer (mode {mode}). "
            f"Run: chmod 700 {folder}"
        )
    return warnings
