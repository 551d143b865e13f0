"""The dashboard's and the projector's language: the facilitator's choice, kept in the database
so the projector's browser (a screen link, another laptop) speaks it too.

Streamlit runs each script run, and each fragment's run, in a thread of its own: `speak` sets
the language for the run it is called in, so the dashboard calls it at the top of every run and
of every fragment.
"""

from __future__ import annotations

import json

import streamlit as st

from workshop import i18n
from workshop.i18n import gettext as _
from workshop.store import Store

SETTING = "interface_language"
# The switch's widget key, for tests: see `choose`.
SWITCH_KEY = "interface_language_{language}"


def chosen(store: Store) -> str:
    """The language the facilitator chose; until they choose, the one this browser asks for
    (a Spanish laptop's login page is in Spanish), else English."""
    return i18n.supported(store.setting(SETTING)) or i18n.negotiate(browser_asks())


def browser_asks() -> str | None:
    """The Accept-Language header of the browser this run is for (None without a browser)."""
    return st.context.headers.get("Accept-Language")


def speak(store: Store) -> str:
    """Speak the chosen language for the rest of this run; returns it."""
    language = chosen(store)
    i18n.use_language(language)
    return language


def declare(language: str) -> None:
    """Tell the browser which language the page is in (Streamlit's page always says English),
    so a screen reader reads Spanish with a Spanish voice. Our own fixed script, in the
    sidebar, where it takes no room on the page."""
    script = f"<script>document.documentElement.lang = {json.dumps(language)};</script>"
    st.sidebar.html(script, unsafe_allow_javascript=True)


def choose(store: Store) -> None:
    """The facilitator's switch, in the sidebar: each language named in itself.

    A new widget for each stored choice: one kept across a change made in another tab would
    still hold the old language, and send it back on this tab's next run."""
    current = chosen(store)
    codes = list(i18n.LANGUAGES)
    picked = st.sidebar.selectbox(
        _("Language"),
        codes,
        index=codes.index(current),
        format_func=lambda code: i18n.LANGUAGES[code],
        key=SWITCH_KEY.format(language=current),
        help=_("The dashboard and the projector speak this language."),
    )
    if picked != current:
        store.put_setting(SETTING, picked)
        st.rerun()
