"""Tandem: live, anonymous group workshops on codependency and interdependency.

The package, by concern (the README's developer section draws the picture):

    activities/   one module per activity kind: its deck fields, answers, tally and chart
    curriculum/   decks (schema, files, editor forms, authoring) and the practice's settings
    room/         a live session: its lifecycle, results, timing, moderation, rehearsals
    store/        every database access (SQLite or PostgreSQL)
    renderers/    a result drawn for the projector, the phones and the exports
    web/          the server side: participant pages, facilitator login, serving, join links
    review/       after the workshop: a session reviewed, before/after, what is kept
    dashboard/    the facilitator's Streamlit pages
    testing/      the real server and Chromium steps tests, benchmarks and tools share
    cli.py        the `workshop` command
"""

from pathlib import Path

# The checkout Tandem runs from: exercises/, sessions/ and practice.toml live here.
PROJECT_FOLDER = Path(__file__).resolve().parent.parent
