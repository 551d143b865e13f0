"""The `workshop` command: set up the database, choose the passcode, check decks.

workshop init                     create or migrate the database
workshop passcode                 choose the facilitator passcode (asked twice, not echoed)
workshop unlock                   let the facilitator log in again after too many wrong tries
workshop backup PATH              a consistent copy of the database, safe during a workshop
workshop sessions                 list the sessions held (rehearsals with --rehearsals)
workshop export SESSION           write a session's report, workbook, CSV and archive
workshop restore FILE             bring back a session from its JSON archive
workshop delete SESSION           delete a session and everything of it (asks first)
workshop purge [--older-than N]   keep only the aggregates of sessions older than N days
workshop decks validate PATH...   check deck files; exit status 1 on any problem

Every command is safe to run while Tandem serves a workshop from the same database.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from workshop.curriculum.deck_files import DECK_FOLDER, load_deck
from workshop.curriculum.decks import CurriculumError
from workshop.curriculum.practice import load_practice, practice_file
from workshop.renderers.exports import EXPORTS, file_name
from workshop.renderers.table import day
from workshop.review import archive
from workshop.review.retention import purge_older_than
from workshop.review.session import find_session, list_sessions, review_session
from workshop.room import live
from workshop.store import Store, database_url, pg_dump_advice, sqlite_database_file
from workshop.store.sqlite_file import DatabaseLocationError
from workshop.web import door, keys
from workshop.web.faults import is_database_trouble, startup_problem


@contextlib.contextmanager
def _opened_store() -> Iterator[Store]:
    """The configured database, migrated, and closed again however the command ends."""
    store = Store()
    try:
        store.migrate()
        yield store
    finally:
        store.close()


def _init(_arguments: argparse.Namespace) -> int:
    with _opened_store() as store:
        keys.adopt_environment_passcode(store)
        print(f"Database ready: {store.engine.url.render_as_string(hide_password=True)}")
        for warning in store.storage_warnings():
            print(f"Warning: {warning}", file=sys.stderr)
        if not keys.passcode_is_set(store):
            print("No facilitator passcode yet: open the setup link Tandem prints when it")
            print("starts, or run `workshop passcode` now.")
        else:
            try:
                keys.check_passcode(store, "")
            except keys.UnreadablePasscode as problem:
                print(f"Warning: {problem}", file=sys.stderr)
    return 0


def _read_passcode(prompt: str) -> str:
    """Asked at the terminal without echo; read as one line when piped in (scripts, tests)."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def _passcode(_arguments: argparse.Namespace) -> int:
    first = _read_passcode("New facilitator passcode: ")
    problem = keys.passcode_problem(first)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    if _read_passcode("The same again: ") != first:
        print("The two passcodes differ; nothing was changed.", file=sys.stderr)
        return 1
    with _opened_store() as store:
        keys.set_passcode(store, first)
        door.clear(store)
    print("Passcode saved (as a salted hash). Every browser logged in before must log in again.")
    return 0


def _unlock(_arguments: argparse.Namespace) -> int:
    with _opened_store() as store:
        wrong = door.failures(store)
        door.clear(store)
    if wrong >= door.LOCK_AFTER:
        print(f"Logging in was locked after {wrong} wrong passcodes; it is open again.")
        print("If nobody at the workshop typed them, consider `workshop passcode`.")
    else:
        print("Logging in was not locked; any wait between tries is cleared.")
    return 0


def _backup(arguments: argparse.Namespace) -> int:
    target = Path(arguments.path)
    url = database_url()
    database = sqlite_database_file(url)
    if database is None:
        print(pg_dump_advice(url, target))
        return 1
    if not database.exists():
        print(f"There is no database at {database} yet: nothing to copy.")
        return 1
    if not target.parent.is_dir():
        print(f"There is no folder {target.parent} to put the copy in.")
        return 1
    if _is_the_database(target, database):
        print("The copy must not replace the database it copies, nor its log files.")
        return 1
    if target.exists() and not arguments.replace:
        print(f"{target} already exists; choose another name or add --replace.")
        return 1
    # Not migrated: a backup only reads, whatever version the database is at.
    store = Store(url)
    try:
        store.backup(target)
    finally:
        store.close()
    print(f"Copied {database} to {target} (readable by you only).")
    return 0


def _is_the_database(target: Path, database: Path) -> bool:
    """Whether `target` is the live database or one of its files, by any name or link."""
    resolved = target.resolve()
    if resolved.parent == database.resolve().parent and (
        resolved.name == database.name or resolved.name.startswith(f"{database.name}-")
    ):
        return True
    return target.exists() and os.path.samefile(target, database)


def _sessions(arguments: argparse.Namespace) -> int:
    with _opened_store() as store:
        listed = list_sessions(store, include_rehearsals=arguments.rehearsals)
    if not listed:
        print("No sessions yet.")
        return 0
    print(f"{'id':>4}  {'code':<6}  {'date':<10}  {'joined':>6}  {'minutes':>7}  status   deck")
    for summary in listed:
        row = summary.row
        minutes = summary.duration_seconds
        length = f"{minutes / 60:.0f}" if minutes is not None else ""
        status = "rehearsal" if row.rehearsal else row.status
        print(
            f"{row.id:>4}  {row.join_code:<6}  {day(row.created_at):<10}  {summary.joined:>6}  "
            f"{length:>7}  {status:<8} {row.deck_id}"
        )
    return 0


FORMATS = [*EXPORTS, "json"]


def _export(arguments: argparse.Namespace) -> int:
    formats = [name.strip() for name in arguments.format.split(",") if name.strip()]
    unknown = [name for name in formats if name not in FORMATS]
    if unknown or not formats:
        print(f"Unknown format {', '.join(unknown)}; use any of: {', '.join(FORMATS)}.")
        return 1
    folder = Path(arguments.out)
    if not folder.is_dir():
        print(f"There is no folder {folder} to write to.")
        return 1
    with _opened_store() as store:
        row = find_session(store, arguments.session)
        review = review_session(store, row.id) if row else None
        if review is None:
            print(f"There is no session {arguments.session}; `workshop sessions` lists them.")
            return 1
        for name in formats:
            if name == "json":
                path = folder / file_name(review, "json")
                path.write_bytes(archive.archive(store, review.session.id))
                print(f"Wrote {path} (archive, for restoring on another machine)")
                continue
            export = EXPORTS[name]
            path = folder / file_name(review, export.extension)
            path.write_bytes(export.make(review))
            print(f"Wrote {path} ({export.label})")
    return 0


def _restore(arguments: argparse.Namespace) -> int:
    path = Path(arguments.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(f"{path} cannot be read: {error}")
        return 1
    with _opened_store() as store:
        try:
            wanted = archive.read(data)["session"]["join_code"]
            session_id, code = archive.restore(store, data)
        except archive.ArchiveError as problem:
            print(f"{path.name}: {problem}")
            return 1
    print(f"Restored session {session_id} with join code {code}.")
    if code != wanted:
        print(f"(Its old code {wanted} is in use here, so it has a new one.)")
    return 0


def _delete(arguments: argparse.Namespace) -> int:
    with _opened_store() as store:
        row = find_session(store, arguments.session)
        if row is None:
            print(f"There is no session {arguments.session}; `workshop sessions` lists them.")
            return 1
        described = f"{row.title} of {day(row.created_at)} ({row.join_code})"
        if row.status == "live":
            print(f"{described} is still running: end it from the control view first.")
            return 1
        if not arguments.yes:
            if not sys.stdin.isatty():
                print("Add --yes to delete without being asked.")
                return 1
            typed = input(f"Delete {described} and all its answers? Type the join code: ")
            if live.normalise_code(typed) != row.join_code:
                print("Nothing was deleted.")
                return 1
        store.delete_session(row.id)
    print(f"Deleted {described}.")
    return 0


def _purge(arguments: argparse.Namespace) -> int:
    days = arguments.older_than
    if days is None:
        try:
            days = load_practice(practice_file()).retention.keep_answers_days
        except CurriculumError as error:
            print(error)
            return 1
    if days is None:
        print(
            "Say how old: --older-than DAYS, or set keep_answers_days under [retention] in "
            "practice.toml."
        )
        return 1
    if days < 1:
        print("Answers are kept for at least a day: --older-than 1 or more.")
        return 1
    with _opened_store() as store:
        purged = purge_older_than(store, days)
    if purged:
        sessions = "1 session" if len(purged) == 1 else f"{len(purged)} sessions"
        print(f"Kept only the aggregates of {sessions}: {', '.join(purged)}.")
    else:
        print(f"No session older than {days} days still had its answers.")
    return 0


def _validate(arguments: argparse.Namespace) -> int:
    paths = arguments.paths or sorted(DECK_FOLDER.glob("*.toml"))
    failed = 0
    for path in paths:
        try:
            deck = load_deck(Path(path))
        except CurriculumError as error:
            failed += 1
            for problem in error.problems:
                print(problem)
            continue
        print(f"{Path(path).name}: ok ({len(deck.activities)} activities, {deck.minutes:g} min)")
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workshop", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init", help="create or migrate the database").set_defaults(run=_init)
    commands.add_parser("passcode", help="choose the facilitator passcode").set_defaults(
        run=_passcode
    )
    commands.add_parser(
        "unlock", help="let the facilitator log in again after too many wrong tries"
    ).set_defaults(run=_unlock)
    backup = commands.add_parser(
        "backup", help="a consistent copy of the database, safe during a workshop"
    )
    backup.add_argument("path", help="the file to write the copy to")
    backup.add_argument("--replace", action="store_true", help="overwrite an existing file")
    backup.set_defaults(run=_backup)
    sessions = commands.add_parser("sessions", help="list the sessions held")
    sessions.add_argument("--rehearsals", action="store_true", help="list rehearsals too")
    sessions.set_defaults(run=_sessions)
    export = commands.add_parser("export", help="write a session's report, workbook and CSV")
    export.add_argument("session", help="the session's join code or id")
    export.add_argument(
        "--format", default=",".join(FORMATS), help=f"any of {','.join(FORMATS)} (default: all)"
    )
    export.add_argument("--out", default=".", help="the folder to write to (default: here)")
    export.set_defaults(run=_export)
    restore = commands.add_parser("restore", help="bring back a session from its JSON archive")
    restore.add_argument("file", help="the archive (.json) written by `workshop export`")
    restore.set_defaults(run=_restore)
    delete = commands.add_parser("delete", help="delete a session and everything of it")
    delete.add_argument("session", help="the session's join code or id")
    delete.add_argument("--yes", action="store_true", help="do not ask first")
    delete.set_defaults(run=_delete)
    purge = commands.add_parser(
        "purge", help="keep only the aggregates of sessions older than a number of days"
    )
    purge.add_argument(
        "--older-than",
        type=int,
        metavar="DAYS",
        help="default: keep_answers_days under [retention] in practice.toml",
    )
    purge.set_defaults(run=_purge)
    decks = commands.add_parser("decks", help="work with deck files")
    deck_commands = decks.add_subparsers(dest="deck_command", required=True)
    validate = deck_commands.add_parser("validate", help="check deck files")
    validate.add_argument("paths", nargs="*", help="deck files (default: every built-in deck)")
    validate.set_defaults(run=_validate)
    return parser


def command_names(parser: argparse.ArgumentParser) -> list[str]:
    """Every leaf command, as typed after `workshop` ("init", "decks validate")."""
    names = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                names.extend(
                    f"{name} {inner}".strip() for inner in command_names(subparser) or [""]
                )
    return names


def main(argv: list[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        return arguments.run(arguments)
    except DatabaseLocationError as error:
        print(error, file=sys.stderr)
        return 1
    except Exception as error:
        if not is_database_trouble(error):
            raise
        # PostgreSQL not answering, or the disk filling up: one sentence, not a traceback.
        print(startup_problem(database_url(), error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
