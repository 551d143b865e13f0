"""The database file: private to its owner, and refused on a network filesystem."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from workshop.cli import main
from workshop.store import Store, sqlite_file
from workshop.store import database as database_module
from workshop.store.sqlite_file import (
    DatabaseLocationError,
    filesystem_type,
    filesystem_type_from_mount,
)

MOUNTINFO = """\
22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
35 22 0:31 / /mnt/practice rw,relatime shared:20 - nfs4 server:/export rw,vers=4.2
36 35 0:32 / /mnt/practice/local\\040copy rw shared:21 - tmpfs tmpfs rw
37 22 0:33 / /mnt/practiced rw shared:22 - cifs //server/share rw
38 22 0:34 / /mnt/back\\134slash rw shared:23 - nfs4 server:/other rw
39 22 0:35 / /run/user/1000/gvfs rw shared:24 - fuse.gvfsd-fuse gvfsd-fuse rw
"""
MAC_MOUNT = """\
/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse)
//counselor@nas.local/practice on /Volumes/practice (smbfs, nodev, nosuid, mounted by counselor)
"""


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/home/counselor/tandem.db", "ext4"),
        ("/mnt/practice/tandem.db", "nfs4"),
        ("/mnt/practice", "nfs4"),
        ("/mnt/practice/local copy/tandem.db", "tmpfs"),  # the deepest mount point wins
        ("/mnt/practiced/tandem.db", "cifs"),  # a prefix of the name is not a parent folder
        ("/mnt/practicee/tandem.db", "ext4"),
        ("/mnt/back\\slash/tandem.db", "nfs4"),
        ("/run/user/1000/gvfs/smb-share:server=nas/tandem.db", "fuse.gvfsd-fuse"),
    ],
)
def test_the_filesystem_of_a_path_is_its_deepest_mount(path: str, expected: str):
    assert filesystem_type(Path(path), MOUNTINFO) == expected


def test_macos_mount_output_names_the_filesystem_too():
    assert filesystem_type_from_mount(Path("/Volumes/practice/t.db"), MAC_MOUNT) == "smbfs"
    assert filesystem_type_from_mount(Path("/Users/me/t.db"), MAC_MOUNT) == "apfs"
    assert "smbfs" in sqlite_file.NETWORK_FILESYSTEMS


def test_a_database_file_linked_to_a_share_is_refused(tmp_path, monkeypatch):
    share = tmp_path / "share"
    share.mkdir()
    (share / "tandem.db").touch()
    local = tmp_path / "local"
    local.mkdir()
    (local / "tandem.db").symlink_to(share / "tandem.db")
    mounts = tmp_path / "mountinfo"
    mounts.write_text(
        f"1 0 0:1 / / rw - ext4 /dev/vda rw\n40 1 0:40 / {share} rw - nfs4 server:/x rw\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sqlite_file, "MOUNTS", mounts)
    with pytest.raises(DatabaseLocationError, match="nfs4"):
        Store(f"sqlite:///{local / 'tandem.db'}")


def test_a_database_on_a_network_filesystem_is_refused_with_advice(tmp_path, monkeypatch):
    mounts = tmp_path / "mountinfo"
    mounts.write_text(f"40 22 0:40 / {tmp_path} rw - nfs4 server:/x rw\n", encoding="utf-8")
    monkeypatch.setattr(sqlite_file, "MOUNTS", mounts)
    with pytest.raises(DatabaseLocationError, match=r"network filesystem \(nfs4\)"):
        Store(f"sqlite:///{tmp_path / 'tandem.db'}")
    assert not (tmp_path / "tandem.db").exists()


def test_workshop_init_refuses_a_network_filesystem_with_a_message(tmp_path, monkeypatch, capsys):
    mounts = tmp_path / "mountinfo"
    mounts.write_text(f"40 22 0:40 / {tmp_path} rw - cifs //server/x rw\n", encoding="utf-8")
    monkeypatch.setattr(sqlite_file, "MOUNTS", mounts)
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'tandem.db'}")
    assert main(["init"]) == 1
    message = capsys.readouterr().err
    assert "cannot keep its locks there" in message and "PostgreSQL" in message


def test_a_new_database_and_its_folder_are_private_to_their_owner(tmp_path):
    database = tmp_path / "new" / "sessions" / "tandem.db"
    store = Store(f"sqlite:///{database}")
    store.migrate()
    try:
        assert mode(database.parent) == "0o700"
        assert mode(database) == "0o600"
        # SQLite gives its log and shared memory the database's own mode.
        assert mode(Path(f"{database}-wal")) == "0o600"
        assert mode(Path(f"{database}-shm")) == "0o600"
        assert store.storage_warnings() == []
    finally:
        store.close()


def test_tandem_makes_its_own_sessions_folder_private_when_it_creates_the_database(tmp_path):
    folder = tmp_path / "sessions"
    folder.mkdir(mode=0o755)  # as a git clone leaves it
    folder.chmod(0o755)
    sqlite_file.create_private(folder / "tandem.db", tighten_folder=True)
    assert mode(folder) == "0o700"
    assert mode(folder / "tandem.db") == "0o600"
    other = tmp_path / "elsewhere"
    other.mkdir()
    other.chmod(0o755)
    sqlite_file.create_private(other / "tandem.db")  # someone else's folder keeps its mode
    assert mode(other) == "0o755"


def test_the_default_sessions_folder_is_made_private_with_its_database(tmp_path, monkeypatch):
    folder = tmp_path / "sessions"
    folder.mkdir()
    folder.chmod(0o755)
    monkeypatch.setattr(database_module, "DEFAULT_DATABASE", folder / "tandem.db")
    Store(f"sqlite:///{folder / 'tandem.db'}").close()
    assert mode(folder) == "0o700"


def test_an_existing_database_others_can_read_gets_a_warning_at_start(
    tmp_path, monkeypatch, capsys
):
    database = tmp_path / "tandem.db"
    Store(f"sqlite:///{database}").close()
    database.chmod(0o644)
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.delenv("WORKSHOP_PASSCODE", raising=False)
    assert main(["init"]) == 0
    warning = capsys.readouterr().err
    assert f"{database} can be read by other users" in warning
    assert f"chmod 600 {database}" in warning
    assert mode(database) == "0o644"  # warned, not changed behind the owner's back
