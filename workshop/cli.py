"""The `workshop` command: set up the database, choose the passcode, check decks.

workshop init                     create or migrate the database
workshop passcode                 choose the facilitator passcode (asked twice, not echoed)
workshop decks validate PATH...   check deck files; exit status 1 on any problem
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from workshop import keys
from workshop.decks import DECK_FOLDER, DeckError, load_deck
from workshop.store import Store


def _init(_arguments: argparse.Namespace) -> int:
    store = Store()
    store.migrate()
    keys.adopt_environment_passcode(store)
    print(f"Database ready: {store.engine.url.render_as_string(hide_password=True)}")
    if not keys.passcode_is_set(store):
        print("No facilitator passcode yet: the dashboard will ask for one on first visit,")
        print("or run `workshop passcode` now.")
    return 0


def _passcode(_arguments: argparse.Namespace) -> int:
    store = Store()
    store.migrate()
    first = getpass.getpass("New facilitator passcode: ")
    problem = keys.passcode_problem(first)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    if getpass.getpass("The same again: ") != first:
        print("The two passcodes differ; nothing was changed.", file=sys.stderr)
        return 1
    keys.set_passcode(store, first)
    print("Passcode saved (as a salted hash).")
    return 0


def _validate(arguments: argparse.Namespace) -> int:
    paths = arguments.paths or sorted(DECK_FOLDER.glob("*.toml"))
    failed = 0
    for path in paths:
        try:
            deck = load_deck(Path(path))
        except DeckError as error:
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
    return arguments.run(arguments)


if __name__ == "__main__":
    sys.exit(main())
