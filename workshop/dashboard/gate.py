"""The dashboard's own access check, behind the gate middleware (it also covers the websocket,
which the middleware never sees): every script run asks again, and so does every facilitator
action and every self-refresh, so a logout, a new passcode or a revoked link ends them at once.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from workshop.i18n import gettext as _
from workshop.store import Store
from workshop.web import keys, links
from workshop.web.facilitator_login import COOKIE
from workshop.web.links import Access


def _access_now(
    store: Store, cookies: Mapping[str, str], query: Mapping[str, str]
) -> Access | None:
    return links.access_for(store, cookies.get(COOKIE), dict(query))


def access(store: Store, cookies: Mapping[str, str], query: Mapping[str, str]) -> Access | None:
    """The access this browser has, or None (after drawing a way to log in)."""
    found = _access_now(store, cookies, query)
    if found is not None:
        return found
    st.title("Tandem")
    if keys.passcode_is_set(store):
        st.write(_("Please log in as the facilitator."))
        log_in = _("Log in")  # outside the f-string, where Babel finds it
        st.markdown(f"[{log_in}](/facilitator/login)")
    else:
        st.write(
            _(
                "First run: open the setup link printed in the terminal where Tandem started, "
                "or run `workshop passcode` there."
            )
        )
    return None


def still_allowed(
    store: Store, cookies: Mapping[str, str], query: Mapping[str, str], granted: Access
) -> bool:
    """Whether this browser still has the access it was granted (not just some access)."""
    return _access_now(store, cookies, query) == granted


def guard(store: Store, granted: Access) -> bool:
    """For facilitator actions and self-refreshing views: whether the access still holds (if
    not, a self-refresh reruns the whole page, which then shows the way to log in)."""
    return still_allowed(store, st.context.cookies, st.query_params, granted)
