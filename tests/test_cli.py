import io
import shlex
import sqlite3
from pathlib import Path

from tests.conftest import postgres_schema
from workshop.cli import build_parser, command_names, main
from workshop.store import Store, pg_dump_advice
from workshop.web import keys


def test_validate_passes_on_the_built_in_decks(capsys):
    assert main(["decks", "validate"]) == 0
    assert "codependency-to-interdependency-90.toml: ok" in capsys.readouterr().out


def test_validate_prints_each_problem_and_fails(tmp_path: Path, capsys):
    path = tmp_path / "broken.toml"
    path.write_text(
        'id = "broken"\ntitle = "Broken"\n[[activities]]\nid = "pick"\n'
        'kind = "single_choice"\ntitle = "Pick"\nminutes = 2\noptions = ["only one"]\n',
        encoding="utf-8",
    )
    assert main(["decks", "validate", str(path)]) == 1
    output = capsys.readouterr().out
    assert "broken.toml, activity 'pick', field 'options'" in output


def test_init_creates_the_database(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    monkeypatch.delenv("WORKSHOP_PASSCODE", raising=False)
    assert main(["init"]) == 0
    assert (tmp_path / "new.db").exists()
    assert "setup link Tandem prints" in capsys.readouterr().out


def test_every_command_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    commands = command_names(build_parser())
    assert commands == [
        "init",
        "passcode",
        "unlock",
        "backup",
        "sessions",
        "export",
        "restore",
        "delete",
        "purge",
        "decks validate",
    ]
    for command in commands:
        assert f"`workshop {command}" in readme, command


def test_a_piped_passcode_is_read_from_standard_input(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'tandem.db'}")
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-passcode\na-long-passcode\n"))
    assert main(["passcode"]) == 0
    store = Store(f"sqlite:///{tmp_path / 'tandem.db'}")
    assert keys.check_passcode(store, "a-long-passcode")
    store.close()


def test_two_different_piped_passcodes_change_nothing(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'tandem.db'}")
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-passcode\nanother-passcode\n"))
    assert main(["passcode"]) == 1
    assert "differ" in capsys.readouterr().err
    assert not (tmp_path / "tandem.db").exists()


def test_backup_copies_the_database_and_never_overwrites_by_surprise(
    tmp_path: Path, monkeypatch, capsys
):
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'tandem.db'}")
    monkeypatch.delenv("WORKSHOP_PASSCODE", raising=False)
    assert main(["init"]) == 0
    copy = tmp_path / "copy.db"
    assert main(["backup", str(copy)]) == 0
    with sqlite3.connect(copy) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"sessions", "answers", "settings"} <= tables
    capsys.readouterr()
    assert main(["backup", str(copy)]) == 1
    assert "already exists" in capsys.readouterr().out
    assert main(["backup", "--replace", str(copy)]) == 0
    assert main(["backup", str(tmp_path / "no-such-folder" / "copy.db")]) == 1


def test_backup_never_replaces_the_live_database_by_any_name(tmp_path: Path, monkeypatch, capsys):
    database = tmp_path / "sessions" / "tandem.db"
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.delenv("WORKSHOP_PASSCODE", raising=False)
    assert main(["init"]) == 0
    before = database.stat().st_ino
    (tmp_path / "link.db").symlink_to(database)
    for name in [
        str(database),
        f"{tmp_path}/sessions/../sessions/tandem.db",
        f"{database}-wal",
        f"{database}-shm",
        f"{database}-journal",
        str(tmp_path / "link.db"),
    ]:
        capsys.readouterr()
        assert main(["backup", "--replace", name]) == 1, name
        assert "must not replace the database" in capsys.readouterr().out
    assert database.stat().st_ino == before


def test_backup_of_a_database_not_made_yet_says_so(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'tandem.db'}")
    assert main(["backup", str(tmp_path / "copy.db")]) == 1
    assert "nothing to copy" in capsys.readouterr().out
    assert not (tmp_path / "tandem.db").exists()
    assert not (tmp_path / "copy.db").exists()


def test_backup_on_postgresql_says_which_pg_dump_to_run(tmp_path: Path, monkeypatch, capsys):
    with postgres_schema() as url:
        monkeypatch.setenv("WORKSHOP_DATABASE_URL", url)
        assert main(["backup", str(tmp_path / "copy.dump")]) == 1
    advice = capsys.readouterr().out
    schema = url.split("search_path%3D")[1]
    assert f"pg_dump --format=custom --file={tmp_path / 'copy.dump'} --schema={schema}" in advice
    assert "postgresql://postgres@127.0.0.1:5432/test" in advice
    assert not (tmp_path / "copy.dump").exists()


def test_the_pg_dump_advice_never_shows_the_password_and_survives_a_shell():
    url = (
        "postgresql+psycopg://tandem:s3cret@db.example.org:5433/workshops"
        "?sslmode=require&options=-csearch_path%3Dtandem,public"
    )
    advice = pg_dump_advice(url, Path("/backups/my workshop.dump"))
    assert "s3cret" not in advice
    command = shlex.split(advice.splitlines()[-1])
    assert command == [
        "pg_dump",
        "--format=custom",
        "--file=/backups/my workshop.dump",
        "--schema=tandem",
        "postgresql://tandem@db.example.org:5433/workshops?sslmode=require",
    ]


def test_sessions_lists_what_was_held_and_export_writes_every_file(
    tmp_path: Path, monkeypatch, capsys
):
    from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
    from workshop.room import live
    from workshop.room.rehearsal import start_rehearsal

    url = f"sqlite:///{tmp_path / 'tandem.db'}"
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", url)
    store = Store(url)
    store.migrate()
    deck = load_deck(DECK_FOLDER / "boundaries-30.toml")
    held = live.start_session(store, deck)
    live.end_session(store, held.id)
    practice = start_rehearsal(store, deck, people=4)
    store.close()

    assert main(["sessions"]) == 0
    listed = capsys.readouterr().out
    assert held.row.join_code in listed and "ended" in listed
    assert practice.row.join_code not in listed
    assert main(["sessions", "--rehearsals"]) == 0
    assert practice.row.join_code in capsys.readouterr().out

    out = tmp_path / "exports"
    out.mkdir()
    code = practice.row.join_code.lower()
    assert main(["export", code, "--out", str(out)]) == 0
    written = sorted(path.suffix for path in out.iterdir())
    assert written == [".csv", ".html", ".json", ".xlsx"]
    assert main(["export", str(held.id), "--format", "csv", "--out", str(out)]) == 0
    assert main(["export", "NOSUCH", "--out", str(out)]) == 1
    assert "no session NOSUCH" in capsys.readouterr().out
    assert main(["export", code, "--format", "pdf", "--out", str(out)]) == 1
    assert "Unknown format pdf" in capsys.readouterr().out


def test_restore_and_delete_from_the_command_line(tmp_path: Path, monkeypatch, capsys):
    from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
    from workshop.room.rehearsal import start_rehearsal

    first = f"sqlite:///{tmp_path / 'first.db'}"
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", first)
    store = Store(first)
    store.migrate()
    session = start_rehearsal(store, load_deck(DECK_FOLDER / "boundaries-30.toml"), people=5)
    store.close()
    assert main(["export", session.row.join_code, "--format", "json", "--out", str(tmp_path)]) == 0
    [saved] = tmp_path.glob("*.json")

    monkeypatch.setenv("WORKSHOP_DATABASE_URL", f"sqlite:///{tmp_path / 'second.db'}")
    capsys.readouterr()
    assert main(["restore", str(saved)]) == 0
    assert f"join code {session.row.join_code}" in capsys.readouterr().out
    damaged = tmp_path / "damaged.json"
    damaged.write_text(saved.read_text().replace('"participants": 5', '"participants": 2'))
    assert main(["restore", str(damaged)]) == 1
    assert "damaged.json: This archive is damaged" in capsys.readouterr().out

    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: never asks, never guesses
    assert main(["delete", session.row.join_code]) == 1
    assert "--yes" in capsys.readouterr().out
    assert main(["delete", session.row.join_code, "--yes"]) == 0
    assert main(["sessions", "--rehearsals"]) == 0
    assert "No sessions yet." in capsys.readouterr().out


def test_a_running_session_is_not_deleted_and_digit_codes_are_codes(tmp_path, monkeypatch, capsys):
    from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
    from workshop.review.session import find_session
    from workshop.room import live

    url = f"sqlite:///{tmp_path / 'tandem.db'}"
    monkeypatch.setenv("WORKSHOP_DATABASE_URL", url)
    store = Store(url)
    store.migrate()
    deck = load_deck(DECK_FOLDER / "boundaries-30.toml")
    monkeypatch.setattr(live, "new_join_code", lambda: "347693")  # a code of digits only
    running = live.start_session(store, deck)
    assert find_session(store, "347693").id == running.id  # the code, not session 347693
    assert main(["delete", "347693", "--yes"]) == 1
    assert "still running" in capsys.readouterr().out
    assert store.session(running.id) is not None
    store.close()
