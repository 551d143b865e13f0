"""The dashboard script Streamlit runs for every facilitator tab: login check, then navigation."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from workshop.curriculum.deck_files import DeckFolders
from workshop.curriculum.practice import practice_file
from workshop.dashboard import control, editor, gate, language, library, screen
from workshop.i18n import gettext as _
from workshop.web import links
from workshop.web.join import public_url
from workshop.web.listening import Listening, remembered_problem
from workshop.web.runtime import shared_store

# A link's page (screen or remote control) has no sidebar to show: style only, so Streamlit
# puts it where it takes no room.
LINK_PAGE_STYLE = (
    '<style>[data-testid="stSidebar"], [data-testid="stExpandSidebarButton"] '
    "{ display: none !important; }</style>"
)

# The tab's icon from this folder: a Material icon's name makes every browser that opens the
# dashboard fetch it from fonts.gstatic.com (nothing on an offline laptop, and a request that
# tells Google who runs a workshop).
ICON = str(Path(__file__).with_name("tandem-icon.png"))

st.set_page_config(page_title="Tandem", page_icon=ICON, layout="wide")
store = shared_store()
# The facilitator's language for everything this run draws, the way to log in included.
speaking = language.speak(store)
# Where decks and the practice's settings are: read from the environment here, once, and
# handed to the pages that use them.
folders = DeckFolders.configured()

access = gate.access(store, st.context.cookies, st.query_params)
if access is None:
    st.stop()


def _session_id() -> int | None:
    if not access.facilitator:
        return access.session_id  # a link opens its own session, whatever else is asked
    return links.session_number(st.query_params.get("session"))


def _guard() -> bool:
    # Asked again before every action and self-refresh: a logout or a revoked link ends them.
    return gate.guard(store, access)


def _public_url() -> str | None:
    return public_url(int(st.get_option("server.port")))


def _address_problem() -> str | None:
    """Why phones may not reach the address in the QR code (web/listening.py): for the
    facilitator's eyes only, never on the projector."""
    listening = Listening(
        st.get_option("server.address"),
        int(st.get_option("server.port")),
        tls=bool(st.get_option("server.sslCertFile")),
    )
    return remembered_problem(_public_url(), listening)


def library_page() -> None:
    started = library.render(store, folders, practice_file(), on_edit=edit_deck)
    if started is not None:
        st.switch_page(control_page, query_params={"session": str(started)})


def edit_deck(request: str) -> None:
    st.session_state[editor.REQUEST] = request
    st.switch_page(editor_page)


def editor_page_body() -> None:
    chosen = editor.render(folders, practice_file())
    if chosen is not None:
        st.session_state[library.SELECT_DECK] = chosen
        st.switch_page(library_page_entry)


def control_page_body() -> None:
    control.render(
        store,
        _session_id(),
        _public_url(),
        facilitator=access.facilitator,
        guard=_guard,
        address_problem=_address_problem(),
    )


def review_page_body() -> None:
    # Imported on first use: the review's statistics, tables and charts (scipy, pandas,
    # matplotlib) are needed only here, not for running a room.
    from workshop.dashboard import review

    review.render(store)


def screen_page_body() -> None:
    screen.render(store, _session_id(), _public_url(), _guard)


# Titles in the chosen language; the addresses (url_path) stay the same in every language.
control_page = st.Page(
    control_page_body, title=_("Control"), icon=":material/tune:", url_path="control"
)
library_page_entry = st.Page(
    library_page,
    title=_("Library"),
    icon=":material/library_books:",
    url_path="library",
    default=True,
)
editor_page = st.Page(
    editor_page_body, title=_("Deck editor"), icon=":material/edit_note:", url_path="editor"
)
screen_page = st.Page(
    screen_page_body, title=_("Screen"), icon=":material/co_present:", url_path="screen"
)
if access.facilitator:
    pages = [
        library_page_entry,
        editor_page,
        control_page,
        screen_page,
        st.Page(
            review_page_body, title=_("Review"), icon=":material/query_stats:", url_path="review"
        ),
    ]
    navigation = st.navigation(pages)
    with st.sidebar:
        log_out = _("Log out")  # outside the f-string, where Babel finds it
        st.markdown(f"[{log_out}](/facilitator/logout)")
        # Not on the projector's page, which hides the sidebar: the room never sees the switch.
        if navigation.url_path != "screen":
            language.choose(store)
        # The control view says it at its top; the projector's page hides the sidebar.
        if navigation.url_path != "control" and (problem := _address_problem()):
            st.warning(problem, icon=":material/wifi_off:")
    language.declare(speaking)
else:
    # A link opens its one page: no navigation, no other session, nothing to review. Its page
    # must not be the default one, whose address is "/" (a reload there would find no link):
    # a placeholder is.
    only = {"screen": screen_page, "remote": control_page}[access.purpose]
    placeholder = st.Page(lambda: st.write(_("This link opens one page only.")), title="Tandem")
    navigation = st.navigation([placeholder, only], position="hidden")
    # The browser is told the language here too (the projector's screen reader, the remote's
    # phone), in the sidebar as on the facilitator's pages; a link's page hides the sidebar,
    # which would otherwise offer a button opening an empty one on the phone.
    st.html(LINK_PAGE_STYLE)
    language.declare(speaking)
navigation.run()
