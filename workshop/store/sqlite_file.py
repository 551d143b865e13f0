"""The SQLite database as a file on disk: private to its owner, and only where SQLite is safe.

The database holds the passcode hash and the server key as well as the room's answers, so it is
created readable by its owner only (0600), in a folder of the owner's only (0700). SQLite gives
its write-ahead log and shared-memory files the database's own mode.

SQLite keeps its locks with POSIX advisory locks and, in WAL mode, in a shared-memory file:
neither holds across a network filesystem (https://sqlite.org/wal.html, "WAL does not work over a
network filesystem"). A database there could lose confirmed answers without any error, so it is
refused at start with a message saying what to do instead. The filesystem's type is read from
/proc/self/mountinfo on Linux and from `mount`'s output on macOS.
"""

from __future__ import annotations

import os
import re
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


def create_private(database: Path, *, tighten_folder: bool = False) -> None:
    """Create the folder (0700) and an empty database file (0600) if they do not exist yet.

    SQLite takes an empty file as a new database and keeps the file's mode. `tighten_folder`
    also makes an existing folder private: for Tandem's own sessions/ folder, which a git
    clone creates with the usual 0755.
    """
    folder = database.parent
    if not folder.exists():
        folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    if database.exists():
        return
    if tighten_folder:
        folder.chmod(PRIVATE_FOLDER)
    try:
        descriptor = os.open(database, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    except FileExistsError:
        return  # another process made it a moment ago
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
