"""Gather the interface strings into the catalogues: `make messages`.

Reads babel.cfg, writes workshop/locale/messages.pot, and brings every language's .po file up to
date with it (new strings added untranslated, gone ones kept as obsolete comments). Then a
translator fills in the empty msgstr lines; tests/test_i18n.py fails until none is left empty.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from workshop.i18n import DEFAULT_LANGUAGE, LANGUAGES, LOCALE_FOLDER, catalogue_path

PROJECT = Path(__file__).resolve().parent.parent


def source_catalogue() -> Catalog:
    """Every marked string in the source, with where it is used."""
    with (PROJECT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalogue = Catalog(project="Tandem", fuzzy=False)
    for filename, line, message, comments, context in extract_from_dir(
        PROJECT, method_map, options_map, strip_comment_tags=True, comment_tags=("Translators:",)
    ):
        catalogue.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return catalogue


def translated(message) -> bool:
    """Whether a catalogue entry has every form of its translation, confirmed (not fuzzy)."""
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(forms) and all(forms) and not message.fuzzy


def main() -> None:
    template = source_catalogue()
    LOCALE_FOLDER.mkdir(exist_ok=True)
    with (LOCALE_FOLDER / "messages.pot").open("wb") as output:
        # No header: a date in it would change the file on every run.
        write_po(output, template, width=100, omit_header=True)
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        path = catalogue_path(language)
        if path.exists():
            with path.open("rb") as source:
                catalogue = read_po(source, locale=language)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogue = Catalog(locale=language, project="Tandem", fuzzy=False)
        created = catalogue.creation_date
        # No fuzzy matching: a guessed translation of a changed string would read as right.
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.creation_date = created  # unchanged, so an unchanged file stays unchanged
        with path.open("wb") as output:
            write_po(output, catalogue, width=100, omit_header=False)
        missing = sum(1 for message in catalogue if message.id and not translated(message))
        print(f"{path.relative_to(PROJECT)}: {len(catalogue)} strings, {missing} to translate")


if __name__ == "__main__":
    main()
